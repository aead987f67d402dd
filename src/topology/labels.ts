import type { FieldValue, ServiceOwner, StitchedComponent } from './types.ts';

/**
 * The labels Stitchboard attaches to stitched Services and to owners. They live in Stitchboard's
 * store and API (and metrics); nothing is written to the clusters. A label with no value is left
 * out rather than set to an empty string.
 */
export const ServiceLabel = {
  scraper: 'stitchboard.io/scraper',
  team: 'stitchboard.io/team',
  component: 'stitchboard.io/component',
  componentType: 'stitchboard.io/component-type',
  lifecycle: 'stitchboard.io/lifecycle',
  system: 'stitchboard.io/system',
  ownerRef: 'stitchboard.io/owner-ref',
  ownerKind: 'stitchboard.io/owner-kind',
  ownerSource: 'stitchboard.io/owner-source',
  kubernetesId: 'stitchboard.io/kubernetes-id',
  kubernetesNamespace: 'stitchboard.io/kubernetes-namespace',
} as const;

export const OwnerLabel = {
  ref: 'stitchboard.io/owner-ref',
  kind: 'stitchboard.io/owner-kind',
  displayName: 'stitchboard.io/owner-display-name',
  email: 'stitchboard.io/owner-email',
  scraper: 'stitchboard.io/scraper',
} as const;

function put(labels: Record<string, string>, key: string, value: string | undefined): void {
  if (value !== undefined && value !== '') labels[key] = value;
}

/**
 * The labels of one stitched Service. `namespaceUsed` is set only when the lookup used a namespace
 * from the component; a name-only match has no `stitchboard.io/kubernetes-namespace`.
 */
export function serviceLabels(args: {
  instance: string;
  component: StitchedComponent;
  kubernetesId: FieldValue;
  namespaceUsed: FieldValue | undefined;
  owner: Pick<ServiceOwner, 'ref' | 'kind' | 'displayName'> | undefined;
  ownerSource: string | undefined;
}): Record<string, string> {
  const { component, owner } = args;
  const labels: Record<string, string> = {};
  put(labels, ServiceLabel.scraper, args.instance);
  put(labels, ServiceLabel.team, owner?.displayName);
  put(labels, ServiceLabel.component, component.name);
  put(labels, ServiceLabel.componentType, component.type);
  put(labels, ServiceLabel.lifecycle, component.lifecycle);
  put(labels, ServiceLabel.system, component.system);
  put(labels, ServiceLabel.ownerRef, owner?.ref);
  put(labels, ServiceLabel.ownerKind, owner?.kind);
  put(labels, ServiceLabel.ownerSource, owner ? args.ownerSource : undefined);
  put(labels, ServiceLabel.kubernetesId, args.kubernetesId.value);
  put(labels, ServiceLabel.kubernetesNamespace, args.namespaceUsed?.value);
  return labels;
}

export function ownerLabels(
  owner: Pick<ServiceOwner, 'ref' | 'kind' | 'displayName' | 'email'>,
  instance: string,
): Record<string, string> {
  const labels: Record<string, string> = {};
  put(labels, OwnerLabel.ref, owner.ref);
  put(labels, OwnerLabel.kind, owner.kind);
  put(labels, OwnerLabel.displayName, owner.displayName);
  put(labels, OwnerLabel.email, owner.email);
  put(labels, OwnerLabel.scraper, instance);
  return labels;
}
