import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../contract/kubernetes.ts';
import { matchesLabels, parseLabelSelector, type Requirement } from '../../kube/label-selector.ts';
import { ObjectStore } from './object-store.ts';

const obj = (
  namespace: string | undefined,
  name: string,
  labels: Record<string, string> = {},
  rv = '1',
): KubeObject => ({
  metadata: { name, ...(namespace ? { namespace } : {}), labels, resourceVersion: rv },
});

/** The object's etcd key, whose byte order is the API server's LIST order: what the store must follow. */
const objectKey = (o: KubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? '');
const names = (objects: readonly KubeObject[]) => objects.map(objectKey);

function requirements(selector: string): readonly Requirement[] {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.requirements;
}

function storeOf(objects: KubeObject[]): ObjectStore {
  const store = new ObjectStore();
  for (const o of objects) store.upsert(o);
  return store;
}

describe('ObjectStore.select', () => {
  const store = storeOf([
    obj('shop', 'web', { app: 'shop', tier: 'web', env: 'prod' }),
    obj('shop', 'db', { app: 'shop', tier: 'db' }),
    obj('shop', 'cache', { app: 'shop', tier: 'cache', legacy: 'yes' }),
    obj('blog', 'web', { app: 'blog', tier: 'web', env: 'dev' }),
    obj('blog', 'unlabelled'),
  ]);

  it.each([
    ['app=shop', undefined, ['shop/cache', 'shop/db', 'shop/web']],
    ['app==shop', undefined, ['shop/cache', 'shop/db', 'shop/web']],
    ['app!=shop', undefined, ['blog/unlabelled', 'blog/web']],
    ['tier in (web,db)', undefined, ['blog/web', 'shop/db', 'shop/web']],
    ['tier in (web,web)', undefined, ['blog/web', 'shop/web']],
    ['tier notin (web,db)', undefined, ['blog/unlabelled', 'shop/cache']],
    ['env', undefined, ['blog/web', 'shop/web']],
    ['!env', undefined, ['blog/unlabelled', 'shop/cache', 'shop/db']],
    ['app=shop,!legacy,tier!=db', undefined, ['shop/web']],
    ['app=shop,env in (dev)', undefined, []],
    ['app=nothing', undefined, []],
    ['missing', undefined, []],
    ['', undefined, ['blog/unlabelled', 'blog/web', 'shop/cache', 'shop/db', 'shop/web']],
    ['', 'blog', ['blog/unlabelled', 'blog/web']],
    ['tier=web', 'shop', ['shop/web']],
    ['!legacy', 'shop', ['shop/db', 'shop/web']],
    ['app=shop', 'nowhere', []],
  ])('%j in namespace %j', (selector, namespace, expected) => {
    expect(names(store.select(requirements(selector), namespace))).toEqual(expected);
  });

  it('orders by the etcd key string, so "a/x" comes after "a-b/y" as the API server lists them', () => {
    const s = storeOf([obj('a', 'x', { k: 'v' }), obj('a-b', 'y', { k: 'v' }), obj('a', 'a-', { k: 'v' })]);
    expect(names(s.select(requirements('k=v')))).toEqual(['a-b/y', 'a/a-', 'a/x']);
    expect(names(s.all())).toEqual(['a-b/y', 'a/a-', 'a/x']);
  });

  it('answers cluster-scoped objects by name', () => {
    const s = storeOf([obj(undefined, 'pv-b', { k: 'v' }), obj(undefined, 'pv-a', { k: 'v' })]);
    expect(names(s.select(requirements('k=v')))).toEqual(['pv-a', 'pv-b']);
  });

  it('looks only at the candidates of the smallest index set, not at every object', () => {
    let reads = 0;
    const counted = (o: KubeObject): KubeObject => {
      const { metadata } = o;
      return {
        get metadata() {
          reads++;
          return metadata;
        },
      };
    };
    const s = new ObjectStore();
    for (let i = 0; i < 1000; i++) {
      s.upsert(counted(obj('big', `o${i}`, { app: i < 3 ? 'rare' : 'common' })));
    }
    reads = 0;
    expect(s.select(requirements('app=rare,tier!=db'))).toHaveLength(3);
    expect(reads).toBeLessThanOrEqual(3 * 2);
    reads = 0;
    expect(s.select(requirements('app in (rare),!legacy'), 'big')).toHaveLength(3);
    expect(reads).toBeLessThanOrEqual(3 * 2);
  });

  it('returns the stored instances, not copies', () => {
    const web = obj('x', 'web', { app: 'x' });
    const s = storeOf([web]);
    const [first] = s.select(requirements('app=x'));
    expect(first).toEqual(web);
    expect(s.select(requirements('app=x'))[0]).toBe(first);
    expect(s.get('x', 'web')).toBe(first);
  });

  it('agrees with a full scan on random objects and selectors', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['app', 'tier', 'env'];
    const values = ['a', 'b', 'c'];
    const randomObject = (i: number) => {
      const labels: Record<string, string> = {};
      for (const k of keys) if (random(3) > 0) labels[k] = values[random(3)] as string;
      const o = obj(`ns${i % 4}`, `o${i}`, labels, String(random(1000)));
      // Some with no `labels` at all, not even an empty object.
      return random(5) === 0 ? { metadata: { ...o.metadata, labels: undefined } } : o;
    };
    const objects = Array.from({ length: 300 }, (_, i) => randomObject(i));
    const s = storeOf(objects);
    // Relabel some, remove some: groups and index entries must follow.
    for (let i = 0; i < 300; i += 3) s.upsert((objects[i] = randomObject(i)));
    for (let i = 1; i < 300; i += 7) s.remove(objects[i] as KubeObject);
    const kept = objects.filter((_, i) => i % 7 !== 1);
    expect(s.size).toBe(kept.length);
    const term = () => {
      const k = keys[random(3)] as string;
      const v = values[random(3)] as string;
      return [`${k}=${v}`, `${k}!=${v}`, `${k} in (${v},a)`, `${k} notin (${v})`, k, `!${k}`][
        random(6)
      ] as string;
    };
    for (let i = 0; i < 200; i++) {
      const selector = Array.from({ length: 1 + random(3) }, term).join(',');
      const namespace = random(2) ? `ns${random(4)}` : undefined;
      const reqs = requirements(selector);
      const expected = kept
        .filter(
          (o) =>
            (namespace === undefined || o.metadata?.namespace === namespace) &&
            matchesLabels(reqs, o.metadata?.labels),
        )
        .map(objectKey)
        .sort(); // UTF-16 code-unit order: byte order for the ASCII names here
      expect(names(s.select(reqs, namespace)), `${selector} in ${namespace}`).toEqual(expected);
    }
  });
});

