import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../contract/kubernetes.ts';
import { parseLabelSelector } from '../../kube/label-selector.ts';
import { changeForFilter, type ChangeFilter } from './change-filter.ts';
import type { ChangeType } from './object-store.ts';

const pod = (labels: Record<string, string>, namespace = 'shop'): KubeObject => ({
  metadata: { name: 'web', namespace, labels },
});

function filter(selector: string, namespace?: string): ChangeFilter {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return { requirements: parsed.requirements, ...(namespace ? { namespace } : {}) };
}

describe('changeForFilter', () => {
  const inside = pod({ app: 'shop' });
  const outside = pod({ app: 'blog' });
  it.each<[string, ChangeType, KubeObject, KubeObject | undefined, ChangeType | undefined]>([
    ['an added match', 'ADDED', inside, undefined, 'ADDED'],
    ['an added non-match', 'ADDED', outside, undefined, undefined],
    ['a match that changed', 'MODIFIED', inside, inside, 'MODIFIED'],
    ['a label change into the selection', 'MODIFIED', inside, outside, 'ADDED'],
    ['a label change out of the selection', 'MODIFIED', outside, inside, 'DELETED'],
    ['a non-match that changed', 'MODIFIED', outside, outside, undefined],
    ['a deleted match', 'DELETED', inside, inside, 'DELETED'],
    ['a deleted non-match', 'DELETED', outside, outside, undefined],
  ])('%s', (_name, type, object, previous, expected) => {
    expect(changeForFilter(filter('app=shop'), { type, object, ...(previous ? { previous } : {}) })).toBe(
      expected,
    );
  });

  it('ignores other namespaces', () => {
    expect(
      changeForFilter(filter('app=shop', 'shop'), { type: 'ADDED', object: pod({ app: 'shop' }, 'other') }),
    ).toBeUndefined();
    expect(changeForFilter(filter('app=shop', 'shop'), { type: 'ADDED', object: pod({ app: 'shop' }) })).toBe(
      'ADDED',
    );
  });
});
