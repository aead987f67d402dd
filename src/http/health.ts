import type { FastifyInstance } from 'fastify';
import { isStitchboardError } from '../errors/errors.ts';
import type { Readiness } from '../fetch/watch/warm-up.ts';

/** One component's state. Extra fields are shown as they are, so they must never hold a secret. */
export interface CheckResult {
  status: 'ok' | 'degraded' | 'failing';
  message?: string;
  [detail: string]: unknown;
}

export type HealthCheck = () => CheckResult | Promise<CheckResult>;

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, CheckResult>;
}

/**
 * Where other parts report their state for `GET /healthz`, e.g.
 * `health.register('watchCache', () => cacheHealth(watch.cacheStats()))` (see app.ts).
 */
export interface HealthChecks {
  /** Adds or replaces the check with this name. */
  register(name: string, check: HealthCheck): void;
  run(): Promise<HealthReport>;
}

/** A check that takes longer than this reports `failing` rather than holding up the probe. */
export const CHECK_TIMEOUT_MS = 2000;

export function createHealthChecks(options: { timeoutMs?: number } = {}): HealthChecks {
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const checks = new Map<string, HealthCheck>();
  return {
    register(name, check) {
      checks.set(name, check);
    },
    async run() {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
      );
      const results = Object.fromEntries(entries);
      const allOk = entries.every(([, result]) => result.status === 'ok');
      return { status: allOk ? 'ok' : 'degraded', checks: results };
    },
  };
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'failing', message: `check timed out after ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (error) {
    // Our own errors are written to be shown; any other message could hold anything.
    if (isStitchboardError(error)) return { status: 'failing', message: error.message, code: error.code };
    const kind = error instanceof Error ? error.name : typeof error;
    return { status: 'failing', message: `check threw ${kind}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz` always answers 200 while the process serves HTTP, so a liveness probe does not
 * restart Stitchboard over a slow cluster; the body says which part is degraded.
 */
export function registerHealth(app: FastifyInstance, health: HealthChecks) {
  app.get('/healthz', { config: { public: true } }, async () => health.run());
}

/**
 * `GET /readyz`: 200 once the watch caches have warmed (`startWarmUp`), 503 before, so a Deployment's
 * readiness probe keeps a new replica out of its Service until it answers from memory.
 */
export function registerReadiness(app: FastifyInstance, readiness: Readiness) {
  app.get('/readyz', { config: { public: true } }, async (_request, reply) => {
    const report = readiness.report();
    return reply
      .code(report.ready ? 200 : 503)
      .send({ status: report.ready ? 'ready' : 'warming', ...report });
  });
}
