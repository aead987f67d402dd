/**
 * Worker thread: `pollers` concurrent clients querying the given components in a loop for `seconds`, as
 * open Kubernetes tabs would. Runs off the main thread so the clients do not take Stitchboard's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { polledQuery } from './query.ts';

export interface PollRequest {
  address: string;
  acceptEncoding: string;
  names: string[];
  pollers: number;
  seconds: number;
}

export interface PollResult {
  latencies: number[];
  errors: number;
  firstError?: string;
}

const { address, acceptEncoding, names, pollers, seconds } = workerData as PollRequest;
const pool = new Pool(address, { connections: pollers });
const latencies: number[] = [];
let errors = 0;
let firstError: string | undefined;
// The last good compressed body per component, shared by the pollers (see `polledQuery`).
const known = new Map<string, Buffer>();
const deadline = performance.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: pollers }, async (_, p) => {
    for (let i = p; performance.now() < deadline; i += pollers) {
      try {
        const result = await polledQuery(pool, names[(i * 13) % names.length] as string, {
          acceptEncoding,
          known,
        });
        if ('problem' in result) {
          errors++;
          firstError ??= result.problem;
        } else latencies.push(result.ms);
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
    }
  }),
);
await pool.close();
parentPort?.postMessage({ latencies, errors, ...(firstError ? { firstError } : {}) } satisfies PollResult);
