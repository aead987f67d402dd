import type { KubeObject } from '../../contract/kubernetes.ts';
import type { ObjectStore, StoreChange } from './object-store.ts';
import type { WatchEvent } from './watch-event.ts';

export interface EventOutcome {
  changes: StoreChange[];
  /** Where to resume the watch from after this event, when the event moves it. */
  resourceVersion?: string;
  /** The watch cannot go on: `gone` relists (410), `broken` reconnects from the last resourceVersion. */
  end?: 'gone' | 'broken';
  /** Why it ended, for stats and logs (never holds a credential: it is the server's Status text). */
  detail?: string;
}

/**
 * Applies one watch event to `store`. `ingest` turns a raw event object into what is stored (slimmed,
 * frozen); the resourceVersion is taken from the raw object, before any slimming.
 */
export function applyWatchEvent(
  store: ObjectStore,
  event: WatchEvent,
  ingest: (raw: KubeObject) => KubeObject,
): EventOutcome {
  switch (event.type) {
    case 'ADDED':
    case 'MODIFIED': {
      const resourceVersion = event.object.metadata?.resourceVersion;
      return {
        changes: [store.upsert(ingest(event.object))],
        ...(resourceVersion ? { resourceVersion } : {}),
      };
    }
    case 'DELETED': {
      const resourceVersion = event.object.metadata?.resourceVersion;
      const change = store.remove(event.object);
      return { changes: change ? [change] : [], ...(resourceVersion ? { resourceVersion } : {}) };
    }
    case 'BOOKMARK':
      return { changes: [], resourceVersion: event.resourceVersion };
    case 'ERROR':
      return {
        changes: [],
        end: event.code === 410 ? 'gone' : 'broken',
        detail: `watch ended with ERROR ${event.code ?? '?'} ${event.reason ?? ''}: ${event.message ?? ''}`,
      };
    case 'INVALID':
      return { changes: [], end: 'broken', detail: `unreadable watch stream: ${event.detail}` };
  }
}
