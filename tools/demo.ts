/**
 * `npm run demo`: Stitchboard on an embedded default, in one command. Builds the real kube-apiserver
 * once (cached outside the repo), starts a local cluster `demo` under .state/kube/demo, seeds the
 * example catalog's workloads into it, and serves Stitchboard with examples/catalog on port 7007
 * (`npm run demo -- --port 8080` to change it), stitching that catalog to the cluster's Services
 * every 30 s (`scrapers.catalog`). Ctrl-C stops Stitchboard; the cluster keeps running
 * (`npm run kube -- stop demo` stops it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { main } from '../src/cli/main.ts';
import { KubeClient } from './kube/client.ts';
import { checkPrerequisites, ensureKubeApiserver, startCluster } from './kube/lab.ts';
import { seedWorkload, type WorkloadSpec } from './seed/workloads.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { port: { type: 'string', default: '7007' } } });

const WORKLOADS: WorkloadSpec[] = [
  {
    name: 'checkout',
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': 'checkout', app: 'checkout' },
    replicas: 3,
  },
  {
    name: 'payments',
    namespace: 'shop',
    labels: { 'app.kubernetes.io/name': 'payments', 'app.kubernetes.io/part-of': 'shop' },
    replicas: 2,
    podState: 'crashloop',
  },
  {
    name: 'storefront',
    namespace: 'shop-web',
    labels: { 'backstage.io/kubernetes-id': 'storefront', app: 'storefront' },
    replicas: 2,
  },
  // Nothing in the catalog claims this one: it shows up in coverage reports.
  { name: 'legacy-cache', namespace: 'shop', labels: { app: 'legacy-cache' }, replicas: 1 },
];

checkPrerequisites();
// The web UI Stitchboard serves at `/` (src/http/routes/ui.ts): built fresh so the demo shows this checkout's.
await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
await ensureKubeApiserver();
const cluster = await startCluster({ name: 'demo', stateDir: join(ROOT, '.state/kube/demo') });
const admin = new KubeClient(cluster);
for (const ns of new Set(WORKLOADS.map((w) => w.namespace))) await admin.ensureNamespace(ns);
const seeded = await admin.request('GET', '/apis/apps/v1/namespaces/shop/deployments/checkout');
if (seeded.status === 404) {
  for (const w of WORKLOADS) await seedWorkload(admin, w);
  console.log(`[demo] seeded ${WORKLOADS.length} workloads into ${cluster.url}`);
}
admin.close();

const dir = join(ROOT, '.state/demo');
mkdirSync(dir, { recursive: true });
const configFile = join(dir, 'app-config.yaml');
writeFileSync(
  configFile,
  `# Written by npm run demo. The token comes from the environment, never from this file.
stitchboard:
  dataDir: ${join(dir, 'data')}
  catalog:
    - type: file
      path: ${join(ROOT, 'examples/catalog')}
kubernetes:
  serviceLocatorMethod:
    type: multiTenant
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: demo
          title: Local demo cluster
          url: ${cluster.url}
          authProvider: serviceAccount
          serviceAccountToken: \${DEMO_CLUSTER_TOKEN}
          caFile: ${cluster.caFile}
          skipMetricsLookup: true
  apiVersionOverrides:
    cronjobs: v1beta1
    horizontalpodautoscalers: v2beta2
# No Backstage here: stitch the example catalog itself, so owners, who-owns and coverage have data.
scrapers:
  backstage:
    interval: 30s
    discovery:
      enabled: false
  catalog:
    enabled: true
`,
);
console.log(
  `[demo] Stitchboard on http://localhost:${values.port}  (try: curl localhost:${values.port}/api/kubernetes/clusters)`,
);
process.env.DEMO_CLUSTER_TOKEN = cluster.readonlyToken;
process.exitCode = await main(['serve', '--config', configFile, '--port', values.port ?? '7007']);
