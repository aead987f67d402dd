import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../contract/kubernetes.ts';
import { applyWatchEvent } from './apply-event.ts';
import { ObjectStore } from './object-store.ts';
import { slimObject } from './slim-object.ts';
import { parseWatchEvent } from './watch-event.ts';

const ingest = (raw: KubeObject) => slimObject(raw, { stripTypeMeta: true, maskSecrets: false });

const cm = (name: string, rv: string, labels: Record<string, string> = {}) => ({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name, namespace: 'x', resourceVersion: rv, labels, managedFields: [{ manager: 'm' }] },
  data: { rv },
});

/** Feeds raw watch lines, as the API server sends them, through parsing and application. */
function feed(store: ObjectStore, events: object[]) {
  return events.map((e) => applyWatchEvent(store, parseWatchEvent(JSON.stringify(e)), ingest));
}

describe('applyWatchEvent', () => {
  it('applies ADDED, MODIFIED and DELETED and moves the resourceVersion with each', () => {
    const store = new ObjectStore();
    const outcomes = feed(store, [
      { type: 'ADDED', object: cm('a', '10', { app: 'x' }) },
      { type: 'ADDED', object: cm('b', '11') },
      { type: 'MODIFIED', object: cm('a', '12', { app: 'y' }) },
      { type: 'DELETED', object: cm('b', '13') },
    ]);
    expect(outcomes.map((o) => [o.changes.map((c) => c.type), o.resourceVersion, o.end])).toEqual([
      [['ADDED'], '10', undefined],
      [['ADDED'], '11', undefined],
      [['MODIFIED'], '12', undefined],
      [['DELETED'], '13', undefined],
    ]);
    expect(store.all()).toEqual([
      {
        metadata: { name: 'a', namespace: 'x', resourceVersion: '12', labels: { app: 'y' } },
        data: { rv: '12' },
      },
    ]);
    expect(store.select([{ key: 'app', op: 'in', values: ['x'] }])).toEqual([]);
  });

  it('treats MODIFIED of an unknown object as an addition and DELETED of one as nothing', () => {
    const store = new ObjectStore();
    const [modified, deleted] = feed(store, [
      { type: 'MODIFIED', object: cm('late', '20') },
      { type: 'DELETED', object: cm('never-seen', '21') },
    ]);
    expect(modified?.changes.map((c) => c.type)).toEqual(['ADDED']);
    expect(deleted).toEqual({ changes: [], resourceVersion: '21' });
    expect(store.size).toBe(1);
  });

  it('moves only the resourceVersion on a BOOKMARK', () => {
    const store = new ObjectStore();
    const [outcome] = feed(store, [
      { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '99' } } },
    ]);
    expect(outcome).toEqual({ changes: [], resourceVersion: '99' });
    expect(store.size).toBe(0);
  });

  it.each([
    [
      {
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' },
      },
      'gone',
      'ERROR 410 Expired: too old resource version: 1 (5)',
    ],
    [
      { type: 'ERROR', object: { kind: 'Status', code: 500, reason: 'InternalError', message: 'etcd' } },
      'broken',
      'ERROR 500 InternalError: etcd',
    ],
    [{ type: 'SURPRISE', object: {} }, 'broken', 'unknown event type'],
  ])('ends the watch on %j', (event, end, detail) => {
    const [outcome] = feed(new ObjectStore(), [event]);
    expect(outcome?.end).toBe(end);
    expect(outcome?.detail).toContain(detail);
    expect(outcome?.resourceVersion).toBeUndefined();
  });
});
