import { describe, expect, it } from 'vitest';
import { LineSplitter, parseWatchEvent } from './watch-event.ts';

describe('parseWatchEvent', () => {
  const cm = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'a', namespace: 'x', resourceVersion: '7' },
  };
  it.each([
    [
      { type: 'ADDED', object: cm },
      { type: 'ADDED', object: cm },
    ],
    [
      { type: 'MODIFIED', object: cm },
      { type: 'MODIFIED', object: cm },
    ],
    [
      { type: 'DELETED', object: cm },
      { type: 'DELETED', object: cm },
    ],
    [
      { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '12' } } },
      { type: 'BOOKMARK', resourceVersion: '12' },
    ],
    [
      // What kube-apiserver 1.20 sends when resuming from a resourceVersion it no longer has.
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          status: 'Failure',
          message: 'too old resource version: 203 (209)',
          reason: 'Expired',
          code: 410,
        },
      },
      { type: 'ERROR', code: 410, reason: 'Expired', message: 'too old resource version: 203 (209)' },
    ],
  ])('classifies %j', (event, expected) => {
    expect(parseWatchEvent(JSON.stringify(event))).toEqual(expected);
  });

  it.each([
    ['{"type":"ADDED"', 'not JSON'],
    ['{"type":"ADDED"}', 'without an object'],
    ['{"type":"ADDED","object":{"metadata":{}}}', 'without metadata.name'],
    ['{"type":"BOOKMARK","object":{"metadata":{}}}', 'BOOKMARK without resourceVersion'],
    ['{"type":"RESYNC","object":{}}', 'unknown event type "RESYNC"'],
    ['null', 'without an object'],
  ])('rejects %s', (line, detail) => {
    const event = parseWatchEvent(line);
    expect(event.type).toBe('INVALID');
    if (event.type === 'INVALID') expect(event.detail).toContain(detail);
  });
});

describe('LineSplitter', () => {
  it('joins events split across chunks and skips blank lines', () => {
    const s = new LineSplitter();
    const push = (text: string) => s.push(Buffer.from(text));
    expect(push('{"a":')).toEqual([]);
    expect(push('1}\n\n{"b"')).toEqual(['{"a":1}']);
    expect(push(':2}\n{"c":3}\n{"d"')).toEqual(['{"b":2}', '{"c":3}']);
    expect(s.flush()).toEqual(['{"d"']);
    expect(s.flush()).toEqual([]);
  });

  it('keeps multi-byte characters whole when a chunk ends inside one', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"v":"żółw 🐢"}\n');
    const lines = [...bytes].flatMap((b) => s.push(Uint8Array.of(b)));
    expect(lines).toEqual(['{"v":"żółw 🐢"}']);
  });
});
