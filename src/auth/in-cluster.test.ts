import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inClusterEnvironment } from './in-cluster.ts';

const mount = mkdtempSync(join(tmpdir(), 'sa-'));
writeFileSync(join(mount, 'token'), 'x');

describe('inClusterEnvironment', () => {
  it('reads the API server from KUBERNETES_SERVICE_HOST/PORT and the token and CA from the configured root', () => {
    const env = {
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_SERVICE_PORT: '6443',
      STITCHBOARD_SERVICEACCOUNT_DIR: mount,
    };
    expect(inClusterEnvironment(env)).toEqual({
      url: 'https://10.0.0.1:6443',
      tokenFile: join(mount, 'token'),
      caFile: join(mount, 'ca.crt'),
    });
  });

  it('brackets an IPv6 service host and defaults the port to 443', () => {
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', STITCHBOARD_SERVICEACCOUNT_DIR: mount };
    expect(inClusterEnvironment(env)?.url).toBe('https://[fd00::1]:443');
  });

  it("looks in the kubelet's default mount when no root is configured", () => {
    // This machine is no pod: nothing is mounted there, so it is not in-cluster.
    expect(inClusterEnvironment({ KUBERNETES_SERVICE_HOST: '10.0.0.1' })).toBeUndefined();
  });

  it('is not in-cluster without a service host, or without a token file', () => {
    expect(inClusterEnvironment({ STITCHBOARD_SERVICEACCOUNT_DIR: mount })).toBeUndefined();
    const empty = mkdtempSync(join(tmpdir(), 'sa-'));
    expect(
      inClusterEnvironment({ KUBERNETES_SERVICE_HOST: 'h', STITCHBOARD_SERVICEACCOUNT_DIR: empty }),
    ).toBeUndefined();
  });
});
