/**
 * The API's shapes as they arrive over the wire. They all come from src/contract/ (the only server
 * folder the web UI may import, enforced by eslint.config.js), so the two sides cannot drift: dates
 * become ISO strings in JSON (`Wire<T>`).
 */
import type {
  InstanceView,
  OwnerDetail,
  ReportResponse,
  RunRecord,
  ServiceDetail,
  StoredLink,
  StoredOwner,
  WhoOwnsResult,
  Wire,
} from '../../src/contract/stitchboard.ts';

export type {
  ClusterAttributes,
  ClusterSummary,
  FetchResponse,
  KubeObject,
  KubernetesFetchError,
} from '../../src/contract/kubernetes.ts';
export type {
  ComponentCluster,
  ComponentDetail,
  ComponentList,
  ComponentRow,
  ComponentStatus,
  ComponentSummary,
  DetectedError,
  ErrorCounts,
  Items,
  KubeEvent,
  PodCounts,
  ProposedFix,
  RollupComponent,
  RollupHealth,
  RollupTotals,
  SystemDetail,
  SystemRollup,
  SystemsResponse,
  TeamDetail,
  TeamRollup,
  TeamsResponse,
  Wire,
} from '../../src/contract/stitchboard.ts';

export type Link = Wire<StoredLink>;
export type Owner = Wire<StoredOwner>;
export type OwnerView = Wire<OwnerDetail>;
export type ServiceView = Wire<ServiceDetail>;
/** `GET /api/stitchboard/report`: the stored report, and the instances that cannot run. */
export type Report = Wire<ReportResponse>;
export type Run = Wire<RunRecord>;
export type WhoOwns = Wire<WhoOwnsResult>;
/** A Backstage instance Stitchboard stitches from (`GET /api/stitchboard/instances`); never holds a token. */
export type Instance = Wire<InstanceView>;
