import { describe, expect, it } from 'vitest';
import { sseEvent } from './watch-stream.ts';

describe('sseEvent', () => {
  it('writes one event with its data as one JSON line, whatever the data holds', () => {
    const text = sseEvent('change', { note: 'two\nlines', n: 1 });
    expect(text).toBe('event: change\ndata: {"note":"two\\nlines","n":1}\n\n');
    expect(text.trimEnd().split('\n')).toHaveLength(2);
  });
});
