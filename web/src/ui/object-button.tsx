import type { KubeObject } from '../types.ts';
import type { DrawerTarget } from './object-drawer.tsx';

/** An object's name that opens its drawer (YAML and events). */
export function ObjectButton(props: {
  cluster: string;
  kind: string;
  object: KubeObject;
  open: (t: DrawerTarget) => void;
  label?: string;
}) {
  const name = props.object.metadata?.name ?? '';
  const namespace = props.object.metadata?.namespace ?? '';
  return (
    <button
      type="button"
      className="objlink"
      onClick={() => props.open({ cluster: props.cluster, kind: props.kind, namespace, name })}
      aria-label={`${props.kind} ${name}: show YAML and events`}
    >
      {props.label ?? name}
    </button>
  );
}
