import { createHash } from 'node:crypto';
import type { ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import { compress, type ContentCoding } from '../shared/compress.ts';

/**
 * An objects answer as sent: the JSON body, UTF-8 encoded once (a cached answer is written to sockets as is),
 * its strong ETag (a hash of the body), and the body in each content coding asked for, compressed once, on
 * first use, and kept as long as the answer is.
 */
export class SerializedAnswer {
  readonly body: Buffer;
  readonly etag: string;
  readonly #encoded = new Map<ContentCoding, Promise<Buffer>>();

  constructor(body: Buffer) {
    this.body = body;
    this.etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  }

  /** The body compressed in `coding`; every caller shares one compression, retried if it failed. */
  encoded(coding: ContentCoding): Promise<Buffer> {
    let encoded = this.#encoded.get(coding);
    if (!encoded) {
      encoded = compress(this.body, coding);
      encoded.catch(() => this.#encoded.delete(coding));
      this.#encoded.set(coding, encoded);
    }
    return encoded;
  }
}

export function serializeAnswer(response: ObjectsByEntityResponse): SerializedAnswer {
  return new SerializedAnswer(Buffer.from(JSON.stringify(response)));
}

/** What an answer is kept with: what it was built from, and the clusters it asked. */
export interface AnswerOrigin {
  version: readonly unknown[];
  stamp?: readonly unknown[] | undefined;
  clusters: readonly string[];
}

interface Cached extends AnswerOrigin {
  answer: SerializedAnswer;
}

/**
 * Serialized answers by query key, each valid while its version (see `FetchResult.version`) is element by
 * element `===` to the current one: an answer is reused until an object in it changes, and never when any
 * part of it was read live. An answer may also carry the stamp (see `ObjectFetcher.answerStamp`) taken before
 * it was built: while the stamp is the same, nothing it was built from changed, and it is reused without
 * building its version. Least recently used answers go first once `maxBytes` of bodies are held. A version
 * holds the cached objects themselves: answers from a cluster whose caches are forgotten are dropped with
 * `dropCluster`, so they do not keep its objects alive. The budget counts the JSON bodies, not their
 * compressed copies (3–6% of a body on the bench's answers).
 */
export class AnswerCache {
  readonly #answers = new Map<string, Cached>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#answers.size;
  }

  /** The cached answer for `key` if it was built from exactly `version`; refreshes its recency. */
  get(key: string, version: readonly unknown[]): SerializedAnswer | undefined {
    return this.#touch(key, (cached) => sameVersion(cached.version, version))?.answer;
  }

  /** The cached answer for `key` if it was stored with exactly `stamp`; refreshes its recency. */
  getStamped(key: string, stamp: readonly unknown[]): SerializedAnswer | undefined {
    return this.#touch(key, (cached) => cached.stamp !== undefined && sameVersion(cached.stamp, stamp))
      ?.answer;
  }

  set(key: string, answer: SerializedAnswer, origin: AnswerOrigin): void {
    this.delete(key);
    if (answer.body.length > this.#maxBytes) return;
    this.#answers.set(key, { answer, ...origin });
    this.#bytes += answer.body.length;
    for (const [oldest, cached] of this.#answers) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#answers.delete(oldest);
      this.#bytes -= cached.answer.body.length;
    }
  }

  #touch(key: string, valid: (cached: Cached) => boolean): Cached | undefined {
    const cached = this.#answers.get(key);
    if (!cached || !valid(cached)) return undefined;
    this.#answers.delete(key);
    this.#answers.set(key, cached);
    return cached;
  }

  /** Drops every answer that asked `cluster`. */
  dropCluster(cluster: string): void {
    for (const [key, cached] of this.#answers) if (cached.clusters.includes(cluster)) this.delete(key);
  }

  delete(key: string): void {
    const cached = this.#answers.get(key);
    if (!cached) return;
    this.#answers.delete(key);
    this.#bytes -= cached.answer.body.length;
  }
}

function sameVersion(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
