import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOGLE_TOKEN_AUDIENCE, startFakeGoogle, type FakeGoogle } from '../../test/fakes/google.ts';
import { bearerTokenOf, cloudCluster } from '../../test/helpers/credentials.ts';
import { isStitchboardError } from '../errors/errors.ts';
import { GoogleServiceAccountStrategy } from './google-service-account.ts';

// googleServiceAccount through the real google-auth-library against Google's OAuth token endpoint on
// loopback, which verifies the JWT-bearer grant with the key's public half.
const EMAIL = 'stitchboard@proj-1.iam.gserviceaccount.com';
let google: FakeGoogle;
let dir: string;

beforeAll(async () => {
  google = await startFakeGoogle();
  dir = await mkdtemp(join(tmpdir(), 'sb-gsa-'));
});
afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

const cluster = cloudCluster('googleServiceAccount', 'gke-prod', 'https://203.0.113.10');
const tokenOf = (strategy: GoogleServiceAccountStrategy) => bearerTokenOf(strategy, cluster);

describe('googleServiceAccount provider', () => {
  it('exchanges a JWT-bearer grant signed with the configured key, with the cloud-platform scope', async () => {
    const key = google.serviceAccountKey(EMAIL);
    const before = google.grants.length;
    const token = await tokenOf(
      new GoogleServiceAccountStrategy({ credentialsJson: JSON.stringify(key), env: {} }),
    );
    const grants = google.grants.slice(before);
    expect(grants).toHaveLength(1);
    const grant = grants[0];
    expect(grant?.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(grant?.header).toEqual({ alg: 'RS256' });
    expect(grant?.claims).toMatchObject({
      iss: EMAIL,
      aud: GOOGLE_TOKEN_AUDIENCE,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
    const { iat, exp } = grant?.claims as { iat: number; exp: number };
    expect(exp - iat).toBe(3600);
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(60);
    expect(token).toBe(grant?.accessToken);
    expect(token).toMatch(/^ya29\./);
  });

  it('keeps the token until shortly before it expires', async () => {
    const strategy = new GoogleServiceAccountStrategy({
      credentialsJson: JSON.stringify(google.serviceAccountKey('cache@proj-1.iam.gserviceaccount.com')),
      env: {},
    });
    const before = google.grants.length;
    const first = await tokenOf(strategy);
    expect(await tokenOf(strategy)).toBe(first);
    expect(await tokenOf(strategy)).toBe(first);
    expect(google.grants.length - before).toBe(1);

    google.expiresIn = 60; // inside the library's five-minute renewal margin
    try {
      const short = new GoogleServiceAccountStrategy({
        credentialsJson: JSON.stringify(google.serviceAccountKey('short@proj-1.iam.gserviceaccount.com')),
        env: {},
      });
      const a = await tokenOf(short);
      const b = await tokenOf(short);
      expect(a).not.toBe(b);
    } finally {
      google.expiresIn = 3599;
    }
  });

  it('reads the key named by GOOGLE_APPLICATION_CREDENTIALS when none is configured', async () => {
    const file = join(dir, 'adc.json');
    await writeFile(file, JSON.stringify(google.serviceAccountKey('adc@proj-2.iam.gserviceaccount.com')));
    const before = google.grants.length;
    await tokenOf(new GoogleServiceAccountStrategy({ env: { GOOGLE_APPLICATION_CREDENTIALS: file } }));
    expect(google.grants.slice(before).map((g) => g.claims.iss)).toEqual([
      'adc@proj-2.iam.gserviceaccount.com',
    ]);
  });

  it('fails its cluster when Google rejects the key, without echoing the key', async () => {
    const key = google.serviceAccountKey('rotated@proj-1.iam.gserviceaccount.com');
    google.serviceAccountKey('rotated@proj-1.iam.gserviceaccount.com'); // a new key: the old one is no longer trusted
    const error = await new GoogleServiceAccountStrategy({ credentialsJson: JSON.stringify(key), env: {} })
      .getCredential(cluster)
      .catch((e: unknown) => e);
    expect(isStitchboardError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^cluster 'gke-prod': authProvider googleServiceAccount: no access token: kubernetes\.googleServiceAccountCredentials: .*invalid_grant/,
    );
    expect(message).not.toContain('PRIVATE KEY');
    expect(message).not.toContain(key.private_key_id);
  });

  it.each([
    ['not JSON', '{"type": "service_account", "private_key": "-----BEGIN', /not valid JSON/],
    ['an array', '[]', /expected a JSON object/],
    [
      'a key without private_key',
      JSON.stringify({ type: 'service_account', client_email: 'a@b' }),
      /no private_key/,
    ],
    [
      'a key with a bad token_uri',
      JSON.stringify({ type: 'service_account', client_email: 'a@b', private_key: 'k', token_uri: 'nope' }),
      /token_uri is not a URL/,
    ],
  ])('names the configured key as the culprit when it is %s', async (_label, json, problem) => {
    const error = await new GoogleServiceAccountStrategy({ credentialsJson: json, env: {} })
      .getCredential(cluster)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^cluster 'gke-prod': authProvider googleServiceAccount: /);
    expect((error as Error).message).toContain('kubernetes.googleServiceAccountCredentials');
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).not.toContain('BEGIN');
  });

  it('names GOOGLE_APPLICATION_CREDENTIALS when its file is missing', async () => {
    const error = await new GoogleServiceAccountStrategy({
      env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json') },
    })
      .getCredential(cluster)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /cluster 'gke-prod'.*GOOGLE_APPLICATION_CREDENTIALS: cannot read .*missing\.json/,
    );
  });
});
