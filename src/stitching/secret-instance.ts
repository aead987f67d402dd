import { endpointProblem } from '../config/scrapers-checks.ts';
import type { KubeObject } from '../contract/kubernetes.ts';
import type { LabelMap } from '../topology/types.ts';
import type { BackstageInstance, DiscoveredInstance } from './types.ts';

/** The Secret keys the seed defines; any other key is ignored. */
export const SECRET_KEYS = {
  endpoint: 'endpoint',
  token: 'token',
  insecureSkipVerify: 'insecure_skip_verify',
} as const;

/** A Secret value as text; values are base64 in `data` (`stringData` is write-only and never read back). */
function secretValue(secret: KubeObject, key: string): string | undefined {
  const data = secret.data;
  if (data === null || typeof data !== 'object' || !Object.hasOwn(data, key)) return undefined;
  const encoded = (data as Record<string, unknown>)[key];
  if (typeof encoded !== 'string') return undefined;
  // `echo value > file` leaves a newline that would end up in the URL or the header: trim it.
  return Buffer.from(encoded, 'base64').toString('utf8').trim();
}

/**
 * A Backstage instance from a Secret with the seed's keys: `endpoint` (required, a base URL without a
 * trailing slash), `token` (optional), `insecure_skip_verify` (optional, `true` or `false`). Problems
 * name the Secret and the key, never a value.
 *
 * @example
 * instanceFromSecret(secret, { name: 'tools/backstage', source, labelMap: DEFAULT_LABEL_MAP })
 * // → { ok: true, instance: { name: 'tools/backstage', endpoint: 'https://backstage.example.com', token, ... } }
 */
export function instanceFromSecret(
  secret: KubeObject,
  options: { name: string; source: BackstageInstance['source']; labelMap: LabelMap },
): DiscoveredInstance {
  const where =
    options.source.type === 'secret'
      ? `Secret ${options.source.namespace}/${options.source.name} in cluster ${options.source.cluster}`
      : 'the Secret';
  const fail = (problem: string, endpoint?: string, missingKey?: string): DiscoveredInstance => ({
    ok: false,
    name: options.name,
    source: options.source,
    ...(endpoint !== undefined && { endpoint }),
    problem: `${where}: ${problem}`,
    ...(missingKey !== undefined && { missingKey }),
  });

  const endpoint = secretValue(secret, SECRET_KEYS.endpoint);
  if (endpoint === undefined || endpoint === '') {
    return fail(
      'has no "endpoint" key (the Backstage base URL, e.g. https://backstage.example.com)',
      undefined,
      SECRET_KEYS.endpoint,
    );
  }
  const problem = endpointProblem(endpoint);
  // The endpoint is shown only when it is a URL we could parse: a bad value may be anything.
  if (problem) {
    return fail(`"endpoint" ${problem}`, URL.canParse(endpoint) ? safeEndpoint(endpoint) : undefined);
  }

  const skip = secretValue(secret, SECRET_KEYS.insecureSkipVerify);
  let insecureSkipVerify = false;
  if (skip !== undefined && skip !== '') {
    const lower = skip.toLowerCase();
    if (lower !== 'true' && lower !== 'false') {
      return fail('"insecure_skip_verify" must be true or false', safeEndpoint(endpoint));
    }
    insecureSkipVerify = lower === 'true';
  }

  const token = secretValue(secret, SECRET_KEYS.token);
  if (token !== undefined && /\s/.test(token)) {
    return fail('"token" contains whitespace; store the token alone', safeEndpoint(endpoint));
  }
  return {
    ok: true,
    instance: {
      name: options.name,
      source: options.source,
      endpoint,
      ...(token ? { token } : {}),
      insecureSkipVerify,
      labelMap: options.labelMap,
    },
  };
}

/** The endpoint without any user:password part, for status and logs. */
export function safeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (!url.username && !url.password) return endpoint;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, endpoint.endsWith('/') ? '/' : '');
  } catch {
    return '(not a URL)';
  }
}

/**
 * The Secret the seed's "add integration" flow creates, labelled for discovery (by default the
 * seed's `causely.ai/scraper: Backstage`; the first `discovery.labelSelector`'s pairs when set).
 */
export function backstageSecret(input: {
  namespace: string;
  name: string;
  endpoint: string;
  token?: string;
  insecureSkipVerify?: boolean;
  labels: Readonly<Record<string, string>>;
}): KubeObject {
  const data: Record<string, string> = { [SECRET_KEYS.endpoint]: input.endpoint };
  if (input.token) data[SECRET_KEYS.token] = input.token;
  if (input.insecureSkipVerify !== undefined) {
    data[SECRET_KEYS.insecureSkipVerify] = String(input.insecureSkipVerify);
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { ...input.labels },
    },
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
    ),
  };
}
