import { useQueryParam } from '../router.ts';
import type { SystemRollup, SystemsResponse } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { DataTable, type Column } from '../ui/data-table.tsx';
import { Link, ownerPath } from '../ui/link.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { rollupColumns } from '../ui/rollup.tsx';
import { SearchField } from '../ui/search-field.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';

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
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = (systems.data?.items ?? []).filter((s) =>
    words.every((w) => `${s.ref} ${s.owners.join(' ')}`.toLowerCase().includes(w)),
  );
  const noSystem = systems.data?.noSystem;
  return (
    <>
      <PageHead title="Systems">
        The systems catalog components belong to, with their pods and errors across clusters.
      </PageHead>
      <div className="toolbar">
        <SearchField
          label="Filter systems"
          placeholder="Filter by system or owner…"
          value={q}
          onChange={setQ}
        />
      </div>
      <ResourceStates resource={systems} what="systems" failed="Systems could not be summarised" />
      {systems.data && rows.length === 0 ? (
        <Empty title={q ? `No system matches “${q}”` : 'No systems yet'}>
          {q ? null : 'Systems appear once catalog components name one in spec.system.'}
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <DataTable columns={COLUMNS} rows={rows} rowKey={(s) => s.ref} testId="systems" />
      ) : null}
      {systems.data ? (
        <p className="muted small" data-testid="systems-footer">
          All {systems.data.components} components of the catalog
          {noSystem ? `; ${noSystem.components} of them belong to no system` : ''}.
        </p>
      ) : null}
    </>
  );
}
