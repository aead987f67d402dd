/**
 * A throwaway CA and a serving certificate for 127.0.0.1/localhost, made with `openssl` the way the
 * test-cluster lab makes its own (`makeServingPki`), for fakes that clients insist on reaching over HTTPS (Azure AD, OIDC issuers).
 * Trust it in-process with {@link trustCa}, or hand `caFile` to a process (`--oidc-ca-file`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { makeServingPki } from '../../tools/kube/pki.ts';

export interface TestTls {
  /** PEM of the CA. */
  ca: string;
  caFile: string;
  cert: string;
  key: string;
  remove(): Promise<void>;
}

export async function makeTestTls(name = 'stitchboard-test'): Promise<TestTls> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-tls-'));
  await makeServingPki(dir, {
    caSubject: `/CN=${name} CA`,
    subject: `/CN=${name}`,
    name: 'server',
    days: 2,
    extensions: [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'),
  });
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key'].map((f) => readFile(join(dir, f), 'utf8')),
  );
  return {
    ca: ca as string,
    caFile: join(dir, 'ca.crt'),
    cert: cert as string,
    key: key as string,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Adds `ca` to the CAs this process's TLS clients trust by default (Node 24's
 * `tls.setDefaultCACertificates`), as NODE_EXTRA_CA_CERTS would at start-up; returns the undo.
 */
export function trustCa(ca: string): () => void {
  const before = getCACertificates('default');
  setDefaultCACertificates([...before, ca]);
  return () => setDefaultCACertificates(before);
}
