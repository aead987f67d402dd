import { useEffect, useMemo, useRef, useState } from 'react';
import { stringify } from 'yaml';
import { url } from '../api.ts';
import { age } from '../model/format.ts';
import type { KubeEvent, KubeObject, KubernetesFetchError } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { TableHead } from './data-table.tsx';
import { Drawer } from './drawer.tsx';
import { Empty, ResourceStates } from './states.tsx';

export interface DrawerTarget {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}

/** `cluster~Kind~namespace~name`: the drawer's place in the URL, readable and stable across refreshes. */
export const encodeTarget = (t: DrawerTarget) => [t.cluster, t.kind, t.namespace, t.name].join('~');
export function decodeTarget(value: string): DrawerTarget | undefined {
  const [cluster, kind, namespace, name] = value.split('~');
  return cluster && kind && namespace !== undefined && name ? { cluster, kind, namespace, name } : undefined;
}

/** What the YAML view leaves out: server bookkeeping nobody reads while troubleshooting. */
function forDisplay(object: KubeObject): KubeObject {
  const metadata = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, metadata };
}

/**
 * An object's YAML and Events. `object` is the latest copy the page holds, so a change arriving while the
 * drawer is open shows up here in place, with a note saying so, and the Events are read again.
 */
export function ObjectDrawer(props: {
  target: DrawerTarget;
  object: KubeObject | undefined;
  dashboardUrl?: string;
  onClose: () => void;
}) {
  const { target, object } = props;
  const version = object?.metadata?.resourceVersion;
  const events = useResource<{ items: KubeEvent[]; error?: KubernetesFetchError }>(
    url('/api/stitchboard/events', { ...target }),
    { refreshMs: 10_000 },
  );
  const first = useRef(version);
  const [changedAt, setChangedAt] = useState<Date | undefined>();
  const reloadEvents = events.reload;
  useEffect(() => {
    if (version === first.current) return;
    const seenBefore = first.current !== undefined;
    first.current = version;
    if (!seenBefore) return;
    setChangedAt(new Date());
    reloadEvents();
  }, [version, reloadEvents]);
  const yaml = useMemo(() => (object ? stringify(forDisplay(object), { lineWidth: 0 }) : ''), [object]);

  return (
    <Drawer
      title={`${target.kind} ${target.name}`}
      subtitle={
        <>
          {target.cluster} · {target.namespace || 'cluster-scoped'}
          {props.dashboardUrl ? (
            <>
              {' · '}
              <a href={props.dashboardUrl} target="_blank" rel="noreferrer noopener">
                Open in dashboard ↗
              </a>
            </>
          ) : null}
        </>
      }
      onClose={props.onClose}
    >
      <p className="drawer-status" aria-live="polite" data-testid="drawer-status">
        {changedAt ? `Updated live at ${changedAt.toLocaleTimeString()} (resourceVersion ${version})` : ''}
      </p>
      <section aria-labelledby="drawer-events">
        <h3 id="drawer-events">Events</h3>
        <ResourceStates resource={events} what="events" failed="Events could not be read" />
        {events.data?.error ? (
          <p className="inline-error">
            Events could not be read from {target.cluster}: {describeFetchError(events.data.error)}
          </p>
        ) : null}
        {events.data && !events.data.error && events.data.items.length === 0 ? (
          <Empty title="No events">Kubernetes keeps events for about an hour.</Empty>
        ) : null}
        {events.data && events.data.items.length > 0 ? (
          <table className="table compact">
            <TableHead headers={['Type', 'Reason', 'Age', 'Message']} />
            <tbody>
              {events.data.items.map((e) => (
                <tr key={e.metadata?.uid ?? `${e.reason}${e.lastTimestamp}`}>
                  <td className={e.type === 'Warning' ? 'text-warn' : ''}>{e.type}</td>
                  <td>{e.reason}</td>
                  <td>{age(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp)}</td>
                  <td>
                    {e.message}
                    {e.count && e.count > 1 ? <span className="muted"> ×{e.count}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section aria-labelledby="drawer-yaml">
        <h3 id="drawer-yaml">YAML</h3>
        {object ? (
          <pre className="yaml" data-testid="drawer-yaml" data-resource-version={version}>
            {yaml}
          </pre>
        ) : (
          <Empty title="This object is gone">
            It is no longer among the component's objects in {target.cluster}.
          </Empty>
        )}
      </section>
    </Drawer>
  );
}

/** Backstage's wording for its two error shapes (ErrorPanel.tsx). */
export function describeFetchError(e: KubernetesFetchError): string {
  if (e.errorType === 'FETCH_ERROR') {
    return `Error communicating with Kubernetes: ${e.errorType}, message: ${e.message}`;
  }
  return `Error fetching Kubernetes resource: '${e.resourcePath ?? ''}', error: ${e.errorType}, status code: ${e.statusCode ?? ''}`;
}
