import type { FetchResponse, KubernetesFetchError } from '../contract/kubernetes.ts';
import type { FetchResult } from './types.ts';

/** What became of one object type's LIST: its response, or an error entry. */
export type ListOutcome = { ok: true; response: FetchResponse } | { ok: false; error: KubernetesFetchError };

/**
 * One cluster's answer from its per-type outcomes. An unreachable cluster is one FETCH_ERROR and nothing
 * else, even when some types answered (Backstage's rule); otherwise every response and every error, in
 * object-type order.
 */
export function combineOutcomes(outcomes: readonly ListOutcome[]): FetchResult {
  const unreachable = outcomes.find((o) => !o.ok && o.error.errorType === 'FETCH_ERROR');
  if (unreachable && !unreachable.ok) return { responses: [], errors: [unreachable.error] };
  const result: FetchResult = { responses: [], errors: [] };
  for (const outcome of outcomes) {
    if (outcome.ok) result.responses.push(outcome.response);
    else result.errors.push(outcome.error);
  }
  return result;
}
