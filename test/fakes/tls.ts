/**
 * A throwaway CA and a serving certificate for 127.0.0.1/localhost, made with `openssl` (as the
 * test-cluster lab does), for fakes that clients insist on reaching over HTTPS (Azure AD, OIDC issuers).
 * Trust it in-process with {@link trustCa}, or hand `caFile` to a process (`--oidc-ca-file`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-sha256'];
  await openssl(
    'req',
    '-x509',
    ...ec,
    '-days',
    '2',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    `/CN=${name} CA`,
  );
  await openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${name}`);
  const ext = join(dir, 'server.ext');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(
    ext,
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    ext,
    '-out',
    'server.crt',
  );
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
