import type { CustomResourceMatcher, ObjectType } from '../contract/kubernetes.ts';
import type { LabelMap } from '../topology/types.ts';

/** How Stitchboard reads a cluster: LIST on every query, or from a watch-backed cache. */
export type FetchMode = 'live' | 'watch';

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
  /** Backstage's root `aws:` section (integration-aws-node): the base credentials of the `aws` auth provider. */
  aws?: AwsIntegrationConfig;
  /** The seed's top-level `scrapers:` (Helm values shape). Absent: no scraping; the stitch routes answer empty. */
  scrapers?: ScrapersConfig;
}

export interface BackendConfig {
  listen: { host: string; port: number };
  /** Bearer tokens for machines (`backend.auth.externalAccess`, `type: static`). Empty: the API is open. */
  auth: { externalAccess: StaticAccessToken[] };
  /** Backstage-style: `client: better-sqlite3 | sqlite` (embedded, node:sqlite) or `pg`. */
  database: DatabaseConfig;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** `backend.cors`, as Backstage reads it. Absent: off (no CORS headers, preflights unanswered). */
  cors?: CorsConfig;
}

/** Backstage's `backend.cors`: which other origins' pages may call the API from a browser. */
export interface CorsConfig {
  /** Glob patterns (minimatch, case-insensitive, as Backstage). Absent: any origin (`*`). */
  origin?: string[];
  methods: string[];
  /** Absent: the preflight's `Access-Control-Request-Headers` are allowed. */
  allowedHeaders?: string[];
  exposedHeaders?: string[];
  credentials: boolean;
  /** Seconds a browser may cache a preflight's answer. */
  maxAge?: number;
  optionsSuccessStatus: number;
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
    /** How often `gke` locators list their clusters again; a failed refresh keeps the last good list. */
    gkeRefreshIntervalMs?: number;
    /** In `watch` mode, a watch down (or a LIST refused) for longer than this is answered live instead. */
    watchStaleAfterMs: number;
    /** A watch silent (no event, no bookmark) this long is restarted. */
    watchIdleTimeoutMs: number;
  };
  /** Callers' credentials besides `backend.auth.externalAccess`. Unset: static tokens only. */
  auth?: { backstageTokens?: BackstageTokensConfig };
  /** Who may use which permission. Unset: every authenticated caller may read; nobody may write (`stitchboard.admin`). */
  permissions?: PermissionRuleConfig[];
  /** Several replicas on one PostgreSQL dividing the clusters' watches. Unset: one replica watches all. */
  replicas?: ReplicasConfig;
}

