import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { OBJECT_TYPES } from '../contract/kubernetes.ts';

/** Where a replica answers a query forwarded by another for a cluster of its share. Not part of the public API. */
export const FORWARD_PATH = '/api/replicas/v1/fetch';
/** Carries `stitchboard.replicas.internalToken`; never logged (request logs carry no headers). */
export const TOKEN_HEADER = 'x-stitchboard-replica-token';

const objectToFetch = z.object({
  objectType: z.enum([...OBJECT_TYPES, 'customresources']),
  group: z.string(),
  apiVersion: z.string().min(1),
  plural: z.string().min(1),
});

/** A forwarded query: one cluster, by name, as the receiving replica's own config defines it. */
export const forwardRequestSchema = z.object({
  cluster: z.string().min(1),
  objectTypes: z.array(objectToFetch).min(1).max(100),
  labelSelector: z.string(),
  namespace: z.string().min(1).optional(),
});
export type ForwardRequest = z.infer<typeof forwardRequestSchema>;

/** What comes back: FetchResult, checked only as far as its shape; the contents are the owner's answer. */
export const forwardResponseSchema = z.object({
  responses: z.array(z.object({ type: z.string(), resources: z.array(z.record(z.string(), z.unknown())) })),
  errors: z.array(z.record(z.string(), z.unknown())),
});

/** Compares a presented token with the configured one in constant time. */
export function tokenMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
