/** What aws-iam-authenticator and the EKS API server expect before the base64url of the URL. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header EKS checks against its own cluster id; signed, so the token works for one cluster only. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** aws-iam-authenticator's own client signs for 60 s; the server accepts the URL for 15 min after X-Amz-Date. */
export const PRESIGN_EXPIRES_SECONDS = 60;

/** Long-lived keys, or temporary ones from AssumeRole (with `sessionToken`). */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface EksTokenInput {
  credentials: AwsKeys;
  region: string;
  /** The EKS cluster name (or `kubernetes.io/x-k8s-aws-id`). */
  clusterId: string;
  signingDate?: Date;
}

/**
 * An EKS bearer token: a SigV4-presigned `GET https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity`
 * with the cluster id as a signed header, as `aws eks get-token` makes it. The API server's authenticator
 * replays the URL to STS, which answers with the caller's ARN; nothing secret is in the token except
 * the short-lived signature (and a session token, when the credentials are temporary).
 *
 * @example
 * await eksToken({ credentials, region: 'eu-west-1', clusterId: 'prod' }) // → 'k8s-aws-v1.aHR0cHM6Ly9zdHMu…'
 */
export async function eksToken(input: EksTokenInput): Promise<string> {
  const hostname = `sts.${input.region}.amazonaws.com`;
  // Loaded by the first token (2 MiB of heap), so only a configuration with an `aws` cluster carries them.
  const [{ Sha256 }, { SignatureV4 }] = await Promise.all([
    import('@aws-crypto/sha256-js'),
    import('@smithy/signature-v4'),
  ]);
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname, [CLUSTER_ID_HEADER]: input.clusterId },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, ...(input.signingDate ? { signingDate: input.signingDate } : {}) },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(String(value))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url');
}

/** encodeURIComponent leaves `!'()*` alone; SigV4 canonical form (and STS) escape them. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
