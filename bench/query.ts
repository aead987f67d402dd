import type { Pool } from 'undici';

export interface QueryResult {
  /** From sending the request to the last byte of the body (the client's JSON parse is not counted). */
  ms: number;
  status: number;
  body: Buffer;
}

/** One `POST /api/kubernetes/services/<name>`, exactly what Backstage's Kubernetes tab sends. */
export async function timedQuery(
  pool: Pool,
  name: string,
  headers: Record<string, string> = {},
): Promise<QueryResult> {
  const started = performance.now();
  const res = await pool.request({
    method: 'POST',
    path: `/api/kubernetes/services/${name}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ entity: { kind: 'Component', metadata: { name, namespace: 'default' } } }),
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { ms: performance.now() - started, status: res.statusCode, body };
}

/** Why an answer is not a good one (not 200, or a cluster reported errors), or undefined. */
export function answerProblem(result: QueryResult): string | undefined {
  if (result.status !== 200) return `HTTP ${result.status}: ${result.body.toString('utf8', 0, 300)}`;
  // Every cluster item carries `"errors":[...]`; a non-empty one starts with an object.
  if (result.body.includes('"errors":[{')) return `cluster errors: ${result.body.toString('utf8', 0, 300)}`;
  return undefined;
}
