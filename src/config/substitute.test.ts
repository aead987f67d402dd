import { describe, expect, it } from 'vitest';
import { substitute } from './substitute.ts';

const env = { HOST: 'example.com', PORT: ' 8443 ', EMPTY: '', TOKEN: 'abc' };

describe('substitute (Backstage ${VAR} rules)', () => {
  it.each([
    ['no placeholders', 'plain text', 'plain text'],
    ['whole value', '${HOST}', 'example.com'],
    ['inside text, trimmed', 'https://${HOST}:${PORT}/', 'https://example.com:8443/'],
    ['spaces inside braces', '${ HOST }', 'example.com'],
    ['set but empty', 'x${EMPTY}y', 'xy'],
    ['escaped', '$${HOST}', '${HOST}'],
    ['escaped next to a real one', '$${HOST}-${HOST}', '${HOST}-example.com'],
    ['a lone dollar', 'cost: $5', 'cost: $5'],
  ])('%s', (_, input, expected) => {
    expect(substitute(input, env)).toEqual({ value: expected, missing: [] });
  });

  it.each([
    ['one unset variable', 'Bearer ${NOPE}', ['NOPE']],
    ['one unset among set ones', '${HOST}:${NOPE}', ['NOPE']],
    ['several unset', '${A}${B}', ['A', 'B']],
  ])('%s makes the whole value undefined', (_, input, missing) => {
    expect(substitute(input, env)).toEqual({ value: undefined, missing });
  });
});