describe('ObjectStore changes', () => {
  it('re-indexes an object whose labels change', () => {
    const s = storeOf([obj('x', 'web', { app: 'old' })]);
    const change = s.upsert(obj('x', 'web', { app: 'new' }, '2'));
    expect(change.type).toBe('MODIFIED');
    expect(change.previous?.metadata?.labels).toEqual({ app: 'old' });
    expect(names(s.select(requirements('app=old')))).toEqual([]);
    expect(names(s.select(requirements('app')))).toEqual(['x/web']);
    expect(s.size).toBe(1);
  });

  it('removes an object from every index and from the byte count', () => {
    const db = obj('x', 'db', { app: 'a' });
    const s = storeOf([obj('x', 'web', { app: 'a' }), db]);
    expect(s.bytes).toBe(JSON.stringify(obj('x', 'web', { app: 'a' })).length + JSON.stringify(db).length);
    expect(s.remove(obj('x', 'web'))?.type).toBe('DELETED');
    expect(s.remove(obj('x', 'web'))).toBeUndefined();
    expect(names(s.select(requirements('app=a'), 'x'))).toEqual(['x/db']);
    expect(s.bytes).toBe(JSON.stringify(db).length);
    s.remove(db);
    expect(s.bytes).toBe(0);
  });

  it('replaceAll reports exactly the difference and keeps unchanged instances', () => {
    const kept = obj('x', 'kept', {}, '5');
    const s = storeOf([kept, obj('x', 'changed', {}, '5'), obj('x', 'gone', { app: 'a' }, '5')]);
    const stored = s.get('x', 'kept');
    const next = [obj('x', 'kept', {}, '5'), obj('x', 'changed', {}, '9'), obj('x', 'new', {}, '9')];
    const changes = s.replaceAll(next);
    expect(changes.map((c) => [c.type, objectKey(c.object)])).toEqual([
      ['MODIFIED', 'x/changed'],
      ['ADDED', 'x/new'],
      ['DELETED', 'x/gone'],
    ]);
    expect(s.get('x', 'kept')).toBe(stored);
    expect(names(s.all())).toEqual(['x/changed', 'x/kept', 'x/new']);
    expect(s.select(requirements('app'))).toEqual([]);
    expect(s.bytes).toBe(next.reduce((n, o) => n + JSON.stringify(o).length, 0));
  });

  it('raises its generation on every change and only then', () => {
    const s = storeOf([obj('x', 'web', {}, '1')]);
    const seen = [s.generation];
    s.select([]);
    s.get('x', 'web');
    s.replaceAll([obj('x', 'web', {}, '1')]); // unchanged resourceVersion
    expect(s.generation).toBe(seen[0]);
    s.upsert(obj('x', 'web', {}, '2'));
    seen.push(s.generation);
    s.remove(obj('x', 'nothing'));
    expect(s.generation).toBe(seen[1]);
    s.remove(obj('x', 'web'));
    seen.push(s.generation);
    s.replaceAll([obj('x', 'db')]);
    seen.push(s.generation);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
