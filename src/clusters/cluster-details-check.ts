import { AUTH_PROVIDERS, isAuthProvider, locatorAuthProblems } from '../config/auth-providers.ts';
import { caDataProblem } from '../config/ca-data.ts';
import { isPlainObject, typeName } from '../config/path.ts';
import { urlProblem } from '../config/schema-helpers.ts';
import { AUTH_PROVIDER_KEY, type ClusterDetails } from './types.ts';

/**
 * What a custom supplier may return for one cluster. `timeoutMs` and `mode` are optional: Stitchboard
 * fills them from `stitchboard.kubernetes` when the supplier leaves them out.
 */
export type SuppliedCluster = Omit<
  ClusterDetails,
  'timeoutMs' | 'mode' | 'skipTLSVerify' | 'skipMetricsLookup'
> &
  Partial<Pick<ClusterDetails, 'timeoutMs' | 'mode' | 'skipTLSVerify' | 'skipMetricsLookup'>>;

const OPTIONAL_STRINGS = ['title', 'caData', 'caFile', 'dashboardUrl', 'dashboardApp'] as const;
const OPTIONAL_BOOLEANS = ['skipTLSVerify', 'skipMetricsLookup'] as const;

/**
 * Every problem with one supplied cluster, each naming the field (`clusters[2].url: ...`). Values are
 * never quoted: a URL may carry credentials and authMetadata holds tokens.
 */
export function suppliedClusterProblems(value: unknown, index: number): string[] {
  const at = (field: string) => `clusters[${index}].${field}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`clusters[${index}]: expected an object, received ${typeName(value)}`];
  }
  const c = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c.name !== 'string' || c.name === '') {
    problems.push(`${at('name')}: required, a non-empty string`);
  }
  if (typeof c.url !== 'string') problems.push(`${at('url')}: required, an http(s) URL`);
  else {
    const problem = urlProblem(c.url);
    if (problem) problems.push(`${at('url')}: ${problem}`);
  }
  if (!isStringMap(c.authMetadata)) {
    problems.push(
      `${at('authMetadata')}: required, an object of strings with at least "${AUTH_PROVIDER_KEY}"`,
    );
  } else {
    const provider = c.authMetadata[AUTH_PROVIDER_KEY];
    if (provider === undefined) problems.push(`${at(`authMetadata["${AUTH_PROVIDER_KEY}"]`)}: required`);
    else if (!isAuthProvider(provider)) {
      problems.push(
        `${at(`authMetadata["${AUTH_PROVIDER_KEY}"]`)}: unknown auth provider ${JSON.stringify(provider)} (expected one of: ${AUTH_PROVIDERS.join(', ')})`,
      );
    } else {
      for (const { key, problem } of locatorAuthProblems(provider, c.authMetadata)) {
        problems.push(`${at(`authMetadata["${key}"]`)}: ${problem}`);
      }
    }
  }
  for (const key of OPTIONAL_STRINGS) {
    if (c[key] !== undefined && typeof c[key] !== 'string') {
      problems.push(`${at(key)}: expected a string, received ${typeName(c[key])}`);
    }
  }
  for (const key of OPTIONAL_BOOLEANS) {
    if (c[key] !== undefined && typeof c[key] !== 'boolean') {
      problems.push(`${at(key)}: expected true or false, received ${typeName(c[key])}`);
    }
  }
  if (typeof c.caData === 'string') {
    const problem = caDataProblem(c.caData);
    if (problem) problems.push(`${at('caData')}: ${problem}`);
  }
  if (typeof c.dashboardUrl === 'string' && urlProblem(c.dashboardUrl)) {
    problems.push(`${at('dashboardUrl')}: must be an http(s) URL`);
  }
  if (c.dashboardParameters !== undefined && !isPlainObject(c.dashboardParameters)) {
    problems.push(
      `${at('dashboardParameters')}: expected an object, received ${typeName(c.dashboardParameters)}`,
    );
  }
  if (c.timeoutMs !== undefined && !(typeof c.timeoutMs === 'number' && c.timeoutMs > 0)) {
    problems.push(`${at('timeoutMs')}: expected a positive number of milliseconds`);
  }
  if (c.mode !== undefined && c.mode !== 'live' && c.mode !== 'watch') {
    problems.push(`${at('mode')}: expected "live" or "watch"`);
  }
  if (c.customResources !== undefined && !validCustomResources(c.customResources)) {
    problems.push(`${at('customResources')}: expected a list of { group, apiVersion, plural } strings`);
  }
  return problems;
}

function validCustomResources(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (m) =>
        isPlainObject(m) &&
        typeof m.group === 'string' &&
        typeof m.apiVersion === 'string' &&
        typeof m.plural === 'string',
    )
  );
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}
