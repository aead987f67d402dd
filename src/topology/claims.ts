import { compareStrings } from './order.ts';
import type { ClusterService, ConflictRule, MatchBy } from './types.ts';

/** One component's successful lookup of one Service, before conflicts are settled. */
export interface Claim {
  componentRef: string;
  service: ClusterService;
  by: MatchBy;
  /** Position in `component_kubernetes_id` of the path that gave the name. */
  idPathIndex: number;
}

export interface SettledClaim {
  winner: Claim;
  losers: { claim: Claim; rule: ConflictRule }[];
}

/** Which step of the conflict rule puts `a` before `b`; undefined only for the same component. */
function decidingRule(a: Claim, b: Claim): { order: number; rule: ConflictRule } | undefined {
  if (a.by !== b.by) return { order: a.by === 'name-namespace' ? -1 : 1, rule: 'namespace-given' };
  if (a.idPathIndex !== b.idPathIndex) {
    return { order: a.idPathIndex - b.idPathIndex, rule: 'earlier-id-path' };
  }
  const order = compareStrings(a.componentRef, b.componentRef);
  return order === 0 ? undefined : { order, rule: 'component-ref-order' };
}

/**
 * Settles several components claiming one Service. The conflict rule, in order: a claim that named
 * the namespace beats a name-only one; then the claim whose name came from an earlier
 * `component_kubernetes_id` path; then the smaller component ref. Input order never matters.
 */
export function settleClaims(claims: readonly Claim[]): SettledClaim {
  let winner = claims[0] as Claim;
  for (const claim of claims.slice(1)) {
    if ((decidingRule(claim, winner)?.order ?? 0) < 0) winner = claim;
  }
  const losers = claims
    .filter((claim) => claim !== winner)
    .map((claim) => ({ claim, rule: (decidingRule(winner, claim) as { rule: ConflictRule }).rule }))
    .sort((a, b) => compareStrings(a.claim.componentRef, b.claim.componentRef));
  return { winner, losers };
}
