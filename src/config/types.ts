import type { CustomResourceMatcher, ObjectType } from '../contract/kubernetes.ts';
import type { FetchMode } from '../clusters/types.ts';

/**
 * The normalised, validated, frozen configuration. Produced by `loadConfig` (config/load.ts) from one
 * or more app-config.yaml-style files; every default is filled in here, so no other module applies
 * defaults of its own.
 */
export interface Config {
  backend: BackendConfig;
  stitchboard: StitchboardSection;
  /** Backstage's `kubernetes:` section, accepted verbatim. Absent: no clusters, the Kubernetes routes answer empty. */
  kubernetes?: KubernetesConfig;
}

export interface BackendConfig {
  listen: { host: string; port: number };
  /** Bearer tokens for machines (`backend.auth.externalAccess`, `type: static`). Empty: the API is open. */
  auth: { externalAccess: StaticAccessToken[] };
  /** Backstage-style: `client: better-sqlite3 | sqlite` (embedded, node:sqlite) or `pg`. */
  database: DatabaseConfig;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
}

export interface StaticAccessToken {
  token: string;
  subject: string;
}

export type DatabaseConfig =
  { client: 'sqlite'; path: string } | { client: 'pg'; connection: string | Record<string, unknown> };

export interface StitchboardSection {
  dataDir: string;
  catalog: CatalogSourceConfig[];
  kubernetes: {
    /** Per-cluster bound for one query; a slower cluster becomes an error entry. */
    timeoutMs: number;
    mode: FetchMode;
    /** Per-cluster overrides, keyed by cluster name. */
    clusters: Record<string, { timeoutMs?: number; mode?: FetchMode }>;
  };
}

export type CatalogSourceConfig =
  | { type: 'file'; paths: string[] }
  | { type: 'backstage'; endpoint: string; token?: string; insecureSkipVerify: boolean };

export type ServiceLocatorType = 'multiTenant' | 'singleTenant' | 'catalogRelation';

export interface KubernetesConfig {
  serviceLocatorMethod: { type: ServiceLocatorType };
  clusterLocatorMethods: ClusterLocatorMethodConfig[];
  clusterLocatorContinueOnError: boolean;
  customResources: CustomResourceMatcher[];
  /** Unset: Backstage's 13 default object types. */
  objectTypes?: ObjectType[];
  apiVersionOverrides: Partial<Record<ObjectType | 'customresources', string>>;
  /** Secret. */
  googleServiceAccountCredentials?: string;
  proxy: { enabled: boolean; middlewareCache: { maxSize: number; ttlMs: number } };
  /** Frontend-only keys, kept so a shared app-config validates; Stitchboard does not act on them. */
  frontend?: Record<string, unknown>;
  podExecTerminal?: Record<string, unknown>;
}

export type ClusterLocatorMethodConfig =
  | { type: 'config'; clusters: ConfigClusterConfig[] }
  | { type: 'catalog'; dangerouslyAllowClusterUrls: string[]; dangerouslyAllowSkipTLSVerify: boolean }
  | {
      type: 'gke';
      projectId: string;
      region: string;
      authProvider: 'google' | 'googleServiceAccount';
      skipTLSVerify: boolean;
      skipMetricsLookup: boolean;
      exposeDashboard: boolean;
      matchingResourceLabels: { key: string; value: string }[];
      endpointType: 'public' | 'dns';
    }
  | { type: 'localKubectlProxy' };

/** One `clusters[]` entry of the `config` locator, exactly Backstage's keys. */
export interface ConfigClusterConfig {
  name: string;
  url: string;
  title?: string;
  authProvider?: string;
  authMetadata?: Record<string, string>;
  /** Secret. */
  serviceAccountToken?: string;
  oidcTokenProvider?: string;
  assumeRole?: string;
  externalId?: string;
  skipTLSVerify: boolean;
  skipMetricsLookup: boolean;
  /** Secret. */
  caData?: string;
  caFile?: string;
  customResources?: CustomResourceMatcher[];
  dashboardUrl?: string;
  dashboardApp?: string;
  dashboardParameters?: Record<string, unknown>;
}
