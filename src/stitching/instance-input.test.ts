import { describe, expect, it } from 'vitest';
import { isStitchboardError } from '../errors/errors.ts';
import { parseNewInstance } from './instance-input.ts';

const TOKEN = 'tok-secret-value-1';
const valid = { namespace: 'tools', name: 'backstage', endpoint: 'https://backstage.example.com' };

describe('parseNewInstance', () => {
  it.each([
    [valid, valid],
    [
      { ...valid, cluster: 'alpha', token: TOKEN, insecure_skip_verify: true },
      { ...valid, cluster: 'alpha', token: TOKEN, insecureSkipVerify: true },
    ],
    [{ ...valid, token: '' }, valid],
  ])('accepts %j', (body, expected) => {
    expect(parseNewInstance(body)).toEqual(expected);
  });

  it.each([
    [null, /send a JSON object/],
    [[], /send a JSON object/],
    [{}, /namespace: required; name: required; endpoint: required/],
    [{ ...valid, endpoint: 'https://backstage.example.com/' }, /endpoint: must not end with "\/"/],
    [{ ...valid, endpoint: 'gopher://x' }, /endpoint: must be an http or https URL/],
    [{ ...valid, name: 'Not_A_Name' }, /name: not a Secret name/],
    [{ ...valid, namespace: 'x'.repeat(64) }, /namespace: not a namespace name/],
    [{ ...valid, token: `a ${TOKEN}` }, /token: must not contain whitespace/],
    [{ ...valid, token: 42 }, /token: must be a string/],
    [{ ...valid, insecure_skip_verify: 'true' }, /insecure_skip_verify: must be true or false/],
    [{ ...valid, secretName: 'x' }, /secretName: unknown field/],
  ])('refuses %j', (body, message) => {
    let error: unknown;
    try {
      parseNewInstance(body);
    } catch (e) {
      error = e;
    }
    expect(isStitchboardError(error) && error.code).toBe('INPUT_INVALID');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TOKEN);
  });
});
