import type { CatalogSource } from '../../catalog/types.ts';
import { buildCatalogSource } from '../../catalog/index.ts';
import { buildClusterSupplier } from '../../clusters/index.ts';
import { authProviderOf, type ClusterDetails } from '../../clusters/types.ts';
import { formatIssue, type Issue } from '../../errors/errors.ts';
import { inspectConfig } from '../../config/load.ts';
import type { ClusterLocatorMethodConfig, Config } from '../../config/types.ts';
import { defineCommand } from '../command.ts';
import { configFiles, readCommandOptions } from '../config-files.ts';
import { cliLogger, fieldColumns, type Column, type Output } from '../output.ts';
import type { Logger } from '../../shared/logger.ts';

const RESOLVE_TIMEOUT_MS = 30_000;

export interface ResolvedCluster {
  name: string;
  url: string;
  authProvider: string;
  locator: ClusterLocatorMethodConfig['type'];
  skipTLSVerify: boolean;
  mode: string;
  timeoutMs: number;
}

const COLUMNS: Column<ResolvedCluster>[] = [
  ...fieldColumns<ResolvedCluster>({
    name: 'name',
    url: 'url',
    authProvider: 'auth provider',
    locator: 'locator',
    skipTLSVerify: 'skip tls verify',
    mode: 'mode',
  }),
  { header: 'timeout', value: (c) => `${c.timeoutMs}ms` },
];

export const checkConfigCommand = defineCommand({
  name: 'check-config',
  summary: 'Validate config files and list the clusters they resolve to',
  usage: '[file...]',
  description:
    'Loads the files as Stitchboard would (later files win), prints every warning and error with its path,\n' +
    'and on success lists the clusters. Exits 1 when the configuration has errors.\n' +
    'Files come as arguments or --config; without either, app-config.yaml [+ app-config.local.yaml].',
  options: readCommandOptions('the report'),
  async run({ positionals, values, out, env, cwd, debug }) {
    const files = configFiles([...positionals, ...(values.config ?? [])], cwd);
    const report = await inspectConfig(files, { env, cwd });
    const { config, errors, warnings } = report;
    if (!config) {
      if (values.json) out.json({ valid: false, files, errors, warnings, clusters: [] });
      else printIssues(out, errors, warnings);
      return 1;
    }

    if (values.json) {
      const clusters = await resolveClusters(config, { logger: cliLogger(out, debug), env });
      out.json({ valid: true, files, errors, warnings, clusters });
      return 0;
    }
    // The verdict comes first: resolving clusters may still fail (an unreadable catalog, say).
    printIssues(out, errors, warnings);
    const clusters = await resolveClusters(config, { logger: cliLogger(out, debug), env });
    if (!config.kubernetes) out.line('No kubernetes section: Stitchboard serves no clusters.');
    else if (clusters.length === 0) out.line('The configured locators resolve to no clusters.');
    else out.table(COLUMNS, clusters);
    return 0;
  },
});

function printIssues(out: Output, errors: readonly Issue[], warnings: readonly Issue[]): void {
  for (const w of warnings) out.line(`warning  ${formatIssue(w)}`);
  for (const e of errors) out.line(`error    ${formatIssue(e)}`);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  out.line(
    errors.length > 0
      ? `\nConfiguration is invalid: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}.`
      : `Configuration is valid${warnings.length > 0 ? ` (${count(warnings.length, 'warning')})` : ''}.\n`,
  );
}

/**
 * Runs each locator on its own so every cluster can be labelled with the locator that found it.
 * The catalog is only built when a `catalog` locator needs it.
 */
export async function resolveClusters(
  config: Config,
  deps: { logger: Logger; env?: NodeJS.ProcessEnv },
): Promise<ResolvedCluster[]> {
  const { logger } = deps;
  const kubernetes = config.kubernetes;
  if (!kubernetes) return [];
  let catalog: CatalogSource | undefined;
  if (kubernetes.clusterLocatorMethods.some((m) => m.type === 'catalog')) {
    catalog = await buildCatalogSource(config.stitchboard.catalog, { logger });
  }
  const signal = AbortSignal.timeout(RESOLVE_TIMEOUT_MS);
  const found: ResolvedCluster[] = [];
  for (const method of kubernetes.clusterLocatorMethods) {
    const single: Config = { ...config, kubernetes: { ...kubernetes, clusterLocatorMethods: [method] } };
    const supplier = buildClusterSupplier(single, {
      logger,
      ...(deps.env ? { env: deps.env } : {}),
      ...(catalog ? { catalog } : {}),
    });
    for (const cluster of await supplier.getClusters({ signal })) found.push(describe(cluster, method.type));
  }
  return found;
}

function describe(cluster: ClusterDetails, locator: ClusterLocatorMethodConfig['type']): ResolvedCluster {
  return {
    name: cluster.name,
    url: cluster.url,
    authProvider: authProviderOf(cluster),
    locator,
    skipTLSVerify: cluster.skipTLSVerify,
    mode: cluster.mode,
    timeoutMs: cluster.timeoutMs,
  };
}
