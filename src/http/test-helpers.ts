import { Writable } from 'node:stream';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { FastifyInstance } from 'fastify';
import type { CatalogSource, EntityFilter, EntityProblem } from '../catalog/types.ts';
import type { BackendConfig, CorsConfig, StaticAccessToken } from '../config/types.ts';
import type { ClusterSummary, ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import { serializeAnswer, type SerializedAnswer } from '../objects/answer-cache.ts';
import type { KubernetesObjectsService, ObjectsQuery } from '../objects/types.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import type { HealthChecks } from './health.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { buildServer, type ServerDeps } from './server.ts';
import { componentEntity } from '../../test/helpers/entities.ts';

/** A catalog over an array: our own `CatalogSource`, answering refs case-insensitively as Backstage does. */
export class InMemoryCatalog implements CatalogSource {
  readonly description = 'in-memory test catalog';
  readonly lookups: string[] = [];
  readonly entities: Entity[];

  constructor(entities: Entity[]) {
    this.entities = entities;
  }

  async getEntityByRef(ref: string): Promise<Entity | undefined> {
    this.lookups.push(ref);
    const wanted = ref.toLowerCase();
    return this.entities.find((e) => stringifyEntityRef(e) === wanted);
  }

  async listEntities(filter: EntityFilter): Promise<Entity[]> {
    const kinds = filter.kinds?.map((k) => k.toLowerCase());
    return this.entities.filter(
      (e) =>
        (!kinds || kinds.includes(e.kind.toLowerCase())) &&
        (!filter.specType || String(e.spec?.type ?? '').toLowerCase() === filter.specType.toLowerCase()),
    );
  }

  problems(): EntityProblem[] {
    return [];
  }
}

/** Records every objects query it gets and answers with a fixed response (or throws `failWith`). */
export class RecordingObjectsService implements KubernetesObjectsService {
  readonly queries: ObjectsQuery[] = [];
  clusters: ClusterSummary[];
  response: ObjectsByEntityResponse;
  failWith: unknown;

  constructor(options: { clusters?: ClusterSummary[]; response?: ObjectsByEntityResponse } = {}) {
    this.clusters = options.clusters ?? [];
    this.response = options.response ?? { items: [] };
  }

  async getClusters(): Promise<ClusterSummary[]> {
    if (this.failWith !== undefined) throw this.failWith;
    return this.clusters;
  }

  async getObjectsByEntity(query: ObjectsQuery): Promise<ObjectsByEntityResponse> {
    this.queries.push(query);
    if (this.failWith !== undefined) throw this.failWith;
    return this.response;
  }

  async getSerializedObjectsByEntity(query: ObjectsQuery): Promise<SerializedAnswer> {
    return serializeAnswer(await this.getObjectsByEntity(query));
  }
}

/** A real pino logger writing into memory, so tests can read exactly what would be logged. */
export function captureLogs(): {
  logger: Logger;
  lines: () => string[];
  records: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines: () => [...lines],
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function backendConfig(
  options: { tokens?: StaticAccessToken[]; bodyLimit?: number; cors?: CorsConfig } = {},
): BackendConfig {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    auth: { externalAccess: options.tokens ?? [] },
    database: { client: 'sqlite', path: ':memory:' },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.cors ? { cors: options.cors } : {}),
  };
}

/**
 * The error body a route answers (Backstage's shape, plus our `code`), as a test expects it to the letter;
 * `request` is `METHOD /path`.
 */
export function errorResponse(
  request: string,
  statusCode: number,
  name: string,
  code: string,
  message: string,
) {
  const [method, url] = request.split(' ');
  return { error: { name, message, code }, request: { method, url }, response: { statusCode } };
}

export function component(
  name: string,
  annotations: Record<string, string> = {},
  namespace?: string,
): Entity {
  return componentEntity(name, annotations, {}, namespace);
}

export interface TestServer {
  app: FastifyInstance;
  catalog: InMemoryCatalog;
  kubernetes: RecordingObjectsService;
  metrics: Metrics;
  logs: ReturnType<typeof captureLogs>;
}

export async function buildTestServer(
  options: {
    entities?: Entity[];
    kubernetes?: RecordingObjectsService;
    tokens?: StaticAccessToken[];
    bodyLimit?: number;
    cors?: CorsConfig;
    health?: HealthChecks;
    access?: ServerDeps['access'];
    proxy?: ServerDeps['proxy'];
  } = {},
): Promise<TestServer> {
  const catalog = new InMemoryCatalog(options.entities ?? []);
  const kubernetes = options.kubernetes ?? new RecordingObjectsService();
  const metrics = createMetrics();
  const logs = captureLogs();
  const app = await buildServer({
    config: backendConfig(options),
    catalog,
    kubernetes,
    logger: logs.logger,
    metrics,
    ...(options.health ? { health: options.health } : {}),
    ...(options.access ? { access: options.access } : {}),
    ...(options.proxy ? { proxy: options.proxy } : {}),
  });
  return { app, catalog, kubernetes, metrics, logs };
}
