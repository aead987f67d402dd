import type { ClientPodStatus, ClientCurrentResourceUsage } from '../../../src/contract/kubernetes.ts';
import { age, cpu, memory, podFacts } from '../model/format.ts';
import type { KubeObject } from '../types.ts';
import { TableHead } from './data-table.tsx';
import { ObjectButton } from './object-button.tsx';
import type { DrawerTarget } from './object-drawer.tsx';

const USAGE = 'usage / request / limit';

function Usage({
  usage,
  format,
}: {
  usage: ClientCurrentResourceUsage;
  format: (v: number | string) => string;
}) {
  const current = Number(usage.currentUsage);
  const limit = Number(usage.limitTotal);
  const request = Number(usage.requestTotal);
  const against = limit || request;
  const pct = against ? Math.min(100, Math.round((current / against) * 100)) : undefined;
  const level = pct === undefined ? '' : pct >= 90 ? 'bar-high' : pct >= 70 ? 'bar-mid' : '';
  return (
    <div className="usage" title={`request ${format(usage.requestTotal)}, limit ${format(usage.limitTotal)}`}>
      <span>
        {format(usage.currentUsage)}
        <span className="muted">
          {' '}
          / {request ? format(usage.requestTotal) : '—'} / {limit ? format(usage.limitTotal) : '—'}
        </span>
      </span>
      {pct !== undefined ? (
        <span className={`bar ${level}`} aria-hidden="true">
          <span style={{ width: `${pct}%` }} />
        </span>
      ) : null}
    </div>
  );
}

export function PodTable(props: {
  cluster: string;
  pods: KubeObject[];
  metrics: ClientPodStatus[];
  open: (t: DrawerTarget) => void;
}) {
  const { cluster, pods } = props;
  const metricsOf = (pod: KubeObject) =>
    props.metrics.find(
      (m) =>
        m.pod.metadata?.name === pod.metadata?.name && m.pod.metadata?.namespace === pod.metadata?.namespace,
    );
  if (pods.length === 0) return <p className="muted small indent">No pods.</p>;
  const anyMetrics = pods.some((p) => metricsOf(p)?.containers.length);
  return (
    <div className="table-wrap">
      <table className="table compact pods">
        <TableHead
          headers={['Pod', 'Phase', 'Ready', 'Restarts', 'CPU', 'Memory', 'Age']}
          titles={{ CPU: USAGE, Memory: USAGE }}
        />
        <tbody>
          {pods.map((pod) => {
            const f = podFacts(pod);
            const m = metricsOf(pod);
            const hasMetrics = Boolean(m?.containers.length);
            const healthy = f.phase === 'Running' && f.ready === f.containers;
            return (
              <tr key={pod.metadata?.uid ?? pod.metadata?.name} data-pod={pod.metadata?.name}>
                <td>
                  <ObjectButton cluster={cluster} kind="Pod" object={pod} open={props.open} />
                </td>
                <td>
                  <span
                    className={`phase ${healthy ? 'phase-ok' : f.phase === 'Running' ? 'phase-warn' : 'phase-bad'}`}
                  >
                    {f.reason ?? f.phase}
                  </span>
                </td>
                <td className={f.ready < f.containers ? 'text-warn' : ''}>
                  {f.ready}/{f.containers}
                </td>
                <td className={f.restarts > 0 ? 'text-warn' : ''}>{f.restarts}</td>
                <td>
                  {m && hasMetrics ? <Usage usage={m.cpu} format={cpu} /> : <span className="muted">—</span>}
                </td>
                <td>
                  {m && hasMetrics ? (
                    <Usage usage={m.memory} format={memory} />
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{age(pod.metadata?.creationTimestamp)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!anyMetrics ? <p className="muted small indent">No CPU or memory metrics from this cluster.</p> : null}
    </div>
  );
}
