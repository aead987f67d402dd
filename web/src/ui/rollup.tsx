import type { ErrorCounts, PodCounts, RollupComponent } from '../types.ts';
import { Chips, DataTable, type Column } from './data-table.tsx';
import { HealthBadge } from './health.tsx';
import { ComponentLink } from './link.tsx';

/** "4/6 ready", in the warning colour when some pods are not. */
export function Pods({ pods }: { pods: PodCounts }) {
  if (pods.total === 0) return <span className="muted">—</span>;
  return (
    <span className={pods.ready < pods.total ? 'text-warn' : ''} data-testid="pods">
      {pods.ready}/{pods.total} ready
    </span>
  );
}

/** Detected errors by kind, most frequent first, as chips; a dash for none. */
export function ErrorKinds({ errors }: { errors: ErrorCounts }) {
  const kinds = Object.entries(errors.byKind).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (kinds.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {kinds.map(([kind, n]) => (
        <span key={kind} className="chip chip-error" data-kind={kind}>
          {kind} ×{n}
        </span>
      ))}
    </>
  );
}

/** Clusters where things run, and those that could not be read marked with `!`. */
export function RollupClusters({ clusters, unreadable }: { clusters: string[]; unreadable: string[] }) {
  const down = unreadable.filter((c) => !clusters.includes(c)).map((c) => `${c} !`);
  return <Chips names={[...clusters, ...down]} />;
}

type Summed = Pick<
  RollupComponent,
  'clusters' | 'unreadableClusters' | 'services' | 'pods' | 'errors' | 'health'
>;

/** The columns a component, a team and a system share: where it runs, its Services, pods, errors, health. */
export function rollupColumns<T extends Summed>(): Column<T>[] {
  return [
    { header: 'Services', cell: (r) => r.services },
    {
      header: 'Clusters',
      cell: (r) => <RollupClusters clusters={r.clusters} unreadable={r.unreadableClusters} />,
    },
    { header: 'Pods', cell: (r) => <Pods pods={r.pods} /> },
    { header: 'Errors', cell: (r) => <ErrorKinds errors={r.errors} /> },
    { header: 'Health', cell: (r) => <HealthBadge health={r.health} /> },
  ];
}

const COMPONENT_COLUMNS: Column<RollupComponent>[] = [
  { header: 'Component', cell: (c) => <ComponentLink component={c} /> },
  { header: 'System', cell: (c) => c.system ?? '—' },
  {
    header: 'Clusters',
    cell: (c) => <RollupClusters clusters={c.clusters} unreadable={c.unreadableClusters} />,
  },
  { header: 'Services', cell: (c) => c.services },
  { header: 'Pods', cell: (c) => <Pods pods={c.pods} /> },
  { header: 'Errors', cell: (c) => <ErrorKinds errors={c.errors} /> },
  { header: 'Health', cell: (c) => <HealthBadge health={c.health} /> },
];

/** The components of a team or a system, each with its part of the rollup. */
export function RollupComponentsTable({ rows }: { rows: RollupComponent[] }) {
  return (
    <DataTable columns={COMPONENT_COLUMNS} rows={rows} rowKey={(c) => c.ref} testId="rollup-components" />
  );
}
