import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Packages a deployment loads only when its configuration uses them: each is megabytes of heap. */
const ON_FIRST_USE = [
  '@google-cloud/container',
  'google-auth-library',
  '@azure/identity',
  '@aws-sdk/client-sts',
  '@aws-sdk/credential-provider-node',
  '@smithy/signature-v4',
  '@backstage/catalog-client',
  'pg',
];

describe('importing the app', () => {
  it('loads none of the cloud SDKs, the catalog client or pg', () => {
    // A fresh process, so nothing this test run imported counts; every resolved package is recorded.
    const script = `
      import { registerHooks } from 'node:module';
      const packages = new Set();
      registerHooks({
        resolve(specifier, context, next) {
          const result = next(specifier, context);
          const m = result.url.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//);
          if (m) packages.add(m[1]);
          return result;
        },
      });
      await import(${JSON.stringify(fileURLToPath(new URL('./app.ts', import.meta.url)))});
      process.stdout.write(JSON.stringify([...packages]));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const loaded = JSON.parse(output) as string[];
    expect(loaded).toContain('fastify'); // the hook saw the app's own dependencies
    expect(loaded.filter((p) => ON_FIRST_USE.includes(p))).toEqual([]);
  });
});
