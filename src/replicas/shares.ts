import { createHash } from 'node:crypto';

/** How far above an even share a replica may be loaded: at most ⌈1.25 × clusters / replicas⌉ each. */
export const DEFAULT_LOAD_FACTOR = 1.25;
/** Points per replica on the ring; more points, a more even spread before the bound applies. */
export const DEFAULT_VIRTUAL_NODES = 64;

export interface ShareOptions {
  loadFactor?: number;
  virtualNodes?: number;
}

/**
 * Which replica watches which cluster: consistent hashing with bounded loads (Mirrokni, Thorup and
 * Zadimoghaddam 2016; what Argo CD's application controller uses to shard clusters). Each replica
 * owns `virtualNodes` points on a 32-bit ring; a cluster goes to the first replica clockwise from its
 * own hash that is below the capacity ⌈loadFactor × clusters / replicas⌉. Clusters are placed in
 * the order of their hash, so the result depends only on the two sets, not on the order they come in:
 * every replica computes the same assignment from the same membership. When a replica joins or
 * leaves, only the clusters its points take or free move, about 1/N of them.
 *
 * Pure and deterministic. No replicas: an empty map.
 *
 * @example
 *   assignShares(['prod', 'staging', 'dev'], ['replica-a', 'replica-b']).get('prod'); // 'replica-b'
 */
export function assignShares(
  clusters: readonly string[],
  replicas: readonly string[],
  options: ShareOptions = {},
): Map<string, string> {
  const owners = new Map<string, string>();
  const members = [...new Set(replicas)].sort();
  const names = [...new Set(clusters)];
  if (members.length === 0 || names.length === 0) return owners;
  const loadFactor = options.loadFactor ?? DEFAULT_LOAD_FACTOR;
  const capacity = Math.ceil((loadFactor * names.length) / members.length);
  const ring = buildRing(members, options.virtualNodes ?? DEFAULT_VIRTUAL_NODES);
  const load = new Map(members.map((m) => [m, 0]));
  const placed = names.map((name) => ({ name, hash: hash32(name) }));
  placed.sort((a, b) => a.hash - b.hash || compare(a.name, b.name));
  for (const { name, hash } of placed) {
    let i = firstPointAtOrAfter(ring, hash);
    // capacity × members ≥ clusters, so a replica below capacity always exists and the walk ends.
    for (;;) {
      const point = ring[i % ring.length] as RingPoint;
      const current = load.get(point.replica) ?? 0;
      if (current < capacity) {
        owners.set(name, point.replica);
        load.set(point.replica, current + 1);
        break;
      }
      i++;
    }
  }
  return owners;
}

interface RingPoint {
  hash: number;
  replica: string;
}

function buildRing(members: readonly string[], virtualNodes: number): RingPoint[] {
  const ring: RingPoint[] = [];
  for (const replica of members) {
    for (let v = 0; v < virtualNodes; v++) ring.push({ hash: hash32(`${replica}#${v}`), replica });
  }
  return ring.sort((a, b) => a.hash - b.hash || compare(a.replica, b.replica));
}

function firstPointAtOrAfter(ring: readonly RingPoint[], hash: number): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ring[mid] as RingPoint).hash < hash) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first 32 bits of SHA-1: stable across processes, versions and platforms. */
function hash32(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
