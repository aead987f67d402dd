import { LineCounter, isMap, isNode, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import type { EntityProblem } from './types.ts';

/** One YAML document of a catalog file, with what is needed to point at its lines later. */
export interface YamlEntityDocument {
  raw: unknown;
  /** `file:line` of the document's first key. */
  location: string;
  /** `file:line` of the deepest existing node along `path`, falling back to the document's line. */
  locate(path: readonly string[] | undefined): string;
}

/**
 * Splits a multi-document YAML file into documents. A document with a syntax error becomes a problem
 * naming its line and the other documents still load; empty documents (a trailing `---`) are skipped.
 */
export function parseYamlDocuments(
  file: string,
  text: string,
): { documents: YamlEntityDocument[]; problems: EntityProblem[] } {
  const lineCounter = new LineCounter();
  const documents: YamlEntityDocument[] = [];
  const problems: EntityProblem[] = [];
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  for (const doc of parseAllDocuments(text, { lineCounter, prettyErrors: true })) {
    const [error] = doc.errors;
    if (error) {
      const { line, col } = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      problems.push({
        location: `${file}:${line}`,
        message: `YAML syntax error: ${firstLine(error.message)} (column ${col})`,
      });
      continue;
    }
    if (doc.contents === null) continue;
    const docLine = lineAt(doc.contents.range?.[0] ?? 0);
    let raw: unknown;
    try {
      raw = doc.toJS();
    } catch (e) {
      problems.push({ location: `${file}:${docLine}`, message: `YAML error: ${(e as Error).message}` });
      continue;
    }
    documents.push({
      raw,
      location: `${file}:${docLine}`,
      locate: (path) => `${file}:${path ? (lineOfPath(doc, path, lineAt) ?? docLine) : docLine}`,
    });
  }
  return { documents, problems };
}

/** The parser's first line without its own `at line N, column M:`, since the location already says where. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

/** Walks mappings by key and sequences by index, remembering the line of the last key or item reached. */
function lineOfPath(
  doc: Document,
  path: readonly string[],
  lineAt: (offset: number) => number,
): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment,
      );
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!isNode(item)) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}
