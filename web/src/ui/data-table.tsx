import type { Key, ReactNode } from 'react';

export interface Column<T> {
  /** The header text; also the cell's React key, so unique within a table. */
  header: string;
  cell: (row: T) => ReactNode;
  /** The class of the body cell (`strong`, `small`, ...); headers carry none. */
  className?: string;
}

/**
 * Every list of rows in the UI: a horizontally scrollable `.table` with one header row. Columns are data,
 * so a page says what it shows and this says, once, how a table is drawn.
 */
export function DataTable<T>(props: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => Key | undefined;
  /** `table compact` for tables nested in a cluster section. */
  className?: string;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className={props.className ?? 'table'} data-testid={props.testId}>
        <TableHead headers={props.columns.map((c) => c.header)} />
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={props.rowKey(row, i)}>
              {props.columns.map((c) => (
                <td key={c.header} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A table's header row; `titles` gives some headers a tooltip (what a column's numbers mean). */
export function TableHead({
  headers,
  titles = {},
}: {
  headers: readonly string[];
  titles?: Readonly<Record<string, string>>;
}) {
  return (
    <thead>
      <tr>
        {headers.map((h) => (
          <th key={h} title={titles[h]}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** Names as plain chips (clusters, candidate namespaces). */
export function Chips({ names }: { names: readonly string[] }) {
  return (
    <>
      {names.map((n) => (
        <span key={n} className="chip">
          {n}
        </span>
      ))}
    </>
  );
}
