import type { Key, ReactNode } from 'react';
import type { Resource } from '../use-resource.ts';
import { DataTable, type Column } from './data-table.tsx';
import { PageHead } from './page-head.tsx';
import { SearchField, type SearchFieldProps } from './search-field.tsx';
import { Empty, ResourceStates } from './states.tsx';

/**
 * A top-level list page (components, owners, systems): its head, a toolbar led by the search box, the
 * resource's loading and error states, then the rows as a table, or `empty` when there are none.
 * `children` follow the table (a pager, a footer).
 */
export function ListPage<T>(props: {
  title: string;
  intro: ReactNode;
  search: SearchFieldProps;
  /** Beside the search box. */
  toolbar?: ReactNode;
  states: { resource: Resource<unknown>; what: string; failed: string };
  /** Undefined until the resource has data. */
  rows: readonly T[] | undefined;
  empty: { title: string; hint?: ReactNode };
  table: { columns: readonly Column<T>[]; rowKey: (row: T, index: number) => Key; testId?: string };
  children?: ReactNode;
}) {
  const { rows, table } = props;
  return (
    <>
      <PageHead title={props.title}>{props.intro}</PageHead>
      <div className="toolbar">
        <SearchField {...props.search} />
        {props.toolbar}
      </div>
      <ResourceStates {...props.states} />
      {rows && rows.length === 0 ? <Empty title={props.empty.title}>{props.empty.hint}</Empty> : null}
      {rows && rows.length > 0 ? (
        <DataTable columns={table.columns} rows={rows} rowKey={table.rowKey} testId={table.testId} />
      ) : null}
      {props.children}
    </>
  );
}

/** The rows whose text holds every word of `q`, in any case: the filter of a list the page holds whole. */
export function matchingAll<T>(rows: readonly T[], q: string, text: (row: T) => string): T[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => words.every((w) => text(row).toLowerCase().includes(w)));
}
