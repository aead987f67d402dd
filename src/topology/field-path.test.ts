import { describe, expect, it } from 'vitest';
import { parseFieldPath, readFieldPath, type FieldPath } from './field-path.ts';

function parsed(source: string): FieldPath {
  const result = parseFieldPath(source);
  if (!result.ok) throw new Error(result.error);
  return result.path;
}

describe('parseFieldPath', () => {
  it.each([
    ['spec.owner', ['spec', 'owner']],
    ['metadata.name', ['metadata', 'name']],
    ['spec.profile.email', ['spec', 'profile', 'email']],
    ['annotations.backstage.io/kubernetes-id', ['metadata', 'annotations', 'backstage.io/kubernetes-id']],
    ['labels.x', ['metadata', 'labels', 'x']],
    ['labels.app.kubernetes.io/name', ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['metadata.annotations.backstage.io/owner', ['metadata', 'annotations', 'backstage.io/owner']],
    ['metadata.annotations["a.b/c"]', ['metadata', 'annotations', 'a.b/c']],
    ["metadata.annotations['a.b/c']", ['metadata', 'annotations', 'a.b/c']],
    ['annotations["a.b/c"]', ['metadata', 'annotations', 'a.b/c']],
    ['spec["x.y"].z', ['spec', 'x.y', 'z']],
    ['spec["say \\"hi\\""]', ['spec', 'say "hi"']],
    ['spec["back\\\\slash"]', ['spec', 'back\\slash']],
    ['metadata.tags[0]', ['metadata', 'tags', 0]],
    ['metadata.links[12].url', ['metadata', 'links', 12, 'url']],
    ['kind', ['kind']],
    ['spec.annotations.a.b', ['spec', 'annotations', 'a', 'b']],
  ])('%s → %j', (source, segments) => {
    expect(parseFieldPath(source)).toEqual({ ok: true, path: { source, segments } });
  });

  it.each([
    ['', 'field path is empty'],
    [' spec.owner', 'leading or trailing whitespace'],
    ['owner', 'unknown root "owner"'],
    ['constructor', 'unknown root "constructor"'],
    ['spec..owner', 'empty key at position 5'],
    ['spec.owner.', 'trailing "."'],
    ['.spec', 'empty key at position 0'],
    ['annotations', 'missing the key after the map'],
    ['metadata.annotations', 'missing the key after the map'],
    ['spec["unterminated', 'unterminated quote'],
    ['spec["a"]x', 'expected "." or "[" at position 9'],
    ['spec["a"', 'expected "]"'],
    ['spec[""]', 'empty key'],
    ['spec[-1]', 'must hold a quoted key or a list index'],
    ['spec[01]', 'must hold a quoted key or a list index'],
    ['spec[abc]', 'must hold a quoted key or a list index'],
    ['spec["\\n"]', 'unknown escape'],
    ['spec."owner"', 'unexpected "\\"" at position 5'],
    ['annotations.a b', 'unexpected " " at position 13'],
    ['annotations.a[0]', 'unexpected "["'],
    ['spec]', 'expected "." or "["'],
  ])('rejects %j: %s', (source, message) => {
    const result = parseFieldPath(source);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(message);
      if (source !== '') expect(result.error).toContain(JSON.stringify(source));
    }
  });
});

describe('readFieldPath', () => {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'cart',
      annotations: { 'backstage.io/kubernetes-id': 'cart-svc', blank: '   ', padded: '  x  ' },
      labels: { 'app.kubernetes.io/name': 'cart-app' },
      tags: ['java', 'shop'],
    },
    spec: { owner: 'team-a', replicas: 3, nested: { 'a.b': 'dotted' }, list: ['x'] },
  };

  it.each([
    ['annotations.backstage.io/kubernetes-id', 'cart-svc'],
    ['metadata.annotations["backstage.io/kubernetes-id"]', 'cart-svc'],
    ['labels.app.kubernetes.io/name', 'cart-app'],
    ['metadata.name', 'cart'],
    ['spec.owner', 'team-a'],
    ['spec.nested["a.b"]', 'dotted'],
    ['metadata.tags[1]', 'shop'],
    ['annotations.padded', 'x'],
    ['annotations.blank', undefined],
    ['spec.replicas', undefined],
    ['spec.nested', undefined],
    ['metadata.tags[2]', undefined],
    ['metadata.tags.length', undefined],
    ['spec.list.0', undefined],
    ['spec[0]', undefined],
    ['annotations.missing', undefined],
    ['spec.owner.deeper', undefined],
    ['metadata.name.constructor', undefined],
    ['spec.constructor', undefined],
    ['spec.toString', undefined],
  ])('%s → %j', (source, value) => {
    expect(readFieldPath(entity, parsed(source))).toBe(value);
  });
});
