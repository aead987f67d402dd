/**
 * The API's shapes as they arrive over the wire, taken from the server's own types so the two cannot
 * drift: dates become ISO strings in JSON.
 */
import type {
  ClusterAttributes,
  ClusterSummary,
  FetchResponse,
  KubeObject,
  KubernetesFetchError,
} from '../../src/contract/kubernetes.ts';
import type { InstanceProblem } from '../../src/contract/instance-problems.ts';
import type { ComponentCluster } from '../../src/http/routes/components.ts';
import type { ComponentStatus, ComponentSummary } from '../../src/http/routes/components-summaries.ts';
import type { WhoOwnsResult } from '../../src/http/routes/components-who-owns.ts';
import type { DetectedError, ProposedFix } from '../../src/objects/detect-errors.ts';
import type {
  OwnerDetail,
  RunRecord,
  ServiceDetail,
  StoredLink,
  StoredOwner,
  StoredReport,
} from '../../src/store/types.ts';

export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type {
  ClusterAttributes,
  ClusterSummary,
  DetectedError,
  FetchResponse,
  KubeObject,
  KubernetesFetchError,
  ProposedFix,
};

export type ComponentRow = ComponentSummary & ComponentStatus;
export interface ComponentList {
  items: ComponentRow[];
  total: number;
  offset: number;
  limit: number;
}
export interface ComponentDetail {
  ref: string;
  entity: ComponentSummary;
  clusters: ComponentCluster[];
}
export type { ComponentCluster, ComponentSummary };

export type Link = Wire<StoredLink>;
export type Owner = Wire<StoredOwner>;
export type OwnerView = Wire<OwnerDetail>;
export type ServiceView = Wire<ServiceDetail>;
/** `GET /api/stitchboard/report`: the stored report, and the instances that cannot run. */
export type Report = Wire<StoredReport> & { instanceProblems: InstanceProblem[] };
export type Run = Wire<RunRecord>;
export type WhoOwns = Wire<WhoOwnsResult>;

export interface Items<T> {
  items: T[];
}

/** A Backstage instance Stitchboard stitches from (`GET /api/stitchboard/instances`); never holds a token. */
export interface Instance {
  name: string;
  source:
    | { type: 'config' }
    | { type: 'catalog' }
    | { type: 'secret'; cluster: string; namespace: string; name: string; configured: boolean };
  endpoint: string | null;
  hasToken: boolean;
  insecureSkipVerify: boolean;
  status: 'ok' | 'partial' | 'failed' | 'invalid' | 'pending';
  lastRun: Run | null;
  lastError: string | null;
  /** `invalid` because its Secret lacks this required key, e.g. `endpoint`. */
  missingKey?: string;
}

export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  firstTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
}

export type {
  ErrorCounts,
  PodCounts,
  RollupComponent,
  RollupHealth,
  RollupTotals,
  SystemDetail,
  SystemRollup,
  SystemsResponse,
  TeamDetail,
  TeamRollup,
  TeamsResponse,
} from '../../src/contract/stitchboard.ts';
