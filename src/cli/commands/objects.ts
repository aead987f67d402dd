import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createCore } from '../../app.ts';
import type { ClusterObjects, ObjectsByEntityResponse } from '../../contract/kubernetes.ts';
import { inputError, notFound } from '../../errors/errors.ts';
import { defineCommand, UsageError } from '../command.ts';
import { loadCliConfig, readCommandOptions } from '../config-files.ts';
import { cliLogger, fieldColumns, type Column } from '../output.ts';

interface Row {
  cluster: string;
  type: string;
  count: number;
  names: string;
}

const COLUMNS = fieldColumns<Row>({ cluster: 'cluster', type: 'type', count: 'count', names: 'objects' });

export const objectsCommand = defineCommand({
  name: 'objects',
  summary: 'Show an entity’s Kubernetes objects across clusters',
  usage: '<entityRef>',
  description:
    'Resolves the entity in the configured catalog (kind defaults to component, namespace to default) and\n' +
    'fetches its objects from every cluster it runs in, exactly as POST /api/kubernetes/services does.',
  options: readCommandOptions('the ObjectsByEntityResponse'),
  async run({ positionals, values, out, env, cwd, debug }) {
    const [ref] = positionals;
    if (!ref || positionals.length > 1) {
      throw new UsageError('objects needs exactly one entity ref, e.g. component:default/shop');
    }
    const config = await loadCliConfig(values.config, { out, env, cwd });
    const core = await createCore(config, { logger: cliLogger(out, debug), env });
    try {
      const entityRef = normalize(ref);
      const entity = await core.catalog.getEntityByRef(entityRef);
      if (!entity) throw notFound(`no entity ${entityRef} in the catalog (${core.catalog.description})`);
      const response = await core.objects.getObjectsByEntity({ entity, auth: {} });
      if (values.json) out.json(response);
      else print(out, entityRef, response);
      return response.items.some((i) => i.errors.length > 0) ? 3 : 0;
    } finally {
      await core.close();
    }
  },
});

function normalize(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'component', defaultNamespace: 'default' }));
  } catch (error) {
    throw inputError(`"${ref}" is not an entity ref: ${(error as Error).message}`);
  }
}

function print(
  out: { line(t?: string): void; table<T>(c: readonly Column<T>[], r: readonly T[]): void },
  ref: string,
  response: ObjectsByEntityResponse,
) {
  if (response.items.length === 0) {
    out.line(`${ref}: no objects in any cluster.`);
    return;
  }
  const rows = response.items.flatMap(rowsOf);
  if (rows.length > 0) out.table(COLUMNS, rows);
  for (const item of response.items) {
    for (const e of item.errors) {
      const text =
        'message' in e ? e.message : `${e.errorType} ${e.statusCode ?? ''} ${e.resourcePath ?? ''}`.trim();
      out.line(`error  ${item.cluster.name}: ${text}`);
    }
  }
}

function rowsOf(item: ClusterObjects): Row[] {
  return item.resources
    .filter((r) => r.resources.length > 0)
    .map((r) => {
      const names = r.resources.map((o) => o.metadata?.name ?? '?');
      return {
        cluster: item.cluster.title ?? item.cluster.name,
        type: r.type,
        count: names.length,
        names:
          names.length > 4 ? `${names.slice(0, 4).join(', ')}, … (+${names.length - 4})` : names.join(', '),
      };
    });
}