/** `stitchboard.replicas`. */
export interface ReplicasConfig {
  /** This replica's name in the membership table; default the host name (a pod's name). */
  id: string;
  /** Where the other replicas reach this one; default the address it listens on. */
  advertiseUrl?: string;
  leaseTtlMs: number;
  /** Secret. Authenticates forwarded queries between replicas; never logged. */
  internalToken: string;
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
  | { type: 'localKubectlProxy' }
  | CustomLocatorConfig;

/**
 * Stitchboard's extension point: a module whose default export builds a ClusterSupplier
 * (src/clusters/custom-supplier.ts documents the contract).
 */
export interface CustomLocatorConfig {
  type: 'custom';
  /** Absolute: resolved against the directory of the config file that named it. */
  module: string;
  /** Passed to the module's factory as given; may hold secrets, so never logged. */
  options: Record<string, unknown>;
}

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

/**
 * Backstage's three Kubernetes permissions (`@backstage/plugin-kubernetes-common`) and Stitchboard's
 * two: `stitchboard.read` (the stitched store) and `stitchboard.admin` (instances, runs; includes read).
 */
export type Permission =
  | 'kubernetes.clusters.read'
  | 'kubernetes.resources.read'
  | 'kubernetes.proxy'
  | 'stitchboard.read'
  | 'stitchboard.admin';

/** `stitchboard.auth.backstageTokens`: Backstage user tokens (JWTs) accepted besides the static tokens. */
export interface BackstageTokensConfig {
  /** The tokens' `iss`: the Backstage auth backend's external base URL, e.g. `https://backstage.example.com/api/auth`. */
  issuer: string;
  /** Where the signing keys are read; `<issuer>/.well-known/jwks.json` unless set. */
  jwksUrl: string;
  /** The required `aud`; Backstage's is `backstage`. */
  audience: string;
  /** Accepted signing algorithms; Backstage signs with ES256 unless `auth.identityTokenAlgorithm` says otherwise. */
  algorithms: string[];
  /** Read for tokens without an `ent` claim (Backstage's `auth.omitIdentityTokenOwnershipClaim`); `<issuer>/v1/userinfo` unless set. */
  userInfoUrl: string;
}

/** One `stitchboard.permissions` entry: who may use which permissions. A caller matching any entry is allowed. */
export interface PermissionRuleConfig {
  allow: Permission[];
  /** Caller subjects: user entity refs (normalised, `user:default/alice`) or static-token subjects; `*` is any caller. */
  users: string[];
  /** Ownership refs (the token's `ent`), normalised, e.g. `group:default/sre`. */
  groups: string[];
}

/**
 * Backstage's root `aws:` section, as `@backstage/integration-aws-node` reads it. Which credentials
 * sign an EKS token: the `accounts[]` entry of the assume-role ARN's account, else `accountDefaults`
 * (a role of that name in that account), else `mainAccount` (static keys, a profile, or the SDK's
 * default chain).
 */
export interface AwsIntegrationConfig {
  mainAccount: AwsMainAccountConfig;
  accounts: AwsAccountConfig[];
  accountDefaults: AwsAccountDefaultsConfig;
}

export interface AwsMainAccountConfig {
  accessKeyId?: string;
  /** Secret. */
  secretAccessKey?: string;
  profile?: string;
  region?: string;
}

export interface AwsAccountConfig extends AwsMainAccountConfig {
  accountId: string;
  roleName?: string;
  partition?: string;
  externalId?: string;
}

export interface AwsAccountDefaultsConfig {
  roleName?: string;
  partition?: string;
  region?: string;
  externalId?: string;
}

/** `scrapers:`: where catalogs are scraped from to stitch components to Kubernetes Services. */
export interface ScrapersConfig {
  backstage: BackstageScraperConfig;
  /** `scrapers.catalog`: stitching from `stitchboard.catalog` itself. Absent when that key is not set. */
  catalog?: CatalogScraperConfig;
}

/**
 * The configured catalog as one more instance, read through the app's catalog source instead of the
 * Catalog API. The loop's timing (interval, timeout, leaseTtl) is `scrapers.backstage`'s.
 */
export interface CatalogScraperConfig {
  /** True: the catalog is an instance, and the scrape loop runs in `serve`. */
  enabled: boolean;
  /** The instance name in labels, the API and metrics (default `local`). */
  name: string;
  /** Unset: `scrapers.backstage.label_map`. */
  labelMap: LabelMap;
}

export interface BackstageScraperConfig {
  enabled: boolean;
  /** Time between runs; each wait is jittered by up to ±10 %. */
  intervalMs: number;
  /** Bound on each Catalog API request and each Services list. */
  timeoutMs: number;
  /** How long the scrape-loop lease holds without renewal; another replica takes over after it. */
  leaseTtlMs: number;
  /** The cluster holding Secrets when an instance or discovery names none; unset means the pod's own cluster. */
  cluster?: string;
  /** The label_map of discovered Secrets; the defaults when unset. */
  labelMap: LabelMap;
  /** Secrets matching a label selector (default `causely.ai/scraper=Backstage` or `stitchboard.io/scraper=Backstage`) become instances. */
  discovery: {
    enabled: boolean;
    /** Unset: `cluster` above. */
    cluster?: string;
    /** Empty: every namespace. */
    namespaces: string[];
    /** A Secret matching any of these is discovered. */
    labelSelectors: string[];
    /** The labels of Secrets Stitchboard creates: the first selector's key=value pairs. */
    secretLabels: Record<string, string>;
  };
  instances: BackstageInstanceConfig[];
}

/** One `instances[]` entry: a Secret to read (the seed's form), or an endpoint given directly. */
export type BackstageInstanceConfig =
  | {
      source: 'secret';
      name: string;
      secretName: string;
      namespace: string;
      /** Unset: `scrapers.backstage.cluster`, else the pod's own cluster. */
      cluster?: string;
      labelMap: LabelMap;
    }
  | {
      source: 'config';
      name: string;
      endpoint: string;
      /** Secret. */
      token?: string;
      insecureSkipVerify: boolean;
      labelMap: LabelMap;
    };
