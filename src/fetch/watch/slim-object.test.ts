import { describe, expect, it } from 'vitest';
import { LAST_APPLIED_ANNOTATION, slimObject } from './slim-object.ts';

const pod = () => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'web',
    namespace: 'shop',
    labels: { app: 'shop' },
    annotations: { [LAST_APPLIED_ANNOTATION]: '{"huge":true}', team: 'a' },
    managedFields: [{ manager: 'kubectl', fieldsV1: {} }],
  },
  spec: { containers: [{ name: 'app' }] },
});

describe('slimObject', () => {
  it('drops managedFields and the last-applied annotation, keeping other annotations', () => {
    expect(slimObject(pod(), { stripTypeMeta: false, maskSecrets: false })).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'shop' }, annotations: { team: 'a' } },
      spec: { containers: [{ name: 'app' }] },
    });
  });

  it('drops annotations altogether when last-applied was the only one', () => {
    const raw = { metadata: { name: 'x', annotations: { [LAST_APPLIED_ANNOTATION]: '{}' } } };
    expect(slimObject(raw, { stripTypeMeta: false, maskSecrets: false })).toEqual({
      metadata: { name: 'x' },
    });
  });

  it('strips kind and apiVersion for types whose LIST items carry none, keeping key order', () => {
    const slim = slimObject(pod(), { stripTypeMeta: true, maskSecrets: false });
    expect(Object.keys(slim)).toEqual(['metadata', 'spec']);
  });

  it('masks secret values before they are stored', () => {
    const secret = {
      metadata: { name: 's' },
      data: { password: 'c2VjcmV0' },
      stringData: { token: 'plain' },
    };
    const slim = slimObject(secret, { stripTypeMeta: true, maskSecrets: true });
    expect(slim).toEqual({
      metadata: { name: 's' },
      data: { password: '***' },
      stringData: { token: '***' },
    });
    expect(JSON.stringify(slim)).not.toContain('c2VjcmV0');
  });

  it('deep-freezes the result, so a response holder cannot change the cache', () => {
    const slim = slimObject(pod(), { stripTypeMeta: true, maskSecrets: false });
    expect(() => {
      (slim.metadata as { labels: Record<string, string> }).labels.app = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      ((slim.spec as { containers: unknown[] }).containers as unknown[]).push({});
    }).toThrow(TypeError);
  });
});
