import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { cacheHealth } from './cache-health.ts';
import { registerCacheMetrics } from './cache-metrics.ts';
import { cacheStat } from './test-support.ts';

const stat = cacheStat;

describe('registerCacheMetrics', () => {
  it('exposes the current stats at each scrape', async () => {
    const registry = new Registry();
    let stats = [
      stat({
        objects: 5000,
        approxBytes: 4_200_000,
        watchRestarts: 2,
        relists: 1,
        servedFromCache: 40,
        servedLive: 1,
        subscribers: 2,
        lastEventAt: 1_700_000_000_000,
      }),
      stat({ cluster: 'beta', resource: 'batch/v1/cronjobs', synced: false, failureStatus: 404 }),
    ];
    registerCacheMetrics(registry, () => stats);
    const text = await registry.metrics();
    expect(text).toContain('stitchboard_watch_cache_objects{cluster="alpha",resource="core/v1/pods"} 5000');
    expect(text).toContain('stitchboard_watch_cache_bytes{cluster="alpha",resource="core/v1/pods"} 4200000');
    expect(text).toContain('stitchboard_watch_cache_synced{cluster="beta",resource="batch/v1/cronjobs"} 0');
    expect(text).toContain('stitchboard_watch_subscribers{cluster="alpha",resource="core/v1/pods"} 2');
    expect(text).toContain('stitchboard_watch_restarts_total{cluster="alpha",resource="core/v1/pods"} 2');
    expect(text).toContain('stitchboard_watch_relists_total{cluster="alpha",resource="core/v1/pods"} 1');
    expect(text).toContain(
      'stitchboard_watch_last_event_timestamp_seconds{cluster="alpha",resource="core/v1/pods"} 1700000000',
    );
    expect(text).toContain(
      'stitchboard_watch_cache_answers_total{cluster="alpha",resource="core/v1/pods",source="cache"} 40',
    );
    expect(text).toContain(
      'stitchboard_watch_cache_answers_total{cluster="alpha",resource="core/v1/pods",source="live"} 1',
    );
    expect(text).not.toContain('stitchboard_watch_last_event_timestamp_seconds{cluster="beta"');

    stats = [stat({ objects: 7 })];
    const next = await registry.metrics();
    expect(next).toContain('stitchboard_watch_cache_objects{cluster="alpha",resource="core/v1/pods"} 7');
    expect(next).not.toContain('cluster="beta"');
  });
});

describe('cacheHealth', () => {
  it('is ok with per-cluster counts while no watch is stale', () => {
    expect(
      cacheHealth([
        stat({ objects: 3, approxBytes: 300 }),
        stat({ resource: 'core/v1/services', objects: 1, approxBytes: 50 }),
        stat({ cluster: 'beta', synced: false, failureStatus: 403 }),
      ]),
    ).toEqual({
      status: 'ok',
      clusters: {
        alpha: { informers: 2, synced: 2, stale: 0, refused: 0, objects: 4, bytes: 350 },
        beta: { informers: 1, synced: 0, stale: 0, refused: 1, objects: 0, bytes: 0 },
      },
    });
  });

  it('is degraded, naming the stale watches, when one is down past the bound', () => {
    const health = cacheHealth([
      stat({ stale: true, lastError: 'secret-free detail' }),
      stat({ cluster: 'beta' }),
    ]);
    expect(health.status).toBe('degraded');
    expect(health.message).toBe('watch down past the staleness bound: alpha core/v1/pods');
    expect(JSON.stringify(health)).not.toContain('secret-free detail');
  });
});
