import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../kube/label-selector.ts';
import { SelectorMemo } from './selector-memo.ts';

describe('SelectorMemo', () => {
  it('parses as parseLabelSelector does, once per selector, into a frozen result', () => {
    const memo = new SelectorMemo();
    const first = memo.parse('app in (a,b),tier!=db');
    expect(first).toEqual(parseLabelSelector('app in (a,b),tier!=db'));
    expect(memo.parse('app in (a,b),tier!=db')).toBe(first);
    expect(Object.isFrozen(first.ok && first.requirements[0])).toBe(true);
    expect(memo.parse('a b c')).toEqual(parseLabelSelector('a b c'));
    expect(memo.parse('a b c').ok).toBe(false);
  });
});
