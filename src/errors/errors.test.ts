import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, StitchboardError, type ErrorCode } from './errors.ts';

const docsPath = new URL('../../docs/errors.md', import.meta.url);

interface DocumentedCode {
  code: string;
  status: number;
  name: string;
}

/** Rows of the codes table: "| `CODE` | 400 | `InputError` | meaning |". */
function documentedCodes(markdown: string): DocumentedCode[] {
  const rows: DocumentedCode[] = [];
  for (const line of markdown.split('\n')) {
    const [, code, status, name] =
      /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*`([A-Za-z]+)`\s*\|/.exec(line) ?? [];
    if (code && status && name) rows.push({ code, status: Number(status), name });
  }
  return rows;
}

// Like Fastify's errors test: the docs and the code list the same codes, both ways, so a new
// code cannot ship undocumented and a removed one cannot linger in the docs.
describe('docs/errors.md', async () => {
  const documented = documentedCodes(await readFile(docsPath, 'utf8'));
  const documentedNames = documented.map((d) => d.code);
  const codeNames = Object.keys(ErrorCodes);

  it('documents at least the codes table', () => {
    expect(documented.length).toBeGreaterThan(0);
  });

  it.each(codeNames)('documents %s', (code) => {
    expect(documentedNames).toContain(code);
  });

  it.each(documentedNames)('documents %s, which exists in ErrorCodes', (code) => {
    expect(codeNames).toContain(code);
  });

  it('lists each code once', () => {
    expect(new Set(documentedNames).size).toBe(documentedNames.length);
  });

  it.each(documented)('gives $code the status and name the code maps to', ({ code, status, name }) => {
    const mapped = ErrorCodes[code as ErrorCode];
    expect({ status, name }).toEqual({ status: mapped.status, name: mapped.name });
  });
});

describe('StitchboardError', () => {
  it.each(Object.entries(ErrorCodes))('takes status and name from the code %s', (code, { status, name }) => {
    const error = new StitchboardError(code as ErrorCode, 'm');
    expect({ status: error.status, name: error.name, code: error.code }).toEqual({ status, name, code });
  });
});
