import { useQueryParam } from '../router.ts';
import type { SystemRollup, SystemsResponse } from '../types.ts';
import { useResource } from '../use-resource.ts';
import type { Column } from '../ui/data-table.tsx';
import { Link, ownerPath } from '../ui/link.tsx';
import { ListPage, matchingAll } from '../ui/list-page.tsx';
import { rollupColumns } from '../ui/rollup.tsx';

const COLUMNS: Column<SystemRollup>[] = [
  {
    header: 'System',
    cell: (s) => (
      <>
        <span className="strong">{s.name}</span>
        <div className="muted small">{s.ref}</div>
      </>
    ),
  },
  {
    header: 'Owners',
    cell: (s) =>
      s.owners.length === 0
        ? '—'
        : s.owners.map((o) => (
            <div key={o}>
              <Link to={ownerPath(o)}>{o}</Link>
            </div>
          )),
  },
  { header: 'Components', cell: (s) => s.components },
  ...rollupColumns<SystemRollup>(),
];

/** Every system of the catalog's components, with their health summed on the server. */
export function SystemsPage() {
  const [q, setQ] = useQueryParam('q');
  const systems = useResource<SystemsResponse>('/api/stitchboard/systems');
  const noSystem = systems.data?.noSystem;
  return (
    <ListPage
      title="Systems"
      intro="The systems catalog components belong to, with their pods and errors across clusters."
      search={{
        label: 'Filter systems',
        placeholder: 'Filter by system or owner…',
        value: q,
        onChange: setQ,
      }}
      states={{ resource: systems, what: 'systems', failed: 'Systems could not be summarised' }}
      rows={systems.data && matchingAll(systems.data.items, q, (s) => `${s.ref} ${s.owners.join(' ')}`)}
      empty={
        q
          ? { title: `No system matches “${q}”` }
          : {
              title: 'No systems yet',
              hint: 'Systems appear once catalog components name one in spec.system.',
            }
      }
      table={{ columns: COLUMNS, rowKey: (s) => s.ref, testId: 'systems' }}
    >
      {systems.data ? (
        <p className="muted small" data-testid="systems-footer">
          All {systems.data.components} components of the catalog
          {noSystem ? `; ${noSystem.components} of them belong to no system` : ''}.
        </p>
      ) : null}
    </ListPage>
  );
}
