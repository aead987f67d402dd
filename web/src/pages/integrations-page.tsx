import { useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError, post } from '../api.ts';
import type { ClusterSummary, Instance, Items } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { age } from '../model/format.ts';
import { DataTable, type Column } from '../ui/data-table.tsx';
import { HealthBadge, type HealthValue } from '../ui/health.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { Empty, ErrorBox, ResourceStates } from '../ui/states.tsx';
import { ClusterConnections } from './cluster-connections.tsx';

const STATUS_HEALTH: Record<Instance['status'], HealthValue> = {
  ok: 'ok',
  partial: 'warning',
  failed: 'error',
  invalid: 'error',
  pending: 'unknown',
};

const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function source(i: Instance): string {
  if (i.source.type === 'catalog') return 'configured catalog (scrapers.catalog)';
  return i.source.type === 'config'
    ? 'config file'
    : `Secret ${i.source.cluster}/${i.source.namespace}/${i.source.name}`;
}

interface Discovery {
  cluster: string;
  namespaces: string[];
  status: 'ok' | 'failed' | 'skipped';
  found: number;
  message?: string;
}

const COLUMNS: Column<Instance>[] = [
  { header: 'Instance', className: 'strong', cell: (i) => i.name },
  {
    header: 'Endpoint',
    cell: (i) => (
      <>
        {i.endpoint ?? '—'}
        <div className="muted small">
          {i.hasToken ? 'token set' : 'no token'}
          {i.insecureSkipVerify ? ' · TLS not verified' : ''}
        </div>
      </>
    ),
  },
  { header: 'Defined in', className: 'small', cell: source },
  {
    header: 'Status',
    cell: (i) => (
      <>
        <HealthBadge health={STATUS_HEALTH[i.status]} label={i.status} />
        {i.missingKey ? (
          <div className="text-warn small">
            missing Secret key <code>{i.missingKey}</code>
          </div>
        ) : null}
        {i.lastError ? <div className="text-warn small">{i.lastError}</div> : null}
      </>
    ),
  },
  {
    header: 'Last run',
    cell: (i) =>
      i.lastRun ? `${age(i.lastRun.startedAt)} ago · ${duration(i.lastRun.durationMs)}` : 'never',
  },
  { header: 'Links', cell: (i) => i.lastRun?.counts.links ?? '—' },
];

