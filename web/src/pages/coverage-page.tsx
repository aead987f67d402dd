import type { Report } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Chips, DataTable, type Column } from '../ui/data-table.tsx';
import { Link, componentPath } from '../ui/link.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';
import { Tried } from '../ui/tried.tsx';

const REASONS: Record<string, string> = {
  'no-id-value': 'The component gives no Kubernetes id (none of the label_map paths has a value)',
  'no-such-service': 'No Service of that name in any cluster read',
  ambiguous: 'Several namespaces hold a Service of that name, and the component names no namespace',
  conflict: 'Another component claimed the same Service first',
};

function Section<T>(props: {
  id: string;
  title: string;
  hint: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T, index: number) => string;
  testId?: string;
}) {
  const count = props.rows.length;
  return (
    <section className="block" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span className={`count-badge ${count ? 'count-warn' : ''}`}>{count}</span>
      </h2>
      <p className="muted small">{props.hint}</p>
      {count === 0 ? (
        <p className="ok-note">None.</p>
      ) : (
        <DataTable columns={props.columns} rows={props.rows} rowKey={props.rowKey} testId={props.testId} />
      )}
    </section>
  );
}

const componentLink = (ref: string) => <Link to={componentPath(ref)}>{ref}</Link>;

const UNMATCHED: Column<Report['unmatchedComponents'][number]>[] = [
  { header: 'Component', cell: (u) => componentLink(u.componentRef) },
  { header: 'Why', cell: (u) => REASONS[u.reason] ?? u.reason },
  {
    header: 'Looked for',
    cell: (u) =>
      u.kubernetesId ? (
        <code>
          {u.kubernetesNamespace ? `${u.kubernetesNamespace}/` : ''}
          {u.kubernetesId}
        </code>
      ) : (
        '—'
      ),
  },
  {
    header: 'Per cluster',
    className: 'small',
    cell: (u) =>
      u.clusters
        .map((m) => `${m.cluster}: ${m.reason}${m.candidates ? ` (${m.candidates.join(', ')})` : ''}`)
        .join('; ') || '—',
  },
  { header: 'Instance', cell: (u) => u.instance },
];

const AMBIGUOUS: Column<Report['ambiguous'][number]>[] = [
  { header: 'Component', cell: (a) => componentLink(a.componentRef) },
  { header: 'Cluster', cell: (a) => a.cluster },
  { header: 'Service name', cell: (a) => <code>{a.kubernetesId}</code> },
  { header: 'Candidate namespaces', cell: (a) => <Chips names={a.candidates ?? []} /> },
];

const UNCLAIMED: Column<Report['unclaimedServices'][number]>[] = [
  { header: 'Cluster', cell: (s) => s.cluster },
  { header: 'Namespace', cell: (s) => s.namespace },
  { header: 'Service', className: 'strong', cell: (s) => s.service },
  { header: 'Instance', cell: (s) => s.instance },
];

const DANGLING_OWNERS: Column<Report['danglingOwners'][number]>[] = [
  { header: 'Owner ref', className: 'strong', cell: (d) => <code>{d.ownerRef}</code> },
  { header: 'Component', cell: (d) => componentLink(d.componentRef) },
  {
    header: 'Named at',
    className: 'small',
    cell: (d) => (
      <>
        <code>{d.path}</code> = <code>{d.value}</code>
      </>
    ),
  },
  { header: 'Instance', cell: (d) => d.instance },
];

const BROKEN_INSTANCES: Column<Report['instanceProblems'][number]>[] = [
  { header: 'Instance', className: 'strong', cell: (p) => p.instance },
  {
    header: 'Secret',
    cell: (p) => (p.secret ? `${p.secret.cluster}/${p.secret.namespace}/${p.secret.name}` : '—'),
  },
  { header: 'Missing key', cell: (p) => (p.missingKey ? <code>{p.missingKey}</code> : '—') },
  { header: 'Problem', className: 'small', cell: (p) => p.problem },
];

const OWNERLESS: Column<Report['ownerProblems'][number]>[] = [
  { header: 'Component', cell: (p) => componentLink(p.componentRef) },
  { header: 'Paths tried', className: 'small', cell: (p) => <Tried tried={p.tried} /> },
  { header: 'Instance', cell: (p) => p.instance },
];

