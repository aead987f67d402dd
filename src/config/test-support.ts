import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { ClusterLocatorMethodConfig } from './types.ts';
import type { ValidationResult } from './validate.ts';

/** Test fixtures shared by the config and CLI tests: real files in a fresh temp directory. */

export const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfake\n-----END CERTIFICATE-----\n';
export const PEM_BASE64 = Buffer.from(PEM).toString('base64');

export interface TempDir {
  path: string;
  /** Writes `text` at `name` (nested folders created) and returns the absolute path. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'stitchboard-config-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async write(name, text) {
      const file = join(path, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/**
 * `result` refuses the config with one error only, at `path`, its message containing (or, for a RegExp,
 * matching) `message`; and `secret` is in no error.
 */
export function expectOnlyError(
  result: ValidationResult,
  path: string,
  message: string | RegExp,
  secret: string,
): void {
  expect(result.config).toBeUndefined();
  expect(result.errors).toEqual([
    expect.objectContaining({
      path,
      message:
        typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
    }),
  ]);
  expect(JSON.stringify(result.errors)).not.toContain(secret);
}

/**
 * A multi-tenant `kubernetes` block listing `locators`, as a test writes it into an app-config file
 * (with `stringify` from `yaml`: the loader reads the file back as any YAML).
 */
export function multiTenant(...clusterLocatorMethods: Record<string, unknown>[]) {
  return { serviceLocatorMethod: { type: 'multiTenant' }, clusterLocatorMethods };
}

export type GkeLocator = Extract<ClusterLocatorMethodConfig, { type: 'gke' }>;

/** A gke locator as the schema fills it in: Backstage's defaults for every field `over` leaves out. */
export function gkeLocator(over: Partial<GkeLocator> = {}): GkeLocator {
  return {
    type: 'gke',
    projectId: 'proj-1',
    region: '-',
    authProvider: 'google',
    skipTLSVerify: false,
    skipMetricsLookup: false,
    exposeDashboard: false,
    matchingResourceLabels: [],
    endpointType: 'public',
    ...over,
  };
}
