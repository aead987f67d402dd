import type { ClusterSummary, Items } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { age } from '../model/format.ts';
import { DataTable, type Column } from '../ui/data-table.tsx';
import { HealthBadge, type HealthValue } from '../ui/health.tsx';
import { ResourceStates } from '../ui/states.tsx';

type Connection = NonNullable<ClusterSummary['connection']>;

const STATE_HEALTH: Record<Connection['state'], HealthValue> = {
  synced: 'ok',
  syncing: 'unknown',
  idle: 'unknown',
  stale: 'warning',
};

const COLUMNS: Column<ClusterSummary>[] = [
  { header: 'Cluster', className: 'strong', cell: (c) => (c.title ? `${c.title} (${c.name})` : c.name) },
  {
    header: 'Watch',
    cell: ({ connection: c }) =>
      c ? (
        <>
          <HealthBadge health={STATE_HEALTH[c.state]} label={c.state} />
          {c.since ? <div className="muted small">since {age(c.since)} ago</div> : null}
        </>
      ) : (
        <span className="muted">live (not watched)</span>
      ),
  },
  { header: 'Restarts', cell: (c) => c.connection?.watchRestarts ?? '—' },
  {
    header: 'Forbidden kinds',
    className: 'small',
    cell: (c) => (c.connection?.forbidden.length ? c.connection.forbidden.join(', ') : '—'),
  },
  {
    header: 'Last error',
    className: 'small',
    cell: ({ connection: c }) =>
      c?.lastError ? (
        <>
          <span className="text-warn">{c.lastError.message}</span>
          <div className="muted">
            {c.lastError.resource} · {age(c.lastError.at)} ago
          </div>
        </>
      ) : (
        '—'
      ),
  },
  { header: 'Replica', className: 'small', cell: (c) => c.replica ?? '—' },
];

/** Each cluster's watch connection (GET /api/kubernetes/clusters `connection`), refreshed every 10 s. */
export function ClusterConnections() {
  const clusters = useResource<Items<ClusterSummary>>('/api/kubernetes/clusters', { refreshMs: 10_000 });
  return (
    <section>
      <h2>Cluster connections</h2>
      <ResourceStates resource={clusters} what="clusters" failed="Clusters could not be listed" />
      {clusters.data ? (
        <DataTable
          columns={COLUMNS}
          rows={clusters.data.items}
          rowKey={(c) => c.name}
          testId="cluster-connections"
        />
      ) : null}
    </section>
  );
}
