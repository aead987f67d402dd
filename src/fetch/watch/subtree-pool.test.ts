import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../contract/kubernetes.ts';
import { ObjectStore } from './object-store.ts';
import { deepFreeze } from '../../shared/deep-freeze.ts';
import { SubtreePool } from './subtree-pool.ts';

const pod = (name: string, image = 'web:1', phase = 'Running'): KubeObject =>
  deepFreeze({
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image, resources: {} }], tolerations: [{ key: 'a' }] },
    status: { phase, conditions: [{ type: 'Ready' }] },
  });

describe('SubtreePool', () => {
  it('shares equal subtrees between objects and serializes each exactly as given', () => {
    const pool = new SubtreePool();
    const a = pool.intern(pod('a'));
    const b = pool.intern(pod('b'));
    expect(JSON.stringify(a)).toBe(JSON.stringify(pod('a')));
    expect(JSON.stringify(b)).toBe(JSON.stringify(pod('b')));
    expect(b.spec).toBe(a.spec);
    expect(b.metadata?.labels).toBe(a.metadata?.labels);
    expect(b.metadata).not.toBe(a.metadata);
    // status is pooled only as a whole: equal ones are shared, the parts of different ones are not.
    expect(b.status).toBe(a.status);
    const c = pool.intern(pod('c', 'web:1', 'Pending'));
    expect(c.status).not.toBe(a.status);
    const conditions = (o: KubeObject) => (o.status as { conditions: unknown }).conditions;
    expect(conditions(c)).not.toBe(conditions(a));
    expect(Object.isFrozen(b)).toBe(true);
    expect(Object.isFrozen(b.metadata)).toBe(true);
  });

  it('pools the parts of a subtree that differs elsewhere', () => {
    const pool = new SubtreePool();
    const a = pool.intern(pod('a', 'web:1'));
    const b = pool.intern(pod('b', 'web:2'));
    expect(b.spec).not.toBe(a.spec);
    expect((b.spec as { tolerations: unknown }).tolerations).toBe(
      (a.spec as { tolerations: unknown }).tolerations,
    );
    expect(JSON.stringify(b)).toBe(JSON.stringify(pod('b', 'web:2')));
  });

  it('drops a subtree with its last user', () => {
    const pool = new SubtreePool();
    const a = pool.intern(pod('a', 'web:1'));
    const b = pool.intern(pod('b', 'web:2'));
    const c = pool.intern(pod('c', 'web:2'));
    expect(c.spec).toBe(b.spec);
    const held = pool.size;
    pool.release(a);
    expect(pool.size).toBeLessThan(held);
    pool.release(b);
    const d = pool.intern(pod('d', 'web:2'));
    expect(d.spec).toBe(c.spec);
    pool.release(c);
    pool.release(d);
    expect(pool.size).toBe(0);
  });

  it('holds a recurring metadata string once for all its objects and drops it with the last', () => {
    const pool = new SubtreePool();
    const created = (name: string, creationTimestamp: string): KubeObject =>
      deepFreeze({ metadata: { name, namespace: 'payments-production', creationTimestamp } });
    const a = pool.intern(created('a', '2026-12-04T01:00:00Z'));
    const held = pool.size; // the namespace and the timestamp
    expect(held).toBe(2);
    const b = pool.intern(created('b', '2026-12-04T01:00:00Z'));
    expect(pool.size).toBe(held);
    const c = pool.intern(created('c', '2026-12-04T01:00:01Z'));
    expect(pool.size).toBe(held + 1);
    expect(JSON.stringify(c)).toBe(JSON.stringify(created('c', '2026-12-04T01:00:01Z')));
    expect(Object.isFrozen(c.metadata)).toBe(true);
    pool.release(c);
    pool.release(a);
    expect(pool.size).toBe(held);
    pool.release(b);
    expect(pool.size).toBe(0);
  });

  it('leaves nothing behind once a store has dropped every object', () => {
    const pool = new SubtreePool();
    const store = new ObjectStore(pool);
    for (let i = 0; i < 20; i++) store.upsert(pod(`p${i}`, `web:${i % 3}`));
    for (let i = 0; i < 20; i += 2) store.upsert(pod(`p${i}`, 'web:9'));
    store.replaceAll([pod('p1', 'web:1')]);
    expect(store.size).toBe(1);
    store.remove(pod('p1'));
    expect(store.size).toBe(0);
    expect(pool.size).toBe(0);
  });
});
