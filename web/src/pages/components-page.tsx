import { useEffect, useState } from 'react';
import { url } from '../api.ts';
import { useQueryParam } from '../router.ts';
import type { ComponentList, ComponentRow } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Chips, type Column } from '../ui/data-table.tsx';
import { HealthBadge } from '../ui/health.tsx';
import { ComponentLink, Link, ownerPath } from '../ui/link.tsx';
import { ListPage } from '../ui/list-page.tsx';

const PAGE = 50;

const COLUMNS: Column<ComponentRow>[] = [
  {
    header: 'Component',
    cell: (c) => (
      <>
        <ComponentLink component={c} />
        <div className="muted small">{c.ref}</div>
      </>
    ),
  },
  {
    header: 'Owner',
    cell: (c) => (c.ownerRef ? <Link to={ownerPath(c.ownerRef)}>{c.owner}</Link> : (c.owner ?? '—')),
  },
  { header: 'System', cell: (c) => c.system ?? '—' },
  { header: 'Type', cell: (c) => c.type ?? '—' },
  { header: 'Lifecycle', cell: (c) => c.lifecycle ?? '—' },
  {
    header: 'Clusters',
    cell: (c) => (
      <>
        {c.clusters.length === 0 && c.clusterErrors.length === 0 ? '—' : null}
        <Chips names={c.clusters} />
        {c.clusterErrors
          .filter((n) => !c.clusters.includes(n))
          .map((n) => (
            <span key={n} className="chip chip-error" title="This cluster answered with an error">
              {n} !
            </span>
          ))}
      </>
    ),
  },
  {
    header: 'Health',
    cell: (c) => (
      <HealthBadge
        health={c.health}
        title={c.detectedErrors ? `${c.detectedErrors} detected error(s)` : undefined}
      />
    ),
  },
];

export function ComponentsPage() {
  const [q, setQ] = useQueryParam('q');
  const [pageParam, setPage] = useQueryParam('page');
  const page = Math.max(1, Number(pageParam) || 1);
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  // Typing filters as you go, a moment after the last key, and keeps the filter in the URL.
  useEffect(() => {
    if (draft === q) return;
    const timer = setTimeout(() => {
      setQ(draft);
      setPage(undefined);
    }, 250);
    return () => clearTimeout(timer);
  }, [draft, q, setQ, setPage]);

  const list = useResource<ComponentList>(
    url('/api/stitchboard/components', { q, offset: (page - 1) * PAGE, limit: PAGE }),
    { refreshMs: 30_000 },
  );
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE)) : 1;

  return (
    <ListPage
      title="Components"
      intro="The catalog's components, where they run, and how they are doing."
      search={{
        label: 'Search components',
        placeholder: 'Search by name, owner, system, type…',
        value: draft,
        onChange: setDraft,
        name: 'q',
      }}
      toolbar={
        list.data ? (
          <span className="muted count" aria-live="polite">
            {list.data.total} component{list.data.total === 1 ? '' : 's'}
          </span>
        ) : null
      }
      states={{ resource: list, what: 'components', failed: 'Components could not be listed' }}
      rows={list.data?.items}
      empty={
        q
          ? { title: `No component matches “${q}”`, hint: 'Try fewer words, or search by owner or system.' }
          : { title: 'The catalog has no components', hint: 'Add Component entities to the catalog.' }
      }
      table={{ columns: COLUMNS, rowKey: (c) => c.ref }}
    >
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="button"
            disabled={page <= 1}
            onClick={() => setPage(String(page - 1), true)}
          >
            ← Previous
          </button>
          <span className="muted">
            Page {page} of {pages}
          </span>
          <button
            type="button"
            className="button"
            disabled={page >= pages}
            onClick={() => setPage(String(page + 1), true)}
          >
            Next →
          </button>
        </nav>
      ) : null}
    </ListPage>
  );
}

/** A component's `spec.owner` as a full ref: a bare name is a group in the component's namespace. */