const CONFLICTS: Column<Report['conflicts'][number]>[] = [
  {
    header: 'Service',
    cell: (c) => (
      <>
        {c.cluster}/{c.namespace}/{c.service}
      </>
    ),
  },
  { header: 'Linked to', cell: (c) => componentLink(c.winner) },
  {
    header: 'Not linked',
    className: 'small',
    cell: (c) => c.losers.map((l) => `${l.componentRef} (${l.rule})`).join(', '),
  },
];

/** What stitching could not do, and why: the list to work through to make ownership complete. */
export function CoveragePage() {
  const report = useResource<Report>('/api/stitchboard/report', { refreshMs: 60_000 });
  const r = report.data;
  return (
    <>
      <PageHead title="Coverage">
        Components that matched nothing, ambiguous matches, Services nobody claims, owners the catalog lacks,
        and components without an owner.
      </PageHead>
      <ResourceStates
        resource={report}
        what="the coverage report"
        failed="The coverage report could not be read"
      />
      {r ? (
        <>
          <nav className="summary-cards" aria-label="Report sections">
            {[
              ['broken-instances', 'Instances that cannot run', r.instanceProblems.length],
              ['unmatched', 'Unmatched components', r.unmatchedComponents.length],
              ['ambiguous', 'Ambiguous matches', r.ambiguous.length],
              ['unclaimed', 'Unclaimed Services', r.unclaimedServices.length],
              ['dangling-owners', 'Dangling owners', r.danglingOwners.length],
              ['ownerless', 'Components without an owner', r.ownerProblems.length],
              ['conflicts', 'Conflicts', r.conflicts.length],
            ].map(([id, label, n]) => (
              <a key={id} href={`#${id}`} className={`summary-card ${n ? 'summary-warn' : ''}`}>
                <span className="summary-n">{n}</span>
                <span>{label}</span>
              </a>
            ))}
          </nav>
          <Section
            id="broken-instances"
            title="Instances that cannot run"
            hint="Backstage instances whose Secret or config is unusable: fix the Secret, and the next run picks it up."
            rows={r.instanceProblems}
            columns={BROKEN_INSTANCES}
            rowKey={(p) => p.instance}
            testId="broken-instances"
          />
          <Section
            id="unmatched"
            title="Unmatched components"
            hint="Components linked to no Service in any cluster."
            rows={r.unmatchedComponents}
            columns={UNMATCHED}
            rowKey={(u) => `${u.instance}/${u.componentRef}`}
          />
          <Section
            id="ambiguous"
            title="Ambiguous matches"
            hint="Give these components a namespace (backstage.io/kubernetes-namespace) to pick one candidate."
            rows={r.ambiguous}
            columns={AMBIGUOUS}
            rowKey={(a, i) => `${a.instance}/${a.componentRef}/${a.cluster}/${i}`}
          />
          <Section
            id="unclaimed"
            title="Unclaimed Services"
            hint="Services no component claims: nobody is on the hook for them."
            rows={r.unclaimedServices}
            columns={UNCLAIMED}
            rowKey={(s) => `${s.instance}/${s.cluster}/${s.namespace}/${s.service}`}
            testId="unclaimed"
          />
          <Section
            id="dangling-owners"
            title="Dangling owners"
            hint="Components name these owners, but the catalog has no such group or user: no owner link is made from them."
            rows={r.danglingOwners}
            columns={DANGLING_OWNERS}
            rowKey={(d) => `${d.instance}/${d.componentRef}/${d.path}`}
            testId="dangling-owners"
          />
          <Section
            id="ownerless"
            title="Components without an owner"
            hint="No component_owner path resolved to a group or user of the catalog, so their Services have no owner link."
            rows={r.ownerProblems}
            columns={OWNERLESS}
            rowKey={(p) => `${p.instance}/${p.componentRef}`}
          />
          <Section
            id="conflicts"
            title="Conflicts"
            hint="Several components claim one Service; the winner is linked, the others are not."
            rows={r.conflicts}
            columns={CONFLICTS}
            rowKey={(c) => `${c.instance}/${c.cluster}/${c.namespace}/${c.service}`}
          />
        </>
      ) : null}
      {r && Object.values(r).every((v) => Array.isArray(v) && v.length === 0) ? (
        <Empty title="Nothing to report">
          Either everything is stitched, or no stitching run has completed yet (see Integrations).
        </Empty>
      ) : null}
    </>
  );
}
