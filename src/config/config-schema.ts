import { z } from 'zod';
import { awsSchema } from './aws-schema.ts';
import { backendSchema } from './backend-schema.ts';
import { kubernetesSchema } from './kubernetes-schema.ts';
import { scrapersSchema } from './scrapers-schema.ts';
import { stitchboardSchema } from './stitchboard-schema.ts';

/**
 * The whole raw config: Backstage's `backend` and `kubernetes` sections plus Stitchboard's own.
 * Other top-level sections of a shared Backstage app-config are not errors; they are reported as
 * ignored keys.
 */
export const configSchema = z.object({
  backend: backendSchema.prefault({}),
  stitchboard: stitchboardSchema.prefault({}),
  kubernetes: kubernetesSchema.optional(),
  aws: awsSchema.optional(),
  scrapers: scrapersSchema.optional(),
});

export type ParsedConfig = z.output<typeof configSchema>;
