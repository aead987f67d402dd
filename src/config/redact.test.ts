import { describe, expect, it } from 'vitest';
import { redactConfig, redactConnectionString, REDACTED } from './redact.ts';
import { PEM_BASE64 } from './test-support.ts';
import { validateConfig } from './validate.ts';

const MARK = 'S3CRET-MARK';

/** A config with a secret in every place one can be. */
function configWithSecrets() {
  const { config, errors } = validateConfig(
    {
      backend: {
        auth: { externalAccess: [{ type: 'static', options: { token: `${MARK}-access`, subject: 'ci' } }] },
        database: { client: 'pg', connection: `postgres://sb:${MARK}-pw@db:5432/sb` },
      },
      stitchboard: { catalog: [{ type: 'backstage', endpoint: 'https://bs', token: `${MARK}-catalog` }] },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'dev',
                url: 'https://dev:6443',
                authProvider: 'serviceAccount',
                serviceAccountToken: `${MARK}-sa`,
                caData: PEM_BASE64,
                authMetadata: { serviceAccountToken: `${MARK}-meta` },
              },
            ],
          },
        ],
        googleServiceAccountCredentials: `{"private_key":"${MARK}-gsa"}`,
      },
    },
    { cwd: '/srv' },
  );
  expect(errors).toEqual([]);
  if (!config) throw new Error('fixture config is invalid');
  return config;
}

describe('redactConfig', () => {
  it('leaves no secret in the copy', () => {
    const printed = JSON.stringify(redactConfig(configWithSecrets()));
    expect(printed).not.toContain(MARK);
    expect(printed).not.toContain(PEM_BASE64);
  });

  it('replaces each secret with [redacted] and keeps everything else', () => {
    const redacted = redactConfig(configWithSecrets());
    expect(redacted.backend.auth.externalAccess).toEqual([{ token: REDACTED, subject: 'ci' }]);
    expect(redacted.backend.database).toEqual({
      client: 'pg',
      connection: `postgres://sb:${REDACTED}@db:5432/sb`,
    });
    expect(redacted.stitchboard.catalog[0]).toEqual({
      type: 'backstage',
      endpoint: 'https://bs',
      token: REDACTED,
      insecureSkipVerify: false,
    });
    expect(redacted.kubernetes?.googleServiceAccountCredentials).toBe(REDACTED);
    const [locator] = redacted.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator?.type === 'config' && locator.clusters[0]).toMatchObject({
      name: 'dev',
      url: 'https://dev:6443',
      serviceAccountToken: REDACTED,
      caData: REDACTED,
      authMetadata: { serviceAccountToken: REDACTED },
    });
  });

  it('does not touch the original', () => {
    const config = configWithSecrets();
    redactConfig(config);
    expect(JSON.stringify(config)).toContain(MARK);
  });

  it('redacts a password inside a pg connection mapping', () => {
    const { config } = validateConfig(
      { backend: { database: { client: 'pg', connection: { host: 'db', password: MARK } } } },
      { cwd: '/srv' },
    );
    expect(JSON.stringify(redactConfig(config ?? ({} as never)))).not.toContain(MARK);
  });
});

describe('redactConnectionString', () => {
  it.each([
    [`postgres://u:${MARK}@h:5432/db?sslmode=require`, `postgres://u:${REDACTED}@h:5432/db?sslmode=require`],
    [`host=h password=${MARK} user=u`, `host=h password=${REDACTED} user=u`],
    [`password='${MARK} x' host=h`, `password=${REDACTED} host=h`],
    ['postgres://u@h/db', 'postgres://u@h/db'],
  ])('%s', (input, expected) => expect(redactConnectionString(input)).toBe(expected));
});
