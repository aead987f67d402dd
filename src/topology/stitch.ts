import { settleClaims, type Claim } from './claims.ts';
import { compareServiceKeys, compareStrings } from './order.ts';
import { serviceLabels } from './labels.ts';
import { compileLabelMap } from './label-map.ts';
import { ownerFromEntity } from './owner.ts';
import { readComponent } from './read-component.ts';
import { buildReport } from './report.ts';
import { indexServices } from './service-index.ts';
import type {
  ClusterService,
  ComponentMiss,
  Conflict,
  ServiceOwner,
  StitchedComponent,
  StitchedLink,
  StitchInput,
  StitchResult,
} from './types.ts';

/**
 * Stitches catalog Components to Kubernetes Services, one instance's run. Pure: the same input
 * always gives the same, sorted output. Rules in docs/stitching.md.
 *
 * Throws a ConfigError only when `labelMap` holds a bad path (validate it with validateLabelMap first).
 *
 * @example
 * const result = stitch({ instance: 'main', components, groups, users, services, labelMap: DEFAULT_LABEL_MAP, clusters: ['prod'] });
 * result.links[0]; // { cluster: 'prod', namespace: 'shop', service: 'cart', componentRef: 'component:default/cart', ... }
 */
export function stitch(input: StitchInput): StitchResult {
  const labelMap = compileLabelMap(input.labelMap);
  const owners = new Map<string, ServiceOwner>();
  for (const entity of [...input.groups, ...input.users]) {
    const owner = ownerFromEntity(entity, input.instance);
    if (owner && !owners.has(owner.ref)) owners.set(owner.ref, owner);
  }

  const catalogOwners = new Set(owners.keys());
  const components = new Map<string, StitchedComponent>();
  for (const entity of input.components) {
    if (entity.kind.toLocaleLowerCase('en-US') !== 'component') continue;
    const component = readComponent(entity, labelMap, (ref) => catalogOwners.has(ref));
    if (components.has(component.ref)) continue;
    components.set(component.ref, component);
  }

  const index = indexServices(input.services);
  const clusters = [...new Set([...input.clusters, ...index.services.map((s) => s.cluster)])];
  const misses = new Map<string, ComponentMiss[]>();
  const addMiss = (miss: ComponentMiss) => {
    const list = misses.get(miss.componentRef);
    if (list) list.push(miss);
    else misses.set(miss.componentRef, [miss]);
  };
  // Keyed by the indexed Service object itself: no string keys to build for 50,000 Services.
  const claims = new Map<ClusterService, Claim[]>();

  for (const component of components.values()) {
    const id = component.kubernetesId;
    if (!id) continue;
    const namespace = component.kubernetesNamespace?.value;
    const idPathIndex = input.labelMap.component_kubernetes_id.indexOf(id.path);
    for (const cluster of clusters) {
      const found = index.lookup(cluster, id.value, namespace);
      if (!found.found) {
        addMiss({
          componentRef: component.ref,
          cluster,
          reason: found.reason,
          kubernetesId: id.value,
          ...(namespace !== undefined && { kubernetesNamespace: namespace }),
          ...(found.reason === 'ambiguous' && { candidates: found.candidates }),
        });
        continue;
      }
      const claim: Claim = { componentRef: component.ref, service: found.service, by: found.by, idPathIndex };
      const list = claims.get(found.service);
      if (list) list.push(claim);
      else claims.set(found.service, [claim]);
    }
  }

  const links: StitchedLink[] = [];
  const conflicts: Conflict[] = [];
  for (const list of claims.values()) {
    const { winner, losers } =
      list.length === 1 ? { winner: list[0] as Claim, losers: [] } : settleClaims(list);
    const { service } = winner;
    const at = { cluster: service.cluster, namespace: service.namespace, service: service.name };
    if (losers.length > 0) {
      conflicts.push({
        ...at,
        winner: winner.componentRef,
        losers: losers.map((l) => ({ componentRef: l.claim.componentRef, rule: l.rule })),
      });
      for (const { claim, rule } of losers) {
        const loser = components.get(claim.componentRef) as StitchedComponent;
        addMiss({
          componentRef: claim.componentRef,
          cluster: service.cluster,
          reason: 'conflict',
          kubernetesId: (loser.kubernetesId as { value: string }).value,
          ...(loser.kubernetesNamespace && { kubernetesNamespace: loser.kubernetesNamespace.value }),
          service: at,
          claimedBy: winner.componentRef,
          rule,
        });
      }
    }
    const component = components.get(winner.componentRef) as StitchedComponent;
    links.push(linkFor(component, winner, input.instance, owners));
  }

  const componentList = [...components.values()].sort((a, b) => compareStrings(a.ref, b.ref));
  const ownerList = [...owners.values()].sort((a, b) => compareStrings(a.ref, b.ref));
  links.sort(compareServiceKeys);
  const report = buildReport({
    claimed: claims,
    components: componentList,
    links,
    misses,
    conflicts,
    services: index.services,
  });
  const stitchedComponents = new Set(links.map((l) => l.componentRef)).size;

  return {
    instance: input.instance,
    components: componentList,
    links,
    owners: ownerList,
    report,
    counts: {
      components: componentList.length,
      stitchedComponents,
      links: links.length,
      services: index.services.length,
      unclaimedServices: report.unclaimedServices.length,
      unmatchedComponents: report.unmatchedComponents.length,
      owners: ownerList.length,
      danglingOwners: report.danglingOwners.length,
      ownerProblems: report.ownerProblems.length,
      ambiguous: report.ambiguous.length,
      conflicts: report.conflicts.length,
    },
  };
}

function linkFor(
  component: StitchedComponent,
  claim: Claim,
  instance: string,
  owners: ReadonlyMap<string, ServiceOwner>,
): StitchedLink {
  // Only an owner the catalog holds is linked: an unresolved one leaves the Service without an owner.
  const owned = component.owner.status === 'linked' ? component.owner : undefined;
  const owner = owned && owners.get(owned.ref);
  const kubernetesId = component.kubernetesId as NonNullable<StitchedComponent['kubernetesId']>;
  const namespaceUsed = claim.by === 'name-namespace' ? component.kubernetesNamespace : undefined;
  return {
    cluster: claim.service.cluster,
    namespace: claim.service.namespace,
    service: claim.service.name,
    ...(claim.service.uid !== undefined && { serviceUid: claim.service.uid }),
    componentRef: component.ref,
    ownerRef: owner?.ref ?? null,
    match: {
      by: claim.by,
      kubernetesId,
      ...(namespaceUsed && { kubernetesNamespace: namespaceUsed }),
      ...(owned && { owner: { value: owned.value, path: owned.path } }),
    },
    labels: serviceLabels({
      instance,
      component,
      kubernetesId,
      namespaceUsed,
      owner,
      ownerSource: owned?.path,
    }),
  };
}
