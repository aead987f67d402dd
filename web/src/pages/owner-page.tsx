import { url } from '../api.ts';
import type { ComponentList, ComponentRow, OwnerView } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Chips, DataTable, type Column } from '../ui/data-table.tsx';
import { HealthBadge } from '../ui/health.tsx';
import { Link, componentPath } from '../ui/link.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';

/** The stitching API may answer with a list, `{ items }`, or one detail; take any of them. */
function detailsOf(body: unknown): OwnerView[] {
  if (Array.isArray(body)) return body as OwnerView[];
  const b = body as { items?: OwnerView[]; owner?: unknown };
  if (b?.items) return b.items;
  return b?.owner ? [b as OwnerView] : [];
}

const COMPONENTS: Column<ComponentRow>[] = [
  {
    header: 'Component',
    cell: (c) => (
      <Link to={componentPath(c.ref)} className="strong">
        {c.title ?? c.name}
      </Link>
    ),
  },
  { header: 'System', cell: (c) => c.system ?? '—' },
  { header: 'Clusters', cell: (c) => <Chips names={c.clusters} /> },
  { header: 'Health', cell: (c) => <HealthBadge health={c.health} /> },
];

const SERVICES: Column<OwnerView['services'][number]>[] = [
  { header: 'Cluster', cell: (s) => s.cluster },
  { header: 'Namespace', cell: (s) => s.namespace },
  { header: 'Service', className: 'strong', cell: (s) => s.service },
  { header: 'Component', cell: (s) => <Link to={componentPath(s.componentRef)}>{s.componentRef}</Link> },
  { header: 'Matched by', className: 'muted small', cell: (s) => s.match.kubernetesId.path },
  { header: 'Instance', cell: (s) => s.instance },
];

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
        <ResourceStates resource={components} what="components" failed="Components could not be listed" />
        {components.data && components.data.items.length === 0 ? (
          <Empty title="The catalog lists no component owned by this owner" />
        ) : null}
        {components.data && components.data.items.length > 0 ? (
          <DataTable columns={COMPONENTS} rows={components.data.items} rowKey={(c) => c.ref} />
        ) : null}
      </section>
      <section aria-labelledby="owned-services" className="block">
        <h2 id="owned-services">Services across clusters</h2>
        <ResourceStates
          resource={owner}
          what="stitched Services"
          failed="Stitched Services could not be read"
        />
        {owner.data && services.length === 0 ? (
          <Empty title="No stitched Services">No stitching run has linked a Service to this owner.</Empty>
        ) : null}
        {services.length > 0 ? (
          <DataTable
            columns={SERVICES}
            rows={services}
            rowKey={(s) => `${s.instance}/${s.cluster}/${s.namespace}/${s.service}`}
          />
        ) : null}
      </section>
    </>
  );
}
