import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Pool } from 'undici';

/** What Chromium sends, as Backstage's Kubernetes tab in a browser does. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface QueryResult {
  /** From sending the request to the last byte of the body (the client's decoding and checks are not timed). */
  ms: number;
  status: number;
  /** The body as it came over the wire, compressed when `encoding` says so. */
  body: Buffer;
  /** `Content-Encoding`, when the body is compressed. */
  encoding: string | undefined;
}

/**
 * One `POST /api/kubernetes/services/<name>`, exactly what Backstage's Kubernetes tab sends, with
 * `Accept-Encoding: acceptEncoding` unless it is `identity`. With `previous`, a body of the same bytes is
 * returned as that very buffer, so a repeated answer allocates no copy of itself (the chunks as they
 * arrive are compared and dropped).
 */
export async function timedQuery(
  pool: Pool,
  name: string,
  options: { acceptEncoding: string; previous?: Buffer | undefined },
): Promise<QueryResult> {
  const started = performance.now();
  const res = await pool.request(queryRequest(name, options.acceptEncoding));
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
  return { ms, status: res.statusCode, body, encoding: contentEncoding(res.headers) };
}

/**
 * The same query for a poller, which keeps no body it need not: an uncompressed one is checked as it
 * streams in and dropped (a kept copy of every 166 KiB body made the poller collect garbage inside its own
 * timings), a compressed one (a few KiB) is kept per component as `known` and decoded and checked only
 * when its bytes differ from the last good one. Returns the latency, or why the answer was not a good one.
 */
export async function polledQuery(
  pool: Pool,
  name: string,
  options: { acceptEncoding: string; known: Map<string, Buffer> },
): Promise<{ ms: number } | { problem: string }> {
  const started = performance.now();
  const res = await pool.request(queryRequest(name, options.acceptEncoding));
  const encoding = contentEncoding(res.headers);
  if (encoding) {
    const result = await collectBody(res.body as AsyncIterable<Buffer>, started);
    const known = options.known.get(name);
    if (known?.equals(result.body) && res.statusCode === 200) return { ms: result.ms };
    const problem = answerProblem({ ...result, status: res.statusCode, encoding });
    if (problem) return { problem };
    options.known.set(name, result.body);
    return { ms: result.ms };
  }
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

/** A whole body and the time from `started` to its last byte. */
async function collectBody(
  body: AsyncIterable<Buffer>,
  started: number,
): Promise<{ ms: number; body: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return { ms: performance.now() - started, body: Buffer.concat(chunks) };
}

function queryRequest(name: string, acceptEncoding: string) {
  return {
    method: 'POST' as const,
    path: `/api/kubernetes/services/${name}`,
    headers: {
      'content-type': 'application/json',
      ...(acceptEncoding === 'identity' ? {} : { 'accept-encoding': acceptEncoding }),
    },
    body: JSON.stringify({ entity: { kind: 'Component', metadata: { name, namespace: 'default' } } }),
  };
}

function contentEncoding(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers['content-encoding'];
  return typeof value === 'string' && value !== 'identity' ? value : undefined;
}

/** The body as JSON text: decoded when it came compressed. */
export function decodedBody(result: Pick<QueryResult, 'body' | 'encoding'>): Buffer {
  if (result.encoding === undefined) return result.body;
  if (result.encoding === 'br') return brotliDecompressSync(result.body);
  if (result.encoding === 'gzip') return gunzipSync(result.body);
  throw new Error(`unexpected Content-Encoding: ${result.encoding}`);
}

// Every cluster item carries `"errors":[...]`; a non-empty one starts with an object.
const ERRORS_MARKER = '"errors":[{';

/** Why an answer is not a good one (not 200, or a cluster reported errors), or undefined. */
export function answerProblem(result: Pick<QueryResult, 'status' | 'body' | 'encoding'>): string | undefined {
  const text = decodedBody(result);
  if (result.status !== 200) return `HTTP ${result.status}: ${text.toString('utf8', 0, 300)}`;
  if (text.includes(ERRORS_MARKER)) return `cluster errors: ${text.toString('utf8', 0, 300)}`;
  return undefined;
}
