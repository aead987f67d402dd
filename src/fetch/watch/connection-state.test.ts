import { describe, expect, it } from 'vitest';
import type { CacheStats } from './cache-stats.ts';
import { connectionState } from './connection-state.ts';
import { cacheStat } from './test-support.ts';

const stat = (resource: string, overrides: Partial<CacheStats> = {}) => cacheStat({ resource, ...overrides });

describe('connectionState', () => {
  it('is idle with no informer, synced when every kind is', () => {
    expect(connectionState([])).toEqual({ state: 'idle', watchRestarts: 0, forbidden: [] });
    expect(connectionState([stat('core/v1/pods'), stat('apps/v1/deployments')]).state).toBe('synced');
  });

  it('is syncing while a first LIST is pending, and stale since the oldest watch went down', () => {
    expect(connectionState([stat('core/v1/pods', { synced: false })]).state).toBe('syncing');
    const state = connectionState([
      stat('core/v1/pods', { synced: false }),
      stat('core/v1/services', { downSince: Date.UTC(2026, 0, 1, 10) }),
      stat('apps/v1/deployments', { downSince: Date.UTC(2026, 0, 1, 9) }),
    ]);
    expect(state).toMatchObject({ state: 'stale', since: '2026-01-01T09:00:00.000Z' });
  });

  it('does not let a forbidden kind unsync the cluster, and lists it', () => {
    const state = connectionState([
      stat('core/v1/pods'),
      stat('core/v1/secrets', { synced: false, forbidden: true, failureStatus: 403 }),
    ]);
    expect(state).toMatchObject({ state: 'synced', forbidden: ['core/v1/secrets'] });
  });

  it('sums restarts and reports the most recent error with its kind', () => {
    const state = connectionState([
      stat('core/v1/pods', { watchRestarts: 2, lastError: 'old', lastErrorAt: 1_000 }),
      stat('core/v1/services', { watchRestarts: 1, lastError: 'new', lastErrorAt: 2_000 }),
    ]);
    expect(state.watchRestarts).toBe(3);
    expect(state.lastError).toEqual({
      resource: 'core/v1/services',
      message: 'new',
      at: new Date(2_000).toISOString(),
    });
  });
});
