import { describe, expect, it } from 'vitest';
import { cleanMessage, errorPath, validateEntity } from './validate-entity.ts';

describe('errorPath', () => {
  it.each([
    ["/spec must have required property 'owner' - missingProperty: owner", ['spec']],
    ['Malformed envelope, /metadata/name must be string', ['metadata', 'name']],
    ['/metadata/annotations/a~1b must be string', ['metadata', 'annotations', 'a/b']],
    ['"metadata.name" is not valid; expected ...', ['metadata', 'name']],
    [
      '"annotations.backstage.io/kubernetes-id" is not valid; expected a string',
      ['metadata', 'annotations', 'backstage.io/kubernetes-id'],
    ],
    ['"labels.app" is not valid', ['metadata', 'labels', 'app']],
    ['"tags.2" is not valid', ['metadata', 'tags', '2']],
    ['"links.0.url" is not valid', ['metadata', 'links', '0', 'url']],
    ['"kind" is not valid', ['kind']],
    ['spec.dependsOn[3]: Entity reference "x" had missing or empty kind', ['spec', 'dependsOn', '3']],
    ['spec.owner must be an entity ref string, found 42', ['spec', 'owner']],
    ["Malformed envelope, <root> must have required property 'apiVersion'", undefined],
    ['something else entirely', undefined],
  ])('%s', (message, expected) => {
    expect(errorPath(message)).toEqual(expected);
  });
});

describe('cleanMessage', () => {
  it('drops the link to the file-format ADR', () => {
    expect(
      cleanMessage(
        '"metadata.name" is not valid; expected x but found "a b". To learn more about catalog file format, visit: https://github.com/backstage/backstage/blob/master/docs/adr002.md',
      ),
    ).toBe('"metadata.name" is not valid; expected x but found "a b"');
  });
});

describe('validateEntity', () => {
  const valid = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      dependsOn: ['resource:b', 'resource:a'],
    },
  };

  it('defaults the namespace, sorts ref lists as the catalog does and leaves the input untouched', async () => {
    const input = structuredClone(valid);
    const result = await validateEntity(input);
    expect(result.ok && result.entity.metadata.namespace).toBe('default');
    expect(result.ok && (result.entity.spec as { dependsOn: string[] }).dependsOn).toEqual([
      'resource:a',
      'resource:b',
    ]);
    expect(input).toEqual(valid);
  });

  it.each([
    ['a list', [valid], 'an entity must be a mapping, found a list'],
    ['a string', 'Component', 'an entity must be a mapping, found string'],
    ['null', null, 'an entity must be a mapping, found null'],
    ['a foreign root field', { ...valid, status: {}, extra: 1 }, 'must NOT have additional properties'],
    [
      'a bad namespace',
      { ...valid, metadata: { name: 'a', namespace: 'Has_Caps' } },
      '"metadata.namespace" is not valid',
    ],
    [
      'a bad annotation key',
      { ...valid, metadata: { name: 'a', annotations: { 'bad key': 'x' } } },
      '"annotations.bad key" is not valid',
    ],
    [
      'a non-string annotation value',
      { ...valid, metadata: { name: 'a', annotations: { a: 1 } } },
      'must be string',
    ],
    [
      'an unknown apiVersion',
      { ...valid, apiVersion: 'example.com/v1' },
      'unsupported kind "Component" with apiVersion "example.com/v1"',
    ],
    [
      'a Group without children',
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'g' }, spec: { type: 'team' } },
      "required property 'children'",
    ],
    [
      'a User with a non-list memberOf',
      { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'u' }, spec: { memberOf: 'g' } },
      'must be array',
    ],
  ])('rejects %s', async (_what, raw, message) => {
    const result = await validateEntity(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});
