import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface InClusterEnvironment {
  url: string;
  caFile: string;
  tokenFile: string;
}

/**
 * Where a pod finds its own API server and ServiceAccount: `KUBERNETES_SERVICE_HOST`/`_PORT` and the
 * mounted token and CA. `STITCHBOARD_SERVICEACCOUNT_DIR` moves the mount (tests point it at a real token).
 */
export function inClusterEnvironment(env: NodeJS.ProcessEnv = process.env): InClusterEnvironment | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const dir = env.STITCHBOARD_SERVICEACCOUNT_DIR ?? '/var/run/secrets/kubernetes.io/serviceaccount';
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  if (!host || !existsSync(tokenFile)) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { url: `https://${hostPart}:${port}`, caFile, tokenFile };
}
