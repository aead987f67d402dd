import { url } from '../api.ts';
import { useQueryParam } from '../router.ts';
import type { ComponentList, Items, Link as StitchedLink, Owner } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { HealthBadge, worst, type HealthValue } from '../ui/health.tsx';
import { Link, ownerPath } from '../ui/link.tsx';
import { Empty, ErrorBox, Loading } from '../ui/states.tsx';

/** Each team (or user) that owns stitched Services, with the health of the components it owns. */
export function OwnersPage() {
  const [q, setQ] = useQueryParam('q');
  const owners = useResource<Items<Owner>>('/api/stitchboard/owners');
  // Health comes from the components the catalog says each owner has (first 200; the page says so).
  const components = useResource<ComponentList>(url('/api/stitchboard/components', { limit: 200 }));
  const healthFor = (ref: string): HealthValue => {
    const mine = components.data?.items.filter((c) => c.ownerRef === ref) ?? [];
    return mine.length ? worst(mine.map((c) => c.health)) : 'unknown';
  };
  // Where each owner's Services run: one read of the stitched Services (first 10,000), grouped here.
  const services = useResource<Items<StitchedLink>>(url('/api/stitchboard/services', { limit: 10_000 }));
  const clustersOf = (ref: string) =>
    [...new Set((services.data?.items ?? []).filter((l) => l.ownerRef === ref).map((l) => l.cluster))].sort();
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = (owners.data?.items ?? []).filter((o) =>
    words.every((w) => `${o.ref} ${o.displayName} ${o.email ?? ''}`.toLowerCase().includes(w)),
  );
  return (
    <>
      <div className="page-head">
        <h1>Owners</h1>
        <p className="muted">Teams and people that own Services, across clusters and Backstage instances.</p>
      </div>
      <div className="toolbar">
        <label className="field grow">
          <span className="visually-hidden">Filter owners</span>
          <input
            type="search"
            placeholder="Filter by team, name or email…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
      </div>
      {owners.loading ? <Loading what="owners" /> : null}
      {owners.error ? (
        <ErrorBox title="Owners could not be listed" error={owners.error} retry={owners.reload} />
      ) : null}
      {owners.data && rows.length === 0 ? (
        <Empty title={q ? `No owner matches “${q}”` : 'No owners yet'}>
          {q
            ? null
            : 'Owners appear once a stitching run has linked components to Services (see Integrations).'}
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Owner</th>
                <th>Kind</th>
                <th>Contact</th>
                <th>Services</th>
                <th>Clusters</th>
                <th>In catalog</th>
                <th>Instance</th>
                <th>Health</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => (
                <tr key={`${o.instance}/${o.ref}`}>
                  <td>
                    <Link to={ownerPath(o.ref)} className="strong">
                      {o.displayName}
                    </Link>
                    <div className="muted small">{o.ref}</div>
                  </td>
                  <td>{o.kind}</td>
                  <td>{o.email ? <a href={`mailto:${o.email}`}>{o.email}</a> : '—'}</td>
                  <td>{o.serviceCount}</td>
                  <td>
                    {clustersOf(o.ref).map((c) => (
                      <span key={c} className="chip">
                        {c}
                      </span>
                    ))}
                  </td>
                  <td>{o.inCatalog ? 'yes' : <span className="text-warn">missing</span>}</td>
                  <td>{o.instance}</td>
                  <td>
                    <HealthBadge health={healthFor(o.ref)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {components.data && components.data.total > components.data.items.length ? (
        <p className="muted small">
          Health is summarised from the first {components.data.items.length} components.
        </p>
      ) : null}
    </>
  );
}
