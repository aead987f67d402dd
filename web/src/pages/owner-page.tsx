import { ApiError } from '../api.ts';
import type { OwnerView, TeamDetail } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { DataTable, type Column } from '../ui/data-table.tsx';
import { Fact } from '../ui/facts.tsx';
import { Link, Mailto, componentPath } from '../ui/link.tsx';
import { RollupComponentsTable } from '../ui/rollup.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';

/** The stitching API may answer with a list, `{ items }`, or one detail; take any of them. */
function detailsOf(body: unknown): OwnerView[] {
  if (Array.isArray(body)) return body as OwnerView[];
  const b = body as { items?: OwnerView[]; owner?: unknown };
  if (b?.items) return b.items;
  return b?.owner ? [b as OwnerView] : [];
}

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
  // Every component this owner has, with its part of the team's rollup (404: it owns none).
  const team = useResource<TeamDetail>(`/api/stitchboard/teams/${encodeURIComponent(ownerRef)}`);
  const ownsNone = team.error instanceof ApiError && team.error.status === 404;
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
          <Fact term="Ref">{ownerRef}</Fact>
          <Fact term="Contact">
            <Mailto email={first?.email} />
          </Fact>
        </dl>
      </div>
      <section aria-labelledby="owned-components" className="block">
        <h2 id="owned-components">Components</h2>
        {ownsNone ? (
          <Empty title="The catalog lists no component owned by this owner" />
        ) : (
          <ResourceStates resource={team} what="components" failed="Components could not be listed" />
        )}
        {team.data ? <RollupComponentsTable rows={team.data.components} /> : null}
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
