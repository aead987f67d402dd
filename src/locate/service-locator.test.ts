import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import type { ClusterDetails } from '../clusters/types.ts';
import { catalogRelation, multiTenant, singleTenant } from './service-locator.ts';

const cluster = (name: string) => ({ name }) as ClusterDetails;
const clusters = [cluster('alpha'), cluster('Beta'), cluster('gamma')];
const entity = (extra: Partial<Entity['metadata']> = {}, relations: Entity['relations'] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'team-a', ...extra },
  relations,
});
const names = (cs: ClusterDetails[]) => cs.map((c) => c.name);

describe('service locators', () => {
  it('multiTenant: every cluster', () => {
    expect(names(multiTenant(entity(), clusters))).toEqual(['alpha', 'Beta', 'gamma']);
  });

  it.each([
    [undefined, ['alpha', 'Beta', 'gamma']],
    ['gamma', ['gamma']],
    ['GAMMA', []],
    ['nope', []],
  ])('singleTenant with annotation %s → %j', (pinned, expected) => {
    const annotations: Record<string, string> =
      pinned === undefined ? {} : { 'backstage.io/kubernetes-cluster': pinned };
    expect(names(singleTenant(entity({ annotations }), clusters))).toEqual(expected);
  });

  it('catalogRelation: clusters the entity dependsOn in its own namespace, refs compared case-insensitively', () => {
    const e = entity({}, [
      { type: 'dependsOn', targetRef: 'resource:team-a/beta' },
      { type: 'dependsOn', targetRef: 'resource:other/alpha' },
      { type: 'ownedBy', targetRef: 'resource:team-a/gamma' },
    ]);
    expect(names(catalogRelation(e, clusters))).toEqual(['Beta']);
    expect(catalogRelation(entity(), clusters)).toEqual([]);
  });
});
