import { z } from 'zod';
import { clusterLocatorSchema } from './locator-schema.ts';
import { oneOfList, quote } from './issues.ts';
import { typeName } from './path.ts';
import { bool, customResourceSchema, freeMapping } from './schema-helpers.ts';

export const SERVICE_LOCATOR_TYPES = ['multiTenant', 'singleTenant', 'catalogRelation'] as const;

const serviceLocatorType = z.enum(SERVICE_LOCATOR_TYPES, {
  error: (iss) => {
    if (iss.input === undefined) return `required (${oneOfList(SERVICE_LOCATOR_TYPES)})`;
    if (typeof iss.input !== 'string') return `expected string, received ${typeName(iss.input)}`;
    if (iss.input === 'http') {
      return `the "http" service locator is not implemented (in Backstage either); ${oneOfList(SERVICE_LOCATOR_TYPES)}`;
    }
    return `unknown service locator ${quote(iss.input)} (${oneOfList(SERVICE_LOCATOR_TYPES)})`;
  },
});

/**
 * Backstage's `kubernetes:` section, accepted verbatim. Keys whose bad values Backstage ignores
 * (`objectTypes` entries, `apiVersionOverrides` keys, `proxy.middlewareCache`) are only shape-checked
 * here; normalisation drops the bad parts with a warning instead of failing.
 */
export const kubernetesSchema = z.object({
  serviceLocatorMethod: z.object({ type: serviceLocatorType }),
  clusterLocatorMethods: z.array(clusterLocatorSchema),
  clusterLocatorContinueOnError: bool(false),
  customResources: z.array(customResourceSchema).default([]),
  objectTypes: z.array(z.string()).optional(),
  apiVersionOverrides: z.record(z.string(), z.string().min(1)).default({}),
  // A JSON key file's content. An object is accepted too and re-serialised, to spare YAML quoting.
  googleServiceAccountCredentials: z
    .union([z.string(), freeMapping], { error: (iss) => `expected string, received ${typeName(iss.input)}` })
    .transform((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    .optional(),
  // Off unless asked for (Backstage always serves it): it hands callers the clusters' own credentials.
  proxy: z
    .object({
      enabled: bool(false),
      middlewareCache: z.unknown().optional(),
    })
    .default({ enabled: false }),
  frontend: freeMapping.optional(),
  podExecTerminal: freeMapping.optional(),
});

export type ParsedKubernetes = z.output<typeof kubernetesSchema>;
