import { age, replicas } from '../model/format.ts';
import { dashboardLinkOf, groupObjects, kindOf, type Workload } from '../model/workloads.ts';
import type { ComponentCluster, KubeObject } from '../types.ts';
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

function SimpleTable(props: {
  title: string;
  c: ComponentCluster;
  kind: string | ((o: KubeObject) => string);
  objects: KubeObject[];
  columns: [string, (o: KubeObject) => string][];
  open: Open;
}) {
  if (props.objects.length === 0) return null;
  const kindFor = (o: KubeObject) => (typeof props.kind === 'string' ? props.kind : props.kind(o));
  return (
    <div className="objects">
      <h4>{props.title}</h4>
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th>Name</th>
              {props.columns.map(([h]) => (
                <th key={h}>{h}</th>
              ))}
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {props.objects.map((o) => (
              <tr key={o.metadata?.uid ?? o.metadata?.name}>
                <td>
                  <ObjectButton
                    cluster={props.c.cluster.name}
                    kind={kindFor(o)}
                    object={o}
                    open={props.open}
                  />{' '}
                  <DashboardLink href={dashboardLinkOf(props.c, o)} />
                </td>
                {props.columns.map(([h, f]) => (
                  <td key={h}>{f(o)}</td>
                ))}
                <td>{age(o.metadata?.creationTimestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
        <SimpleTable
          title="Services"
          c={c}
          kind="Service"
          objects={g.services}
          open={open}
          columns={[
            ['Type', (o) => String(spec(o).type ?? 'ClusterIP')],
            ['Ports', ports],
            ['Selector', selector],
          ]}
        />
        <SimpleTable
          title="Ingresses"
          c={c}
          kind="Ingress"
          objects={g.ingresses}
          open={open}
          columns={[['Hosts', hosts]]}
        />
        <SimpleTable
          title="ConfigMaps"
          c={c}
          kind="ConfigMap"
          objects={g.configMaps}
          open={open}
          columns={[['Keys', (o) => String(Object.keys((o.data as object | undefined) ?? {}).length)]]}
        />
        <SimpleTable
          title="Custom resources"
          c={c}
          kind={(o) => o.kind ?? 'CustomResource'}
          objects={g.customResources}
          open={open}
          columns={[['Kind', (o) => `${o.kind ?? ''} ${o.apiVersion ?? ''}`]]}
        />
        {g.others.map((r) => (
          <SimpleTable
            key={r.type}
            title={r.type}
            c={c}
            kind={(o) => kindOf(r.type, o)}
            objects={r.resources}
            open={open}
            columns={[]}
          />
        ))}
      </div>
    </section>
  );
}
