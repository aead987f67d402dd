import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from '../contract/kubernetes.ts';
import { inputError } from '../errors/errors.ts';
import { parseLabelSelector } from './label-selector.ts';

export interface EntitySelection {
  /** The value of `backstage.io/kubernetes-id`, else the entity's name. */
  kubernetesId: string;
  labelSelector: string;
  namespace?: string;
}

/**
 * Which objects belong to an entity, exactly as Backstage decides: the label-selector annotation wins,
 * otherwise `backstage.io/kubernetes-id=<id>`; the namespace annotation narrows every LIST to one
 * namespace. A malformed annotation is the caller's input: it fails with a message naming the entity and
 * the annotation, rather than as one 400 per object type from every cluster.
 */
export function selectionForEntity(entity: Entity, entityRef: string): EntitySelection {
  const annotations = entity.metadata.annotations ?? {};
  const kubernetesId = annotations[ANNOTATION_KUBERNETES_ID] || entity.metadata.name;
  const custom = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
  const labelSelector = custom ?? `${ANNOTATION_KUBERNETES_ID}=${kubernetesId}`;
  const parsed = parseLabelSelector(labelSelector);
  if (!parsed.ok) {
    const source = custom !== undefined ? ANNOTATION_KUBERNETES_LABEL_SELECTOR : ANNOTATION_KUBERNETES_ID;
    throw inputError(
      `${entityRef}: annotation ${source} does not give a valid label selector: ${parsed.error}`,
      {
        path: `metadata.annotations["${source}"]`,
      },
    );
  }
  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE];
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw inputError(
      `${entityRef}: annotation ${ANNOTATION_KUBERNETES_NAMESPACE} is not a valid namespace name: "${namespace}"`,
      {
        path: `metadata.annotations["${ANNOTATION_KUBERNETES_NAMESPACE}"]`,
      },
    );
  }
  return namespace ? { kubernetesId, labelSelector, namespace } : { kubernetesId, labelSelector };
}
