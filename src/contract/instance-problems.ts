/**
 * A Backstage instance that cannot run, as `GET /api/stitchboard/report` and `stitchboard report`
 * list it: where it is defined and what is wrong, never a Secret's values.
 */
export interface InstanceProblem {
  instance: string;
  /** The Secret that defines it, when a Secret does. */
  secret?: { cluster: string; namespace: string; name: string };
  /** The required Secret key that is missing, e.g. `endpoint`. */
  missingKey?: string;
  problem: string;
}
