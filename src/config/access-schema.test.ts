import { describe, expect, it } from 'vitest';
import { validateConfig } from './validate.ts';

const validate = (stitchboard: unknown) => validateConfig({ stitchboard }, { cwd: '/srv' });
const ISSUER = 'https://backstage.example.com/api/auth';

describe('stitchboard.auth.backstageTokens', () => {
  it('derives the JWKS and userinfo URLs from the issuer and fills Backstage defaults', () => {
    const { config, errors } = validate({ auth: { backstageTokens: { issuer: ISSUER } } });
    expect(errors).toEqual([]);
    expect(config?.stitchboard.auth).toEqual({
      backstageTokens: {
        issuer: ISSUER,
        jwksUrl: `${ISSUER}/.well-known/jwks.json`,
        audience: 'backstage',
        algorithms: ['ES256'],
        userInfoUrl: `${ISSUER}/v1/userinfo`,
      },
    });
  });

  it('keeps what is set', () => {
    const settings = {
      issuer: `${ISSUER}/`,
      jwksUrl: 'http://backstage.internal:7007/api/auth/.well-known/jwks.json',
      audience: 'my-backstage',
      algorithms: ['RS256', 'ES256'],
      userInfoUrl: 'http://backstage.internal:7007/api/auth/v1/userinfo',
    };
    expect(
      validate({ auth: { backstageTokens: settings } }).config?.stitchboard.auth?.backstageTokens,
    ).toEqual(settings);
  });

  it('is absent unless configured', () => {
    expect(validate({}).config?.stitchboard).not.toHaveProperty('auth');
  });

  it.each([
    [{}, 'stitchboard.auth.backstageTokens.issuer', 'required'],
    [{ issuer: 'backstage' }, 'stitchboard.auth.backstageTokens.issuer', 'not a valid URL'],
    [
      { issuer: ISSUER, jwksUrl: 'ftp://x/jwks' },
      'stitchboard.auth.backstageTokens.jwksUrl',
      'must be an http or https URL',
    ],
    [
      { issuer: ISSUER, algorithms: ['HS256'] },
      'stitchboard.auth.backstageTokens.algorithms[0]',
      'unknown algorithm "HS256"',
    ],
    [
      { issuer: ISSUER, algorithms: ['none'] },
      'stitchboard.auth.backstageTokens.algorithms[0]',
      'unknown algorithm',
    ],
    [{ issuer: ISSUER, algorithms: [] }, 'stitchboard.auth.backstageTokens.algorithms', 'at least 1'],
  ])('%j is refused at %s', (settings, path, message) => {
    const { errors } = validate({ auth: { backstageTokens: settings } });
    expect(errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('warns about a misspelt key', () => {
    const { warnings } = validate({ auth: { backstageTokens: { issuer: ISSUER, jwksURL: 'http://x' } } });
    expect(warnings).toContainEqual({
      path: 'stitchboard.auth.backstageTokens.jwksURL',
      message: expect.stringContaining('did you mean "jwksUrl"'),
    });
  });
});

describe('stitchboard.permissions', () => {
  it('normalises refs the way tokens carry them and expands "*"', () => {
    const { config, errors } = validate({
      permissions: [
        {
          allow: ['kubernetes.proxy'],
          users: ['user:Alice', 'user:ops/bob', 'ci-bot'],
          groups: ['sre', 'Group:Ops/DBA'],
        },
        { allow: ['*'], users: ['*'] },
      ],
    });
    expect(errors).toEqual([]);
    expect(config?.stitchboard.permissions).toEqual([
      {
        allow: ['kubernetes.proxy'],
        users: ['user:default/alice', 'user:ops/bob', 'ci-bot'],
        groups: ['group:default/sre', 'group:ops/dba'],
      },
      {
        allow: [
          'kubernetes.clusters.read',
          'kubernetes.resources.read',
          'kubernetes.proxy',
          'stitchboard.read',
          'stitchboard.admin',
        ],
        users: ['*'],
        groups: [],
      },
    ]);
  });

  it('gives stitchboard.admin the read it changes', () => {
    const { config } = validate({ permissions: [{ allow: ['stitchboard.admin'], users: ['*'] }] });
    expect(config?.stitchboard.permissions?.[0]?.allow).toEqual(['stitchboard.admin', 'stitchboard.read']);
  });

  it('warns about a users entry that is no user ref and no static token subject: it matches nobody', () => {
    const { config, warnings } = validateConfig(
      {
        backend: {
          auth: {
            externalAccess: [{ type: 'static', options: { token: 'a-long-token-1', subject: 'ci-bot' } }],
          },
        },
        stitchboard: { permissions: [{ allow: ['stitchboard.read'], users: ['ci-bot', 'ci-bto'] }] },
      },
      { cwd: '/srv' },
    );
    expect(config).toBeDefined();
    expect(warnings).toEqual([
      {
        path: 'stitchboard.permissions[0].users[1]',
        message: expect.stringContaining('no backend.auth.externalAccess token has the subject "ci-bto"'),
      },
    ]);
  });

  it('is absent unless configured (every caller is allowed)', () => {
    expect(validate({}).config?.stitchboard).not.toHaveProperty('permissions');
  });

  it('warns that an empty list allows nobody', () => {
    const { config, warnings } = validate({ permissions: [] });
    expect(config?.stitchboard.permissions).toEqual([]);
    expect(warnings).toContainEqual({
      path: 'stitchboard.permissions',
      message: expect.stringContaining('allows nobody'),
    });
  });

  it.each([
    [{ allow: ['kubernetes.read'], users: ['*'] }, '.allow[0]', 'unknown permission "kubernetes.read"'],
    [{ allow: [], users: ['*'] }, '.allow', 'at least 1'],
    [{ users: ['*'] }, '.allow', 'required'],
    [{ allow: ['kubernetes.proxy'] }, '', 'names nobody'],
    [{ allow: ['kubernetes.proxy'], users: [], groups: [] }, '', 'names nobody'],
    [{ allow: ['kubernetes.proxy'], groups: ['*'] }, '.groups[0]', '"*" is not allowed in groups'],
    [{ allow: ['kubernetes.proxy'], groups: ['group:ops/'] }, '.groups[0]', 'is not an entity ref'],
    [{ allow: ['stitchboard.write'], users: ['*'] }, '.allow[0]', 'unknown permission "stitchboard.write"'],
    [
      { allow: ['stitchboard.admin'], users: ['group:default/sre'] },
      '.users[0]',
      'is a group ref: users takes user refs (user:namespace/name), static-token subjects or "*"; put group refs under groups',
    ],
    [
      { allow: ['stitchboard.admin'], groups: ['component:default/cart'] },
      '.groups[0]',
      'is a component ref: groups takes group or user refs',
    ],
    [{ allow: ['kubernetes.proxy'], users: ['user:'] }, '.users[0]', 'is not an entity ref'],
    [{ allow: ['kubernetes.proxy'], users: [''] }, '.users[0]', 'must not be empty'],
  ])('%j is refused at stitchboard.permissions[0]%s', (rule, at, message) => {
    const { errors } = validate({ permissions: [rule] });
    expect(errors).toContainEqual({
      path: `stitchboard.permissions[0]${at}`,
      message: expect.stringContaining(message),
    });
  });

  it('reports a bad permission and a rule naming nobody in one run', () => {
    const { errors } = validate({ permissions: [{ allow: ['kubernetes.nope'] }] });
    expect(errors.map((e) => e.path)).toEqual([
      'stitchboard.permissions[0]',
      'stitchboard.permissions[0].allow[0]',
    ]);
  });
});
