import type { FastifyReply } from 'fastify';
import { CONTENT_CODINGS, type ContentCoding } from '../shared/compress.ts';

/**
 * The content coding to send for a request's `Accept-Encoding` (RFC 9110 §12.5.3): of the codings
 * Stitchboard has, the one the client weighs highest (`q`, 1 when absent; `q=0` refuses; `*` stands for
 * every coding not listed; `x-gzip` is `gzip`), ties going to the first of `CONTENT_CODINGS`. Undefined
 * without the header, or when none is acceptable: the body is sent as it is. An entry that cannot be read
 * is ignored.
 *
 * @example
 *   negotiateCoding('gzip, deflate, br, zstd'); // 'br' (what Chromium sends)
 *   negotiateCoding('br;q=0.5, gzip'); // 'gzip'
 */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  // Browsers send one of a few header values on every request: each is read once.
  let coding = negotiated.get(acceptEncoding);
  if (coding === undefined) {
    if (negotiated.size >= MAX_NEGOTIATED) negotiated.clear();
    coding = codingFor(acceptEncoding) ?? null;
    negotiated.set(acceptEncoding, coding);
  }
  return coding ?? undefined;
}

const MAX_NEGOTIATED = 64;
const negotiated = new Map<string, ContentCoding | null>();

function codingFor(acceptEncoding: string): ContentCoding | undefined {
  const weights = new Map<string, number>();
  for (const entry of acceptEncoding.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : qValue(q.slice(2));
    if (weight !== undefined) weights.set(name === 'x-gzip' ? 'gzip' : name, weight);
  }
  let best: ContentCoding | undefined;
  let bestWeight = 0;
  for (const coding of CONTENT_CODINGS) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  return best;
}

/** A `qvalue`: 0 to 1 with at most three decimals; undefined otherwise. */
function qValue(text: string): number | undefined {
  return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text) ? Number(text) : undefined;
}

/** The strong ETag of the body in `coding`: another representation needs another tag (RFC 9110 §8.8.3). */
export function codedEtag(etag: string, coding: ContentCoding | undefined): string {
  return coding ? `${etag.slice(0, -1)}-${coding}"` : etag;
}

/** Adds `field` to the reply's `Vary`, keeping what other hooks (CORS) put there. */
export function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields = typeof current === 'string' && current !== '' ? current.split(',').map((f) => f.trim()) : [];
  if (fields.some((f) => f === '*' || f.toLowerCase() === field.toLowerCase())) return;
  reply.header('vary', [...fields, field].join(', '));
}
