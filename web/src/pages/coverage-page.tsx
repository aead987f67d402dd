import type { Report } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Chips, DataTable, type Column } from '../ui/data-table.tsx';
import { Link, componentPath, ownerPath } from '../ui/link.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';

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

const MISSING_OWNERS: Column<Report['missingOwners'][number]>[] = [
  { header: 'Owner', cell: (m) => <Link to={ownerPath(m.ref)}>{m.ref}</Link> },
  {
    header: 'Named by',
    cell: (m) =>
      m.componentRefs.map((c) => (
        <Link key={c} to={componentPath(c)} className="chip">
          {c}
        </Link>
      )),
  },
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
        Components that matched nothing, ambiguous matches, Services nobody claims, and owners the catalog
        lacks.
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
              ['unmatched', 'Unmatched components', r.unmatchedComponents.length],
              ['ambiguous', 'Ambiguous matches', r.ambiguous.length],
              ['unclaimed', 'Unclaimed Services', r.unclaimedServices.length],
              ['missing-owners', 'Owners missing from the catalog', r.missingOwners.length],
              ['conflicts', 'Conflicts', r.conflicts.length],
            ].map(([id, label, n]) => (
              <a key={id} href={`#${id}`} className={`summary-card ${n ? 'summary-warn' : ''}`}>
                <span className="summary-n">{n}</span>
                <span>{label}</span>
              </a>
            ))}
          </nav>
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
            id="missing-owners"
            title="Owners missing from the catalog"
            hint="Components name these owners, but the catalog has no such group or user."
            rows={r.missingOwners}
            columns={MISSING_OWNERS}
            rowKey={(m) => `${m.instance}/${m.ref}`}
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
