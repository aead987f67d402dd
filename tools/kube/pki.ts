/**
 * A cluster's certificates, service-account key and static tokens, made once with `openssl` and
 * kept in STATE_DIR/pki so a restarted cluster keeps its CA, URLs and tokens.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PkiFiles {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  saKeyFile: string;
  saPubFile: string;
  tokensFile: string;
}

export interface StaticTokens {
  adminToken: string;
  readonlyToken: string;
}

export function pkiFiles(stateDir: string): PkiFiles {
  const dir = join(stateDir, 'pki');
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'apiserver.crt'),
    keyFile: join(dir, 'apiserver.key'),
    saKeyFile: join(dir, 'sa.key'),
    saPubFile: join(dir, 'sa.pub'),
    tokensFile: join(dir, 'tokens.csv'),
  };
}

const SERVING_EXTENSIONS = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth',
  // In-cluster names too, so a client that verifies kubernetes.default.svc (as pods do) accepts it.
  'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
    'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
].join('\n');

/**
 * Creates the CA (ECDSA P-256: instant), the serving certificate and an RSA 2048 service-account
 * key (RS256 tokens, as on most clusters). Built in a scratch folder and renamed into place, so an
 * interrupted run leaves no half-made PKI behind.
 */
export async function ensurePki(stateDir: string, clusterName: string): Promise<PkiFiles> {
  const files = pkiFiles(stateDir);
  if (existsSync(files.saPubFile)) return files;
  const tmp = `${files.dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await makeServingPki(tmp, {
    caSubject: `/CN=${clusterName}-ca`,
    subject: '/CN=kube-apiserver',
    name: 'apiserver',
    days: 3650,
    extensions: SERVING_EXTENSIONS,
  });
  const openssl = (...args: string[]) => run('openssl', args, { cwd: tmp });
  await openssl('genrsa', '-out', 'sa.key', '2048');
  await openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  for (const name of readdirSync(tmp)) if (name.endsWith('.key')) chmodSync(join(tmp, name), 0o600);
  rmSync(files.dir, { recursive: true, force: true });
  renameSync(tmp, files.dir);
  return files;
}

export interface ServingPkiOptions {
  /** The CA's subject, e.g. `/CN=alpha-ca`. */
  caSubject: string;
  /** The serving certificate's subject. */
  subject: string;
  /** Base name of the serving key and certificate: `<name>.key`, `<name>.crt`. */
  name: string;
  days: number;
  /** The serving certificate's X.509 v3 extensions, one `key=value` a line. */
  extensions: string;
}

/**
 * Makes in `dir`, with `openssl`, a CA (ECDSA P-256: instant; `ca.key`, `ca.crt`) and a serving
 * certificate it signed (`<name>.key`, `<name>.crt`), and nothing else: the CSR, the extensions file
 * and the serial file are removed.
 */
export async function makeServingPki(dir: string, options: ServingPkiOptions): Promise<void> {
  const { name, days } = options;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-sha256'];
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await openssl(
    'req',
    '-x509',
    ...ec,
    '-days',
    String(days),
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    options.caSubject,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  await openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', options.subject);
  writeFileSync(join(dir, `${name}.ext`), `${options.extensions}\n`);
  await openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    String(days),
    '-sha256',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  );
  for (const file of [`${name}.csr`, `${name}.ext`, 'ca.srl']) rmSync(join(dir, file), { force: true });
}

/**
 * The static token file: `admin` in system:masters, `readonly` in group `readonly` (bound to a
 * get/list/watch-everything ClusterRole at start). Made once; later calls read it back.
 */
export function ensureTokens(files: PkiFiles): StaticTokens {
  if (!existsSync(files.tokensFile)) {
    const admin = randomBytes(24).toString('hex');
    const readonly = randomBytes(24).toString('hex');
    // token,user,uid,"group1,group2"
    const csv = `${admin},admin,admin-uid,"system:masters"\n${readonly},readonly,readonly-uid,"readonly"\n`;
    writeFileSync(files.tokensFile, csv, { mode: 0o600 });
  }
  const byUser = new Map<string, string>();
  for (const line of readFileSync(files.tokensFile, 'utf8').split('\n')) {
    const [token, user] = line.split(',');
    if (token && user) byUser.set(user, token);
  }
  const adminToken = byUser.get('admin');
  const readonlyToken = byUser.get('readonly');
  if (!adminToken || !readonlyToken) {
    throw new Error(`${files.tokensFile} has no admin or readonly line: delete it to make new tokens`);
  }
  return { adminToken, readonlyToken };
}
