import type { ServiceKey } from './types.ts';

/** Code-unit order: the same on every machine and locale, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Cluster, then namespace, then Service name: the order of every Service list Stitchboard returns. */
export function compareServiceKeys(a: ServiceKey, b: ServiceKey): number {
  return (
    compareStrings(a.cluster, b.cluster) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.service, b.service)
  );
}
