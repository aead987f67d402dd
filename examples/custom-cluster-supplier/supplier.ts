/**
 * An example custom cluster supplier: clusters listed in a JSON file that another tool writes
 * (an inventory export, a Terraform output). Tokens stay out of the file: a cluster names the
 * environment variable that holds its service-account token.
 *
 * app-config.yaml:
 *
 *   kubernetes:
 *     clusterLocatorMethods:
 *       - type: custom
 *         module: ./examples/custom-cluster-supplier/supplier.ts
 *         options:
 *           file: ./examples/custom-cluster-supplier/clusters.json
 *
 * `file` is resolved against the working directory unless absolute. The file is read again
 * whenever it changes, so clusters come and go without a restart; a file that stops parsing keeps
 * the last good list and says why.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ClusterSupplierFactory, SuppliedCluster } from '../../src/clusters/custom-supplier.ts';

/** One entry of the JSON file. */
interface FileCluster {
  name: string;
  url: string;
  authProvider: string;
  /** Environment variable holding the bearer token, for `authProvider: serviceAccount`. */
  tokenEnv?: string;
  caData?: string;
  title?: string;
  skipMetricsLookup?: boolean;
  dashboardUrl?: string;
  dashboardApp?: string;
  dashboardParameters?: Record<string, unknown>;
}

const factory: ClusterSupplierFactory = (options, { logger }) => {
  if (typeof options.file !== 'string' || options.file === '') {
    throw new Error('options.file is required: the path of a JSON file listing clusters');
  }
  const file = resolve(options.file);
  const env = process.env;
  let cache: { mtimeMs: number; clusters: SuppliedCluster[] } | undefined;

  async function read(): Promise<SuppliedCluster[]> {
    const { mtimeMs } = await stat(file);
    if (cache && cache.mtimeMs === mtimeMs) return cache.clusters;
    let entries: FileCluster[];
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (!Array.isArray(parsed)) throw new Error('expected a JSON array of clusters');
      entries = parsed as FileCluster[];
    } catch (error) {
      if (!cache) throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
      logger.warn(
        { file },
        `cannot read the clusters file, keeping the last good list: ${(error as Error).message}`,
      );
      return cache.clusters;
    }
    const clusters = entries.flatMap((entry) => {
      const token = entry.tokenEnv ? env[entry.tokenEnv] : undefined;
      if (entry.tokenEnv && !token) {
        logger.warn(
          { file },
          `cluster ${entry.name} skipped: environment variable ${entry.tokenEnv} is not set`,
        );
        return [];
      }
      return [toCluster(entry, token)];
    });
    cache = { mtimeMs, clusters };
    logger.info({ file, clusters: clusters.length }, 'clusters file read');
    return clusters;
  }

  return { getClusters: read };
};

/** Stitchboard checks every field of what this returns; only the token needs handling here. */
function toCluster(entry: FileCluster, token: string | undefined): SuppliedCluster {
  const authMetadata: Record<string, string> = { 'kubernetes.io/auth-provider': entry.authProvider };
  if (token) authMetadata.serviceAccountToken = token;
  const { tokenEnv: _tokenEnv, authProvider: _authProvider, ...rest } = entry;
  return { ...rest, authMetadata };
}

export default factory;
