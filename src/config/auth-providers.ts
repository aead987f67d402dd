import { AUTH_PROVIDER_KEY, OIDC_TOKEN_PROVIDER_KEY } from './auth-metadata.ts';
import {
  AWS_ASSUME_ROLE_KEY,
  AWS_CLUSTER_ID_KEY,
  AWS_EXTERNAL_ID_KEY,
  SERVICE_ACCOUNT_TOKEN_KEY,
} from './auth-metadata.ts';
import type { ConfigClusterConfig } from './types.ts';

/** One problem with a cluster's auth metadata: the key it is about, and what is wrong, as a phrase. */
export interface ClusterAuthProblem {
  key: string;
  problem: string;
}

/** The dedicated config-cluster fields that set an auth metadata key. */
type AuthField = 'serviceAccountToken' | 'oidcTokenProvider' | 'assumeRole' | 'externalId';

export interface AuthProviderSpec {
  /** Whose credential: Stitchboard's own (`server`), or the caller's token in the request (`request`). */
  credential: 'server' | 'request';
  /** Whether one watch cache may serve every caller: a server-side credential an informer can hold. */
  watchable: boolean;
  /** Whether a catalog Resource may name it (a service-account token must never live in an annotation). */
  inCatalog: boolean;
  /** The authMetadata keys it reads besides `kubernetes.io/auth-provider`, with the config field that sets each. */
  metadata: readonly { key: string; configField?: AuthField }[];
  /**
   * Backstage's `validateCluster` rules: every locator (config, catalog, custom) applies them when a cluster
   * enters, as Backstage's locators do, so config Backstage accepts is accepted here too.
   */
  locatorProblems?: (metadata: Record<string, string>) => ClusterAuthProblem[];
  /** Stitchboard's further rules, checked when a cluster's credential is resolved (AuthDispatcher). */
  credentialProblems?: (metadata: Record<string, string>) => ClusterAuthProblem[];
}

const ROLE_ARN = /^arn:([a-z0-9-]+):iam::(\d{12}):role\/.+$/;

/** `arn:aws:iam::111122223333:role/x` → its partition and account; undefined for anything else. */
export function parseRoleArn(arn: string): { partition: string; accountId: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match?.[1] && match[2] ? { partition: match[1], accountId: match[2] } : undefined;
}

function awsProblems(metadata: Record<string, string>): ClusterAuthProblem[] {
  const problems: ClusterAuthProblem[] = [];
  const roleArn = metadata[AWS_ASSUME_ROLE_KEY];
  if (roleArn && !parseRoleArn(roleArn)) {
    problems.push({
      key: AWS_ASSUME_ROLE_KEY,
      problem: 'must be an IAM role ARN such as arn:aws:iam::111122223333:role/name (assumeRole)',
    });
  }
  if (metadata[AWS_EXTERNAL_ID_KEY] && !roleArn) {
    problems.push({
      key: AWS_EXTERNAL_ID_KEY,
      problem: `is only sent with assumeRole (${AWS_ASSUME_ROLE_KEY}), which is not set`,
    });
  }
  return problems;
}

function oidcProblems(metadata: Record<string, string>): ClusterAuthProblem[] {
  if (metadata[OIDC_TOKEN_PROVIDER_KEY]) return [];
  return [
    {
      key: OIDC_TOKEN_PROVIDER_KEY,
      problem: "Must specify a token provider for 'oidc' strategy (e.g. okta, google, microsoft)",
    },
  ];
}

const REQUEST_TOKEN = { credential: 'request', watchable: false, inCatalog: true, metadata: [] } as const;

/**
 * Every `authProvider` Stitchboard (and Backstage's stock frontend) knows, once, in Backstage's order:
 * config schemas, locators, the auth dispatcher and the watch cache all derive from this table.
 * `aws`, `azure` and `googleServiceAccount` are server-side but not watched: their tokens expire and are
 * minted per request, so they stay live until an informer can mint its own.
 */
