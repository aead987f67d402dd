import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expectOnlyError } from './test-support.ts';
import { validateConfig } from './validate.ts';

const TOKEN = 'replica-secret-0123456789';
const pg = { database: { client: 'pg', connection: 'postgres://stitchboard@db/stitchboard' } };
const validate = (replicas: unknown, backend: unknown = pg) =>
  validateConfig({ backend, stitchboard: { replicas } }, { cwd: '/srv' });

describe('stitchboard.replicas', () => {
  it('is absent unless set: one replica watches every cluster', () => {
    expect(validateConfig({ backend: pg }, { cwd: '/srv' }).config?.stitchboard.replicas).toBeUndefined();
  });

  it('fills the defaults: the host name as id, a 15 s lease', () => {
    const result = validate({ internalToken: TOKEN });
    expect(result.errors).toEqual([]);
    expect(result.config?.stitchboard.replicas).toEqual({
      id: hostname(),
      leaseTtlMs: 15_000,
      internalToken: TOKEN,
    });
  });

  it('reads every key, trimming the advertised URL’s trailing slash', () => {
    const result = validate({
      id: 'stitchboard-0',
      advertiseUrl: 'http://10.0.0.7:7007/',
      leaseTtl: '5s',
      internalToken: TOKEN,
    });
    expect(result.config?.stitchboard.replicas).toEqual({
      id: 'stitchboard-0',
      advertiseUrl: 'http://10.0.0.7:7007',
      leaseTtlMs: 5000,
      internalToken: TOKEN,
    });
  });

  it.each([
    [{}, 'stitchboard.replicas.internalToken', 'required'],
    [{ internalToken: 'short' }, 'stitchboard.replicas.internalToken', 'at least 16 characters'],
    [{ internalToken: TOKEN, id: 'has space' }, 'stitchboard.replicas.id', 'letters, digits'],
    [{ internalToken: TOKEN, advertiseUrl: 'replica:7007' }, 'stitchboard.replicas.advertiseUrl', 'http'],
    [{ internalToken: TOKEN, leaseTtl: 'soon' }, 'stitchboard.replicas.leaseTtl', 'duration'],
    [{ internalToken: TOKEN, leaseTtl: '200ms' }, 'stitchboard.replicas.leaseTtl', 'from 1s to 10m'],
    ['yes', 'stitchboard.replicas', 'object'],
  ])('refuses %j with an error at its path', (replicas, path, message) =>
    expectOnlyError(validate(replicas), path, message, TOKEN),
  );

  it('needs PostgreSQL', () => {
    const result = validate({ internalToken: TOKEN }, {});
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: 'stitchboard.replicas',
        message: expect.stringContaining('needs backend.database.client pg'),
      }),
    ]);
  });
});
