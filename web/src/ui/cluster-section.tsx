import { age, replicas } from '../model/format.ts';
import { dashboardLinkOf, groupObjects, kindOf, type Workload } from '../model/workloads.ts';
import type { ComponentCluster, KubeObject } from '../types.ts';
import { DataTable, type Column } from './data-table.tsx';
import { ObjectButton } from './object-button.tsx';
import { describeFetchError, type DrawerTarget } from './object-drawer.tsx';
import { PodTable } from './pod-table.tsx';

type Open = (t: DrawerTarget) => void;

function DashboardLink({ href }: { href: string | undefined }) {
  if (!href) return null;
  return (
    <a
      className="dash"
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      title="Open in the cluster's dashboard"
    >
      dashboard ↗
    </a>
  );
}

function hpaText(hpa: KubeObject): string {
  const spec = (hpa.spec ?? {}) as { minReplicas?: number; maxReplicas?: number };
  const status = (hpa.status ?? {}) as { currentReplicas?: number; desiredReplicas?: number };
  return `HPA ${spec.minReplicas ?? 1}–${spec.maxReplicas ?? '?'}, current ${status.currentReplicas ?? '?'}`;
}

function WorkloadCard({ c, w, open }: { c: ComponentCluster; w: Workload; open: Open }) {
  const cluster = c.cluster.name;
  const ready = replicas(w.object);
  const schedule = (w.object.spec as { schedule?: string } | undefined)?.schedule;
  return (
    <div className="workload">
      <div className="workload-head">
        <span className="kind">{w.kind}</span>
        <ObjectButton cluster={cluster} kind={w.kind} object={w.object} open={open} />
        {ready ? <span className="muted">{ready} ready</span> : null}
        {schedule ? <code className="muted">{schedule}</code> : null}
        {w.hpas.map((h) => (
          <ObjectButton
            key={h.metadata?.uid}
            cluster={cluster}
            kind="HorizontalPodAutoscaler"
            object={h}
            open={open}
            label={hpaText(h)}
          />
        ))}
        <DashboardLink href={dashboardLinkOf(c, w.object)} />
      </div>
      {w.sets.map((set) => (
        <div key={set.owner.metadata?.uid} className="podset">
          {set.owner !== w.object ? (
            <div className="podset-head muted small">
              {kindOf(w.kind === 'CronJob' ? 'jobs' : 'replicasets', set.owner)}{' '}
              <ObjectButton
                cluster={cluster}
                kind={w.kind === 'CronJob' ? 'Job' : 'ReplicaSet'}
                object={set.owner}
                open={open}
              />
              {replicas(set.owner) ? ` · ${replicas(set.owner)} ready` : ''}
            </div>
          ) : null}
          <PodTable cluster={cluster} pods={set.pods} metrics={c.podMetrics} open={open} />
        </div>
      ))}
    </div>
  );
}

interface ObjectTable {
  title: string;
  kind: string | ((o: KubeObject) => string);
  objects: KubeObject[];
  /** Between the name (with its dashboard link) and the age, which every table has. */
  columns: Column<KubeObject>[];
}

function SimpleTable({ table, c, open }: { table: ObjectTable; c: ComponentCluster; open: Open }) {
  if (table.objects.length === 0) return null;
  const kindFor = (o: KubeObject) => (typeof table.kind === 'string' ? table.kind : table.kind(o));
  const columns: Column<KubeObject>[] = [
    {
      header: 'Name',
      cell: (o) => (
        <>
          <ObjectButton cluster={c.cluster.name} kind={kindFor(o)} object={o} open={open} />{' '}
          <DashboardLink href={dashboardLinkOf(c, o)} />
        </>
      ),
    },
    ...table.columns,
    { header: 'Age', cell: (o) => age(o.metadata?.creationTimestamp) },
  ];
  return (
    <div className="objects">
      <h4>{table.title}</h4>
      <DataTable
        className="table compact"
        columns={columns}
        rows={table.objects}
        rowKey={(o) => o.metadata?.uid ?? o.metadata?.name}
      />
    </div>
  );
}

