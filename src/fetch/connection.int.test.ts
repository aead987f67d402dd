import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { labClusterDetails } from '../../test/helpers/engine.ts';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import type { KubeObject } from '../contract/kubernetes.ts';
import { isStitchboardError } from '../errors/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { SecretApi } from '../stitching/secret-api.ts';
import { ClusterConnections } from './connection.ts';

// The general cluster request against a real kube-apiserver: the URL and auth header it sends, the CA it
// trusts, its own timeout and the caller's deadline, and a credential that never leaves it.
const { alpha } = testClusters();
const ns = uniqueNamespace('connection');
const cluster: ClusterDetails = labClusterDetails(alpha.info, { timeoutMs: 5000, mode: 'live' });
const admin: Credential = { type: 'bearer token', token: alpha.info.adminToken };
const readonly: Credential = { type: 'bearer token', token: alpha.info.readonlyToken };
const WRONG_TOKEN = 'not-a-token-0123456789abcdef';
const connections = new ClusterConnections();

const secret = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns },
  stringData: { token: 'value' },
});

beforeAll(async () => {
  await alpha.client.ensureNamespace(ns);
});
afterAll(async () => {
  await connections.close();
});

describe('ClusterConnections.request', () => {
  it('sends the bearer token and trusts the cluster CA from caData or caFile', async () => {
    const path = `/api/v1/namespaces/${ns}`;
    const viaData = await connections.request<KubeObject>(cluster, path, { credential: admin });
    expect(viaData).toMatchObject({ ok: true, body: { metadata: { name: ns } } });

    const fromFile = { ...cluster, caData: undefined, caFile: alpha.info.caFile };
    const viaFile = await connections.request<KubeObject>(fromFile, path, { credential: admin });
    expect(viaFile).toMatchObject({ ok: true, body: { metadata: { name: ns } } });
  });

  it('refuses a server its CA does not vouch for, unless skipTLSVerify', async () => {
    const noCa = { ...cluster, caData: undefined, caFile: undefined };
    const answer = await connections.request(noCa, '/api', { credential: admin, timeoutMs: 5000 });
    expect(answer).toMatchObject({ ok: false, error: { errorType: 'FETCH_ERROR' } });
    expect(answer.ok ? '' : (answer.error as { message: string }).message).toMatch(
      /TLS verification failed for cluster 'alpha'.*check caData\/caFile/,
    );

    const skip = { ...noCa, skipTLSVerify: true };
    expect(await connections.request(skip, '/api', { credential: admin })).toMatchObject({ ok: true });
  });

  it('posts a JSON body and answers statuses as Backstage errorTypes', async () => {
    const path = `/api/v1/namespaces/${ns}/secrets`;
    const created = await connections.request<KubeObject>(cluster, path, {
      method: 'POST',
      credential: admin,
      body: secret('made'),
    });
    expect(created).toMatchObject({ ok: true, body: { metadata: { name: 'made', namespace: ns } } });
    const again = await connections.request(cluster, path, {
      method: 'POST',
      credential: admin,
      body: secret('made'),
    });
    expect(again).toEqual({
      ok: false,
      error: { errorType: 'UNKNOWN_ERROR', statusCode: 409, resourcePath: path },
    });
    const refused = await connections.request(cluster, path, {
      method: 'POST',
      credential: readonly,
      body: secret('refused'),
    });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
    const listed = await connections.request<{ items: KubeObject[] }>(cluster, path, {
      credential: readonly,
      query: { fieldSelector: 'metadata.name=made' },
    });
    expect(listed.ok && listed.body.items.map((s) => s.metadata?.name)).toEqual(['made']);
  });

  it('answers a FETCH_ERROR when the cluster does not answer within timeoutMs', async () => {
    // A watch answers its headers and then streams for minutes: the JSON body never completes.
    const started = Date.now();
    const answer = await connections.request(cluster, `/api/v1/namespaces/${ns}/secrets`, {
      credential: admin,
      query: { watch: '1', timeoutSeconds: '60' },
      timeoutMs: 400,
    });
    expect(answer).toEqual({
      ok: false,
      error: { errorType: 'FETCH_ERROR', message: "cluster 'alpha' did not answer within 400 ms" },
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('holds the timeout even when the TLS handshake never completes', async () => {
    const silent = await silentServer();
    try {
      const hung = { ...cluster, url: silent.url, timeoutMs: 60_000 };
      const started = Date.now();
      const answer = await connections.request(hung, '/api', { credential: admin, timeoutMs: 300 });
      expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/within 300 ms/) } });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await silent.close();
    }
  });

  it("throws the caller's abort reason rather than answering", async () => {
    const deadline = AbortSignal.timeout(300);
    const pending = connections.request(cluster, `/api/v1/namespaces/${ns}/secrets`, {
      credential: admin,
      query: { watch: '1', timeoutSeconds: '60' },
      signal: deadline,
      timeoutMs: 10_000,
    });
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('never lets the credential into an answer, an error or a log line', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream,
    });
    const wrong: Credential = { type: 'bearer token', token: WRONG_TOKEN };
    const noCa = { ...cluster, caData: undefined };
    const answers = [
      await connections.request(cluster, '/api', { credential: wrong }),
      await connections.request(noCa, '/api', { credential: wrong }),
      await connections.request(cluster, `/api/v1/namespaces/${ns}/secrets`, {
        credential: wrong,
        query: { watch: '1' },
        timeoutMs: 300,
      }),
    ];
    expect(answers[0]).toMatchObject({
      ok: false,
      error: { errorType: 'UNAUTHORIZED_ERROR', statusCode: 401 },
    });
    const secrets = new SecretApi(connections, { timeoutMs: 2000 });
    const errors: unknown[] = [];
    for (const target of [
      { cluster, credential: wrong },
      { cluster: noCa, credential: wrong },
    ]) {
      await secrets.create(target, secret('never')).catch((e: unknown) => errors.push(e));
      await secrets.get(target, ns, 'made').catch((e: unknown) => errors.push(e));
    }
    expect(errors).toHaveLength(4);
    for (const error of errors) {
      expect(isStitchboardError(error)).toBe(true);
      logger.warn({ err: error }, 'secret request failed');
    }
    for (const answer of answers) logger.warn({ answer }, 'cluster answer');
    const seen = [
      ...lines,
      ...answers.map((a) => JSON.stringify(a)),
      ...errors.map((e) => `${(e as Error).message} ${(e as Error).stack} ${JSON.stringify(e)}`),
    ].join('\n');
    expect(lines.length).toBe(errors.length + answers.length);
    expect(seen).toContain('rejected');
    expect(seen).not.toContain(WRONG_TOKEN);
    expect(seen).not.toContain(alpha.info.adminToken);
    expect(seen).not.toMatch(/bearer/i);
  });
});

/** A TCP server that accepts connections and never says a word: a TLS handshake on it hangs. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
