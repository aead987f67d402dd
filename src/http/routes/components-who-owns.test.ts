import { describe, expect, it } from 'vitest';
import { selects } from './components-who-owns.ts';

describe('selects (a Service selecting a pod)', () => {
  it.each([
    [{ app: 'web' }, { app: 'web', tier: 'front' }, true],
    [{ app: 'web', tier: 'back' }, { app: 'web', tier: 'front' }, false],
    [{}, { app: 'web' }, false],
    [undefined, { app: 'web' }, false],
    [{ app: 'web' }, undefined, false],
  ])('%j over %j → %s', (selector, labels, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });
});
