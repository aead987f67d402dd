import { useQueryParam } from '../router.ts';
import type { TeamRollup, TeamsResponse } from '../types.ts';
import { useResource } from '../use-resource.ts';
import type { Column } from '../ui/data-table.tsx';
import { Link, Mailto, ownerPath } from '../ui/link.tsx';
import { ListPage, matchingAll } from '../ui/list-page.tsx';
import { rollupColumns } from '../ui/rollup.tsx';

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
  const unowned = teams.data?.unowned;
  return (
    <ListPage
      title="Owners"
      intro="Teams and people that own catalog components, with their pods and errors across clusters."
      search={{
        label: 'Filter owners',
        placeholder: 'Filter by team, name or email…',
        value: q,
        onChange: setQ,
      }}
      states={{ resource: teams, what: 'owners', failed: 'Owners could not be summarised' }}
      rows={
        teams.data && matchingAll(teams.data.items, q, (t) => `${t.ref} ${t.displayName} ${t.email ?? ''}`)
      }
      empty={
        q
          ? { title: `No owner matches “${q}”` }
          : {
              title: 'No owners yet',
              hint: 'Owners appear once the catalog has components with a group or user as owner.',
            }
      }
      table={{ columns: COLUMNS, rowKey: (t) => t.ref, testId: 'teams' }}
    >
      {teams.data ? (
        <p className="muted small" data-testid="teams-footer">
          All {teams.data.components} components of the catalog
          {unowned ? `; ${unowned.components} of them name no group or user as owner` : ''}.
        </p>
      ) : null}
    </ListPage>
  );
}
