import type { PathAttempt } from './types.ts';

/**
 * One passed-over label_map path in words, for the CLI and logs.
 *
 * @example
 * attemptText({ path: 'spec.owner', reason: 'not-in-catalog', value: 'ghosts', ref: 'group:default/ghosts' })
 * // → 'spec.owner = ghosts: group:default/ghosts is not in the catalog'
 */
export function attemptText(attempt: PathAttempt): string {
  const at = attempt.value === undefined ? attempt.path : `${attempt.path} = ${attempt.value}`;
  switch (attempt.reason) {
    case 'no-value':
      return `${at}: no value`;
    case 'invalid':
      return `${at}: ${attempt.message ?? 'invalid'}`;
    case 'not-in-catalog':
      return `${at}: ${attempt.ref ?? 'the owner'} is not in the catalog`;
  }
}

/** Every passed-over path, in order, joined for one line. */
export function attemptsText(tried: readonly PathAttempt[]): string {
  return tried.length === 0 ? 'no path tried' : tried.map(attemptText).join('; ');
}
