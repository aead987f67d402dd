import { describe, expect, it } from 'vitest';
import { decideAnswer, type Answer, type InformerView } from './answer-policy.ts';

const now = 100_000;
const context = { now, staleAfterMs: 30_000, namespaceApplies: false };
const synced: InformerView = { synced: true, namespaced: true };

describe('decideAnswer', () => {
  it.each<[string, InformerView, Partial<typeof context>, Answer]>([
    ['a synced, watching store', synced, {}, { kind: 'cache' }],
    [
      'a store whose watch dropped within the bound',
      { ...synced, downSince: now - 29_000 },
      {},
      { kind: 'cache' },
    ],
    [
      'a store whose watch is down longer than the bound',
      { ...synced, downSince: now - 31_000 },
      {},
      { kind: 'live', reason: 'stale' },
    ],
    ['a store not synced yet', { synced: false }, {}, { kind: 'live', reason: 'not-synced' }],
    [
      'a recent 404 (API version not served)',
      { synced: false, failure: { statusCode: 404, at: now - 1000 } },
      {},
      { kind: 'error', statusCode: 404 },
    ],
    [
      'a recent 404 for a namespaced query',
      { synced: false, failure: { statusCode: 404, at: now } },
      { namespaceApplies: true },
      { kind: 'error', statusCode: 404 },
    ],
    [
      'a recent 403 for a cluster-wide query',
      { synced: false, failure: { statusCode: 403, at: now } },
      {},
      { kind: 'error', statusCode: 403 },
    ],
    [
      'a 403 cluster-wide while a Role may allow the namespace',
      { synced: false, failure: { statusCode: 403, at: now } },
      { namespaceApplies: true },
      { kind: 'live', reason: 'forbidden-cluster-wide' },
    ],
    [
      'an old refusal',
      { synced: false, failure: { statusCode: 401, at: now - 31_000 } },
      {},
      { kind: 'live', reason: 'stale' },
    ],
    [
      'a namespaced query for a cluster-scoped resource',
      { synced: true, namespaced: false },
      { namespaceApplies: true },
      { kind: 'live', reason: 'not-namespaced' },
    ],
    [
      'a cluster-scoped resource queried without namespace',
      { synced: true, namespaced: false },
      {},
      { kind: 'cache' },
    ],
  ])('%s', (_name, view, overrides, expected) => {
    expect(decideAnswer(view, { ...context, ...overrides })).toEqual(expected);
  });
});
