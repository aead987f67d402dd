import type { Logger } from '../shared/logger.ts';

/**
 * Logs each problem of a supplier's latest answer once while it lasts: suppliers are asked every few
 * seconds, and the same warning on every poll would bury everything else. A problem that goes away
 * and comes back is logged again.
 */
export class ProblemLog {
  readonly #logger: Logger;
  readonly #fields: Record<string, unknown>;
  #current = new Set<string>();

  constructor(logger: Logger, fields: Record<string, unknown>) {
    this.#logger = logger;
    this.#fields = fields;
  }

  report(messages: readonly string[]): void {
    const next = new Set(messages);
    for (const message of next) {
      if (!this.#current.has(message)) this.#logger.warn(this.#fields, message);
    }
    this.#current = next;
  }
}
