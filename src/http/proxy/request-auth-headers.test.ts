import { describe, expect, it } from 'vitest';
import { requestAuthFromHeaders, singleHeader } from './request-auth-headers.ts';

describe('requestAuthFromHeaders', () => {
  it.each([
    [{}, {}],
    [{ 'backstage-kubernetes-authorization-google': 'G' }, { google: 'G' }],
    [{ 'backstage-kubernetes-authorization-aks': 'A' }, { aks: 'A' }],
    [{ 'backstage-kubernetes-authorization-oidc-okta': 'O' }, { oidc: { okta: 'O' } }],
    [
      {
        'backstage-kubernetes-authorization-oidc-okta': 'O',
        'backstage-kubernetes-authorization-oidc-gitlab': 'L',
        'backstage-kubernetes-authorization-google': 'G',
      },
      { oidc: { okta: 'O', gitlab: 'L' }, google: 'G' },
    ],
    // The provider keeps its dashes: only the framework is split off.
    [{ 'backstage-kubernetes-authorization-oidc-my-idp': 'T' }, { oidc: { 'my-idp': 'T' } }],
    // The plain header is Authorization itself, not a framework; other headers are not tokens.
    [{ 'backstage-kubernetes-authorization': 'Bearer X', 'backstage-kubernetes-cluster': 'c' }, {}],
    [{ authorization: 'Bearer stitchboard', 'x-google': 'no' }, {}],
    // A header sent twice is ambiguous: neither value is used.
    [{ 'backstage-kubernetes-authorization-google': ['a', 'b'] }, {}],
    [{ 'backstage-kubernetes-authorization-': 'T' }, {}],
  ])('%j → %j', (headers, auth) => {
    expect(requestAuthFromHeaders(headers)).toEqual(auth);
  });
});

describe('singleHeader', () => {
  it.each([
    [{ a: 'x' }, 'x'],
    [{ a: ['x', 'y'] }, undefined],
    [{}, undefined],
  ])('%j → %j', (headers, value) => {
    expect(singleHeader(headers, 'a')).toBe(value);
  });
});
