import { url } from '../api.ts';
import { useQueryParam } from '../router.ts';
import type { ComponentList, Items, Link as StitchedLink, Owner } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Chips, DataTable, type Column } from '../ui/data-table.tsx';
import { HealthBadge, worst, type HealthValue } from '../ui/health.tsx';
import { Link, ownerPath } from '../ui/link.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { SearchField } from '../ui/search-field.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';

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
  const columns: Column<Owner>[] = [
    {
      header: 'Owner',
      cell: (o) => (
        <>
          <Link to={ownerPath(o.ref)} className="strong">
            {o.displayName}
          </Link>
          <div className="muted small">{o.ref}</div>
        </>
      ),
    },
    { header: 'Kind', cell: (o) => o.kind },
    { header: 'Contact', cell: (o) => (o.email ? <a href={`mailto:${o.email}`}>{o.email}</a> : '—') },
    { header: 'Services', cell: (o) => o.serviceCount },
    { header: 'Clusters', cell: (o) => <Chips names={clustersOf(o.ref)} /> },
    { header: 'In catalog', cell: (o) => (o.inCatalog ? 'yes' : <span className="text-warn">missing</span>) },
    { header: 'Instance', cell: (o) => o.instance },
    { header: 'Health', cell: (o) => <HealthBadge health={healthFor(o.ref)} /> },
  ];
  return (
    <>
      <PageHead title="Owners">
        Teams and people that own Services, across clusters and Backstage instances.
      </PageHead>
      <div className="toolbar">
        <SearchField
          label="Filter owners"
          placeholder="Filter by team, name or email…"
          value={q}
          onChange={setQ}
        />
      </div>
      <ResourceStates resource={owners} what="owners" failed="Owners could not be listed" />
      {owners.data && rows.length === 0 ? (
        <Empty title={q ? `No owner matches “${q}”` : 'No owners yet'}>
          {q
            ? null
            : 'Owners appear once a stitching run has linked components to Services (see Integrations).'}
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <DataTable columns={columns} rows={rows} rowKey={(o) => `${o.instance}/${o.ref}`} />
      ) : null}
      {components.data && components.data.total > components.data.items.length ? (
        <p className="muted small">
          Health is summarised from the first {components.data.items.length} components.
        </p>
      ) : null}
    </>
  );
}
