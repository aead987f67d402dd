import { z } from 'zod';
import { configClusterSchema } from './cluster-schema.ts';
import { oneOfList, quote } from './issues.ts';
import { isPlainObject, typeName } from './path.ts';
import { bool, freeMapping, oneOf, optString } from './schema-helpers.ts';

export const LOCATOR_TYPES = ['config', 'catalog', 'gke', 'localKubectlProxy', 'custom'] as const;

const configLocator = z.object({
  type: z.literal('config'),
  // Runs even when some entries have other problems, so duplicates show up in the same report.
  clusters: z.array(configClusterSchema).superRefine(
    (clusters: unknown, ctx) => {
      if (!Array.isArray(clusters)) return;
      const seen = new Map<string, number>();
      clusters.forEach((cluster: unknown, index) => {
        const name = isPlainObject(cluster) ? cluster.name : undefined;
        if (typeof name !== 'string') return;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, index);
        else {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: `duplicate cluster name ${quote(name)} (also clusters[${first}]); names must be unique within a locator`,
          });
        }
      });
    },
    { when: () => true },
  ),
});

const catalogLocator = z.object({
  type: z.literal('catalog'),
  dangerouslyAllowClusterUrls: z.array(z.string().min(1)).default([]),
  dangerouslyAllowSkipTLSVerify: bool(false),
});

const gkeLocator = z.object({
  type: z.literal('gke'),
  projectId: z.string().min(1),
  region: optString().transform((v) => v ?? '-'),
  // Backstage quietly turns any other value into `google`; normalisation warns about it.
  authProvider: optString(),
  skipTLSVerify: bool(false),
  skipMetricsLookup: bool(false),
  exposeDashboard: bool(false),
  matchingResourceLabels: z.array(z.object({ key: z.string().min(1), value: z.string() })).default([]),
  endpointType: oneOf(['public', 'dns'], 'endpointType').default('public'),
});

const localKubectlProxyLocator = z.object({ type: z.literal('localKubectlProxy') });

// Stitchboard's own: a module that supplies clusters (src/clusters/custom-supplier.ts).
const customLocator = z.object({
  type: z.literal('custom'),
  module: z.string().min(1, 'required: the path of a module whose default export builds a cluster supplier'),
  options: freeMapping.default({}),
});

export const clusterLocatorSchema = z.discriminatedUnion(
  'type',
  [configLocator, catalogLocator, gkeLocator, localKubectlProxyLocator, customLocator],
  {
    error: (iss) => {
      if (!isPlainObject(iss.input)) return `expected object, received ${typeName(iss.input)}`;
      const type = iss.input.type;
      if (type === undefined) return `required (${oneOfList(LOCATOR_TYPES)})`;
      if (typeof type !== 'string') return `expected string, received ${typeName(type)}`;
      return `unknown cluster locator type ${quote(type)} (${oneOfList(LOCATOR_TYPES)})`;
    },
  },
);

export type ParsedClusterLocator = z.output<typeof clusterLocatorSchema>;
