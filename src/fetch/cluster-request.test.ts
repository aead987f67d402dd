import { describe, expect, it } from 'vitest';
import type { Credential } from '../auth/types.ts';
import { cloudCluster } from '../../test/helpers/credentials.ts';
import { ClusterAgents } from './cluster-request.ts';

const cluster = (name: string) => cloudCluster('serviceAccount', name, `https://${name}.example.com:6443`);
const token: Credential = { type: 'bearer token', token: 't' };

describe('ClusterAgents.renew', () => {
  it('replaces an agent opened before the silence, keeps a newer one, and leaves other clusters alone', async () => {
    const agents = new ClusterAgents();
    const alpha = agents.agentFor(cluster('alpha'), token);
    const beta = agents.agentFor(cluster('beta'), token);
    expect(agents.agentFor(cluster('alpha'), token)).toBe(alpha);

    agents.renew(cluster('alpha'), token, Date.now() - 60_000);
    expect(agents.agentFor(cluster('alpha'), token)).toBe(alpha);

    agents.renew(cluster('alpha'), token, Date.now() + 1);
    const fresh = agents.agentFor(cluster('alpha'), token);
    expect(fresh).not.toBe(alpha);
    expect(alpha.closed).toBe(true);
    expect(agents.agentFor(cluster('beta'), token)).toBe(beta);
    await agents.close({ graceful: false });
  });
});
