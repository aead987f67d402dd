import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { loadConfig } from './load.ts';
import { createTempDir, type TempDir } from './test-support.ts';

/**
 * No configuration mistake may put a secret into an error: ConfigError messages reach logs and
 * terminals. Each row makes one secret-bearing value wrong and checks the error never repeats it.
 */
const MARK = 'S3CRETMARK';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir();
});
afterEach(() => tmp.remove());

const cluster = (lines: string, url = 'https://dev:6443') => `kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: dev
          url: ${url}
          authProvider: serviceAccount
${lines
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}
`;

describe('secrets never appear in config errors', () => {
  it.each([
    ['a serviceAccountToken of the wrong type', cluster(`serviceAccountToken: [${MARK}]`)],
    ['caData that is not base64', cluster(`caData: "${MARK} not base64!"`)],
    ['caData that is raw PEM', cluster(`caData: "-----BEGIN CERTIFICATE-----${MARK}"`)],
    ['caData that is base64 of something else', cluster(`caData: ${Buffer.from(MARK).toString('base64')}`)],
    [
      'an authMetadata token of the wrong type',
      cluster(`authMetadata: { serviceAccountToken: { x: ${MARK} } }`),
    ],
    ['a cluster url with credentials and a bad scheme', cluster('', `"ftp://admin:${MARK}@dev"`)],
    ['a cluster url that does not parse', cluster('', `"${MARK} https://"`)],
    [
      'a short static token',
      `backend:\n  auth:\n    externalAccess: [{ type: static, options: { token: ${MARK.slice(0, 6)}, subject: s } }]\n`,
    ],
    [
      'a static token with spaces',
      `backend:\n  auth:\n    externalAccess: [{ type: static, options: { token: "${MARK} x", subject: s } }]\n`,
    ],
    [
      'a catalog token of the wrong type',
      `stitchboard:\n  catalog: [{ type: backstage, endpoint: "https://bs", token: [${MARK}] }]\n`,
    ],
    ['google credentials of the wrong type', `kubernetes:\n  googleServiceAccountCredentials: [${MARK}]\n`],
    ['a YAML error on a token line', cluster(`serviceAccountToken: "${MARK}\n  bad: [`)],
    ['a YAML error right after a token', `a:\n  token: ${MARK}\n   b: c\n`],
    ['a $file whose path is a secret', cluster(`serviceAccountToken: { $file: "${MARK}.txt", extra: 1 }`)],
  ])('%s', async (_, yaml) => {
    await tmp.write('app-config.yaml', yaml);
    const error = await loadConfig(['app-config.yaml'], { cwd: tmp.path, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { message, issues } = error as ConfigError;
    expect(issues.length).toBeGreaterThan(0);
    expect(message).not.toContain(MARK);
    expect(JSON.stringify(issues)).not.toContain(MARK);
  });
});
