import { describe, expect, it } from 'vitest';
import { formatTable, Output } from './output.ts';
import { captureIo } from './test-io.ts';

describe('formatTable', () => {
  it('aligns columns under upper-case headers without trailing spaces', () => {
    const rows = [
      { name: 'prod-eu', n: 12, ok: true },
      { name: 'dev', n: 3, ok: undefined },
    ];
    expect(
      formatTable(
        [
          { header: 'name', value: (r: (typeof rows)[number]) => r.name },
          { header: 'count', value: (r) => r.n },
          { header: 'ok', value: (r) => r.ok },
        ],
        rows,
      ),
    ).toEqual(['NAME     COUNT  OK', 'prod-eu  12     true', 'dev      3']);
  });

  it('prints only headers for no rows', () => {
    expect(formatTable([{ header: 'a', value: () => '' }], [])).toEqual(['A']);
  });
});

describe('Output', () => {
  it('sends lines and JSON to stdout and errors to stderr', () => {
    const io = captureIo();
    const out = new Output(io);
    out.line('hello');
    out.json({ a: [1] });
    out.error('oops');
    expect(io.out).toBe('hello\n{\n  "a": [\n    1\n  ]\n}\n');
    expect(io.err).toBe('oops\n');
  });
});
