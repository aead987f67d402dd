import { z } from 'zod';
import { AUTH_PROVIDER_KEY } from './auth-metadata.ts';
import {
  AUTH_PROVIDERS,
  authProviderSpec,
  configClusterAuthMetadata,
  locatorAuthProblems,
} from './auth-providers.ts';
import { caDataProblem } from './ca-data.ts';
import { oneOfList, quote } from './issues.ts';
import {
  bool,
  customResourceSchema,
  everyTime,
  freeMapping,
  httpUrl,
  optHttpUrl,
  optString,
  stringMap,
  type RuleContext,
} from './schema-helpers.ts';

/** One `clusters[]` entry of the `config` locator: every key Backstage reads, including the unschema'd ones. */
export const configClusterSchema = everyTime(
  z.object({
    name: z.string().min(1),
    url: httpUrl(),
    title: optString(),
    authProvider: optString(),
    authMetadata: stringMap.optional(),
    serviceAccountToken: optString(),
    oidcTokenProvider: optString(),
    assumeRole: optString(),
    externalId: optString(),
    skipTLSVerify: bool(false),
    skipMetricsLookup: bool(false),
    caData: optString().superRefine((value, ctx) => {
      const problem = value === undefined ? undefined : caDataProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    caFile: optString(),
    customResources: z.array(customResourceSchema).optional(),
    dashboardUrl: optHttpUrl(),
    dashboardApp: optString(),
    dashboardParameters: freeMapping.optional(),
  }),
  checkClusterAuth,
);

export type ParsedConfigCluster = z.output<typeof configClusterSchema>;

/**
 * The auth rules Backstage applies at startup, on the metadata it derives (authMetadata wins):
 * a provider is required and must be known; then the provider's own rules (the provider table's).
 */
function checkClusterAuth(cluster: Record<string, unknown>, ctx: RuleContext): void {
  const strings = (key: string) =>
    typeof cluster[key] === 'string' && cluster[key] !== '' ? cluster[key] : undefined;
  const metadata = configClusterAuthMetadata({
    authProvider: strings('authProvider'),
    oidcTokenProvider: strings('oidcTokenProvider'),
    authMetadata: isStringMap(cluster.authMetadata) ? cluster.authMetadata : undefined,
  });
  const fromMetadata = isStringMap(cluster.authMetadata) && AUTH_PROVIDER_KEY in cluster.authMetadata;
  const providerPath = fromMetadata ? ['authMetadata', AUTH_PROVIDER_KEY] : ['authProvider'];
  const provider = metadata[AUTH_PROVIDER_KEY];

  if (provider === undefined) {
    if (cluster.authProvider === undefined || cluster.authProvider === '') {
      ctx.error(['authProvider'], `required (${oneOfList(AUTH_PROVIDERS)})`);
    }
    return;
  }
  const spec = authProviderSpec(provider);
  if (!spec) {
    ctx.error(providerPath, `unknown provider ${quote(provider)} (${oneOfList(AUTH_PROVIDERS)})`);
    return;
  }
  for (const { key, problem } of locatorAuthProblems(provider, metadata)) {
    const field = spec.metadata.find((m) => m.key === key)?.configField;
    const inMetadata = isStringMap(cluster.authMetadata) && key in cluster.authMetadata;
    ctx.error(field && !inMetadata ? [field] : ['authMetadata', key], problem);
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
