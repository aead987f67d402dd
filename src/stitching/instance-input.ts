import { endpointProblem } from '../config/scrapers-checks.ts';
import { namespaceProblem, secretNameProblem } from '../kube/names.ts';
import { inputError } from '../errors/errors.ts';

/** `POST /api/stitchboard/instances`: the seed's "add integration" form. */
export interface NewInstanceInput {
  /** Unset: the cluster where Secrets are discovered. */
  cluster?: string;
  namespace: string;
  name: string;
  endpoint: string;
  token?: string;
  insecureSkipVerify?: boolean;
}

const KEYS = ['cluster', 'namespace', 'name', 'endpoint', 'token', 'insecure_skip_verify'];

/**
 * Checks the body of a new-instance request and lists every problem in one INPUT_INVALID error, each
 * naming its field. Values are never echoed: the token is a secret and the others may be anything.
 */
export function parseNewInstance(body: unknown): NewInstanceInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw inputError(
      'send a JSON object: { "namespace", "name", "endpoint", "token"?, "insecure_skip_verify"?, "cluster"? }',
    );
  }
  const raw = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) problems.push(`${key}: unknown field (expected ${KEYS.join(', ')})`);
  }
  const text = (key: string, required: boolean, check?: (v: string) => string | undefined) => {
    const value = raw[key];
    if (value === undefined || value === null || value === '') {
      if (required) problems.push(`${key}: required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.push(`${key}: must be a string`);
      return undefined;
    }
    const problem = check?.(value);
    if (problem) problems.push(`${key}: ${problem}`);
    return value;
  };
  const cluster = text('cluster', false);
  const namespace = text('namespace', true, namespaceProblem);
  const name = text('name', true, secretNameProblem);
  const endpoint = text('endpoint', true, endpointProblem);
  const token = text('token', false, (v) => (/\s/.test(v) ? 'must not contain whitespace' : undefined));
  const skip = raw.insecure_skip_verify;
  if (skip !== undefined && typeof skip !== 'boolean') {
    problems.push('insecure_skip_verify: must be true or false');
  }
  if (problems.length > 0 || !namespace || !name || !endpoint) {
    throw inputError(`invalid instance: ${problems.join('; ')}`, { details: { problems } });
  }
  return {
    namespace,
    name,
    endpoint,
    ...(cluster !== undefined && { cluster }),
    ...(token !== undefined && { token }),
    ...(typeof skip === 'boolean' && { insecureSkipVerify: skip }),
  };
}
