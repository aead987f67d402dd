import type { ComponentCluster, DetectedError, ProposedFix } from '../types.ts';
import type { DrawerTarget } from './object-drawer.tsx';

function Fix({ fix, onEvents }: { fix: ProposedFix; onEvents: () => void }) {
  return (
    <div className="fix">
      <span className="fix-label">Fix</span>
      <div>
        <strong>{fix.errorType}:</strong> {fix.rootCauseExplanation}.{' '}
        {fix.actions.map((a) => (
          <span key={a} className="fix-action">
            {a}.{' '}
          </span>
        ))}
        {fix.type === 'docs' ? (
          <a href={fix.docsLink} target="_blank" rel="noreferrer noopener">
            Read the docs ↗
          </a>
        ) : null}
        {fix.type === 'logs' ? (
          <span className="muted">
            Logs: <code>kubectl logs --previous -c {fix.container}</code>
          </span>
        ) : null}
        {fix.type === 'events' ? (
          <button type="button" className="button link" onClick={onEvents}>
            See the pod's events
          </button>
        ) : null}
      </div>
    </div>
  );
}

interface Group {
  cluster: string;
  title: string;
  error: DetectedError;
  /** Every object the same error (type, message, fix) was found on. */
  sources: DetectedError['sourceRef'][];
  occurrences: number;
}

/** The same error on five pods of one ReplicaSet is one problem: group by cluster, type, message and fix. */
function groupErrors(clusters: ComponentCluster[]): Group[] {
  const groups = new Map<string, Group>();
  for (const c of clusters) {
    for (const e of c.detectedErrors) {
      const key = JSON.stringify([
        c.cluster.name,
        e.type,
        e.message,
        e.proposedFix?.errorType ?? '',
        e.sourceRef.kind,
      ]);
      const group = groups.get(key);
      if (group) {
        group.sources.push(e.sourceRef);
        group.occurrences += e.occurrenceCount;
      } else {
        groups.set(key, {
          cluster: c.cluster.name,
          title: c.cluster.title ?? c.cluster.name,
          error: e,
          sources: [e.sourceRef],
          occurrences: e.occurrenceCount,
        });
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.error.severity - a.error.severity);
}

/**
 * Backstage's detected errors (its rules, its fix hints), most severe first, for every cluster at once:
 * the first thing to read when something is wrong. The same error on several objects is listed once.
 */
export function DetectedErrors({
  clusters,
  open,
}: {
  clusters: ComponentCluster[];
  open: (t: DrawerTarget) => void;
}) {
  const groups = groupErrors(clusters);
  if (groups.length === 0) return null;
  const total = groups.reduce((n, g) => n + g.sources.length, 0);
  return (
    <section className="panel panel-errors" aria-labelledby="detected-errors">
      <h2 id="detected-errors">
        Detected errors <span className="count-badge">{total}</span>
      </h2>
      <ul className="error-list">
        {groups.map((g) => {
          const e = g.error;
          const target = (s: DetectedError['sourceRef']) => ({
            cluster: g.cluster,
            kind: s.kind,
            namespace: s.namespace,
            name: s.name,
          });
          return (
            <li
              key={`${g.cluster}-${e.type}-${e.message}-${e.sourceRef.name}`}
              className={`sev sev-${e.severity >= 6 ? 'high' : 'mid'}`}
            >
              <div className="error-head">
                <span className="severity" title="Severity, 0 to 10">
                  {e.severity}
                </span>
                <span className="error-message">{e.message}</span>
                <span className="muted small">
                  {g.title} · {e.type}
                  {g.occurrences > g.sources.length ? ` · ×${g.occurrences}` : ''}
                </span>
              </div>
              <div className="error-sources small">
                {g.sources.map((s) => (
                  <button
                    key={`${s.kind}/${s.namespace}/${s.name}`}
                    type="button"
                    className="button link"
                    onClick={() => open(target(s))}
                  >
                    {s.kind} {s.name}
                  </button>
                ))}
              </div>
              {e.proposedFix ? (
                <Fix fix={e.proposedFix} onEvents={() => open({ ...target(e.sourceRef), kind: 'Pod' })} />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
