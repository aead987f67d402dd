import type { ReactNode } from 'react';
import type { Report } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Link, componentPath, ownerPath } from '../ui/link.tsx';
import { Empty, ErrorBox, Loading } from '../ui/states.tsx';

const REASONS: Record<string, string> = {
  'no-id-value': 'The component gives no Kubernetes id (none of the label_map paths has a value)',
  'no-such-service': 'No Service of that name in any cluster read',
  ambiguous: 'Several namespaces hold a Service of that name, and the component names no namespace',
  conflict: 'Another component claimed the same Service first',
};

function Section(props: { id: string; title: string; count: number; hint: string; children: ReactNode }) {
  return (
    <section className="block" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span className={`count-badge ${props.count ? 'count-warn' : ''}`}>{props.count}</span>
      </h2>
      <p className="muted small">{props.hint}</p>
      {props.count === 0 ? <p className="ok-note">None.</p> : props.children}
    </section>
  );
}

/** What stitching could not do, and why: the list to work through to make ownership complete. */
export function CoveragePage() {
  const report = useResource<Report>('/api/stitchboard/report', { refreshMs: 60_000 });
  const r = report.data;
  return (
    <>
      <div className="page-head">
        <h1>Coverage</h1>
        <p className="muted">
          Components that matched nothing, ambiguous matches, Services nobody claims, and owners the catalog
          lacks.
        </p>
      </div>
      {report.loading ? <Loading what="the coverage report" /> : null}
      {report.error ? (
        <ErrorBox title="The coverage report could not be read" error={report.error} retry={report.reload} />
      ) : null}
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
            count={r.unmatchedComponents.length}
            hint="Components linked to no Service in any cluster."
          >
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Component</th>
                    <th>Why</th>
                    <th>Looked for</th>
                    <th>Per cluster</th>
                    <th>Instance</th>
                  </tr>
                </thead>
                <tbody>
                  {r.unmatchedComponents.map((u) => (
                    <tr key={`${u.instance}/${u.componentRef}`}>
                      <td>
                        <Link to={componentPath(u.componentRef)}>{u.componentRef}</Link>
                      </td>
                      <td>{REASONS[u.reason] ?? u.reason}</td>
                      <td>
                        {u.kubernetesId ? (
                          <code>
                            {u.kubernetesNamespace ? `${u.kubernetesNamespace}/` : ''}
                            {u.kubernetesId}
                          </code>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td className="small">
                        {u.clusters
                          .map(
                            (m) =>
                              `${m.cluster}: ${m.reason}${m.candidates ? ` (${m.candidates.join(', ')})` : ''}`,
                          )
                          .join('; ') || '—'}
                      </td>
                      <td>{u.instance}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section
            id="ambiguous"
            title="Ambiguous matches"
            count={r.ambiguous.length}
            hint="Give these components a namespace (backstage.io/kubernetes-namespace) to pick one candidate."
          >
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Component</th>
                    <th>Cluster</th>
                    <th>Service name</th>
                    <th>Candidate namespaces</th>
                  </tr>
                </thead>
                <tbody>
                  {r.ambiguous.map((a, i) => (
                    <tr key={`${a.instance}/${a.componentRef}/${a.cluster}/${i}`}>
                      <td>
                        <Link to={componentPath(a.componentRef)}>{a.componentRef}</Link>
                      </td>
                      <td>{a.cluster}</td>
                      <td>
                        <code>{a.kubernetesId}</code>
                      </td>
                      <td>
                        {(a.candidates ?? []).map((c) => (
                          <span key={c} className="chip">
                            {c}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section
            id="unclaimed"
            title="Unclaimed Services"
            count={r.unclaimedServices.length}
            hint="Services no component claims: nobody is on the hook for them."
          >
            <div className="table-wrap">
              <table className="table" data-testid="unclaimed">
                <thead>
                  <tr>
                    <th>Cluster</th>
                    <th>Namespace</th>
                    <th>Service</th>
                    <th>Instance</th>
                  </tr>
                </thead>
                <tbody>
                  {r.unclaimedServices.map((s) => (
                    <tr key={`${s.instance}/${s.cluster}/${s.namespace}/${s.service}`}>
                      <td>{s.cluster}</td>
                      <td>{s.namespace}</td>
                      <td className="strong">{s.service}</td>
                      <td>{s.instance}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section
            id="missing-owners"
            title="Owners missing from the catalog"
            count={r.missingOwners.length}
            hint="Components name these owners, but the catalog has no such group or user."
          >
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Owner</th>
                    <th>Named by</th>
                  </tr>
                </thead>
                <tbody>
                  {r.missingOwners.map((m) => (
                    <tr key={`${m.instance}/${m.ref}`}>
                      <td>
                        <Link to={ownerPath(m.ref)}>{m.ref}</Link>
                      </td>
                      <td>
                        {m.componentRefs.map((c) => (
                          <Link key={c} to={componentPath(c)} className="chip">
                            {c}
                          </Link>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section
            id="conflicts"
            title="Conflicts"
            count={r.conflicts.length}
            hint="Several components claim one Service; the winner is linked, the others are not."
          >
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Service</th>
                    <th>Linked to</th>
                    <th>Not linked</th>
                  </tr>
                </thead>
                <tbody>
                  {r.conflicts.map((c) => (
                    <tr key={`${c.instance}/${c.cluster}/${c.namespace}/${c.service}`}>
                      <td>
                        {c.cluster}/{c.namespace}/{c.service}
                      </td>
                      <td>
                        <Link to={componentPath(c.winner)}>{c.winner}</Link>
                      </td>
                      <td className="small">
                        {c.losers.map((l) => `${l.componentRef} (${l.rule})`).join(', ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
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