export const AUTH_PROVIDER_TABLE = {
  serviceAccount: {
    credential: 'server',
    watchable: true,
    inCatalog: false,
    metadata: [{ key: SERVICE_ACCOUNT_TOKEN_KEY, configField: 'serviceAccountToken' }],
  },
  google: REQUEST_TOKEN,
  googleServiceAccount: { credential: 'server', watchable: false, inCatalog: true, metadata: [] },
  aws: {
    credential: 'server',
    watchable: false,
    inCatalog: true,
    metadata: [
      { key: AWS_ASSUME_ROLE_KEY, configField: 'assumeRole' },
      { key: AWS_EXTERNAL_ID_KEY, configField: 'externalId' },
      { key: AWS_CLUSTER_ID_KEY },
    ],
    credentialProblems: awsProblems,
  },
  azure: { credential: 'server', watchable: false, inCatalog: true, metadata: [] },
  oidc: {
    ...REQUEST_TOKEN,
    metadata: [{ key: OIDC_TOKEN_PROVIDER_KEY, configField: 'oidcTokenProvider' }],
    locatorProblems: oidcProblems,
  },
  aks: REQUEST_TOKEN,
  localKubectlProxy: { credential: 'server', watchable: true, inCatalog: true, metadata: [] },
} as const satisfies Record<string, AuthProviderSpec>;

export type AuthProviderName = keyof typeof AUTH_PROVIDER_TABLE;

/** The `authProvider` values Stitchboard (and Backstage's stock frontend) know, in Backstage's order. */
export const AUTH_PROVIDERS = Object.keys(AUTH_PROVIDER_TABLE) as AuthProviderName[];

export function isAuthProvider(name: string): name is AuthProviderName {
  return Object.hasOwn(AUTH_PROVIDER_TABLE, name);
}

export function authProviderSpec(name: string): AuthProviderSpec | undefined {
  return isAuthProvider(name) ? AUTH_PROVIDER_TABLE[name] : undefined;
}

/** The providers one cache may serve every caller from (`SERVER_SIDE_PROVIDERS` of the watch cache). */
export const WATCHABLE_PROVIDERS: readonly AuthProviderName[] = AUTH_PROVIDERS.filter(
  (name) => AUTH_PROVIDER_TABLE[name].watchable,
);

/** Backstage's problems with a cluster's metadata, for locators; none for an unknown provider (callers say that). */
export function locatorAuthProblems(
  provider: string,
  metadata: Record<string, string>,
): ClusterAuthProblem[] {
  return authProviderSpec(provider)?.locatorProblems?.(metadata) ?? [];
}

/** Every problem with a cluster's metadata: Backstage's and Stitchboard's. */
export function clusterAuthProblems(
  provider: string,
  metadata: Record<string, string>,
): ClusterAuthProblem[] {
  const spec = authProviderSpec(provider);
  return [...(spec?.locatorProblems?.(metadata) ?? []), ...(spec?.credentialProblems?.(metadata) ?? [])];
}

/** Each dedicated config field and the metadata key it sets, from the table. */
const CONFIG_FIELD_KEYS: readonly [AuthField, string][] = Object.values(AUTH_PROVIDER_TABLE).flatMap(
  (spec: AuthProviderSpec) =>
    spec.metadata.flatMap((m): [AuthField, string][] => (m.configField ? [[m.configField, m.key]] : [])),
);

type AuthFields = Pick<ConfigClusterConfig, 'authProvider' | AuthField | 'authMetadata'>;

/**
 * A config cluster's auth metadata, exactly as Backstage's ConfigClusterLocator builds it: keys
 * derived from the dedicated fields, then `authMetadata` merged last so it overrides them.
 *
 * @example
 * configClusterAuthMetadata({ authProvider: 'oidc', oidcTokenProvider: 'okta' })
 * // → { 'kubernetes.io/auth-provider': 'oidc', 'kubernetes.io/oidc-token-provider': 'okta' }
 */
export function configClusterAuthMetadata(cluster: Partial<AuthFields>): Record<string, string> {
  const derived: Record<string, string> = {};
  if (cluster.authProvider) derived[AUTH_PROVIDER_KEY] = cluster.authProvider;
  for (const [field, key] of CONFIG_FIELD_KEYS) {
    const value = cluster[field];
    if (value) derived[key] = value;
  }
  return { ...derived, ...cluster.authMetadata };
}
