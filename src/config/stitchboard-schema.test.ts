import { describe, expect, it } from 'vitest';
import { validateConfig } from './validate.ts';

const CWD = '/srv/stitchboard';
const validate = (stitchboard: unknown, extra: Record<string, unknown> = {}) =>
  validateConfig({ stitchboard, ...extra }, { cwd: CWD });
const oneCluster = (name: string) => ({
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      { type: 'config', clusters: [{ name, url: 'https://k:6443', authProvider: 'serviceAccount' }] },
    ],
  },
});

describe('stitchboard section', () => {
  it('fills the defaults', () => {
    expect(validate(undefined).config?.stitchboard).toEqual({
      dataDir: '/srv/stitchboard/.data',
      catalog: [],
      kubernetes: {
        timeoutMs: 5000,
        mode: 'live',
        clusters: {},
        gkeRefreshIntervalMs: 3_600_000,
        watchStaleAfterMs: 30_000,
        watchIdleTimeoutMs: 180_000,
      },
    });
  });

  it.each([
    ['10m', 600_000],
    [90_000, 90_000],
  ])('reads gkeRefreshInterval %s', (value, ms) => {
    const result = validate({ kubernetes: { gkeRefreshInterval: value } });
    expect(result.config?.stitchboard.kubernetes.gkeRefreshIntervalMs).toBe(ms);
  });

  it.each([
    ['45s', 45_000],
    [2000, 2000],
  ])('reads watchStaleAfter %j as %d ms', (value, ms) => {
    const result = validateConfig(
      { stitchboard: { kubernetes: { watchStaleAfter: value } } },
      { cwd: '/tmp' },
    );
    expect(result.errors).toEqual([]);
    expect(result.config?.stitchboard.kubernetes.watchStaleAfterMs).toBe(ms);
  });

  it('reads watchIdleTimeout, and refuses one that is not a duration or is under 5s, with its path', () => {
    const config = (value: unknown) =>
      validateConfig({ stitchboard: { kubernetes: { watchIdleTimeout: value } } }, { cwd: '/tmp' });
    expect(config('90s').config?.stitchboard.kubernetes.watchIdleTimeoutMs).toBe(90_000);
    expect(config(undefined).config?.stitchboard.kubernetes.watchIdleTimeoutMs).toBe(180_000);
    for (const [bad, message] of [
      ['soon', /expected a positive number of milliseconds or a duration/],
      ['1s', /expected at least 5s/],
      [true, /expected number or duration, received boolean/],
    ] as const) {
      expect(config(bad).errors).toEqual([
        expect.objectContaining({
          path: 'stitchboard.kubernetes.watchIdleTimeout',
          message: expect.stringMatching(message),
        }),
      ]);
    }
  });

  it('refuses a gkeRefreshInterval that is not a duration', () => {
    expect(validate({ kubernetes: { gkeRefreshInterval: 'hourly' } }).errors).toEqual([
      expect.objectContaining({ path: 'stitchboard.kubernetes.gkeRefreshInterval' }),
    ]);
  });

  it.each([
    [
      { type: 'file', path: 'catalog.yaml' },
      { type: 'file', paths: ['/srv/stitchboard/catalog.yaml'] },
    ],
    [
      { type: 'file', paths: ['a.yaml', '/abs/b'] },
      { type: 'file', paths: ['/srv/stitchboard/a.yaml', '/abs/b'] },
    ],
    [
      { type: 'file', path: 'a', paths: ['b'] },
      { type: 'file', paths: ['/srv/stitchboard/a', '/srv/stitchboard/b'] },
    ],
    [
      { type: 'backstage', endpoint: 'http://bs:7007' },
      { type: 'backstage', endpoint: 'http://bs:7007', insecureSkipVerify: false },
    ],
    [
      { type: 'backstage', endpoint: 'https://bs', token: 'abc', insecure_skip_verify: true },
      { type: 'backstage', endpoint: 'https://bs', token: 'abc', insecureSkipVerify: true },
    ],
    [
      { type: 'backstage', endpoint: 'https://bs', insecureSkipVerify: 'true' },
      { type: 'backstage', endpoint: 'https://bs', insecureSkipVerify: true },
    ],
  ])('catalog %j', (source, expected) => {
    expect(validate({ catalog: [source] }).config?.stitchboard.catalog).toEqual([expected]);
  });

  it.each([
    [5000, 5000],
    ['250ms', 250],
    ['5s', 5000],
    ['2m', 120_000],
    ['1500', 1500],
  ])('timeout %j → %d ms', (timeout, ms) => {
    expect(validate({ kubernetes: { timeout } }).config?.stitchboard.kubernetes.timeoutMs).toBe(ms);
  });

  it('keeps per-cluster overrides', () => {
    const { config, warnings } = validate(
      { kubernetes: { mode: 'watch', clusters: { prod: { timeout: '10s' }, dev: { mode: 'live' } } } },
      {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                { name: 'prod', url: 'https://p:6443', authProvider: 'serviceAccount' },
                { name: 'dev', url: 'https://d:6443', authProvider: 'serviceAccount' },
              ],
            },
          ],
        },
      },
    );
    expect(warnings).toEqual([]);
    expect(config?.stitchboard.kubernetes).toEqual({
      timeoutMs: 5000,
      mode: 'watch',
      clusters: { prod: { timeoutMs: 10_000 }, dev: { mode: 'live' } },
      gkeRefreshIntervalMs: 3_600_000,
      watchStaleAfterMs: 30_000,
      watchIdleTimeoutMs: 180_000,
    });
  });

  it.each([
    [
      'a file source without a path',
      { catalog: [{ type: 'file' }] },
      'stitchboard.catalog[0].path',
      /set "path" or "paths"/,
    ],
    [
      'an unknown catalog type',
      { catalog: [{ type: 'git' }] },
      'stitchboard.catalog[0].type',
      /unknown catalog type "git" \(expected one of: file, backstage\)/,
    ],
    [
      'a backstage source without an endpoint',
      { catalog: [{ type: 'backstage' }] },
      'stitchboard.catalog[0].endpoint',
      /^required$/,
    ],
    [
      'a non-http endpoint',
      { catalog: [{ type: 'backstage', endpoint: 'grpc://bs' }] },
      'stitchboard.catalog[0].endpoint',
      /http or https URL, not grpc/,
    ],
    [
      'a bad timeout',
      { kubernetes: { timeout: 'soon' } },
      'stitchboard.kubernetes.timeout',
      /duration such as "500ms"/,
    ],
    ['a zero timeout', { kubernetes: { timeout: 0 } }, 'stitchboard.kubernetes.timeout', /positive number/],
    [
      'an unknown mode',
      { kubernetes: { mode: 'poll' } },
      'stitchboard.kubernetes.mode',
      /unknown mode "poll" \(expected one of: live, watch\)/,
    ],
    [
      'a bad per-cluster timeout',
      { kubernetes: { clusters: { a: { timeout: [] } } } },
      'stitchboard.kubernetes.clusters.a.timeout',
      /expected number or duration, received array/,
    ],
    [
      'a dataDir of the wrong type',
      { dataDir: 5 },
      'stitchboard.dataDir',
      /expected string, received number/,
    ],
  ])('rejects %s', (_, stitchboard, path, message) => {
    expect(validate(stitchboard).errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it.each([
    [
      'a trailing slash on the endpoint',
      { catalog: [{ type: 'backstage', endpoint: 'http://bs:7007/' }] },
      'stitchboard.catalog[0].endpoint',
      /trailing "\/" removed/,
    ],
    [
      'insecure catalog TLS',
      { catalog: [{ type: 'backstage', endpoint: 'https://bs', insecureSkipVerify: true }] },
      'stitchboard.catalog[0].insecureSkipVerify',
      /TLS verification of the catalog is off/,
    ],
    [
      'an override for a cluster no locator defines',
      { kubernetes: { clusters: { prdo: { mode: 'watch' } } } },
      'stitchboard.kubernetes.clusters.prdo',
      /no cluster named "prdo"/,
    ],
    [
      'a misspelt key',
      { kubernetes: { timout: 5 } },
      'stitchboard.kubernetes.timout',
      /did you mean "timeout"/,
    ],
  ])('warns about %s', (_, stitchboard, path, message) => {
    const { warnings, errors } = validate(stitchboard, oneCluster('prod'));
    expect(errors).toEqual([]);
    expect(warnings).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('trims the trailing slash it warns about', () => {
    const { config } = validate({ catalog: [{ type: 'backstage', endpoint: 'http://bs:7007/api//' }] });
    expect(config?.stitchboard.catalog[0]).toMatchObject({ endpoint: 'http://bs:7007/api' });
  });

  it('does not warn about an override for the localKubectlProxy cluster', () => {
    const { warnings } = validate(
      { kubernetes: { clusters: { local: { timeout: 100 } } } },
      {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [{ type: 'localKubectlProxy' }],
        },
      },
    );
    expect(warnings).toEqual([]);
  });
});
