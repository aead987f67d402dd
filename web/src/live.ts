import { useEffect, useRef, useState } from 'react';
import { authHeaders, url } from './api.ts';

export type LiveMode = 'connecting' | 'streaming' | 'polling';

export interface LiveState {
  mode: LiveMode;
  /** Clusters the stream does not watch (live mode, per-user credentials): those are polled. */
  unwatched: string[];
}

/** Splits a Server-Sent Events byte stream into `{event, data}` records. */
export function parseSse(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const events: { event: string; data: string }[] = [];
  const blocks = buffer.split(/\n\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * Subscribes to `GET /api/kubernetes/watch?entityRef=` (Server-Sent Events, read with fetch so the bearer
 * token can go along; EventSource cannot send headers) and calls `onChange` when any of the entity's
 * objects changes. When the stream is not available, or some clusters are not watched, the caller polls.
 */
export function useLiveUpdates(entityRef: string | undefined, onChange: () => void): LiveState {
  const [state, setState] = useState<LiveState>({ mode: 'connecting', unwatched: [] });
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (!entityRef) return;
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => callback.current(), 200);
    };
    const connect = async () => {
      setState({ mode: 'connecting', unwatched: [] });
      try {
        const res = await fetch(url('/api/kubernetes/watch', { entityRef }), {
          headers: { accept: 'text/event-stream', ...authHeaders() },
          signal: controller.signal,
        });
        if (!res.ok || !res.body) throw new Error(`watch stream answered ${res.status}`);
        const unwatched: string[] = [];
        setState({ mode: 'streaming', unwatched });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const e of parsed.events) {
            if (e.event === 'change') changed();
            if (e.event === 'unwatched' || e.event === 'error') {
              const cluster = (JSON.parse(e.data) as { cluster?: string }).cluster;
              if (cluster && !unwatched.includes(cluster)) unwatched.push(cluster);
              setState({ mode: 'streaming', unwatched: [...unwatched] });
            }
          }
        }
        throw new Error('watch stream ended');
      } catch {
        if (controller.signal.aborted) return;
        setState({ mode: 'polling', unwatched: [] });
        // Try the stream again later; meanwhile the page polls.
        retry = setTimeout(connect, 30_000);
      }
    };
    void connect();
    return () => {
      controller.abort();
      clearTimeout(retry);
      clearTimeout(debounce);
    };
  }, [entityRef]);
  return state;
}
