import { Agent as HttpsAgent } from 'node:https';
import { describe, expect, it } from 'vitest';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import { UpstreamAgents } from './upstream-agents.ts';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const cluster = (name: string, extra: Partial<ClusterDetails> = {}): ClusterDetails => ({
  name,
  url: `https://${name}.example.com:6443`,
  authMetadata: {},
  skipTLSVerify: false,
  skipMetricsLookup: false,
  timeoutMs: 5000,
  mode: 'live',
  caData: CA,
  ...extra,
});
const bearer: Credential = { type: 'bearer token', token: 't' };
const cert = (who: string): Credential => ({
  type: 'x509 client certificate',
  cert: `cert-${who}`,
  key: `key-${who}`,
});

describe('UpstreamAgents', () => {
  it('reuses one agent per cluster and TLS identity, bearer tokens sharing it', () => {
    const agents = new UpstreamAgents({ maxSize: 10, ttlMs: 60_000 });
    const a = agents.agentFor(cluster('a'), bearer);
    expect(agents.agentFor(cluster('a'), { type: 'bearer token', token: 'other' })).toBe(a);
    expect(agents.agentFor(cluster('a'), { type: 'anonymous' })).toBe(a);
    expect(agents.agentFor(cluster('a', { skipTLSVerify: true }), bearer)).not.toBe(a);
    expect(agents.agentFor(cluster('b'), bearer)).not.toBe(a);
  });

  it('never shares a connection between two client certificates', () => {
    const agents = new UpstreamAgents({ maxSize: 10, ttlMs: 60_000 });
    const alice = agents.agentFor(cluster('a'), cert('alice'));
    expect(agents.agentFor(cluster('a'), cert('bob'))).not.toBe(alice);
    expect(agents.agentFor(cluster('a'), cert('alice'))).toBe(alice);
  });

  it('builds https agents with the cluster CA, verification and the certificate', () => {
    const agents = new UpstreamAgents({ maxSize: 10, ttlMs: 60_000 });
    const agent = agents.agentFor(cluster('a'), cert('alice')) as HttpsAgent;
    expect(agent).toBeInstanceOf(HttpsAgent);
    expect(agent.options).toMatchObject({
      rejectUnauthorized: true,
      ca: Buffer.from(CA, 'base64').toString('utf8'),
      cert: 'cert-alice',
      key: 'key-alice',
      keepAlive: true,
    });
    const plain = agents.agentFor(cluster('local', { url: 'http://127.0.0.1:8001' }), bearer);
    expect(plain).not.toBeInstanceOf(HttpsAgent);
  });

  it('keeps at most maxSize agents (proxy.middlewareCache.maxSize)', () => {
    const agents = new UpstreamAgents({ maxSize: 3, ttlMs: 60_000 });
    for (let i = 0; i < 10; i++) agents.agentFor(cluster(`c${i}`), bearer);
    expect(agents.size).toBe(3);
    agents.close();
    expect(agents.size).toBe(0);
  });
});
