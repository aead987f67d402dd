import { useEffect, useState } from 'react';
import { url } from '../api.ts';
import { useQueryParam } from '../router.ts';
import type { ComponentList } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { HealthBadge } from '../ui/health.tsx';
import { Link, componentPath, ownerPath } from '../ui/link.tsx';
import { Empty, ErrorBox, Loading } from '../ui/states.tsx';

const PAGE = 50;

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
    <>
      <div className="page-head">
        <h1>Components</h1>
        <p className="muted">The catalog's components, where they run, and how they are doing.</p>
      </div>
      <div className="toolbar">
        <label className="field grow">
          <span className="visually-hidden">Search components</span>
          <input
            type="search"
            placeholder="Search by name, owner, system, type…"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            name="q"
          />
        </label>
        {list.data ? (
          <span className="muted count" aria-live="polite">
            {list.data.total} component{list.data.total === 1 ? '' : 's'}
          </span>
        ) : null}
      </div>
      {list.loading ? <Loading what="components" /> : null}
      {list.error ? (
        <ErrorBox title="Components could not be listed" error={list.error} retry={list.reload} />
      ) : null}
      {list.data && list.data.items.length === 0 ? (
        <Empty title={q ? `No component matches “${q}”` : 'The catalog has no components'}>
          {q ? 'Try fewer words, or search by owner or system.' : 'Add Component entities to the catalog.'}
        </Empty>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Component</th>
                <th>Owner</th>
                <th>System</th>
                <th>Type</th>
                <th>Lifecycle</th>
                <th>Clusters</th>
                <th>Health</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.ref}>
                  <td>
                    <Link to={componentPath(c.ref)} className="strong">
                      {c.title ?? c.name}
                    </Link>
                    <div className="muted small">{c.ref}</div>
                  </td>
                  <td>
                    {c.owner ? <Link to={ownerPath(ownerRefOf(c.owner, c.namespace))}>{c.owner}</Link> : '—'}
                  </td>
                  <td>{c.system ?? '—'}</td>
                  <td>{c.type ?? '—'}</td>
                  <td>{c.lifecycle ?? '—'}</td>
                  <td>
                    {c.clusters.length === 0 && c.clusterErrors.length === 0 ? '—' : null}
                    {c.clusters.map((n) => (
                      <span key={n} className="chip">
                        {n}
                      </span>
                    ))}
                    {c.clusterErrors
                      .filter((n) => !c.clusters.includes(n))
                      .map((n) => (
                        <span key={n} className="chip chip-error" title="This cluster answered with an error">
                          {n} !
                        </span>
                      ))}
                  </td>
                  <td>
                    <HealthBadge
                      health={c.health}
                      title={c.detectedErrors ? `${c.detectedErrors} detected error(s)` : undefined}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
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
    </>
  );
}

/** A component's `spec.owner` as a full ref: a bare name is a group in the component's namespace. */
export function ownerRefOf(owner: string, namespace: string): string {
  const [kind, rest] = owner.includes(':') ? (owner.split(':', 2) as [string, string]) : ['group', owner];
  return rest.includes('/') ? `${kind.toLowerCase()}:${rest}` : `${kind.toLowerCase()}:${namespace}/${rest}`;
}
