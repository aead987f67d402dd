import { describe, expect, it } from 'vitest';
import { StitchboardError } from '../../errors/errors.ts';
import { parseCustomBody, parseServicesBody, parseWorkloadsBody } from './kubernetes-bodies.ts';

function failure(parse: () => unknown): { code: string; message: string } {
  try {
    parse();
  } catch (error) {
    if (error instanceof StitchboardError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

const entity = { kind: 'Component', metadata: { name: 'Checkout' } };
const crd = { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' };

describe('parseServicesBody', () => {
  it.each([
    ['a bare entity', { entity }, 'component:default/checkout'],
    [
      'an explicit namespace',
      { entity: { kind: 'API', metadata: { name: 'a', namespace: 'Payments' } } },
      'api:payments/a',
    ],
    ['a null namespace', { entity: { kind: 'C', metadata: { name: 'a', namespace: null } } }, 'c:default/a'],
  ])('turns %s into its ref', (_case, body, ref) => {
    expect(parseServicesBody(body)).toEqual({ entityRef: ref, auth: {} });
  });

  it('keeps auth as given', () => {
    const auth = { google: 'g-token', oidc: { okta: 'o-token' } };
    expect(parseServicesBody({ entity, auth }).auth).toEqual(auth);
  });

  it.each([
    ['no body', undefined, 'INPUT_INVALID', 'Request body must be a JSON object, got nothing'],
    ['a null body', null, 'INPUT_INVALID', 'Request body must be a JSON object, got null'],
    ['an array body', [entity], 'INPUT_INVALID', 'Request body must be a JSON object, got an array'],
    ['a string body', 'x', 'INPUT_INVALID', 'Request body must be a JSON object, got a string'],
    ['no entity', {}, 'INPUT_INVALID', 'entity is a required field (the catalog entity to show objects for)'],
    [
      'a null entity',
      { entity: null },
      'INPUT_INVALID',
      'entity is a required field (the catalog entity to show objects for)',
    ],
    [
      'a string entity',
      { entity: 'component:a' },
      'INPUT_INVALID',
      'entity must be an object (a catalog entity), got a string',
    ],
    [
      'an array entity',
      { entity: [] },
      'INPUT_INVALID',
      'entity must be an object (a catalog entity), got an array',
    ],
    [
      'an entity without kind',
      { entity: { metadata: { name: 'a' } } },
      'FORBIDDEN',
      'Invalid entity reference',
    ],
    [
      'an entity with an empty kind',
      { entity: { kind: '', metadata: { name: 'a' } } },
      'FORBIDDEN',
      'Invalid entity reference',
    ],
    ['an entity without metadata', { entity: { kind: 'C' } }, 'FORBIDDEN', 'Invalid entity reference'],
    [
      'an entity without a name',
      { entity: { kind: 'C', metadata: {} } },
      'FORBIDDEN',
      'Invalid entity reference',
    ],
    [
      'an entity with a numeric name',
      { entity: { kind: 'C', metadata: { name: 7 } } },
      'FORBIDDEN',
      'Invalid entity reference',
    ],
    [
      'an entity with an empty namespace',
      { entity: { kind: 'C', metadata: { name: 'a', namespace: '' } } },
      'FORBIDDEN',
      'Invalid entity reference',
    ],
    [
      'auth that is a string',
      { entity, auth: 'secret-value' },
      'INPUT_INVALID',
      'auth must be an object mapping auth providers to tokens',
    ],
    [
      'auth that is an array',
      { entity, auth: ['secret-value'] },
      'INPUT_INVALID',
      'auth must be an object mapping auth providers to tokens',
    ],
    [
      'an auth token that is a number',
      { entity, auth: { google: 42 } },
      'INPUT_INVALID',
      'auth.google must be a token string or an object mapping names to token strings',
    ],
    [
      'an oidc token that is not a string',
      { entity, auth: { oidc: { okta: false } } },
      'INPUT_INVALID',
      'auth.oidc must be a token string or an object mapping names to token strings',
    ],
  ])('rejects %s', (_case, body, code, message) => {
    expect(failure(() => parseServicesBody(body))).toEqual({ code, message });
  });

  it('never echoes a token in its message', () => {
    const { message } = failure(() =>
      parseServicesBody({ entity, auth: { 'my provider': { okta: 99 }, aks: 'secret-value' } }),
    );
    expect(message).toBe(
      'auth["my provider"] must be a token string or an object mapping names to token strings',
    );
  });
});

describe('parseWorkloadsBody', () => {
  it.each([
    ['component:default/checkout', 'component:default/checkout'],
    ['Component:Checkout', 'component:default/checkout'],
    ['group:team-a/Platform', 'group:team-a/platform'],
  ])('accepts the ref %s', (entityRef, canonical) => {
    expect(parseWorkloadsBody({ entityRef })).toEqual({ entityRef: canonical, auth: {} });
  });

  it('defaults a null auth to {}', () => {
    expect(parseWorkloadsBody({ entityRef: 'component:a', auth: null }).auth).toEqual({});
  });

  // Backstage's messages, verbatim (resourcesRoutes.ts), including its truthiness rules.
  it.each([
    ['a non-object body', 7, 'Request body must be a JSON object, got a number'],
    ['a number', { entityRef: 7 }, 'entity query must be a string'],
    ['an object', { entityRef: { kind: 'component' } }, 'entity query must be a string'],
    ['true', { entityRef: true }, 'entity query must be a string'],
    ['no entityRef', {}, 'entity is a required field'],
    ['an empty string', { entityRef: '' }, 'entity is a required field'],
    ['null', { entityRef: null }, 'entity is a required field'],
    ['false', { entityRef: false }, 'entity is a required field'],
    [
      'a ref without kind',
      { entityRef: 'checkout' },
      'Invalid entity ref, Error: Entity reference "checkout" had missing or empty kind (e.g. did not start with "component:" or similar)',
    ],
    [
      'a malformed ref',
      { entityRef: 'component:/x' },
      'Invalid entity ref, TypeError: Entity reference "component:/x" was not on the form [<kind>:][<namespace>/]<name>',
    ],
    [
      'bad auth',
      { entityRef: 'component:a', auth: 5 },
      'auth must be an object mapping auth providers to tokens',
    ],
  ])('rejects %s with 400', (_case, body, message) => {
    expect(failure(() => parseWorkloadsBody(body))).toEqual({ code: 'INPUT_INVALID', message });
  });
});

describe('parseCustomBody', () => {
  it('accepts matchers and drops unknown matcher keys', () => {
    expect(parseCustomBody({ entityRef: 'component:a', customResources: [{ ...crd, extra: 1 }] })).toEqual({
      entityRef: 'component:default/a',
      auth: {},
      customResources: [crd],
    });
  });

  it.each([
    ['an entity error first', { entityRef: 3 }, 'entity query must be a string'],
    ['no customResources', { entityRef: 'component:a' }, 'customResources is a required field'],
    [
      'a null list',
      { entityRef: 'component:a', customResources: null },
      'customResources is a required field',
    ],
    [
      'an object list',
      { entityRef: 'component:a', customResources: crd },
      'customResources must be an array',
    ],
    [
      'a string list',
      { entityRef: 'component:a', customResources: 'rollouts' },
      'customResources must be an array',
    ],
    [
      'an empty list',
      { entityRef: 'component:a', customResources: [] },
      'at least 1 customResource is required',
    ],
    [
      'a string item',
      { entityRef: 'component:a', customResources: ['rollouts'] },
      'customResources[0] must be an object with group, apiVersion and plural',
    ],
    [
      'items with missing and empty fields',
      {
        entityRef: 'component:a',
        customResources: [crd, { group: 'g', apiVersion: 1 }, { ...crd, plural: '' }],
      },
      'customResources[1].apiVersion must be a non-empty string; customResources[1].plural must be a non-empty string; customResources[2].plural must be a non-empty string',
    ],
  ])('rejects %s with 400', (_case, body, message) => {
    expect(failure(() => parseCustomBody(body))).toEqual({ code: 'INPUT_INVALID', message });
  });
});
