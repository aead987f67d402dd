import { StitchboardError } from '../../errors/errors.ts';
import type { ScrapeProgress, ScrapeSummary } from '../../stitching/index.ts';
import type { RunRecord } from '../../store/types.ts';
import { defineCommand } from '../command.ts';
import { CONFIG_OPTION, loadCliConfig } from '../config-files.ts';
import { cliLogger, type Column, type Output } from '../output.ts';
import { withStitching } from '../stitching.ts';

const COLUMNS: Column<RunRecord>[] = [
  { header: 'instance', value: (r) => r.instance },
  { header: 'status', value: (r) => r.status },
  { header: 'components', value: (r) => r.counts.components ?? '-' },
  { header: 'stitched', value: (r) => r.counts.stitchedComponents ?? '-' },
  { header: 'services', value: (r) => r.counts.links ?? '-' },
  { header: 'owners', value: (r) => r.counts.owners ?? '-' },
  { header: 'unclaimed', value: (r) => r.counts.unclaimedServices ?? '-' },
  {
    header: 'clusters',
    value: (r) =>
      `${r.counts.clustersRead ?? 0}/${(r.counts.clustersRead ?? 0) + (r.counts.clustersFailed ?? 0)}`,
  },
  { header: 'time', value: (r) => `${(r.durationMs / 1000).toFixed(1)}s` },
];

export const stitchCommand = defineCommand({
  name: 'stitch',
  summary: 'Stitch catalog components to Kubernetes Services once, now',
  usage: '[--config <file>...]',
  description:
    'Runs one scrape in this process, as the server’s loop would: finds the Backstage instances (config and\n' +
    'labelled Secrets), reads their catalogs, lists the Services of every cluster, and stores the results in\n' +
    'backend.database. Runs even when scrapers.backstage.enabled is false. Progress goes to stderr when it is a\n' +
    'terminal. Exit code 3 when an instance failed or a cluster could not be read.',
  options: {
    ...CONFIG_OPTION,
    json: { type: 'boolean', description: 'print the run summary as JSON' },
  },
  async run({ values, out, env, cwd, debug }) {
    const config = await loadCliConfig(values.config, { out, env, cwd });
    if (!config.scrapers) {
      throw new StitchboardError(
        'CONFIG_INVALID',
        'nothing to stitch: the configuration has no scrapers.backstage section (docs/stitching.md)',
      );
    }
    const logger = cliLogger(out, debug);
    return withStitching(config, { logger, env }, async (stitching) => {
      const progress =
        process.stderr.isTTY && !values.json ? (e: ScrapeProgress) => showProgress(out, e) : undefined;
      const summary = await stitching.scraper.runOnce(progress ? { onProgress: progress } : {});
      if (values.json) out.json(summary);
      else printSummary(out, summary);
      if (summary.runs.length === 0) return 1;
      return summary.runs.every((r) => r.status === 'ok') ? 0 : 3;
    });
  },
});

function showProgress(out: Output, event: ScrapeProgress): void {
  switch (event.type) {
    case 'discovered':
      out.error(
        `… ${event.instances} catalog instance(s)${event.invalid ? `, ${event.invalid} unusable` : ''}`,
      );
      return;
    case 'cluster':
      out.error(
        event.error === undefined
          ? `… cluster ${event.cluster}: ${event.services} Services`
          : `… cluster ${event.cluster}: ${event.error}`,
      );
      return;
    case 'catalog-page':
      out.error(`… ${event.instance}: ${event.entities} ${event.kind} read`);
      return;
    case 'instance-done':
      out.error(`… ${event.run.instance}: ${event.run.status}`);
  }
}

function printSummary(out: Output, summary: ScrapeSummary): void {
  for (const d of summary.discovery) {
    if (d.status !== 'ok') {
      out.line(`discovery in ${d.cluster}: ${d.status}${d.message ? `: ${d.message}` : ''}`);
    }
  }
  if (summary.runs.length === 0) {
    out.line('No Backstage instance to stitch: configure scrapers.backstage.instances or label a Secret.');
    return;
  }
  out.table(COLUMNS, summary.runs);
  for (const run of summary.runs) {
    for (const e of run.errors) out.line(`error  ${run.instance}: ${e.message}`);
  }
  out.line(`Done in ${(summary.durationMs / 1000).toFixed(1)}s.`);
}
