export interface BackoffSettings {
  /** First delay's ceiling. */
  initialMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): the ceiling doubles per attempt up to `maxMs`, and the
 * delay is drawn from its upper half ("equal jitter"), so many informers cut at once by one API server
 * restart do not come back in lockstep, while none retries sooner than half the ceiling.
 */
export function backoffDelay(
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