/** A labelled input of the add-instance form. */
function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function AddInstance({ onAdded, discovery }: { onAdded: (message: string) => void; discovery: Discovery[] }) {
  const clusters = useResource<Items<ClusterSummary>>('/api/kubernetes/clusters');
  const where = discovery[0];
  const [form, setForm] = useState({
    name: '',
    endpoint: '',
    token: '',
    cluster: '',
    namespace: where?.namespaces[0] ?? 'stitchboard',
    insecure: false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const set = (k: keyof typeof form) => (e: { target: HTMLInputElement | HTMLSelectElement }) =>
    setForm({
      ...form,
      [k]:
        e.target instanceof HTMLInputElement && e.target.type === 'checkbox'
          ? e.target.checked
          : e.target.value,
    });
  /** A text input of the form, named after and bound to its field. */
  const text = (
    label: string,
    k: 'name' | 'endpoint' | 'token' | 'namespace',
    attributes: InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <Field label={label}>
      <input name={k} value={form[k]} onChange={set(k)} {...attributes} />
    </Field>
  );
  // Secrets are only found where discovery looks: choose that cluster unless the user picks another.
  const cluster = form.cluster || where?.cluster || clusters.data?.items[0]?.name || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post('/api/stitchboard/instances', {
        cluster,
        namespace: form.namespace,
        name: form.name,
        endpoint: form.endpoint,
        ...(form.token ? { token: form.token } : {}),
        ...(form.insecure ? { insecure_skip_verify: true } : {}),
      });
      onAdded(
        `Created Secret ${form.namespace}/${form.name} in ${cluster}. It is picked up on the next run.`,
      );
      setForm({ ...form, name: '', endpoint: '', token: '', insecure: false });
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form-grid" onSubmit={submit} aria-labelledby="add-instance">
      <h2 id="add-instance">Add a Backstage instance</h2>
      <p className="muted small span-all">
        Stitchboard stores it as a Secret labelled for discovery (<code>causely.ai/scraper=Backstage</code>{' '}
        unless <code>scrapers.backstage.discovery.labelSelector</code> says otherwise) in the cluster you
        choose; the token goes into the Secret and is never shown again.
        {where ? (
          <>
            {' '}
            Discovery reads Secrets in cluster <strong>{where.cluster}</strong>
            {where.namespaces.length ? `, namespace ${where.namespaces.join(', ')}` : ''}.
          </>
        ) : null}
      </p>
      {text('Name', 'name', {
        required: true,
        placeholder: 'backstage-prod',
        pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?',
      })}
      {text('Endpoint', 'endpoint', {
        required: true,
        type: 'url',
        placeholder: 'https://backstage.example.com',
      })}
      {text('Token', 'token', { type: 'password', autoComplete: 'off', placeholder: 'optional' })}
      <Field label="Cluster">
        <select name="cluster" value={cluster} onChange={set('cluster')} required>
          {(clusters.data?.items ?? []).map((c) => (
            <option key={c.name} value={c.name}>
              {c.title ? `${c.title} (${c.name})` : c.name}
            </option>
          ))}
        </select>
      </Field>
      {text('Namespace', 'namespace', { required: true })}
      <label className="check">
        <input type="checkbox" name="insecure" checked={form.insecure} onChange={set('insecure')} /> Skip TLS
        verification
      </label>
      <div className="span-all actions">
        <button type="submit" className="button primary" disabled={busy || !cluster}>
          {busy ? 'Creating…' : 'Create Secret'}
        </button>
        {clusters.error ? (
          <span className="text-warn small">Clusters could not be listed: {clusters.error.message}</span>
        ) : null}
      </div>
      {error ? (
        <WriteError
          title="The instance could not be added"
          refused="You may not add instances to this Stitchboard"
          error={error}
        />
      ) : null}
    </form>
  );
}

/**
 * A failed write; a 403 is a missing right, not a fault, so it says so and keeps the server's
 * message, which names the permission (or how to turn writes on for an open API).
 */
function WriteError({ title, refused, error }: { title: string; refused: string; error: Error }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return <ErrorBox title={forbidden ? refused : title} error={error} />;
}

export function IntegrationsPage() {
  const instances = useResource<Items<Instance> & { discovery?: Discovery[] }>('/api/stitchboard/instances', {
    refreshMs: 15_000,
  });
  const [note, setNote] = useState('');
  const [runError, setRunError] = useState<Error | undefined>();
  const runNow = async () => {
    setRunError(undefined);
    try {
      await post('/api/stitchboard/runs', {});
      setNote('Run started. Statuses update when it finishes.');
      instances.reload();
    } catch (err) {
      setRunError(err as Error);
    }
  };
  return (
    <>
      <PageHead title="Integrations">
        The Backstage instances Stitchboard reads catalogs from, with the outcome of their last run.
      </PageHead>
      {note ? (
        <p className="note" role="status">
          {note}
        </p>
      ) : null}
      <div className="toolbar">
        <button type="button" className="button" onClick={runNow}>
          Run stitching now
        </button>
      </div>
      {runError ? (
        <WriteError
          title="The run could not be started"
          refused="You may not start runs on this Stitchboard"
          error={runError}
        />
      ) : null}
      <ResourceStates resource={instances} what="instances" failed="Instances could not be listed" />
      {instances.data && instances.data.items.length === 0 ? (
        <Empty title="No Backstage instance yet">
          Add one below, or list one under stitchboard.scrapers in the config.
        </Empty>
      ) : null}
      {instances.data && instances.data.items.length > 0 ? (
        <DataTable columns={COLUMNS} rows={instances.data.items} rowKey={(i) => i.name} testId="instances" />
      ) : null}
      <AddInstance
        key={instances.data ? 'ready' : 'loading'}
        discovery={instances.data?.discovery ?? []}
        onAdded={(m) => {
          setNote(m);
          instances.reload();
        }}
      />
      <ClusterConnections />
    </>
  );
}
