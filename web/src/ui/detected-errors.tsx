import type { ComponentCluster, DetectedError, ProposedFix } from '../types.ts';
import type { DrawerTarget } from './object-drawer.tsx';

function Fix({ fix, onEvents }: { fix: ProposedFix; onEvents: () => void }) {
  return (
    <div className="fix">
      <p>
        <strong>{fix.errorType}:</strong> {fix.rootCauseExplanation}
      </p>
      <ul>
        {fix.actions.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
      {fix.type === 'docs' ? (
        <a href={fix.docsLink} target="_blank" rel="noreferrer noopener">
          Read the docs ↗
        </a>
      ) : null}
      {fix.type === 'logs' ? (
        <p className="muted">
          Read the logs of container <code>{fix.container}</code> (<code>kubectl logs --previous</code>).
        </p>
      ) : null}
      {fix.type === 'events' ? (
        <button type="button" className="button link" onClick={onEvents}>
          See the pod's events
        </button>
      ) : null}
    </div>
  );
}

/**
 * Backstage's detected errors (its rules, its fix hints), most severe first, for every cluster at once:
 * the first thing to read when something is wrong.
 */
export function DetectedErrors({
  clusters,
  open,
}: {
  clusters: ComponentCluster[];
  open: (t: DrawerTarget) => void;
}) {
  const rows = clusters
    .flatMap((c) =>
      c.detectedErrors.map((e: DetectedError) => ({
        cluster: c.cluster.title ?? c.cluster.name,
        name: c.cluster.name,
        e,
      })),
    )
    .sort((a, b) => b.e.severity - a.e.severity);
  if (rows.length === 0) return null;
  return (
    <section className="panel panel-errors" aria-labelledby="detected-errors">
      <h2 id="detected-errors">
        Detected errors <span className="count-badge">{rows.length}</span>
      </h2>
      <ul className="error-list">
        {rows.map(({ cluster, name, e }, i) => {
          const target = {
            cluster: name,
            kind: e.sourceRef.kind,
            namespace: e.sourceRef.namespace,
            name: e.sourceRef.name,
          };
          return (
            <li
              key={`${name}-${e.type}-${e.sourceRef.name}-${i}`}
              className={`sev sev-${e.severity >= 6 ? 'high' : 'mid'}`}
            >
              <div className="error-head">
                <span className="severity" title="Severity, 0 to 10">
                  {e.severity}
                </span>
                <span className="error-message">{e.message}</span>
              </div>
              <div className="muted small">
                {cluster} ·{' '}
                <button type="button" className="button link" onClick={() => open(target)}>
                  {e.sourceRef.kind} {e.sourceRef.namespace}/{e.sourceRef.name}
                </button>
                {' · '}
                {e.type}
                {e.occurrenceCount > 1 ? ` · ×${e.occurrenceCount}` : ''}
              </div>
              {e.proposedFix ? (
                <Fix fix={e.proposedFix} onEvents={() => open({ ...target, kind: 'Pod' })} />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
