import { readFileSync } from 'node:fs';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';

/** The TLS side of a connection to one cluster; the same fields for undici's `connect` and Node's https Agent. */
export interface ClusterTlsOptions {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * How to open TLS to `cluster`: its CA (`caData`, base64 PEM, before `caFile`), verification unless
 * `skipTLSVerify`, and the client certificate of an x509 credential. Shared by the fetchers and the
 * proxy so both trust exactly the same servers.
 */
export function clusterTlsOptions(cluster: ClusterDetails, credential: Credential): ClusterTlsOptions {
  const options: ClusterTlsOptions = { rejectUnauthorized: !cluster.skipTLSVerify };
  if (cluster.caData) options.ca = Buffer.from(cluster.caData, 'base64').toString('utf8');
  else if (cluster.caFile) options.ca = readFileSync(cluster.caFile, 'utf8');
  if (credential.type === 'x509 client certificate') {
    options.cert = credential.cert;
    options.key = credential.key;
  }
  return options;
}

/**
 * A key that differs whenever `clusterTlsOptions` would: connections made for one identity must
 * never be reused for another. Holds secrets (caData, the certificate): never log it.
 */
export function clusterTlsKey(cluster: ClusterDetails, credential: Credential): string {
  const cert = credential.type === 'x509 client certificate' ? credential.cert : '';
  return [cluster.url, cluster.skipTLSVerify, cluster.caData ?? '', cluster.caFile ?? '', cert].join('|');
}
