import type { KubeObject } from '../../contract/kubernetes.ts';

/** One line of a Kubernetes watch stream, classified. */
export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'BOOKMARK'; resourceVersion: string }
  /** The server ended the watch with a Status; `code` 410 means the resourceVersion is too old: relist. */
  | { type: 'ERROR'; code?: number; reason?: string; message?: string }
  /** Not a watch event at all: the stream cannot be trusted any more. */
  | { type: 'INVALID'; detail: string };

export function parseWatchEvent(line: string): WatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { type: 'INVALID', detail: `not JSON: ${line.slice(0, 80)}` };
  }
  const { type, object } = (parsed ?? {}) as { type?: unknown; object?: unknown };
  if (!object || typeof object !== 'object') {
    return { type: 'INVALID', detail: `event without an object (type ${String(type)})` };
  }
  const o = object as KubeObject & { code?: unknown; reason?: unknown; message?: unknown };
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      if (typeof o.metadata?.name !== 'string') {
        return { type: 'INVALID', detail: `${type} event without metadata.name` };
      }
      return { type, object: o };
    case 'BOOKMARK': {
      const rv = o.metadata?.resourceVersion;
      return typeof rv === 'string' && rv
        ? { type, resourceVersion: rv }
        : { type: 'INVALID', detail: 'BOOKMARK without resourceVersion' };
    }
    case 'ERROR':
      return {
        type,
        ...(typeof o.code === 'number' ? { code: o.code } : {}),
        ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
        ...(typeof o.message === 'string' ? { message: o.message } : {}),
      };
    default:
      return { type: 'INVALID', detail: `unknown event type ${JSON.stringify(type)}` };
  }
}

/**
 * Cuts a byte stream into text lines. The API server writes one JSON event per line; a chunk may end
 * anywhere, inside an event or inside a multi-byte character, so both tails are kept until completed.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  #pending: string[] = [];

  push(bytes: Uint8Array): string[] {
    const chunk = this.#decoder.decode(bytes, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      const line = this.#pending.length > 0 ? this.#pending.join('') + piece : piece;
      this.#pending = [];
      if (line.trim()) lines.push(line);
      start = nl + 1;
    }
    if (start < chunk.length) this.#pending.push(chunk.slice(start));
    return lines;
  }

  /** What is left when the stream ends: a last event without its newline, if any. */
  flush(): string[] {
    const rest = this.#pending.join('') + this.#decoder.decode();
    this.#pending = [];
    return rest.trim() ? [rest] : [];
  }
}
