import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { ALL_OBJECTS, selectObjectTypes } from '../../src/kube/object-types.ts';
import type { PolicyRule } from '../kube/aggregate-roles.ts';
import {
  BASE_DIR,
  POSTGRES_OVERLAY,
  allows,
  findManifest,
  readManifests,
  type ContainerShape,
  type DeploymentShape,
  type Manifest,
} from './manifests.ts';

const rbac = readManifests(join(BASE_DIR, 'rbac.yaml'));
const rulesOf = (m: Manifest) => (m.rules ?? []) as PolicyRule[];
const clusterRole = rulesOf(findManifest(rbac, 'ClusterRole', 'stitchboard-read'));
const secretsRole = findManifest(rbac, 'Role', 'stitchboard-secrets');
const appConfig = parse(readFileSync(join(BASE_DIR, 'app-config.yaml'), 'utf8'));
const deployment = readManifests(join(BASE_DIR, 'deployment.yaml'))[0] as DeploymentShape;
const podSpec = deployment.spec.template.spec;
const container = podSpec.containers[0] as ContainerShape;

describe('the ClusterRole', () => {
  it.each(selectObjectTypes({}).map((o) => [o.objectType, o] as const))(
    'lets Stitchboard get, list and watch the default object type %s',
    (_name, o) => {
      for (const verb of ['get', 'list', 'watch']) {
        expect(allows(clusterRole, o.group, o.plural, verb), `${verb} ${o.group}/${o.plural}`).toBe(true);
      }
    },
  );

  it('grants nothing for opt-in types, Secrets included, and no write verb at all', () => {
    const defaults = new Set(selectObjectTypes({}).map((o) => o.plural));
    for (const o of ALL_OBJECTS.filter((t) => !defaults.has(t.plural))) {
      expect(allows(clusterRole, o.group, o.plural, 'list'), o.plural).toBe(false);
    }
    const verbs = new Set(clusterRole.flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(clusterRole.some((r) => r.apiGroups?.includes('*') || r.resources?.includes('*'))).toBe(false);
  });

  it('reads Events (the UI drawer) and pod metrics, but never watches them', () => {
    expect(allows(clusterRole, '', 'events', 'list')).toBe(true);
    expect(allows(clusterRole, 'metrics.k8s.io', 'pods', 'list')).toBe(true);
    expect(allows(clusterRole, '', 'events', 'watch')).toBe(false);
  });
});

describe('Secrets', () => {
  it('are read and created only in the namespace where discovery looks, never updated or deleted', () => {
    expect(appConfig.scrapers.backstage.discovery.namespaces).toEqual([secretsRole.metadata.namespace]);
    const rules = rulesOf(secretsRole);
    for (const verb of ['get', 'list', 'create']) expect(allows(rules, '', 'secrets', verb)).toBe(true);
    for (const verb of ['update', 'patch', 'delete', 'watch']) {
      expect(allows(rules, '', 'secrets', verb)).toBe(false);
    }
    expect(rules.flatMap((r) => r.resources)).toEqual(['secrets']);
  });

  it('bind both roles to the ServiceAccount the Deployment runs as', () => {
    const subject = { kind: 'ServiceAccount', name: podSpec.serviceAccountName, namespace: 'stitchboard' };
    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      const binding = rbac.find((m) => m.kind === kind);
      expect(binding?.subjects).toEqual([subject]);
    }
  });
});

describe('the Deployment', () => {
  it('runs non-root on a read-only root filesystem, with nothing to escalate', () => {
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('probes liveness on /healthz and readiness on /readyz, on the port the config listens on', () => {
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: appConfig.backend.listen.port }]);
  });

  it('keeps its data on an emptyDir where the config puts dataDir, next to the mounted config', () => {
    const mounts = Object.fromEntries((container.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
    expect(mounts.config).toBe('/app/config');
    // dataDir is relative to the config file (/app/config/app-config.yaml).
    expect(join('/app/config', appConfig.stitchboard.dataDir)).toBe(mounts.data);
    expect(podSpec.volumes?.find((v) => v.name === 'data')).toEqual({ name: 'data', emptyDir: {} });
  });
});

describe('the app-configs', () => {
  it('load, in watch mode with one in-cluster serviceAccount cluster', async () => {
    const { config } = await loadConfig([join(BASE_DIR, 'app-config.yaml')], { env: {} });
    expect(config.stitchboard.kubernetes.mode).toBe('watch');
    expect(config.stitchboard.dataDir).toBe(join(BASE_DIR, '..', 'data'));
    const [locator] = appConfig.kubernetes.clusterLocatorMethods;
    expect(locator.clusters).toEqual([
      { name: 'in-cluster', url: 'https://kubernetes.default.svc', authProvider: 'serviceAccount' },
    ]);
  });

  it('with the PostgreSQL overlay merged over them, read the database URL from the environment', async () => {
    const url = 'postgresql://stitchboard@db.example:5432/stitchboard';
    const files = [join(BASE_DIR, 'app-config.yaml'), join(POSTGRES_OVERLAY, 'app-config.postgres.yaml')];
    const { config } = await loadConfig(files, { env: { STITCHBOARD_DATABASE_URL: url } });
    expect(config.backend.database).toMatchObject({ client: 'pg', connection: url });
    const patch = readManifests(join(POSTGRES_OVERLAY, 'deployment-patch.yaml'))[0] as DeploymentShape;
    expect(patch.spec.replicas).toBe(3);
    expect(patch.spec.template.spec.containers[0]?.args).toEqual([
      'serve',
      '--config',
      'config/app-config.yaml',
      '--config',
      'config/app-config.postgres.yaml',
    ]);
    expect(patch.spec.template.spec.containers[0]?.env).toEqual([
      {
        name: 'STITCHBOARD_DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'stitchboard-database', key: 'url' } },
      },
    ]);
  });
});
