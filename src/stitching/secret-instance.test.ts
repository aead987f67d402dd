import { describe, expect, it } from 'vitest';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import { backstageSecret, instanceFromSecret, safeEndpoint } from './secret-instance.ts';
import type { InstanceSource } from './types.ts';

const source: InstanceSource = {
  type: 'secret',
  cluster: 'alpha',
  namespace: 'tools',
  name: 'bs',
  configured: false,
};
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const secretWith = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'bs', namespace: 'tools' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});
const read = (data: Record<string, string>) =>
  instanceFromSecret(secretWith(data), { name: 'tools/bs', source, labelMap: DEFAULT_LABEL_MAP });
const TOKEN = 'tok-very-secret-123';

describe('instanceFromSecret', () => {
  it.each([
    [{ endpoint: 'https://backstage.example.com' }, 'https://backstage.example.com', undefined, false],
    [
      { endpoint: 'https://backstage.example.com\n', token: `${TOKEN}\n` },
      'https://backstage.example.com',
      TOKEN,
      false,
    ],
    [
      { endpoint: 'http://127.0.0.1:7007', insecure_skip_verify: 'TRUE' },
      'http://127.0.0.1:7007',
      undefined,
      true,
    ],
    [
      { endpoint: 'http://127.0.0.1:7007', insecure_skip_verify: 'false', token: '' },
      'http://127.0.0.1:7007',
      undefined,
      false,
    ],
  ])('reads %j', (data, endpoint, token, insecureSkipVerify) => {
    const result = read(data);
    expect(result).toEqual({
      ok: true,
      instance: {
        name: 'tools/bs',
        source,
        endpoint,
        ...(token ? { token } : {}),
        insecureSkipVerify,
        labelMap: DEFAULT_LABEL_MAP,
      },
    });
  });

  it.each([
    [{}, /Secret tools\/bs in cluster alpha: has no "endpoint" key/],
    [{ endpoint: '  ' }, /has no "endpoint" key/],
    [{ endpoint: 'https://backstage.example.com/' }, /"endpoint" must not end with "\/"/],
    [{ endpoint: 'ftp://backstage.example.com' }, /"endpoint" must be an http or https URL, not ftp/],
    [
      { endpoint: 'backstage.example.com' },
      /"endpoint" not a valid URL \(expected an absolute URL such as https:\/\/backstage.example.com\)/,
    ],
    [
      { endpoint: 'https://b.example.com', insecure_skip_verify: 'yes' },
      /"insecure_skip_verify" must be true or false/,
    ],
    [{ endpoint: 'https://b.example.com', token: `Bearer ${TOKEN}` }, /"token" contains whitespace/],
  ])('refuses %j, naming the Secret and the key', (data, message) => {
    const result = read(data);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toMatch(message);
      expect(result.name).toBe('tools/bs');
      expect(JSON.stringify(result)).not.toContain(TOKEN);
    }
  });

  it('shows an endpoint with a problem without its credentials', () => {
    const result = read({ endpoint: `https://user:${TOKEN}@backstage.example.com/` });
    expect(result).toMatchObject({ ok: false, endpoint: 'https://backstage.example.com/' });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('ignores values that are not strings and keys it does not know', () => {
    const secret = { metadata: {}, data: { endpoint: 42, other: b64('x') } };
    expect(instanceFromSecret(secret, { name: 'n', source, labelMap: DEFAULT_LABEL_MAP })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/has no "endpoint" key/),
    });
  });
});

it('names the missing key of a Secret without endpoint, and no value', () => {
  const secret = { metadata: {}, data: { token: b64(TOKEN) } };
  const found = instanceFromSecret(secret, { name: 'tools/bs', source, labelMap: DEFAULT_LABEL_MAP });
  expect(found).toMatchObject({ ok: false, missingKey: 'endpoint' });
  expect(JSON.stringify(found)).not.toContain(TOKEN);
});

describe('safeEndpoint', () => {
  it.each([
    ['https://backstage.example.com', 'https://backstage.example.com'],
    ['https://a:b@backstage.example.com/x', 'https://backstage.example.com/x'],
    ['not a url', '(not a URL)'],
  ])('%s → %s', (input, output) => expect(safeEndpoint(input)).toBe(output));
});

describe('backstageSecret', () => {
  it('builds the labelled Secret the seed describes, and reads back as the same instance', () => {
    const secret = backstageSecret({
      namespace: 'tools',
      name: 'bs',
      endpoint: 'https://backstage.example.com',
      token: TOKEN,
      insecureSkipVerify: false,
      labels: { 'causely.ai/scraper': 'Backstage' },
    });
    expect(secret.metadata).toEqual({
      name: 'bs',
      namespace: 'tools',
      labels: { 'causely.ai/scraper': 'Backstage' },
    });
    expect(Object.keys(secret.data as object)).toEqual(['endpoint', 'token', 'insecure_skip_verify']);
    expect(
      instanceFromSecret(secret, { name: 'tools/bs', source, labelMap: DEFAULT_LABEL_MAP }),
    ).toMatchObject({
      ok: true,
      instance: { endpoint: 'https://backstage.example.com', token: TOKEN, insecureSkipVerify: false },
    });
  });
});
