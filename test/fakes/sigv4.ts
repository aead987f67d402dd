/**
 * AWS Signature Version 4, verified from the specification with node:crypto alone, so a test does not
 * check the SDK's signer against itself. Used by the loopback STS (test/fakes/aws-sts.ts) for both
 * header-signed calls (AssumeRole) and presigned URLs (the EKS token's GetCallerIdentity).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export interface SignedRequest {
  method: string;
  path: string;
  /** Decoded query parameters, in any order. */
  query: [string, string][];
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface SigV4Facts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  amzDate: string;
  expires?: number;
  sessionToken?: string;
}

export type Verdict = { ok: true; facts: SigV4Facts } | { ok: false; reason: string };

/** Checks a presigned (query) or header-signed request against the secret of its access key. */
export function verifySigV4(
  request: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
): Verdict {
  const q = new Map(request.query);
  const presigned = q.has('X-Amz-Signature');
  let credential: string | undefined;
  let signedHeaderList: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  if (presigned) {
    if (q.get('X-Amz-Algorithm') !== ALGORITHM) return { ok: false, reason: 'X-Amz-Algorithm' };
    credential = q.get('X-Amz-Credential');
    signedHeaderList = q.get('X-Amz-SignedHeaders');
    signature = q.get('X-Amz-Signature');
    amzDate = q.get('X-Amz-Date');
  } else {
    const auth = request.headers.authorization ?? '';
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(auth);
    if (!match) return { ok: false, reason: 'no SigV4 Authorization header' };
    [, credential, signedHeaderList, signature] = match;
    amzDate = request.headers['x-amz-date'];
  }
  if (!credential || !signedHeaderList || !signature || !amzDate) return { ok: false, reason: 'incomplete' };
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return { ok: false, reason: 'credential scope' };
  }
  if (!amzDate.startsWith(date)) return { ok: false, reason: 'X-Amz-Date does not match the scope date' };
  const secret = secretFor(accessKeyId);
  if (!secret) return { ok: false, reason: `unknown access key ${accessKeyId}` };

  const signedHeaders = signedHeaderList.split(';');
  const canonicalHeaders = signedHeaders.map(
    (h) => `${h}:${(request.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`,
  );
  const canonicalQuery = request.query
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const payloadHash =
    request.headers['x-amz-content-sha256'] ??
    (request.body ? createHash('sha256').update(request.body).digest('hex') : EMPTY_SHA256);
  const canonicalRequest = [
    request.method,
    request.path.split('/').map(uriEncode).join('/'),
    canonicalQuery,
    canonicalHeaders.join(''),
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (
    expected.length !== signature.length ||
    !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  ) {
    return { ok: false, reason: 'signature mismatch' };
  }
  const facts: SigV4Facts = { accessKeyId, date, region, service, signedHeaders, amzDate };
  const expires = q.get('X-Amz-Expires');
  if (expires !== undefined) facts.expires = Number(expires);
  const sessionToken = q.get('X-Amz-Security-Token') ?? request.headers['x-amz-security-token'];
  if (sessionToken !== undefined) facts.sessionToken = sessionToken;
  return { ok: true, facts };
}

/** `20240102T030405Z` → Date (Invalid Date when malformed). */
export function parseAmzDate(value: string): Date {
  const iso = value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  return new Date(iso === value ? NaN : Date.parse(iso));
}

function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}
