import { describe, expect, it } from 'vitest';
import { aggregateClusterRoles, selectorMatches } from './aggregate-roles.ts';
import type { ClusterRoleLike, LabelSelector, PolicyRule } from './aggregate-roles.ts';

const read = (resource: string): PolicyRule => ({ apiGroups: [''], resources: [resource], verbs: ['get'] });
const write = (resource: string): PolicyRule => ({
  apiGroups: [''],
  resources: [resource],
  verbs: ['create'],
});

const role = (name: string, labels: Record<string, string>, rules: PolicyRule[]): ClusterRoleLike => ({
  metadata: { name, labels },
  rules,
});
const aggregate = (name: string, labels: Record<string, string>, selectors: LabelSelector[]) => ({
  metadata: { name, labels },
  rules: null,
  aggregationRule: { clusterRoleSelectors: selectors },
});

describe('selectorMatches', () => {
  it.each<[string, LabelSelector, Record<string, string>, boolean]>([
    ['empty selector matches everything', {}, { a: '1' }, true],
    ['matchLabels equal', { matchLabels: { a: '1' } }, { a: '1', b: '2' }, true],
    ['matchLabels different value', { matchLabels: { a: '1' } }, { a: '2' }, false],
    ['matchLabels missing key', { matchLabels: { a: '1' } }, {}, false],
    ['In', { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' }, true],
    ['In without the key', { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, {}, false],
    [
      'NotIn without the key',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
      {},
      true,
    ],
    [
      'NotIn listed',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
      { a: '1' },
      false,
    ],
    ['Exists', { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' }, false],
  ])('%s', (_name, selector, labels, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

describe('aggregateClusterRoles', () => {
  const toView = { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' };
  const toEdit = { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' };

  it('fills a chain of aggregated roles until stable, as the controller would', () => {
    const roles = [
      aggregate('admin', {}, [{ matchLabels: toEdit }]),
      aggregate('edit', toEdit, [{ matchLabels: toView }]),
      role('system:aggregate-to-view', toView, [read('pods')]),
      role('system:aggregate-to-edit', toEdit, [write('pods')]),
      aggregate('view', toEdit, [{ matchLabels: toView }]),
      role('unrelated', {}, [write('secrets')]),
    ];
    const result = aggregateClusterRoles(roles);
    expect(result.get('view')).toEqual([read('pods')]);
    expect(result.get('edit')).toEqual([read('pods')]);
    // admin selects edit-labelled roles: edit itself (after aggregation), view, and the edit rules.
    expect(result.get('admin')).toEqual([read('pods'), write('pods')]);
    expect(result.has('unrelated')).toBe(false);
  });

  it('drops duplicate rules and leaves roles that are already right alone', () => {
    const roles = [
      role('a', toView, [read('pods')]),
      role('b', toView, [read('pods'), read('services')]),
      { ...aggregate('view', {}, [{ matchLabels: toView }]), rules: [read('pods'), read('services')] },
    ];
    expect(aggregateClusterRoles(roles).size).toBe(0);
    const stale = [...roles.slice(0, 2), aggregate('view', {}, [{ matchLabels: toView }])];
    expect(aggregateClusterRoles(stale).get('view')).toEqual([read('pods'), read('services')]);
  });

  it('gives an aggregated role that matches nothing no rules, and reports nothing for it', () => {
    expect(aggregateClusterRoles([aggregate('lonely', {}, [{ matchLabels: { x: 'y' } }])]).size).toBe(0);
  });
});
