import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { attachRelations, emitRelations } from './relations.ts';

const entity = (kind: string, spec: Record<string, unknown>, namespace = 'default'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'self', namespace },
  spec: spec as Entity['spec'],
});

describe('emitRelations', () => {
  it.each([
    // kind, spec, outgoing relations from self (the reverse one is checked below)
    ['Component', { owner: 'team-a' }, [['ownedBy', 'group:default/team-a']]],
    ['Component', { owner: 'user:Alice' }, [['ownedBy', 'user:default/alice']]],
    ['Component', { owner: 'group:other/Team-B' }, [['ownedBy', 'group:other/team-b']]],
    ['Component', { system: 'Shop' }, [['partOf', 'system:default/shop']]],
    ['Component', { subcomponentOf: 'parent' }, [['partOf', 'component:default/parent']]],
    ['Component', { dependsOn: ['resource:Prod-EU'] }, [['dependsOn', 'resource:default/prod-eu']]],
    ['Component', { dependencyOf: ['component:web'] }, [['dependencyOf', 'component:default/web']]],
    [
      'Component',
      { providesApis: ['orders'], consumesApis: ['api:x/pay'] },
      [
        ['providesApi', 'api:default/orders'],
        ['consumesApi', 'api:x/pay'],
      ],
    ],
    [
      'Resource',
      { owner: 'team-a', dependsOn: ['component:db'], system: 'shop' },
      [
        ['ownedBy', 'group:default/team-a'],
        ['dependsOn', 'component:default/db'],
        ['partOf', 'system:default/shop'],
      ],
    ],
    [
      'API',
      { owner: 'team-a', system: 'shop' },
      [
        ['ownedBy', 'group:default/team-a'],
        ['partOf', 'system:default/shop'],
      ],
    ],
    [
      'System',
      { owner: 'team-a', domain: 'commerce' },
      [
        ['ownedBy', 'group:default/team-a'],
        ['partOf', 'domain:default/commerce'],
      ],
    ],
    [
      'Domain',
      { owner: 'team-a', subdomainOf: 'root' },
      [
        ['ownedBy', 'group:default/team-a'],
        ['partOf', 'domain:default/root'],
      ],
    ],
    [
      'User',
      { memberOf: ['team-a', 'group:x/team-b'] },
      [
        ['memberOf', 'group:default/team-a'],
        ['memberOf', 'group:x/team-b'],
      ],
    ],
    [
      'Group',
      { parent: 'org', children: ['sub'], members: ['alice'] },
      [
        ['childOf', 'group:default/org'],
        ['parentOf', 'group:default/sub'],
        ['hasMember', 'user:default/alice'],
      ],
    ],
    ['Location', { targets: ['./a.yaml'] }, []],
  ])('%s %j', (kind, spec, expected) => {
    const self = `${kind.toLowerCase()}:default/self`;
    const emitted = emitRelations(entity(kind, spec));
    expect(emitted.filter((r) => r.source === self).map((r) => [r.type, r.target])).toEqual(expected);
    expect(emitted.filter((r) => r.source !== self).every((r) => r.target === self)).toBe(true);
  });

  it.each([
    ['ownedBy', 'ownerOf'],
    ['partOf', 'hasPart'],
    ['dependsOn', 'dependencyOf'],
    ['memberOf', 'hasMember'],
    ['childOf', 'parentOf'],
  ])('emits %s with its reverse %s on the target', (outgoing, incoming) => {
    const spec = {
      ownedBy: { owner: 'a' },
      partOf: { system: 'a' },
      dependsOn: { dependsOn: ['group:a'] },
      memberOf: { memberOf: ['a'] },
      childOf: { parent: 'a' },
    }[outgoing];
    const kind = outgoing === 'memberOf' ? 'User' : outgoing === 'childOf' ? 'Group' : 'Component';
    const emitted = emitRelations(entity(kind, spec ?? {}));
    const forward = emitted.find((r) => r.type === outgoing);
    expect(emitted).toContainEqual({ source: forward?.target, type: incoming, target: forward?.source });
  });

  it('resolves refs in the entity’s own namespace', () => {
    expect(emitRelations(entity('Component', { owner: 'team-a' }, 'Payments'))[0]).toEqual({
      source: 'component:payments/self',
      type: 'ownedBy',
      target: 'group:payments/team-a',
    });
  });

  it.each([
    [{ dependsOn: ['prod-eu'] }, /^spec\.dependsOn\[0\]: .*missing or empty kind/],
    [{ owner: 42 }, /^spec\.owner must be an entity ref string, found 42/],
    [{ system: 'system:' }, /^spec\.system: /],
  ])('rejects %j', (spec, message) => {
    expect(() => emitRelations(entity('Component', spec))).toThrow(message);
  });
});

describe('attachRelations', () => {
  it('groups by known source, drops unknown sources, dedupes and orders by type then target', () => {
    const attached = attachRelations(
      [
        { source: 'a', type: 'ownedBy', target: 'group:default/z' },
        { source: 'a', type: 'dependsOn', target: 'resource:default/y' },
        { source: 'a', type: 'dependsOn', target: 'resource:default/x' },
        { source: 'a', type: 'ownedBy', target: 'group:default/z' },
        { source: 'ghost', type: 'ownerOf', target: 'a' },
      ],
      new Set(['a', 'b']),
    );
    expect(attached.get('a')).toEqual([
      { type: 'dependsOn', targetRef: 'resource:default/x' },
      { type: 'dependsOn', targetRef: 'resource:default/y' },
      { type: 'ownedBy', targetRef: 'group:default/z' },
    ]);
    expect(attached.has('b')).toBe(false);
    expect(attached.has('ghost')).toBe(false);
  });
});
