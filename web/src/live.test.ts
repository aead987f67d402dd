import { describe, expect, it } from 'vitest';
import { parseSse } from './live.ts';

describe('parseSse', () => {
  it('splits complete events and keeps the unfinished rest for the next chunk', () => {
    const first = parseSse(
      'retry: 5000\n\n: keep-alive\n\nevent: change\ndata: {"cluster":"a"}\n\nevent: snap',
    );
    expect(first.events).toEqual([{ event: 'change', data: '{"cluster":"a"}' }]);
    const second = parseSse(`${first.rest}shot\ndata: {"x":1}\ndata: {"y":2}\n\n`);
    expect(second).toEqual({ events: [{ event: 'snapshot', data: '{"x":1}\n{"y":2}' }], rest: '' });
  });

  it('names an event without an event line "message"', () => {
    expect(parseSse('data: hi\n\n').events).toEqual([{ event: 'message', data: 'hi' }]);
  });
});
