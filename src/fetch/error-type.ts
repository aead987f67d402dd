import type { KubernetesErrorType, RawFetchError } from '../contract/kubernetes.ts';

/** Backstage's status → errorType table: anything not listed (403, 429, 3xx, 502...) is UNKNOWN_ERROR. */
export function errorTypeForStatus(status: number): KubernetesErrorType {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED_ERROR';
    case 404:
      return 'NOT_FOUND';
    case 500:
      return 'SYSTEM_ERROR';
    default:
      return 'UNKNOWN_ERROR';
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * A readable FETCH_ERROR for a request that never got an HTTP answer. Names the cluster and what to check;
 * holds nothing secret (cluster URLs carry no credentials: `urlProblem` refuses them in config and from
 * custom locators, the catalog locator's URL guard from the catalog).
 */
export function fetchErrorFor(error: unknown, cluster: { name: string; url: string }): RawFetchError {
  const code = errorCode(error);
  const detail = innermostMessage(error);
  let message: string;
  if (code && TLS_CODES.has(code)) {
    message = `TLS verification failed for cluster '${cluster.name}' at ${cluster.url}: ${detail} (${code}); check caData/caFile, or set skipTLSVerify`;
  } else if (code === 'ECONNREFUSED') {
    message = `connection refused by cluster '${cluster.name}' at ${cluster.url}`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    message = `cannot resolve the host of cluster '${cluster.name}' (${cluster.url})`;
  } else if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    message = `connecting to cluster '${cluster.name}' at ${cluster.url} timed out`;
  } else {
    message = `request to cluster '${cluster.name}' at ${cluster.url} failed: ${detail}${code ? ` (${code})` : ''}`;
  }
  return { errorType: 'FETCH_ERROR', message };
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  }
  return (error as { code?: string } | undefined)?.code;
}

function innermostMessage(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && (e as { cause?: unknown })?.cause; depth++) {
    e = (e as { cause: unknown }).cause;
  }
  return e instanceof Error ? e.message : String(e);
}
