// Backstage's auth metadata keys; which provider reads which is in auth-providers.ts.

/** Which provider authenticates a cluster, and which OIDC token it takes. */
export const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';
export const OIDC_TOKEN_PROVIDER_KEY = 'kubernetes.io/oidc-token-provider';

/** OIDC token providers the stock Backstage frontend can obtain a token from. */
export const FRONTEND_OIDC_PROVIDERS = ['gitlab', 'google', 'microsoft', 'okta', 'onelogin'] as const;

export const AWS_ASSUME_ROLE_KEY = 'kubernetes.io/aws-assume-role';
export const AWS_EXTERNAL_ID_KEY = 'kubernetes.io/aws-external-id';
export const AWS_CLUSTER_ID_KEY = 'kubernetes.io/x-k8s-aws-id';
export const SERVICE_ACCOUNT_TOKEN_KEY = 'serviceAccountToken';
