/** What an informer knows right now, as far as answering a query is concerned. */
export interface InformerView {
  /** A complete LIST is in the store. */
  synced: boolean;
  /** The latest LIST was refused with this status (401, 403, 404): the answer live would give too. */
  failure?: { statusCode: number; at: number };
  /** Since when the store may miss changes: the watch broke, or is being re-established. */
  downSince?: number;
  /** From discovery; unknown when discovery failed. */
  namespaced?: boolean;
}

export interface AnswerContext {
  now: number;
  staleAfterMs: number;
  /** The query names a namespace and the type's LIST path uses it (everything but PersistentVolumes). */
  namespaceApplies: boolean;
}

export type LiveReason = 'not-synced' | 'stale' | 'forbidden-cluster-wide' | 'not-namespaced';

export type Answer =
  { kind: 'cache' } | { kind: 'error'; statusCode: number } | { kind: 'live'; reason: LiveReason };

/** LIST answers that depend only on the credential and the API version, not on timing: safe to repeat. */
export const REPEATABLE_FAILURES: ReadonlySet<number> = new Set([401, 403, 404]);

const CACHE: Answer = Object.freeze({ kind: 'cache' });
const live = (reason: LiveReason): Answer => Object.freeze({ kind: 'live', reason });
const LIVE: Readonly<Record<LiveReason, Answer>> = {
  'not-synced': live('not-synced'),
  stale: live('stale'),
  'forbidden-cluster-wide': live('forbidden-cluster-wide'),
  'not-namespaced': live('not-namespaced'),
};

/**
 * Serve from the cache only what live would answer the same: a synced store whose watch has not been down
 * longer than the staleness bound, or a recent refusal of the LIST. Everything else goes live. Asked for
 * every type of every query, so only a refusal allocates its answer.
 */
export function decideAnswer(view: InformerView, context: AnswerContext): Answer {
  const { now, staleAfterMs, namespaceApplies } = context;
  if (view.failure) {
    if (now - view.failure.at > staleAfterMs) return LIVE.stale;
    // The informer LISTs cluster-wide; a namespaced LIST may still be allowed by a Role in that namespace.
    if (view.failure.statusCode === 403 && namespaceApplies) return LIVE['forbidden-cluster-wide'];
    return { kind: 'error', statusCode: view.failure.statusCode };
  }
  if (!view.synced) return LIVE['not-synced'];
  // A namespaced path for a cluster-scoped custom resource is a 404 live; let live say so.
  if (namespaceApplies && view.namespaced === false) return LIVE['not-namespaced'];
  if (view.downSince !== undefined && now - view.downSince > staleAfterMs) return LIVE.stale;
  return CACHE;
}