const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
const ports = (o: KubeObject) =>
  ((spec(o).ports as { port?: number; protocol?: string; targetPort?: unknown }[] | undefined) ?? [])
    .map(
      (p) =>
        `${p.port}${p.targetPort !== undefined ? `→${String(p.targetPort)}` : ''}/${p.protocol ?? 'TCP'}`,
    )
    .join(', ');
const selector = (o: KubeObject) =>
  Object.entries((spec(o).selector as Record<string, string> | undefined) ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '—';
const hosts = (o: KubeObject) =>
  ((spec(o).rules as { host?: string }[] | undefined) ?? []).map((r) => r.host ?? '*').join(', ') || '—';

/** One cluster's part of the Component page: its errors first, then workloads with their pods, then the rest. */
export function ClusterSection({ c, open }: { c: ComponentCluster; open: Open }) {
  const g = groupObjects(c.resources);
  const cluster = c.cluster.name;
  const podCount = c.resources.find((r) => r.type === 'pods')?.resources.length ?? 0;
  const failed = c.errors.some((e) => e.errorType === 'FETCH_ERROR');
  const tables: ObjectTable[] = [
    {
      title: 'Services',
      kind: 'Service',
      objects: g.services,
      columns: [
        { header: 'Type', cell: (o) => String(spec(o).type ?? 'ClusterIP') },
        { header: 'Ports', cell: ports },
        { header: 'Selector', cell: selector },
      ],
    },
    {
      title: 'Ingresses',
      kind: 'Ingress',
      objects: g.ingresses,
      columns: [{ header: 'Hosts', cell: hosts }],
    },
    {
      title: 'ConfigMaps',
      kind: 'ConfigMap',
      objects: g.configMaps,
      columns: [
        { header: 'Keys', cell: (o) => String(Object.keys((o.data as object | undefined) ?? {}).length) },
      ],
    },
    {
      title: 'Custom resources',
      kind: (o) => o.kind ?? 'CustomResource',
      objects: g.customResources,
      columns: [{ header: 'Kind', cell: (o) => `${o.kind ?? ''} ${o.apiVersion ?? ''}` }],
    },
    ...g.others.map((r) => ({
      title: r.type,
      kind: (o: KubeObject) => kindOf(r.type, o),
      objects: r.resources,
      columns: [],
    })),
  ];
  return (
    <section
      className={`cluster ${c.errors.length ? 'cluster-has-errors' : ''}`}
      aria-labelledby={`cluster-${cluster}`}
      data-cluster={cluster}
    >
      <header className="cluster-head">
        <h2 id={`cluster-${cluster}`}>
          {c.cluster.title ?? cluster}
          {c.cluster.title ? <span className="muted small"> {cluster}</span> : null}
        </h2>
        <span className="muted">
          {failed ? 'unreachable' : `${podCount} pod${podCount === 1 ? '' : 's'}`}
          {c.detectedErrors.length
            ? ` · ${c.detectedErrors.length} detected error${c.detectedErrors.length === 1 ? '' : 's'}`
            : ''}
        </span>
        <DashboardLink href={c.dashboard.url} />
      </header>
      {c.errors.length > 0 ? (
        <div className="cluster-errors" role="alert">
          <p className="state-title">
            {failed ? `${cluster} could not be read` : `${cluster} refused part of the request`}; the other
            clusters are shown as usual.
          </p>
          <ul>
            {c.errors.map((e, i) => (
              <li key={i}>{describeFetchError(e)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {g.workloads.map((w) => (
        <WorkloadCard key={w.object.metadata?.uid} c={c} w={w} open={open} />
      ))}
      {g.otherPods.length > 0 ? (
        <div className="workload">
          <div className="workload-head">
            <span className="kind">Pods</span> <span className="muted">not owned by a listed workload</span>
          </div>
          <PodTable cluster={cluster} pods={g.otherPods} metrics={c.podMetrics} open={open} />
        </div>
      ) : null}
      <div className="objects-grid">
        {tables.map((t) => (
          <SimpleTable key={t.title} table={t} c={c} open={open} />
        ))}
      </div>
    </section>
  );
}
