import type { KubeObject, KubernetesFetchError } from '../contract/kubernetes.ts';
import { StitchboardError } from '../errors/errors.ts';
import type { ClusterConnections } from '../fetch/connection.ts';
import type { ClusterTarget } from './cluster-access.ts';

const secretsPath = (namespace?: string) =>
  namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets` : '/api/v1/secrets';

/**
 * Reads and creates Backstage Secrets in a cluster, through the app's `ClusterConnections`. Failures are CLUSTER_UNAVAILABLE errors saying what
 * was refused and where (RBAC, an unreachable cluster); a Secret's values never appear in them.
 */
export class SecretApi {
  readonly #connections: ClusterConnections;
  readonly #timeoutMs: number;

  constructor(connections: ClusterConnections, options: { timeoutMs: number }) {
    this.#connections = connections;
    this.#timeoutMs = options.timeoutMs;
  }

  /** The Secret, or undefined when it does not exist. */
  async get(target: ClusterTarget, namespace: string, name: string): Promise<KubeObject | undefined> {
    const path = `${secretsPath(namespace)}/${encodeURIComponent(name)}`;
    const answer = await this.#connections.getJson<KubeObject>(target.cluster, path, {
      credential: target.credential,
      timeoutMs: this.#timeoutMs,
    });
    if (answer.ok) return answer.body;
    if ('statusCode' in answer.error && answer.error.statusCode === 404) return undefined;
    throw refused(answer.error, target, `read Secret ${namespace}/${name}`);
  }

  /** Secrets matching `labelSelector`, in one namespace or all. */
  async list(
    target: ClusterTarget,
    options: { namespace?: string; labelSelector: string },
  ): Promise<KubeObject[]> {
    const answer = await this.#connections.getJson<{ items?: KubeObject[] }>(
      target.cluster,
      secretsPath(options.namespace),
      {
        credential: target.credential,
        query: { labelSelector: options.labelSelector },
        timeoutMs: this.#timeoutMs,
      },
    );
    if (answer.ok) return answer.body.items ?? [];
    const where = options.namespace ? `in namespace ${options.namespace}` : 'in all namespaces';
    throw refused(answer.error, target, `list Secrets ${where}`);
  }

  /** Creates `secret`; CONFLICT when one of that name exists. */
  async create(target: ClusterTarget, secret: KubeObject): Promise<void> {
    const namespace = String(secret.metadata?.namespace);
    const name = String(secret.metadata?.name);
    const answer = await this.#connections.request(target.cluster, secretsPath(namespace), {
      method: 'POST',
      credential: target.credential,
      body: secret,
      timeoutMs: this.#timeoutMs,
    });
    if (answer.ok) return;
    const status = 'statusCode' in answer.error ? answer.error.statusCode : undefined;
    if (status === 409) {
      throw new StitchboardError(
        'CONFLICT',
        `Secret ${namespace}/${name} already exists in cluster ${target.cluster.name}`,
      );
    }
    if (status === 404) {
      throw new StitchboardError(
        'INPUT_INVALID',
        `cannot create Secret ${namespace}/${name}: namespace ${namespace} does not exist in cluster ${target.cluster.name}`,
      );
    }
    throw refused(answer.error, target, `create Secret ${namespace}/${name}`);
  }
}

function refused(error: KubernetesFetchError, target: ClusterTarget, what: string): StitchboardError {
  const cluster = target.cluster.name;
  if (error.errorType === 'FETCH_ERROR') {
    return new StitchboardError('CLUSTER_UNAVAILABLE', `cannot ${what}: ${error.message}`);
  }
  const status = error.statusCode;
  const hint =
    status === 401
      ? `cluster ${cluster} rejected Stitchboard's credential`
      : status === 403
        ? `Stitchboard's credential may not do that in cluster ${cluster} (RBAC: it needs get, list and create on secrets)`
        : `cluster ${cluster} answered HTTP ${status ?? '?'}`;
  return new StitchboardError('CLUSTER_UNAVAILABLE', `cannot ${what}: ${hint}`, {
    details: { cluster, status },
  });
}
