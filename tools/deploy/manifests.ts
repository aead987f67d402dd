/**
 * deploy/kubernetes as data, for the tests that check it: the YAML files of the base and overlay, read
 * as they are (pure), and `kubectl kustomize` / `apply -k` through the cached kubectl 1.20 (I/O).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { PolicyRule } from '../kube/aggregate-roles.ts';
import { cachedKubeBinaries } from '../kube/binaries.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY_DIR = join(ROOT, 'deploy', 'kubernetes');
export const BASE_DIR = join(DEPLOY_DIR, 'base');
export const POSTGRES_OVERLAY = join(DEPLOY_DIR, 'overlays', 'postgres');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ContainerShape {
  name: string;
  args?: string[];
  env?: unknown[];
  ports?: { name: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  volumeMounts?: { name: string; mountPath: string }[];
}

/** The parts of a Deployment the tests read. */
export interface DeploymentShape extends Manifest {
  spec: {
    replicas?: number;
    template: {
      spec: {
        serviceAccountName?: string;
        securityContext?: Record<string, unknown>;
        containers: ContainerShape[];
        volumes?: { name: string; [key: string]: unknown }[];
      };
    };
  };
}

/** Every document of a multi-document YAML text; a YAML error names the source. */
export function parseManifests(text: string, source: string): Manifest[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${source} document ${i + 1}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Manifest;
  });
}

export function readManifests(file: string): Manifest[] {
  return parseManifests(readFileSync(file, 'utf8'), file);
}

export function findManifest(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => m.kind).join(', ')}`);
  return found;
}

/** Whether `rules` let `verb` on `group`/`resource` (RBAC's matching, `*` included). */
export function allows(rules: readonly PolicyRule[], group: string, resource: string, verb: string): boolean {
  const has = (list: readonly string[] | undefined, value: string) =>
    (list ?? []).some((v) => v === '*' || v === value);
  return rules.some(
    (r) => has(r.apiGroups, group) && has(r.resources, resource) && has(r.verbs, verb) && !r.resourceNames,
  );
}

const run = promisify(execFile);

/** `kubectl <args>` with the cached kubectl 1.20 (whose kustomize is the oldest the manifests support). */
export async function kubectl(args: string[], options: { input?: string } = {}): Promise<string> {
  const { kubectl: bin } = cachedKubeBinaries();
  const child = run(bin, args, { maxBuffer: 16 * 1024 * 1024 });
  if (options.input !== undefined) {
    child.child.stdin?.end(options.input);
  }
  const { stdout } = await child;
  return stdout;
}

/** The objects `kubectl apply -k dir` would send. */
export async function kustomize(dir: string): Promise<Manifest[]> {
  return parseManifests(await kubectl(['kustomize', dir]), `kubectl kustomize ${dir}`);
}
