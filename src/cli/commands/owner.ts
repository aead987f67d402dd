import { notFound } from '../../errors/errors.ts';
import { openStore } from '../../store/index.ts';
import type { ServiceDetail } from '../../store/types.ts';
import { attemptsText } from '../../topology/attempts.ts';
import { ServiceLabel } from '../../topology/labels.ts';
import { defineCommand, UsageError } from '../command.ts';
import { loadCliConfig, readCommandOptions } from '../config-files.ts';
import { cliLogger, type Output } from '../output.ts';

export const ownerCommand = defineCommand({
  name: 'owner',
  summary: 'Who owns a Kubernetes Service: its component, owner and team contact',
  usage: '<cluster>/<namespace>/<service>',
  description:
    'Answers from the stitched results in backend.database (run `stitchboard stitch` or the server first).\n' +
    'Prints the chain Service → Component → System → Owner, the owner’s contact, and which label_map paths\n' +
    'matched. Exit code 1 when no component is stitched to the Service.',
  options: readCommandOptions('what the store holds for the Service'),
  async run({ positionals, values, out, env, cwd, debug }) {
    const [target] = positionals;
    const parts = target?.split('/') ?? [];
    if (positionals.length !== 1 || parts.length < 3 || parts.some((p) => p === '')) {
      throw new UsageError('owner needs one <cluster>/<namespace>/<service>, e.g. prod/shop/cart');
    }
    const service = parts.pop() as string;
    const namespace = parts.pop() as string;
    const cluster = parts.join('/');
    const config = await loadCliConfig(values.config, { out, env, cwd });
    const store = await openStore(config.backend.database, { logger: cliLogger(out, debug) });
    try {
      const details = await store.getService({ cluster, namespace, service });
      if (details.length === 0) {
        throw notFound(
          `no component is stitched to Service ${cluster}/${namespace}/${service} (see \`stitchboard report\`)`,
        );
      }
      if (values.json) out.json({ items: details });
      else details.forEach((detail, i) => print(out, detail, i > 0));
      return 0;
    } finally {
      await store.close();
    }
  },
});

function print(out: Output, { link, component, owner }: ServiceDetail, separate: boolean): void {
  if (separate) out.line();
  const row = (label: string, value: string) => out.line(`${label.padEnd(10)} ${value}`);
  const system = link.labels[ServiceLabel.system];
  row('Service', `${link.cluster}/${link.namespace}/${link.service}`);
  const facts = [
    component?.type && `type ${component.type}`,
    component?.lifecycle && `lifecycle ${component.lifecycle}`,
    system && `system ${system}`,
  ].filter(Boolean);
  const title = component?.title ? ` (${component.title})` : '';
  row('Component', `${link.componentRef}${title}${facts.length ? `, ${facts.join(', ')}` : ''}`);
  if (link.ownerRef) {
    const name = owner?.displayName ?? link.labels[ServiceLabel.team] ?? link.ownerRef;
    const contact = owner?.email ? ` <${owner.email}>` : '';
    row('Owner', `${link.ownerRef}: ${name}${contact}`);
    if (link.match.owner) row('', `from ${link.match.owner.path} = ${link.match.owner.value}`);
  } else {
    const owner = component?.owner;
    const tried = owner && owner.status === 'unresolved' ? ` (${attemptsText(owner.tried)})` : '';
    row('Owner', `none: no component_owner path resolved to a catalog group or user${tried}`);
  }
  const { match } = link;
  const how = [`${match.kubernetesId.path} = ${match.kubernetesId.value}`];
  if (match.kubernetesNamespace) {
    how.push(`${match.kubernetesNamespace.path} = ${match.kubernetesNamespace.value}`);
  }
  row(
    'Matched',
    `${match.by === 'name-namespace' ? 'by name and namespace' : 'by name (unique in the cluster)'}: ${how.join(', ')}`,
  );
  const chain = [
    `Service ${link.cluster}/${link.namespace}/${link.service}`,
    `Component ${link.componentRef}`,
    ...(system ? [`System ${system}`] : []),
    ...(link.ownerRef ? [`${link.ownerRef.startsWith('user:') ? 'User' : 'Group'} ${link.ownerRef}`] : []),
  ];
  row('Chain', chain.join(' → '));
  row('Instance', `${link.instance}, stitched ${link.stitchedAt.toISOString()}`);
}
