import { z } from 'zod';
import { quote } from './issues.ts';
import { isPlainObject, typeName } from './path.ts';
import { freeMapping, num, oneOf } from './schema-helpers.ts';
import { parseSize } from './size.ts';

export const DATABASE_CLIENTS = ['better-sqlite3', 'sqlite3', 'sqlite', 'pg'] as const;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const port = num(z.number().int().min(0).max(65535));

/** `listen` as Backstage accepts it: `{ host, port }`, or a `"host:port"` / `":port"` string. */
const listenSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const at = v.lastIndexOf(':');
    if (at < 0) return { host: v };
    return { host: v.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: v.slice(at + 1) || undefined };
  },
  z.object({
    host: z
      .string()
      .optional()
      .transform((v) => v || '0.0.0.0'),
    port: port.optional().transform((v) => v ?? 7007),
  }),
);

// A static token is a secret: the messages below describe it and never include it.
const staticAccess = z.object({
  type: z.literal('static'),
  options: z.object({
    token: z
      .string()
      .min(8, 'must be at least 8 characters long')
      .regex(/^\S+$/, 'must not contain whitespace'),
    subject: z.string().min(1),
  }),
  accessRestrictions: z.unknown().optional(),
});

const externalAccessEntry = z.discriminatedUnion('type', [staticAccess], {
  error: (iss) => {
    if (!isPlainObject(iss.input)) return `expected object, received ${typeName(iss.input)}`;
    const type = iss.input.type;
    if (type === undefined) return 'required (only "static" is supported)';
    return `external access type ${quote(type)} is not supported yet (only "static")`;
  },
});

const databaseSchema = z
  .object({
    client: oneOf(DATABASE_CLIENTS, 'database client'),
    connection: z
      .union([z.string().min(1), freeMapping], {
        error: (iss) => `expected string or mapping, received ${typeName(iss.input)}`,
      })
      .optional(),
  })
  .superRefine((db, ctx) => {
    const connection = db.connection;
    if (db.client === 'pg') {
      if (connection === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['connection'],
          message: 'required for client pg (a URL or a mapping)',
        });
      }
      return;
    }
    if (isPlainObject(connection)) {
      const { directory, filename } = connection;
      if (typeof directory !== 'string' && typeof filename !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: ['connection'],
          message: `for ${db.client}, the mapping needs "filename" or "directory" (a string); or use ':memory:'`,
        });
      }
    }
  });

/** Backstage reads each of these as one string or a list of strings. */
const stringOrList = z
  .union([z.string().min(1), z.array(z.string().min(1))], {
    error: (iss) => `expected string or list of strings, received ${typeName(iss.input)}`,
  })
  .transform((v) => (typeof v === 'string' ? [v] : v));

/** `backend.cors`, the keys Backstage's `readCorsOptions` reads. */
const corsSchema = z.object({
  origin: stringOrList.optional(),
  methods: stringOrList.optional(),
  allowedHeaders: stringOrList.optional(),
  exposedHeaders: stringOrList.optional(),
  credentials: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).optional(),
  maxAge: num(z.number().int().min(0)).optional(),
  preflightContinue: z.unknown().optional(),
  optionsSuccessStatus: num(z.number().int().min(200).max(299)).optional(),
});

export const backendSchema = z.object({
  cors: corsSchema.optional(),
  listen: listenSchema.prefault({}),
  auth: z
    .object({
      externalAccess: z.array(externalAccessEntry).default([]),
    })
    .prefault({}),
  database: databaseSchema.optional(),
  bodyLimit: z
    .union([z.number(), z.string()], {
      error: (iss) => `expected number or size, received ${typeName(iss.input)}`,
    })
    .transform((value, ctx) => {
      const bytes = parseSize(value);
      if (bytes === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: 'expected a positive number of bytes or a size such as "512kb" or "1mb"',
        });
        return z.NEVER;
      }
      return bytes;
    })
    .optional(),
});

export type ParsedBackend = z.output<typeof backendSchema>;
