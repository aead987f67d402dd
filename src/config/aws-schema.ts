import { z } from 'zod';
import type { AwsIntegrationConfig } from './types.ts';
import { everyTime, optString } from './schema-helpers.ts';

const ACCOUNT_ID = /^\d{12}$/;

/** Static keys come in pairs; a lone half is a typo that would otherwise fall through to the default chain. */
function keyPairRule(value: Record<string, unknown>, ctx: { error(path: string[], message: string): void }) {
  const id = value.accessKeyId !== undefined && value.accessKeyId !== '';
  const secret = value.secretAccessKey !== undefined && value.secretAccessKey !== '';
  if (id && !secret) ctx.error(['secretAccessKey'], 'required when accessKeyId is set');
  if (secret && !id) ctx.error(['accessKeyId'], 'required when secretAccessKey is set');
}

const mainAccount = everyTime(
  z.object({
    accessKeyId: optString(),
    secretAccessKey: optString(),
    profile: optString(),
    region: optString(),
  }),
  keyPairRule,
);

const account = everyTime(
  z.object({
    accountId: z.preprocess(
      (v) => (typeof v === 'number' ? String(v).padStart(12, '0') : v),
      z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'),
    ),
    roleName: optString(),
    partition: optString(),
    region: optString(),
    externalId: optString(),
    accessKeyId: optString(),
    secretAccessKey: optString(),
    profile: optString(),
  }),
  keyPairRule,
);

const accountDefaults = z.object({
  roleName: optString(),
  partition: optString(),
  region: optString(),
  externalId: optString(),
});

/**
 * Backstage's root `aws:` section (`@backstage/integration-aws-node`), read here only for the `aws` auth
 * provider's base credentials. Same keys, same meaning.
 */
export const awsSchema = z.object({
  mainAccount: mainAccount.prefault({}),
  accounts: z.array(account).default([]),
  accountDefaults: accountDefaults.prefault({}),
});

export type ParsedAws = z.output<typeof awsSchema>;

export function normalizeAws(parsed: ParsedAws): AwsIntegrationConfig {
  return {
    mainAccount: withoutUndefined(parsed.mainAccount),
    accounts: parsed.accounts.map(withoutUndefined),
    accountDefaults: withoutUndefined(parsed.accountDefaults),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
