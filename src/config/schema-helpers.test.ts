import { describe, expect, it } from 'vitest';
import { urlProblem } from './schema-helpers.ts';

describe('urlProblem', () => {
  it.each([
    ['https://dev.example.com:6443', undefined],
    ['http://127.0.0.1:8001/prefix', undefined],
    ['dev.example.com:6443', /scheme is missing/],
    ['not a url', /not a valid URL/],
    ['ftp://dev.example.com', /http or https URL, not ftp/],
    ['https://admin:s3cret@dev.example.com', /must not carry a user name or password/],
    ['https://token@dev.example.com', /must not carry a user name or password/],
  ])('%s', (url, expected) => {
    const problem = urlProblem(url);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
    expect(problem ?? '').not.toContain('s3cret');
  });
});
