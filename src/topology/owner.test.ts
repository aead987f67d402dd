import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { ownerFromEntity, parseOwnerRef } from './owner.ts';

describe('parseOwnerRef', () => {
  it.each([
    ['team-a', 'default', 'group:default/team-a', 'group'],
    ['team-a', 'shop', 'group:shop/team-a', 'group'],
    ['user:jdoe', 'shop', 'user:shop/jdoe', 'user'],
    ['group:ops/sre', 'shop', 'group:ops/sre', 'group'],
    ['ops/sre', 'shop', 'group:ops/sre', 'group'],
    ['User:Shop/JDoe', 'default', 'user:shop/jdoe', 'user'],
    ['Team-A', 'Shop', 'group:shop/team-a', 'group'],
  ])('%s in namespace %s → %s', (value, namespace, ref, kind) => {
    expect(parseOwnerRef(value, namespace)).toMatchObject({ ok: true, ref, kind });
  });

  it.each([
    ['component:cart', 'an owner must be a group or a user, not kind "component"'],
    ['system:default/shop', 'not kind "system"'],
    ['group:', 'was not on the form'],
    [':x', 'was not on the form'],
    ['group:ns/', 'was not on the form'],
  ])('rejects %j', (value, message) => {
    const result = parseOwnerRef(value, 'default');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});

describe('ownerFromEntity', () => {
  const entity = (kind: string, metadata: Entity['metadata'], spec: Entity['spec'] = {}): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata,
    spec,
  });

  it.each([
    [
      'a group with a profile',
      entity(
        'Group',
        { name: 'team-a' },
        { type: 'team', profile: { displayName: 'Team A', email: 'a@example.com' } },
      ),
      { ref: 'group:default/team-a', kind: 'group', displayName: 'Team A', email: 'a@example.com' },
      {
        'stitchboard.io/owner-ref': 'group:default/team-a',
        'stitchboard.io/owner-kind': 'group',
        'stitchboard.io/owner-display-name': 'Team A',
        'stitchboard.io/owner-email': 'a@example.com',
        'stitchboard.io/scraper': 'main',
      },
    ],
    [
      'a user without a profile, named by its entity name',
      entity('User', { name: 'jdoe', namespace: 'Shop' }),
      { ref: 'user:shop/jdoe', kind: 'user', namespace: 'shop', displayName: 'jdoe', email: undefined },
      {
        'stitchboard.io/owner-ref': 'user:shop/jdoe',
        'stitchboard.io/owner-kind': 'user',
        'stitchboard.io/owner-display-name': 'jdoe',
        'stitchboard.io/scraper': 'main',
      },
    ],
    [
      'a blank display name, falling back to the name',
      entity('Group', { name: 'team-b' }, { profile: { displayName: ' ', email: 42 } }),
      { displayName: 'team-b', email: undefined },
      undefined,
    ],
  ])('reads %s', (_name, input, expected, labels) => {
    const owner = ownerFromEntity(input, 'main');
    const { email, ...rest } = expected;
    expect(owner).toMatchObject(rest);
    expect(owner).not.toHaveProperty('inCatalog');
    if (email === undefined) expect(owner).not.toHaveProperty('email');
    else expect(owner?.email).toBe(email);
    if (labels) expect(owner?.labels).toEqual(labels);
  });

  it('ignores other kinds', () => {
    expect(ownerFromEntity(entity('Component', { name: 'cart' }), 'main')).toBeUndefined();
  });
});
