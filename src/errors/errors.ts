/**
 * Stitchboard's one error vocabulary. Every error a user can see carries a stable `code`
 * (listed in docs/errors.md, kept in sync by errors.test.ts) and the HTTP status it maps to.
 *
 * Two families: the caller or the configuration is wrong (4xx, CLI exit 1 with a fix hint),
 * or something upstream failed (5xx). Per-cluster failures are not errors at all: they are
 * data in a response's `errors[]` (see src/contract/kubernetes.ts).
 */
export const ErrorCodes = {
  CONFIG_INVALID: { status: 500, name: 'ConfigError' },
  INPUT_INVALID: { status: 400, name: 'InputError' },
  BODY_TOO_LARGE: { status: 413, name: 'InputError' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, name: 'InputError' },
  UNAUTHENTICATED: { status: 401, name: 'AuthenticationError' },
  FORBIDDEN: { status: 403, name: 'NotAllowedError' },
  NOT_FOUND: { status: 404, name: 'NotFoundError' },
  CONFLICT: { status: 409, name: 'ConflictError' },
  CATALOG_UNAVAILABLE: { status: 503, name: 'ServiceUnavailableError' },
  AUTH_UNAVAILABLE: { status: 503, name: 'ServiceUnavailableError' },
  CLUSTER_UNAVAILABLE: { status: 502, name: 'ForwardedError' },
  STORE_FAILED: { status: 500, name: 'StoreError' },
  LEASE_LOST: { status: 409, name: 'ConflictError' },
  INTERNAL: { status: 500, name: 'Error' },
} as const satisfies Record<string, { status: number; name: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

export interface ErrorOptions {
  /** Where the problem is, e.g. `kubernetes.clusterLocatorMethods[0].clusters[2].authProvider`. */
  path?: string;
  /** Extra structured facts, safe to show (never a secret). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class StitchboardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly path?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = ErrorCodes[code].name;
    this.status = ErrorCodes[code].status;
    if (options.path !== undefined) this.path = options.path;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** One problem found while validating input: where, and what is wrong. */
export interface Issue {
  path: string;
  message: string;
}

/** A configuration that failed validation, carrying every problem found, not just the first. */
export class ConfigError extends StitchboardError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], source?: string) {
    const where = source ? ` in ${source}` : '';
    super(
      'CONFIG_INVALID',
      `Invalid configuration${where}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
      { details: { issues } },
    );
    this.issues = issues;
  }
}

export function formatIssue(issue: Issue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export const inputError = (message: string, options?: ErrorOptions) =>
  new StitchboardError('INPUT_INVALID', message, options);
export const notFound = (message: string, options?: ErrorOptions) =>
  new StitchboardError('NOT_FOUND', message, options);
export const forbidden = (message: string, options?: ErrorOptions) =>
  new StitchboardError('FORBIDDEN', message, options);
export const unauthenticated = (message: string, options?: ErrorOptions) =>
  new StitchboardError('UNAUTHENTICATED', message, options);

export function isStitchboardError(e: unknown): e is StitchboardError {
  return e instanceof StitchboardError;
}

/** A message safe to show for any thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
