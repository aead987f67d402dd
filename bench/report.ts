export interface Scenario {
  clusters: number;
  podsPerCluster: number;
  mode: string;
  queries: number;
  p50: number;
  p99: number;
  apiRequestsPerQuery: number;
  pollers: number;
  pollQueries: number;
  pollQueriesPerSecond: number;
  pollP50: number;
  pollP99: number;
  pollApiRequestsPerQuery: number;
  rssMiB: number;
  cacheKiBPer1000Pods?: number;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

export function printReport(report: {
  date: string;
  machine: Record<string, unknown>;
  scenarios: Scenario[];
}): void {
  const m = report.machine;
  console.log(
    `\n### Entity queries — ${report.date.slice(0, 10)}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}\n`,
  );
  console.log(
    '| clusters | pods/cluster | mode | p50 ms | p99 ms | API req/query | pollers | polled q/s | poll p50 ms | poll p99 ms | poll API req/query | RSS MiB | cache KiB/1k pods |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of report.scenarios) {
    console.log(
      `| ${s.clusters} | ${s.podsPerCluster} | ${s.mode} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.apiRequestsPerQuery.toFixed(2)} | ${s.pollers} | ${s.pollQueriesPerSecond.toFixed(0)} | ${ms(s.pollP50)} | ${ms(s.pollP99)} | ${s.pollApiRequestsPerQuery.toFixed(2)} | ${s.rssMiB} | ${s.cacheKiBPer1000Pods ?? '—'} |`,
    );
  }
}
