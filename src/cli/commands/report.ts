import type { InstanceProblem } from '../../contract/instance-problems.ts';
import { openStore } from '../../store/index.ts';
import type { StoredReport } from '../../store/types.ts';
import { attemptsText } from '../../topology/attempts.ts';
import { defineCommand } from '../command.ts';
import { CONFIG_OPTION, loadCliConfig } from '../config-files.ts';
import { cliLogger, type Output } from '../output.ts';
import { withStitching } from '../stitching.ts';

/** How many entries of each section are printed; `--json` has them all. */
const SHOWN = 50;

export const reportCommand = defineCommand({
  name: 'report',
  summary:
    'What did not stitch: unmatched components, ambiguity, conflicts, unclaimed Services, dangling owners',
  usage: '[--instance <name>]',
  description:
    'Reads the stitched results in backend.database (run `stitchboard stitch` or the server first) and prints\n' +
    'each problem with its reason, and the Backstage instances that cannot run (a Secret without endpoint, say),\n' +
    'found as the server finds them. Exit code 0 either way.',
  options: {
    ...CONFIG_OPTION,
    instance: { type: 'string', valueName: 'name', description: 'only this Backstage instance' },
    json: { type: 'boolean', description: 'print the whole report as JSON' },
  },
  async run({ values, out, env, cwd, debug }) {
    const config = await loadCliConfig(values.config, { out, env, cwd });
    const logger = cliLogger(out, debug);
    const filter = values.instance ? { instance: values.instance } : {};
    // With a scrapers section, the instances are found as the server finds them; without, there are none.
    const report = config.scrapers
      ? await withStitching(config, { logger, env }, async ({ store, scraper }) => ({
          ...(await store.getReport(filter)),
          instanceProblems: await scraper.instanceProblems(filter),
        }))
      : { ...(await storedReport(config.backend.database, filter, logger)), instanceProblems: [] };
    if (values.json) out.json(report);
    else print(out, report);
    return 0;
  },
});

async function storedReport(
  database: Parameters<typeof openStore>[0],
  filter: { instance?: string },
  logger: ReturnType<typeof cliLogger>,
): Promise<StoredReport> {
  const store = await openStore(database, { logger });
  try {
    return await store.getReport(filter);
  } finally {
    await store.close();
  }
}

function section<T>(out: Output, title: string, items: readonly T[], line: (item: T) => string): void {
  out.line(`${title} (${items.length})`);
  for (const item of items.slice(0, SHOWN)) out.line(`  ${line(item)}`);
  if (items.length > SHOWN) out.line(`  … ${items.length - SHOWN} more (--json lists all)`);
  out.line();
}

function print(out: Output, report: StoredReport & { instanceProblems: InstanceProblem[] }): void {
  section(out, 'Backstage instances that cannot run', report.instanceProblems, (p) => {
    const missing = p.missingKey ? ` (missing key "${p.missingKey}")` : '';
    return `${p.instance}: ${p.problem}${missing}`;
  });
  section(out, 'Components that matched nothing', report.unmatchedComponents, (c) => {
    const id = c.kubernetesId
      ? ` (${c.kubernetesNamespace ? `${c.kubernetesNamespace}/` : ''}${c.kubernetesId})`
      : '';
    const why =
      c.reason === 'no-id-value'
        ? `no-id-value: no label_map path gave a Service name${c.tried ? ` (${attemptsText(c.tried)})` : ''}`
        : c.reason;
    return `${c.componentRef}${id}: ${why} [${c.instance}]`;
  });
  section(
    out,
    'Ambiguous names',
    report.ambiguous,
    (a) =>
      `${a.componentRef}: ${a.kubernetesId} in cluster ${a.cluster} is in namespaces ${(a.candidates ?? []).join(', ')} [${a.instance}]`,
  );
  section(
    out,
    'Conflicts',
    report.conflicts,
    (c) =>
      `${c.cluster}/${c.namespace}/${c.service}: ${c.winner} wins over ${c.losers.map((l) => `${l.componentRef} (${l.rule})`).join(', ')} [${c.instance}]`,
  );
  section(
    out,
    'Components without an owner link',
    report.ownerProblems,
    (p) => `${p.componentRef}: ${p.reason}: ${attemptsText(p.tried)} [${p.instance}]`,
  );
  section(
    out,
    'Dangling owners (named, not in the catalog)',
    report.danglingOwners,
    (d) => `${d.ownerRef}: named by ${d.componentRef} at ${d.path} = ${d.value} [${d.instance}]`,
  );
  section(
    out,
    'Services no component claims',
    report.unclaimedServices,
    (s) => `${s.cluster}/${s.namespace}/${s.service} [${s.instance}]`,
  );
}
