import { createApp } from '../../app.ts';
import { uiBuildWarning } from '../../http/routes/ui-freshness.ts';
import { createLogger } from '../../shared/logger.ts';
import { defineCommand, UsageError } from '../command.ts';
import { CONFIG_OPTION, loadCliConfig } from '../config-files.ts';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run the Stitchboard server',
  usage: '[--config <file>...]',
  description:
    'Serves Backstage’s Kubernetes API under /api/kubernetes, /healthz, /readyz and /metrics. Logs are JSON on stdout.\n' +
    'SIGINT or SIGTERM closes it gracefully.',
  options: {
    ...CONFIG_OPTION,
    port: {
      type: 'string',
      valueName: 'port',
      description: 'override backend.listen.port (0 picks a free port)',
    },
    host: { type: 'string', valueName: 'host', description: 'override backend.listen.host' },
  },
  async run({ values, out, env, cwd, debug }) {
    const config = await loadCliConfig(values.config, { out, env, cwd });
    const port = values.port === undefined ? config.backend.listen.port : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
    }
    const logger = createLogger({ level: logLevel(env, debug) });
    logger.info({ node: process.version, pid: process.pid }, 'starting stitchboard');
    const app = await createApp(config, { logger, env, warmUp: true });
    const address = await app.server.listen({ host: values.host ?? config.backend.listen.host, port });
    logger.info({ address }, 'stitchboard listening');
    await app.replicas?.start(address);
    const ui = uiBuildWarning();
    if (ui) out.error(ui);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    return 0;
  },
});

/** `--debug` logs at debug; otherwise `LOG_LEVEL`, or info. */
export function logLevel(env: NodeJS.ProcessEnv, debug: boolean): string {
  return debug ? 'debug' : (env.LOG_LEVEL ?? 'info');
}
