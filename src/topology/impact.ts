import { compareStrings } from './order.ts';
import type { StitchedComponent } from './types.ts';

/**
 * For incremental restitching: given the components of the last result, which of them a change to
 * one Service (added, removed, relabelled) can affect. A component whose lookup names that Service's
 * name is affected when it names the same namespace, or no namespace at all (a new Service of that
 * name elsewhere can make a name-only lookup ambiguous, a removed one can make it unique).
 * The cluster does not narrow it: every component is looked up in every cluster.
 *
 * @example
 * const affected = serviceImpact(result.components);
 * affected({ namespace: 'shop', name: 'cart' }); // ['component:default/cart']
 */
export function serviceImpact(
  components: readonly StitchedComponent[],
): (service: { namespace: string; name: string }) => string[] {
  const byId = new Map<string, StitchedComponent[]>();
  for (const component of components) {
    const id = component.kubernetesId?.value;
    if (id === undefined) continue;
    const list = byId.get(id);
    if (list) list.push(component);
    else byId.set(id, [component]);
  }
  return (service) =>
    (byId.get(service.name) ?? [])
      .filter((c) => c.kubernetesNamespace === undefined || c.kubernetesNamespace.value === service.namespace)
      .map((c) => c.ref)
      .sort(compareStrings);
}
