import { useCallback, useRef } from 'react';
import { healthOfClusters } from '../../../src/contract/stitchboard.ts';
import { useLiveUpdates } from '../live.ts';
import { dashboardLinkOf, kindOf } from '../model/workloads.ts';
import { useQueryParam } from '../router.ts';
import type { ComponentDetail, KubeObject } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { ClusterSection } from '../ui/cluster-section.tsx';
import { DetectedErrors } from '../ui/detected-errors.tsx';
import { HealthBadge } from '../ui/health.tsx';
import { Link, ownerPath } from '../ui/link.tsx';
import { ObjectDrawer, decodeTarget, encodeTarget, type DrawerTarget } from '../ui/object-drawer.tsx';
import { SelectedObject } from '../ui/object-button.tsx';
import { Empty, ErrorBox, Loading } from '../ui/states.tsx';

function findObject(
  detail: ComponentDetail | undefined,
  t: DrawerTarget,
): { object?: KubeObject; link?: string } {
  const c = detail?.clusters.find((x) => x.cluster.name === t.cluster);
  for (const list of c?.resources ?? []) {
    for (const o of list.resources) {
      if (
        o.metadata?.name === t.name &&
        (o.metadata?.namespace ?? '') === t.namespace &&
        kindOf(list.type, o) === t.kind
      ) {
        const link = dashboardLinkOf(c, o);
        return { object: o, ...(link ? { link } : {}) };
      }
    }
  }
  return {};
}

function LiveNote({ mode, unwatched, updatedAt }: { mode: string; unwatched: string[]; updatedAt?: Date }) {
  const text =
    mode === 'streaming'
      ? unwatched.length
        ? `Live; ${unwatched.join(', ')} polled every 10 s`
        : 'Live'
      : mode === 'polling'
        ? 'Refreshing every 10 s'
        : 'Connecting…';
  return (
    <span
      className={`live live-${mode}`}
      title={updatedAt ? `Last updated ${updatedAt.toLocaleTimeString()}` : undefined}
    >
      <span className="dot" aria-hidden="true" />
      {text}
      {updatedAt ? <span className="muted"> · {updatedAt.toLocaleTimeString()}</span> : null}
    </span>
  );
}

export function ComponentPage({ kind, namespace, name }: { kind: string; namespace: string; name: string }) {
  const path = `/api/stitchboard/components/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  const ref = `${kind}:${namespace}/${name}`.toLowerCase();
  const [clusterFilter, setClusterFilter] = useQueryParam('cluster');
  const [objectParam, setObjectParam] = useQueryParam('object');
  const target = decodeTarget(objectParam);

  // The stream tells us when something changed; the page then re-reads the component (debounced).
  // Without the stream, or for clusters it does not watch, the page polls every 10 s.
  const reloadRef = useRef<() => void>(() => {});
  const live = useLiveUpdates(ref, () => reloadRef.current());
  const poll = live.mode !== 'streaming' || live.unwatched.length > 0;
  // Even with every cluster streamed, re-read now and then: pod metrics and ages are not watch events.
  const detail = useResource<ComponentDetail>(path, { refreshMs: poll ? 10_000 : 30_000 });
  reloadRef.current = detail.reload;

  const open = useCallback((t: DrawerTarget) => setObjectParam(encodeTarget(t), true), [setObjectParam]);
  const close = useCallback(() => setObjectParam(undefined, true), [setObjectParam]);

  const data = detail.data;
  const clusters = data?.clusters.filter((c) => !clusterFilter || c.cluster.name === clusterFilter) ?? [];
  const found = target ? findObject(data, target) : {};
  const e = data?.entity;

  return (
    <div className={target ? 'with-drawer' : ''}>
      <div className="page-head">
        <p className="crumbs">
          <Link to="/components">Components</Link> /
        </p>
        <h1>{e?.title ?? name}</h1>
        {e ? (
          <dl className="facts">
            <div>
              <dt>Ref</dt>
              <dd>{data?.ref}</dd>
            </div>
            <div>
              <dt>Owner</dt>
              <dd>{e.ownerRef ? <Link to={ownerPath(e.ownerRef)}>{e.owner}</Link> : (e.owner ?? '—')}</dd>
            </div>
            <div>
              <dt>System</dt>
              <dd>{e.system ?? '—'}</dd>
            </div>
            <div>
              <dt>Lifecycle</dt>
              <dd>{e.lifecycle ?? '—'}</dd>
            </div>
            <div>
              <dt>Health</dt>
              <dd>
                <HealthBadge
                  health={data && data.clusters.length ? healthOfClusters(data.clusters) : 'none'}
                />
              </dd>
            </div>
            <div>
              <dt>Updates</dt>
              <dd>
                <LiveNote
                  mode={live.mode}
                  unwatched={live.unwatched}
                  {...(detail.updatedAt ? { updatedAt: detail.updatedAt } : {})}
                />
              </dd>
            </div>
          </dl>
        ) : null}
        {e?.description ? <p className="muted">{e.description}</p> : null}
      </div>
      {detail.loading ? <Loading what="the component's objects from every cluster" /> : null}
      {detail.error ? (
        <ErrorBox
          title={
            data ? 'The last refresh failed; showing the data from before' : 'The component could not be read'
          }
          error={detail.error}
          retry={detail.reload}
        />
      ) : null}
      {data && data.clusters.length === 0 ? (
        <Empty title="No objects in any cluster">
          No cluster has objects labelled for this component. Check its{' '}
          <code>backstage.io/kubernetes-id</code> or <code>backstage.io/kubernetes-label-selector</code>{' '}
          annotation.
        </Empty>
      ) : null}
      {data && data.clusters.length > 1 ? (
        <div className="tabs" role="group" aria-label="Clusters">
          <button
            type="button"
            className={`tab ${!clusterFilter ? 'active' : ''}`}
            aria-pressed={!clusterFilter}
            onClick={() => setClusterFilter(undefined)}
          >
            All clusters
          </button>
          {data.clusters.map((c) => (
            <button
              key={c.cluster.name}
              type="button"
              className={`tab ${clusterFilter === c.cluster.name ? 'active' : ''} ${c.errors.length ? 'tab-error' : ''}`}
              aria-pressed={clusterFilter === c.cluster.name}
              onClick={() => setClusterFilter(c.cluster.name)}
            >
              {c.cluster.title ?? c.cluster.name}
              {c.errors.length ? ' !' : ''}
            </button>
          ))}
        </div>
      ) : null}
      {data ? <DetectedErrors clusters={clusters} open={open} /> : null}
      <SelectedObject.Provider value={target}>
        {clusters.map((c) => (
          <ClusterSection key={c.cluster.name} c={c} open={open} />
        ))}
      </SelectedObject.Provider>
      {target ? (
        <ObjectDrawer
          key={objectParam}
          target={target}
          object={found.object}
          {...(found.link ? { dashboardUrl: found.link } : {})}
          onClose={close}
        />
      ) : null}
    </div>
  );
}
