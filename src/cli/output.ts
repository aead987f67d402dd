import { pino, type Logger } from 'pino';

/** Where a command's text goes. Tests pass collecting functions; `processIo()` writes to the process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** What a table cell shows. */
type Cell = string | number | boolean | undefined;

/** A column of `table()`: its header and how to read a row's cell. */
export interface Column<T> {
  header: string;
  value(row: T): Cell;
}

/**
 * Columns that show a row's fields as they are, in the order given: `{ field: 'its header' }`.
 *
 * @example
 * fieldColumns<Row>({ cluster: 'cluster', names: 'objects' })
 */
export function fieldColumns<T>(headers: {
  [K in keyof T as T[K] extends Cell ? K : never]?: string;
}): Column<T>[] {
  return Object.entries(headers).map(([field, header]) => ({
    header: header as string,
    value: (row: T) => row[field as keyof T] as Cell,
  }));
}

/** All human and machine output of the CLI goes through here; `src/` never uses `console`. */
export class Output {
  readonly #io: CliIo;

  constructor(io: CliIo) {
    this.#io = io;
  }

  /** One line (or several) on stdout. */
  line(text = ''): void {
    this.#io.stdout(`${text}\n`);
  }

  /** One line on stderr: diagnostics, usage after a mistake. */
  error(text: string): void {
    this.#io.stderr(`${text}\n`);
  }

  /** `value` as indented JSON on stdout: the `--json` form of every read command. */
  json(value: unknown): void {
    this.#io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Rows aligned under upper-case headers, columns two spaces apart. */
  table<T>(columns: readonly Column<T>[], rows: readonly T[]): void {
    for (const line of formatTable(columns, rows)) this.line(line);
  }
}

export function formatTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string[] {
  const cells = [
    columns.map((c) => c.header.toUpperCase()),
    ...rows.map((row) => columns.map((c) => String(c.value(row) ?? ''))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * A pino logger for commands that build domain objects: warnings (and with `--debug`, everything)
 * print as one readable line on stderr instead of JSON.
 */
export function cliLogger(out: Output, debug: boolean): Logger {
  return pino(
    { level: debug ? 'debug' : 'warn', base: undefined, timestamp: false },
    { write: (line: string) => out.error(formatLogLine(line)) },
  );
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

function formatLogLine(line: string): string {
  try {
    const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string } & Record<
      string,
      unknown
    >;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${LEVELS[level] ?? 'log'}: ${msg ?? ''}${extra ? ` (${extra})` : ''}`;
  } catch {
    return line.trimEnd();
  }
}
