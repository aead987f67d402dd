import { describe, expect, it } from 'vitest';
import { caDataProblem, pemProblem } from './ca-data.ts';

import { PEM } from './test-support.ts';
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('caDataProblem', () => {
  it.each([
    ['base64 of a PEM bundle', b64(PEM)],
    ['wrapped over several lines', b64(PEM).replace(/(.{20})/g, '$1\n')],
    ['two certificates', b64(PEM + PEM)],
  ])('accepts %s', (_, value) => expect(caDataProblem(value)).toBeUndefined());

  it.each([
    ['raw PEM', PEM, /raw PEM/],
    ['not base64', 'this is not base64!', /not base64/],
    ['base64 of something else', b64('hello world'), /does not decode to a PEM certificate/],
  ])('rejects %s without quoting it', (_, value, message) => {
    const problem = caDataProblem(value);
    expect(problem).toMatch(message);
    expect(problem).not.toContain(value.trim().slice(0, 12));
  });
});

describe('pemProblem', () => {
  it('wants a certificate block', () => {
    expect(pemProblem(PEM)).toBeUndefined();
    expect(pemProblem('just text')).toMatch(/no PEM certificate/);
  });
});
