import { useQueryParam } from '../router.ts';
import type { TeamRollup, TeamsResponse } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { DataTable, type Column } from '../ui/data-table.tsx';
import { Link, Mailto, ownerPath } from '../ui/link.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { rollupColumns } from '../ui/rollup.tsx';
import { SearchField } from '../ui/search-field.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';

const COLUMNS: Column<TeamRollup>[] = [
  {
    header: 'Owner',
    cell: (t) => (
      <>
        <Link to={ownerPath(t.ref)} className="strong">
          {t.displayName}
        </Link>
        <div className="muted small">{t.ref}</div>
      </>
    ),
  },
  { header: 'Contact', cell: (t) => <Mailto email={t.email} /> },
  {
    header: 'Components',
    cell: (t) => (
      <>
        {t.components}
        {t.componentsWithoutServices > 0 ? (
          <div className="muted small">{t.componentsWithoutServices} without a Service</div>
        ) : null}
      </>
    ),
  },
  ...rollupColumns<TeamRollup>(),
];

/** Every owner of catalog components, with their components' health summed on the server. */
export function OwnersPage() {
  const [q, setQ] = useQueryParam('q');
  const teams = useResource<TeamsResponse>('/api/stitchboard/teams');
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = (teams.data?.items ?? []).filter((t) =>
    words.every((w) => `${t.ref} ${t.displayName} ${t.email ?? ''}`.toLowerCase().includes(w)),
  );
  const unowned = teams.data?.unowned;
  return (
    <>
      <PageHead title="Owners">
        Teams and people that own catalog components, with their pods and errors across clusters.
      </PageHead>
      <div className="toolbar">
        <SearchField
          label="Filter owners"
          placeholder="Filter by team, name or email…"
          value={q}
          onChange={setQ}
        />
      </div>
      <ResourceStates resource={teams} what="owners" failed="Owners could not be summarised" />
      {teams.data && rows.length === 0 ? (
        <Empty title={q ? `No owner matches “${q}”` : 'No owners yet'}>
          {q ? null : 'Owners appear once the catalog has components with a group or user as owner.'}
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <DataTable columns={COLUMNS} rows={rows} rowKey={(t) => t.ref} testId="teams" />
      ) : null}
      {teams.data ? (
        <p className="muted small" data-testid="teams-footer">
          All {teams.data.components} components of the catalog
          {unowned ? `; ${unowned.components} of them name no group or user as owner` : ''}.
        </p>
      ) : null}
    </>
  );
}
