import { describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../test/fakes/sigv4.ts';
import { EKS_TOKEN_PREFIX, eksToken } from './aws-token.ts';

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2024-05-06T07:08:09Z');

/** Undoes the token exactly as aws-iam-authenticator does: strip the prefix, base64url-decode, parse the URL. */
function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const body = token.slice(EKS_TOKEN_PREFIX.length);
  expect(body).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(body, 'base64url').toString('utf8'));
}

/** Checks the presigned URL as EKS does when the authenticator replays it, sending `x-k8s-aws-id: clusterId`. */
function replay(url: URL, clusterId: string) {
  return verifySigV4(
    {
      method: 'GET',
      path: url.pathname,
      query: [...url.searchParams],
      headers: { host: url.host, 'x-k8s-aws-id': clusterId },
      body: '',
    },
    (id) => (id === keys.accessKeyId ? keys.secretAccessKey : undefined),
  );
}

describe('eksToken', () => {
  it('presigns GetCallerIdentity for the cluster, field by field', async () => {
    const token = await eksToken({
      credentials: keys,
      region: 'eu-west-1',
      clusterId: 'prod-eks',
      signingDate,
    });
    const url = decode(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = Object.fromEntries(url.searchParams);
    expect(Object.keys(q).sort()).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
    ]);
    expect(q).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20240506/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20240506T070809Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
    });
    expect(q['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);

    // Recomputed from the specification, with the headers the authenticator sends when it replays the URL.
    const verdict = replay(url, 'prod-eks');
    expect(verdict).toMatchObject({ ok: true, facts: { region: 'eu-west-1', service: 'sts', expires: 60 } });

    // Bound to its cluster: replayed for another cluster id, the signature no longer holds.
    const other = replay(url, 'other');
    expect(other).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('carries the session token of temporary credentials, signed', async () => {
    const token = await eksToken({
      credentials: { ...keys, sessionToken: 'FwoGZXIvYXdzE+session/token==' },
      region: 'us-east-1',
      clusterId: 'c',
      signingDate,
    });
    const url = decode(token);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzE+session/token==');
    const verdict = replay(url, 'c');
    expect(verdict).toMatchObject({ ok: true, facts: { sessionToken: 'FwoGZXIvYXdzE+session/token==' } });
  });

  it('differs per cluster id and per signing time', async () => {
    const a = await eksToken({ credentials: keys, region: 'us-east-1', clusterId: 'a', signingDate });
    const b = await eksToken({ credentials: keys, region: 'us-east-1', clusterId: 'b', signingDate });
    const later = await eksToken({
      credentials: keys,
      region: 'us-east-1',
      clusterId: 'a',
      signingDate: new Date(signingDate.getTime() + 1000),
    });
    expect(new Set([a, b, later]).size).toBe(3);
  });
});
