import { StitchboardError, isStitchboardError, messageOf } from '../errors/errors.ts';

export interface CatalogErrorContext {
  /** The endpoint as shown to users (no credentials). */
  endpoint: string;
  /** Scrubbed from any upstream text that ends up in a message. */
  token?: string;
  timeoutMs: number;
}

/**
 * Turns whatever the Catalog API call threw into a CATALOG_UNAVAILABLE error that names the endpoint
 * and says what to check. Messages are built here, never passed through raw, so the token cannot leak.
 */
export function toCatalogError(error: unknown, context: CatalogErrorContext): StitchboardError {
  if (isStitchboardError(error)) return error;
  const { endpoint } = context;
  const at = `Backstage at ${endpoint}`;
  const status = statusOf(error);

  if (status === 401 || status === 403) {
    const hint = context.token
      ? 'check the token and that it is listed in backend.auth.externalAccess there'
      : 'set a token for this catalog source';
    return unavailable(`${at} rejected the token (${status}): ${hint}`, error, { status });
  }
  if (status === 404) {
    return unavailable(
      `${at} answered 404 for the Catalog API: is it a Backstage backend with the catalog plugin?`,
      error,
      {
        status,
      },
    );
  }
  if (status !== undefined) {
    const upstream = scrub(upstreamMessage(error), context.token);
    return unavailable(`${at} failed with HTTP ${status}${upstream ? `: ${upstream}` : ''}`, error, {
      status,
    });
  }
  if (isTimeout(error)) return unavailable(`${at} did not answer within ${context.timeoutMs} ms`, error, {});
  if (error instanceof SyntaxError) {
    return unavailable(`${at} answered with something other than Catalog API JSON`, error, {});
  }
  const cause = networkCause(error);
  return unavailable(`${at} is unreachable: ${scrub(cause, context.token)}`, error, {});
}

function unavailable(message: string, cause: unknown, details: Record<string, unknown>): StitchboardError {
  return new StitchboardError('CATALOG_UNAVAILABLE', message, { cause, details });
}

/** `ResponseError` from @backstage/errors, recognised by shape since it is not our dependency. */
function statusOf(error: unknown): number | undefined {
  const e = error as { name?: unknown; statusCode?: unknown; response?: { status?: unknown } } | null;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.response?.status === 'number') return e.response.status;
  return undefined;
}

function upstreamMessage(error: unknown): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message.slice(0, 300) : '';
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const code = ((error as { cause?: { code?: unknown } } | null)?.cause as { code?: unknown } | undefined)
    ?.code;
  return name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT';
}

/** fetch rejects with `TypeError: fetch failed`; the useful part (ECONNREFUSED, a TLS failure) is in `cause`. */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return messageOf(error);
}

function scrub(text: string, token: string | undefined): string {
  return token ? text.replaceAll(token, '[redacted]') : text;
}
