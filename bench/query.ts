import type { Pool } from 'undici';

export interface QueryResult {
  /** From sending the request to the last byte of the body (the client's JSON parse is not counted). */
  ms: number;
  status: number;
  body: Buffer;
}

/**
 * One `POST /api/kubernetes/services/<name>`, exactly what Backstage's Kubernetes tab sends. With `previous`,
 * a body of the same bytes is returned as that very buffer, so a repeated answer allocates no copy of itself
 * (the chunks as they arrive are compared and dropped).
 */
export async function timedQuery(
  pool: Pool,
  name: string,
  options: { headers?: Record<string, string>; previous?: Buffer } = {},
): Promise<QueryResult> {
  const started = performance.now();
  const res = await pool.request({
    method: 'POST',
    path: `/api/kubernetes/services/${name}`,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ entity: { kind: 'Component', metadata: { name, namespace: 'default' } } }),
  });
  const { previous } = options;
  const chunks: Buffer[] = [];
  let length = 0;
  let same = previous !== undefined;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    same &&=
      previous !== undefined &&
      length + chunk.length <= previous.length &&
      previous.compare(chunk, 0, chunk.length, length, length + chunk.length) === 0;
    length += chunk.length;
    chunks.push(chunk);
  }
  const ms = performance.now() - started;
  const body = same && previous?.length === length ? previous : Buffer.concat(chunks, length);
  return { ms, status: res.statusCode, body };
}

/**
 * The same query for a poller: the body is checked as it streams in and not kept, so a client answering
 * thousands of queries a second does not collect its own garbage inside the timings. Returns the latency,
 * or why the answer was not a good one.
 */
export async function polledQuery(pool: Pool, name: string): Promise<{ ms: number } | { problem: string }> {
  const started = performance.now();
  const res = await pool.request({
    method: 'POST',
    path: `/api/kubernetes/services/${name}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entity: { kind: 'Component', metadata: { name, namespace: 'default' } } }),
  });
  let head = '';
  let clusterErrors = false;
  let tail = '';
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    if (head.length < 300) head += chunk.toString('utf8', 0, 300);
    // The marker may straddle two chunks: look at the end of the last one with this one.
    const text = tail + chunk.toString('latin1', 0, Math.min(chunk.length, ERRORS_MARKER.length - 1));
    clusterErrors ||= chunk.includes(ERRORS_MARKER) || text.includes(ERRORS_MARKER);
    tail = chunk.toString('latin1', Math.max(0, chunk.length - ERRORS_MARKER.length + 1));
  }
  const ms = performance.now() - started;
  if (res.statusCode !== 200) return { problem: `HTTP ${res.statusCode}: ${head.slice(0, 300)}` };
  if (clusterErrors) return { problem: `cluster errors: ${head.slice(0, 300)}` };
  return { ms };
}

// Every cluster item carries `"errors":[...]`; a non-empty one starts with an object.
const ERRORS_MARKER = '"errors":[{';

/** Why an answer is not a good one (not 200, or a cluster reported errors), or undefined. */
export function answerProblem(result: QueryResult): string | undefined {
  if (result.status !== 200) return `HTTP ${result.status}: ${result.body.toString('utf8', 0, 300)}`;
  if (result.body.includes(ERRORS_MARKER)) return `cluster errors: ${result.body.toString('utf8', 0, 300)}`;
  return undefined;
}
