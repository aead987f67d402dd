import { url } from '../api.ts';
import type { ComponentList, OwnerView } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { HealthBadge } from '../ui/health.tsx';
import { Link, componentPath } from '../ui/link.tsx';
import { Empty, ErrorBox, Loading } from '../ui/states.tsx';

/** The stitching API may answer with a list, `{ items }`, or one detail; take any of them. */
function detailsOf(body: unknown): OwnerView[] {
  if (Array.isArray(body)) return body as OwnerView[];
  const b = body as { items?: OwnerView[]; owner?: unknown };
  if (b?.items) return b.items;
  return b?.owner ? [b as OwnerView] : [];
}

export function OwnerPage({ ownerRef }: { ownerRef: string }) {
  const owner = useResource<unknown>(`/api/stitchboard/owners/${encodeURIComponent(ownerRef)}`);
  const components = useResource<ComponentList>(
    url('/api/stitchboard/components', { owner: ownerRef, limit: 200 }),
  );
  const details = detailsOf(owner.data);
  const first = details[0]?.owner;
  const services = details.flatMap((d) => d.services);
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link to="/owners">Owners</Link> /
        </p>
        <h1>{first?.displayName ?? ownerRef}</h1>
        <dl className="facts">
          <div>
            <dt>Ref</dt>
            <dd>{ownerRef}</dd>
          </div>
          <div>
            <dt>Contact</dt>
            <dd>{first?.email ? <a href={`mailto:${first.email}`}>{first.email}</a> : '—'}</dd>
          </div>
          <div>
            <dt>In catalog</dt>
            <dd>
              {first ? (
                first.inCatalog ? (
                  'yes'
                ) : (
                  <span className="text-warn">no: named by components only</span>
                )
              ) : (
                '—'
              )}
            </dd>
          </div>
        </dl>
      </div>
      <section aria-labelledby="owned-components" className="block">
        <h2 id="owned-components">Components</h2>
        {components.loading ? <Loading what="components" /> : null}
        {components.error ? (
          <ErrorBox
            title="Components could not be listed"
            error={components.error}
            retry={components.reload}
          />
        ) : null}
        {components.data && components.data.items.length === 0 ? (
          <Empty title="The catalog lists no component owned by this owner" />
        ) : null}
        {components.data && components.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Component</th>
                  <th>System</th>
                  <th>Clusters</th>
                  <th>Health</th>
                </tr>
              </thead>
              <tbody>
                {components.data.items.map((c) => (
                  <tr key={c.ref}>
                    <td>
                      <Link to={componentPath(c.ref)} className="strong">
                        {c.title ?? c.name}
                      </Link>
                    </td>
                    <td>{c.system ?? '—'}</td>
                    <td>
                      {c.clusters.map((n) => (
                        <span key={n} className="chip">
                          {n}
                        </span>
                      ))}
                    </td>
                    <td>
                      <HealthBadge health={c.health} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="owned-services" className="block">
        <h2 id="owned-services">Services across clusters</h2>
        {owner.loading ? <Loading what="stitched Services" /> : null}
        {owner.error ? (
          <ErrorBox title="Stitched Services could not be read" error={owner.error} retry={owner.reload} />
        ) : null}
        {owner.data && services.length === 0 ? (
          <Empty title="No stitched Services">No stitching run has linked a Service to this owner.</Empty>
        ) : null}
        {services.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Cluster</th>
                  <th>Namespace</th>
                  <th>Service</th>
                  <th>Component</th>
                  <th>Matched by</th>
                  <th>Instance</th>
                </tr>
              </thead>
              <tbody>
                {services.map((s) => (
                  <tr key={`${s.instance}/${s.cluster}/${s.namespace}/${s.service}`}>
                    <td>{s.cluster}</td>
                    <td>{s.namespace}</td>
                    <td className="strong">{s.service}</td>
                    <td>
                      <Link to={componentPath(s.componentRef)}>{s.componentRef}</Link>
                    </td>
                    <td className="muted small">{s.match.kubernetesId.path}</td>
                    <td>{s.instance}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
