import type { TailCauses } from './tail.ts';

export interface Scenario {
  clusters: number;
  podsPerCluster: number;
  /** The component queried (`dice-roller`), or how many were queried in turn. */
  component: string;
  mode: string;
  queries: number;
  /** The answer's JSON. */
  answerKiB: number;
  /** The same answer as sent: compressed when the client accepted it. */
  wireKiB: number;
  objectsPerAnswer: number;
  /** Sequential answers a component had been given before (what a polling tab sees). */
  p50: number;
  p99: number;
  /** What the sequential answers at or above p99 overlapped. */
  tail: TailCauses;
  /** A component's first answer: in watch mode built and serialized, not reused. NaN when there was none. */
  firstP50: number;
  errors: number;
  apiRequestsPerQuery: number;
  pollers: number;
  pollQueries: number;
  pollQueriesPerSecond: number;
  pollP50: number;
  pollP99: number;
  pollErrors: number;
  /**
   * CPU time of Stitchboard's thread (the main thread; the pollers run in a worker) per polled answer: what
   * an answer costs, whatever else the machine is doing.
   */
  pollCpuUsPerAnswer: number;
  pollApiRequestsPerQuery: number;
  rssMiB: number;
  /** Watch mode: from the first query until every informer has listed. */
  syncMs?: number;
  /** Watch mode: heap the caches retain (all types), per 1,000 pods. */
  heapKiBPer1000Pods?: number;
  /** Watch mode: the same queries and pollers against a bare server sending the same bytes (bench/floor.ts). */
  floor?: Floor;
}

/** What the same client measures against the floor server; the fields mean what the scenario's do. */
export interface Floor {
  p50: number;
  p99: number;
  tail: TailCauses;
  pollQueriesPerSecond: number;
  pollP99: number;
  pollCpuUsPerAnswer: number;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

const HEADER = [
  '| clusters | pods/cluster | component | mode | objects | answer KiB | wire KiB | p50 ms | p99 ms | first p50 ms | errors | API req/query | pollers | polled q/s | poll p50 ms | poll p99 ms | poll errors | server CPU µs/answer | poll API req/query | RSS MiB | sync ms | cache heap KiB/1k pods |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

function row(s: Scenario): string {
  return `| ${s.clusters} | ${s.podsPerCluster} | ${s.component} | ${s.mode} | ${s.objectsPerAnswer} | ${s.answerKiB.toFixed(1)} | ${s.wireKiB.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p99)} | ${Number.isNaN(s.firstP50) ? '—' : ms(s.firstP50)} | ${s.errors} | ${s.apiRequestsPerQuery.toFixed(2)} | ${s.pollers} | ${s.pollQueriesPerSecond.toFixed(0)} | ${ms(s.pollP50)} | ${ms(s.pollP99)} | ${s.pollErrors} | ${s.pollCpuUsPerAnswer.toFixed(0)} | ${s.pollApiRequestsPerQuery.toFixed(2)} | ${s.rssMiB} | ${s.syncMs === undefined ? '—' : s.syncMs.toFixed(0)} | ${s.heapKiBPer1000Pods ?? '—'} |`;
}

const FLOOR_HEADER = [
  '| clusters | pods/cluster | component | p50 ms | p99 ms | p99 / p50 | answers ≥ p99: in a GC, waiting for a CPU, after a first answer | polled q/s | poll p99 ms | server CPU µs/answer |',
  '|---|---|---|---|---|---|---|---|---|---|',
];

/** A watch scenario beside its floor: each cell is Stitchboard's figure, then the floor's in brackets. */
function floorRow(s: Scenario, f: Floor): string {
  const both = (ours: string, floor: string) => `${ours} (${floor})`;
  return `| ${s.clusters} | ${s.podsPerCluster} | ${s.component} | ${both(ms(s.p50), ms(f.p50))} | ${both(ms(s.p99), ms(f.p99))} | ${both((s.p99 / s.p50).toFixed(1), (f.p99 / f.p50).toFixed(1))} | ${both(tail(s.tail), tail(f.tail))} | ${both(s.pollQueriesPerSecond.toFixed(0), f.pollQueriesPerSecond.toFixed(0))} | ${both(ms(s.pollP99), ms(f.pollP99))} | ${both(s.pollCpuUsPerAnswer.toFixed(0), f.pollCpuUsPerAnswer.toFixed(0))} |`;
}

/** `answers: in a GC, waiting for a CPU, after a first answer`, e.g. `10: 6, 2, 1`. */
const tail = (t: TailCauses) => `${t.answers}: ${t.duringGc}, ${t.waitedForCpu}, ${t.afterFirst}`;

/** One scenario as soon as it is measured, on stderr, so a run that fails later still shows it. */
export function printScenario(s: Scenario): void {
  console.error(`[bench] ${row(s)}`);
  if (s.floor) console.error(`[bench] floor: ${floorRow(s, s.floor)}`);
}

export function printReport(report: {
  date: string;
  machine: Record<string, unknown>;
  scenarios: Scenario[];
}): void {
  const m = report.machine;
  console.log(
    `\n### Entity queries — ${report.date.slice(0, 10)}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.load}, CPU stolen by the hypervisor ${m.steal}\n`,
  );
  for (const line of HEADER) console.log(line);
  for (const s of report.scenarios) console.log(row(s));
  const floored = report.scenarios.filter((s) => s.floor);
  if (floored.length === 0) return;
  console.log(
    '\nWatch mode against the floor, a bare `node:http` server sending the same bytes to the same client (in brackets):\n',
  );
  for (const line of FLOOR_HEADER) console.log(line);
  for (const s of floored) if (s.floor) console.log(floorRow(s, s.floor));
}
