import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelSelector } from './label-selector.ts';

describe('parseLabelSelector', () => {
  it.each([
    ['app=x', [{ key: 'app', op: 'in', values: ['x'] }]],
    ['app==x', [{ key: 'app', op: 'in', values: ['x'] }]],
    ['app!=x', [{ key: 'app', op: 'notin', values: ['x'] }]],
    ['env in (a, b)', [{ key: 'env', op: 'in', values: ['a', 'b'] }]],
    [
      'env notin (a,b),tier',
      [
        { key: 'env', op: 'notin', values: ['a', 'b'] },
        { key: 'tier', op: 'exists' },
      ],
    ],
    ['!legacy', [{ key: 'legacy', op: 'notexists' }]],
    [
      'backstage.io/kubernetes-id=dice-roller',
      [{ key: 'backstage.io/kubernetes-id', op: 'in', values: ['dice-roller'] }],
    ],
    ['app=', [{ key: 'app', op: 'in', values: [''] }]],
    ['', []],
  ])('parses %j', (selector, requirements) => {
    expect(parseLabelSelector(selector)).toEqual({ ok: true, requirements });
  });

  it.each([
    ['app=x,,tier=y', 'empty requirement'],
    ['app=x,', 'empty requirement'],
    ['app=has space', 'invalid label value'],
    ['-bad=x', 'invalid label key'],
    ['env in (a b)', 'invalid label value'],
    ['a=b=c', 'invalid label value'],
  ])('rejects %j', (selector, message) => {
    const result = parseLabelSelector(selector);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'shop', env: 'prod' };
  it.each([
    ['app=shop', true],
    ['app=other', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['env in (dev,prod)', true],
    ['env notin (dev,prod)', false],
    ['app,env', true],
    ['!app', false],
    ['!missing', true],
    ['app=shop,env=dev', false],
  ])('%s → %s', (selector, expected) => {
    const parsed = parseLabelSelector(selector);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(matchesLabels(parsed.requirements, labels)).toBe(expected);
  });
});

describe('parseLabelSelector results', () => {
  it('are frozen and the same object for the same selector, good or bad', () => {
    const first = parseLabelSelector('app in (a,b),tier!=db');
    expect(parseLabelSelector('app in (a,b),tier!=db')).toBe(first);
    expect(first.ok && Object.isFrozen(first.requirements)).toBe(true);
    expect(first.ok && Object.isFrozen(first.requirements[0])).toBe(true);
    const bad = parseLabelSelector('a b c');
    expect(bad.ok).toBe(false);
    expect(parseLabelSelector('a b c')).toBe(bad);
  });
});
