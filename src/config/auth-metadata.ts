import { AUTH_PROVIDER_KEY, OIDC_TOKEN_PROVIDER_KEY } from '../clusters/types.ts';
import type { ConfigClusterConfig } from './types.ts';

/** The `authProvider` values Stitchboard (and Backstage's stock frontend) know. */
export const AUTH_PROVIDERS = [
  'serviceAccount',
  'google',
  'googleServiceAccount',
  'aws',
  'azure',
  'oidc',
  'aks',
  'localKubectlProxy',
] as const;

/** OIDC token providers the stock Backstage frontend can obtain a token from. */
export const FRONTEND_OIDC_PROVIDERS = ['gitlab', 'google', 'microsoft', 'okta', 'onelogin'] as const;

export const AWS_ASSUME_ROLE_KEY = 'kubernetes.io/aws-assume-role';
export const AWS_EXTERNAL_ID_KEY = 'kubernetes.io/aws-external-id';
export const SERVICE_ACCOUNT_TOKEN_KEY = 'serviceAccountToken';

type AuthFields = Pick<
  ConfigClusterConfig,
  'authProvider' | 'serviceAccountToken' | 'oidcTokenProvider' | 'assumeRole' | 'externalId' | 'authMetadata'
>;

/**
 * A config cluster's auth metadata, exactly as Backstage's ConfigClusterLocator builds it: keys
 * derived from the dedicated fields, then `authMetadata` merged last so it overrides them.
 *
 * @example
 * configClusterAuthMetadata({ authProvider: 'oidc', oidcTokenProvider: 'okta' })
 * // → { 'kubernetes.io/auth-provider': 'oidc', 'kubernetes.io/oidc-token-provider': 'okta' }
 */
export function configClusterAuthMetadata(cluster: Partial<AuthFields>): Record<string, string> {
  const derived: Record<string, string> = {};
  if (cluster.authProvider) derived[AUTH_PROVIDER_KEY] = cluster.authProvider;
  if (cluster.serviceAccountToken) derived[SERVICE_ACCOUNT_TOKEN_KEY] = cluster.serviceAccountToken;
  if (cluster.oidcTokenProvider) derived[OIDC_TOKEN_PROVIDER_KEY] = cluster.oidcTokenProvider;
  if (cluster.assumeRole) derived[AWS_ASSUME_ROLE_KEY] = cluster.assumeRole;
  if (cluster.externalId) derived[AWS_EXTERNAL_ID_KEY] = cluster.externalId;
  return { ...derived, ...cluster.authMetadata };
}
