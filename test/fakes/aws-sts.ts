/**
 * AWS STS on loopback, speaking the real Query/XML protocol (API version 2011-06-15): `AssumeRole`
 * (POST, header-signed) and `GetCallerIdentity` (a presigned GET, which is how EKS tokens are checked).
 * Every request's SigV4 signature is verified against the fake's key table, including the temporary
 * keys it hands out, so a token signed with the wrong keys fails here as it would at AWS.
 *
 * @example
 *   const sts = await startFakeSts({ keys: { AKIABASE: { secret: 's', arn: 'arn:aws:iam::111122223333:user/ci' } } });
 *   env.AWS_ENDPOINT_URL_STS = sts.url;
 */
import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeReply, type FakeRequest } from './http-server.ts';
import { parseAmzDate, verifySigV4, type SigV4Facts } from './sigv4.ts';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface AssumeRoleCall {
  roleArn: string;
  externalId?: string;
  roleSessionName: string;
  /** The key that signed the call. */
  signedBy: string;
  region: string;
}

export interface CallerIdentityCall {
  facts: SigV4Facts;
  /** The replayed headers the signature covered. */
  headers: Record<string, string>;
}

export interface FakeSts {
  url: string;
  assumeRoleCalls: AssumeRoleCall[];
  callerIdentityCalls: CallerIdentityCall[];
  /** Roles whose AssumeRole is answered with AccessDenied. */
  denied: Set<string>;
  /** Lifetime of the credentials AssumeRole hands out. */
  sessionSeconds: number;
  /** Answers a presigned GetCallerIdentity URL as STS would (the EKS authenticator's check). */
  callerIdentity(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

interface KeyEntry {
  secret: string;
  arn: string;
  sessionToken?: string;
}

export async function startFakeSts(options: {
  keys: Record<string, { secret: string; arn: string }>;
}): Promise<FakeSts> {
  const keys = new Map<string, KeyEntry>(Object.entries(options.keys));
  const state = {
    assumeRoleCalls: [] as AssumeRoleCall[],
    callerIdentityCalls: [] as CallerIdentityCall[],
    denied: new Set<string>(),
    sessionSeconds: 3600,
  };

  const handle = (req: FakeRequest): FakeReply => {
    const params = req.method === 'POST' ? new URLSearchParams(req.body) : req.url.searchParams;
    const verdict = verifySigV4(
      {
        method: req.method,
        path: req.url.pathname,
        query: [...req.url.searchParams],
        headers: req.headers,
        body: req.body,
      },
      (id) => keys.get(id)?.secret,
    );
    if (!verdict.ok) {
      return error(403, 'SignatureDoesNotMatch', `The request signature is not valid: ${verdict.reason}`);
    }
    const caller = keys.get(verdict.facts.accessKeyId) as KeyEntry;
    if (caller.sessionToken !== undefined && verdict.facts.sessionToken !== caller.sessionToken) {
      return error(403, 'InvalidClientTokenId', 'The security token included in the request is invalid');
    }
    if (params.get('Version') !== '2011-06-15') return error(400, 'InvalidAction', 'Unsupported Version');
    switch (params.get('Action')) {
      case 'AssumeRole':
        return assumeRole(params, verdict.facts);
      case 'GetCallerIdentity':
        return getCallerIdentity(verdict.facts, req.headers, caller);
      default:
        return error(400, 'InvalidAction', `Could not find operation ${params.get('Action')}`);
    }
  };

  const assumeRole = (params: URLSearchParams, facts: SigV4Facts): FakeReply => {
    const roleArn = params.get('RoleArn') ?? '';
    const call: AssumeRoleCall = {
      roleArn,
      roleSessionName: params.get('RoleSessionName') ?? '',
      signedBy: facts.accessKeyId,
      region: facts.region,
    };
    const externalId = params.get('ExternalId');
    if (externalId !== null) call.externalId = externalId;
    state.assumeRoleCalls.push(call);
    if (state.denied.has(roleArn)) {
      return error(
        403,
        'AccessDenied',
        `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const secret = randomBytes(20).toString('base64');
    const sessionToken = randomBytes(48).toString('base64');
    const [, partition, , , account, resource] = roleArn.split(':');
    const roleName = (resource ?? '').split('/').pop() ?? '';
    const assumedArn = `arn:${partition}:sts::${account}:assumed-role/${roleName}/${call.roleSessionName}`;
    keys.set(accessKeyId, { secret, arn: assumedArn, sessionToken });
    const expiration = new Date(Date.now() + state.sessionSeconds * 1000).toISOString();
    return xml(
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><SourceIdentity/><AssumedRoleUser>` +
        `<AssumedRoleId>AROA${randomBytes(6).toString('hex').toUpperCase()}:${call.roleSessionName}</AssumedRoleId>` +
        `<Arn>${assumedArn}</Arn></AssumedRoleUser><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${secret}</SecretAccessKey><SessionToken>${sessionToken}</SessionToken>` +
        `<Expiration>${expiration}</Expiration></Credentials></AssumeRoleResult>` +
        `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  };

  const getCallerIdentity = (
    facts: SigV4Facts,
    headers: Record<string, string>,
    caller: KeyEntry,
  ): FakeReply => {
    state.callerIdentityCalls.push({ facts, headers });
    const signedAt = parseAmzDate(facts.amzDate).getTime();
    // STS honours X-Amz-Expires; EKS separately refuses URLs older than 15 minutes.
    if (facts.expires !== undefined && Date.now() > signedAt + facts.expires * 1000) {
      return error(403, 'ExpiredToken', 'Request has expired');
    }
    const account = caller.arn.split(':')[4] ?? '';
    return xml(
      `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${caller.arn}</Arn>` +
        `<UserId>AIDA${facts.accessKeyId.slice(4)}</UserId><Account>${account}</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata>` +
        `</GetCallerIdentityResponse>`,
    );
  };

  const server = await startFakeServer(handle);
  return {
    url: server.url,
    get assumeRoleCalls() {
      return state.assumeRoleCalls;
    },
    get callerIdentityCalls() {
      return state.callerIdentityCalls;
    },
    denied: state.denied,
    get sessionSeconds() {
      return state.sessionSeconds;
    },
    set sessionSeconds(value: number) {
      state.sessionSeconds = value;
    },
    async callerIdentity(url, headers) {
      const parsed = new URL(url);
      const reply = handle({ method: 'GET', url: parsed, headers, body: '' });
      return { status: reply.status ?? 200, body: String(reply.body ?? '') };
    },
    close: () => server.close(),
  };
}

function xml(body: string): FakeReply {
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

function error(status: number, code: string, message: string): FakeReply {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${message}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  };
}

function requestId(): string {
  return randomBytes(16)
    .toString('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
