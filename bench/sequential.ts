import { Pool } from 'undici';
import { gc } from './harness.ts';
import { answerProblem, decodedBody, timedQuery, type QueryResult } from './query.ts';
import { percentile } from './report.ts';
import { recordGcs, runQueueWaitMs, tailCauses, type TailCauses, type TimedAnswer } from './tail.ts';

/** A component's last good answer as it came over the wire. */
export interface WireBody {
  body: Buffer;
  encoding: string | undefined;
}

/**
 * The sequential client: one query at a time over two keep-alive connections, in this thread. It keeps the
 * last body per component, so a repeated answer of the same bytes needs no check; a new body is decoded,
 * checked and parsed (it must be JSON) only when `checkNewBodies` is called, after the timed queries: parsing
 * a 166 KiB answer makes a megabyte of objects, and this heap is Stitchboard's. The client's garbage still
 * shares it (most of the full GCs in the timed phase are the client's); a client in a worker thread keeps it
 * apart, but on two cores its wake-ups cost more: dice-roller p50 0.38-0.43 ms and p99 1.9-3.5 ms that way,
 * 0.26-0.35 and 0.58-0.64 ms in this thread (BENCHMARKS.md, 2026-12-04, has the 3 x 5,000 figures).
 */
export class SequentialClient {
  readonly #pool: Pool;
  readonly #acceptEncoding: string;
  readonly #answered = new Map<string, WireBody>();
  readonly #unchecked: QueryResult[] = [];
  errors = 0;
  firstError: string | undefined;
  /** The first good answer: its JSON, for the answer's size and object count, and its size on the wire. */
  sample: { json: Buffer; wireBytes: number } | undefined;

  constructor(address: string, acceptEncoding: string) {
    this.#pool = new Pool(address, { connections: 2 });
    this.#acceptEncoding = acceptEncoding;
  }

  /** The last good body of each component answered. */
  get bodies(): ReadonlyMap<string, WireBody> {
    return this.#answered;
  }

  /**
   * One query; its latency, or undefined when the answer was not a 200 (counted in `errors`). A body of the
   * same bytes as the component's last one is not checked again; a new one is decoded and checked (no
   * cluster errors, and JSON) only by `checkNewBodies`, after the timed queries: decoding a 166 KiB answer
   * between two timed ones made the next one up to a millisecond slower, and this thread is Stitchboard's.
   */
  async query(name: string): Promise<number | undefined> {
    const previous = this.#answered.get(name);
    const result = await timedQuery(this.#pool, name, {
      acceptEncoding: this.#acceptEncoding,
      previous: previous?.body,
    });
    if (result.status !== 200) {
      this.#failed(answerProblem(result));
      return undefined;
    }
    if (result.body !== previous?.body || result.encoding !== previous.encoding) {
      this.#unchecked.push(result);
      this.#answered.set(name, { body: result.body, encoding: result.encoding });
    }
    return result.ms;
  }

  /** Decodes and checks the bodies that were new since the last call; a bad one counts as an error. */
  checkNewBodies(): void {
    for (const result of this.#unchecked.splice(0)) {
      const problem = answerProblem(result);
      if (problem) {
        this.#failed(problem);
        continue;
      }
      const json = decodedBody(result);
      JSON.parse(json.toString('utf8'));
      this.sample ??= { json, wireBytes: result.body.length };
    }
  }

  #failed(problem: string | undefined): void {
    this.errors++;
    this.firstError ??= problem;
  }

  /**
   * Answers the warm-up components `warmUps` times, untimed, as a server up a while has answered them (V8
   * optimizes the answer path only after some hundreds of answers: on the dice-roller, p50 0.56-0.65 ms
   * after 50 of them, 0.33-0.37 ms after 500, same code), then starts counting errors afresh. The bodies are
   * parsed and collected now, or the first full GC after start-up pauses inside the timings (20 ms on
   * 2 × 5,000 pods, with the informers' LISTs just promoted), which a server up for a while does not.
   */
  async warmUp(names: readonly string[], warmUps: number): Promise<void> {
    for (let i = 0; i < warmUps; i++) await this.query(warmUpName(names, i));
    this.checkNewBodies();
    gc();
    this.errors = 0;
    this.firstError = undefined;
  }

  /**
   * `queries` sequential queries visiting the components in turn: a component's first answer (in watch mode
   * built and serialized) and its later ones (what a polling tab sees) are returned apart, with what the
   * slowest of the later ones overlapped.
   */
  async timed(
    names: readonly string[],
    queries: number,
  ): Promise<{ repeated: number[]; first: number[]; tail: TailCauses }> {
    const repeated: TimedAnswer[] = [];
    const first: number[] = [];
    const gcs = recordGcs();
    let afterFirst = false;
    for (let i = 0; i < queries; i++) {
      const name = names[(i * 37) % names.length] as string;
      const isFirst = !this.#answered.has(name);
      const waited = runQueueWaitMs();
      const at = performance.now();
      const ms = await this.query(name);
      const waitMs = runQueueWaitMs() - waited;
      if (ms !== undefined && isFirst) first.push(ms);
      else if (ms !== undefined) repeated.push({ at, ms, waitMs, afterFirst });
      afterFirst = isFirst;
    }
    const latencies = repeated.map((a) => a.ms);
    const tail = tailCauses(repeated, gcs.stop(), percentile(latencies, 99));
    this.checkNewBodies();
    return { repeated: latencies, first, tail };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** The warm-up visits ten components (of 100, every seventh), the same ten whatever the server. */
export function warmUpName(names: readonly string[], i: number): string {
  return names[((i % 10) * 7) % names.length] as string;
}
