/** What a started test cluster is: everything a test, the demo or the benchmark needs to reach it. */
export interface ClusterInfo {
  name: string;
  /** `https://127.0.0.1:PORT`; the port survives restarts of the API server and of the whole cluster. */
  url: string;
  /** PEM file of the cluster's own CA. */
  caFile: string;
  /** The same CA as base64 of the PEM, as kubeconfig's `certificate-authority-data` and Backstage's `caData`. */
  caData: string;
  /** User `admin`, group `system:masters`. */
  adminToken: string;
  /** User `readonly`, group `readonly`: get/list/watch on every resource, nothing else. */
  readonlyToken: string;
  /** Absolute. */
  stateDir: string;
  /** Admin kubeconfig (CA embedded). */
  kubeconfig: string;
  readonlyKubeconfig: string;
  apiserverPid: number;
  etcdPid: number;
}

export interface StartClusterOptions {
  name: string;
  stateDir: string;
  /** Secure port; picked in 20000–31999 when the cluster is new, then kept for good. */
  port?: number;
  /** Appended to kube-apiserver's flags; kept in the state and reused on restarts unless given again. */
  extraArgs?: string[];
  /** Progress lines (never secrets); defaults to stderr. */
  log?: (line: string) => void;
}

/** Settings fixed when a cluster is first started, saved as STATE_DIR/lab.json. */
export interface LabSettings {
  name: string;
  port: number;
  etcdPort: number;
  etcdPeerPort: number;
  extraArgs: string[];
}
