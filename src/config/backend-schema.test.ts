import { describe, expect, it } from 'vitest';
import { validateConfig } from './validate.ts';

const CWD = '/srv/stitchboard';
const validate = (backend: unknown, extra: Record<string, unknown> = {}) =>
  validateConfig({ backend, ...extra }, { cwd: CWD });
const access = (options: Record<string, unknown>, type = 'static') => ({
  auth: { externalAccess: [{ type, options }] },
});

describe('backend section', () => {
  it('fills the defaults', () => {
    const { config } = validate(undefined);
    expect(config?.backend).toEqual({
      listen: { host: '0.0.0.0', port: 7007 },
      auth: { externalAccess: [] },
      database: { client: 'sqlite', path: '/srv/stitchboard/.data/stitchboard.sqlite' },
      bodyLimit: 1024 * 1024,
    });
  });

  it.each([
    [{ port: 8080 }, { host: '0.0.0.0', port: 8080 }],
    [
      { port: '8080', host: '127.0.0.1' },
      { host: '127.0.0.1', port: 8080 },
    ],
    [':9000', { host: '0.0.0.0', port: 9000 }],
    ['127.0.0.1:9000', { host: '127.0.0.1', port: 9000 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    [{ port: 0 }, { host: '0.0.0.0', port: 0 }],
  ])('listen %j', (listen, expected) => {
    expect(validate({ listen }).config?.backend.listen).toEqual(expected);
  });

  it.each([
    [
      { client: 'better-sqlite3', connection: ':memory:' },
      { client: 'sqlite', path: ':memory:' },
    ],
    [
      { client: 'sqlite3', connection: { filename: '/var/lib/sb.db' } },
      { client: 'sqlite', path: '/var/lib/sb.db' },
    ],
    [
      { client: 'sqlite', connection: { directory: '/var/lib/sb' } },
      { client: 'sqlite', path: '/var/lib/sb/stitchboard.sqlite' },
    ],
    [
      { client: 'better-sqlite3', connection: 'db/sb.sqlite' },
      { client: 'sqlite', path: '/srv/stitchboard/db/sb.sqlite' },
    ],
    [{ client: 'better-sqlite3' }, { client: 'sqlite', path: '/srv/stitchboard/.data/stitchboard.sqlite' }],
    [
      { client: 'pg', connection: 'postgres://u:p@db:5432/sb' },
      { client: 'pg', connection: 'postgres://u:p@db:5432/sb' },
    ],
    [
      { client: 'pg', connection: { host: 'db', port: 5432, user: 'u', password: 'p' } },
      { client: 'pg', connection: { host: 'db', port: 5432, user: 'u', password: 'p' } },
    ],
  ])('database %j', (database, expected) => {
    expect(validate({ database }).config?.backend.database).toEqual(expected);
  });

  it('puts the default database under a configured dataDir', () => {
    const { config } = validate(undefined, { stitchboard: { dataDir: '/data' } });
    expect(config?.backend.database).toEqual({ client: 'sqlite', path: '/data/stitchboard.sqlite' });
  });

  it.each([
    [1000, 1000],
    ['5mb', 5 * 1024 * 1024],
  ])('bodyLimit %j', (bodyLimit, bytes) => {
    expect(validate({ bodyLimit }).config?.backend.bodyLimit).toBe(bytes);
  });

  it('turns static external access into tokens', () => {
    const { config } = validate(access({ token: 'abcdefgh1234', subject: 'ci-bot' }));
    expect(config?.backend.auth.externalAccess).toEqual([{ token: 'abcdefgh1234', subject: 'ci-bot' }]);
  });

  it.each([
    ['a port out of range', { listen: { port: 70000 } }, 'backend.listen.port', /at most 65535/],
    [
      'a port that is not a number',
      { listen: { port: 'http' } },
      'backend.listen.port',
      /expected number, received string/,
    ],
    ['a fractional port', { listen: { port: 80.5 } }, 'backend.listen.port', /must be a whole number/],
    [
      'a short token',
      access({ token: 'short', subject: 's' }),
      'backend.auth.externalAccess[0].options.token',
      /at least 8 characters/,
    ],
    [
      'a token with spaces',
      access({ token: 'has some spaces', subject: 's' }),
      'backend.auth.externalAccess[0].options.token',
      /whitespace/,
    ],
    [
      'a token of the wrong type',
      access({ token: 12345678, subject: 's' }),
      'backend.auth.externalAccess[0].options.token',
      /expected string, received number/,
    ],
    [
      'no subject',
      access({ token: 'abcdefgh1234' }),
      'backend.auth.externalAccess[0].options.subject',
      /^required$/,
    ],
    [
      'a legacy access type',
      access({ secret: 'x' }, 'legacy'),
      'backend.auth.externalAccess[0].type',
      /"legacy" is not supported yet \(only "static"\)/,
    ],
    [
      'a jwks access type',
      access({ url: 'x' }, 'jwks'),
      'backend.auth.externalAccess[0].type',
      /"jwks" is not supported yet/,
    ],
    [
      'an unknown database client',
      { database: { client: 'mysql' } },
      'backend.database.client',
      /unknown database client "mysql"/,
    ],
    [
      'pg without a connection',
      { database: { client: 'pg' } },
      'backend.database.connection',
      /required for client pg/,
    ],
    [
      'a sqlite mapping without filename',
      { database: { client: 'sqlite', connection: { host: 'x' } } },
      'backend.database.connection',
      /needs "filename" or "directory"/,
    ],
    [
      'a database without a client',
      { database: { connection: ':memory:' } },
      'backend.database.client',
      /^required/,
    ],
    ['a bad bodyLimit', { bodyLimit: 'lots' }, 'backend.bodyLimit', /positive number of bytes/],
  ])('rejects %s', (_, backend, path, message) => {
    const { errors } = validate(backend);
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('warns that accessRestrictions are not enforced', () => {
    const { warnings } = validate({
      auth: {
        externalAccess: [
          { type: 'static', options: { token: 'abcdefgh1234', subject: 's' }, accessRestrictions: [] },
        ],
      },
    });
    expect(warnings).toContainEqual({
      path: 'backend.auth.externalAccess[0].accessRestrictions',
      message: expect.stringMatching(/not enforced/),
    });
  });
});
