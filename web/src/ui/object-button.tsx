import { createContext, useContext } from 'react';
import type { KubeObject } from '../types.ts';
import type { DrawerTarget } from './object-drawer.tsx';

/** The object whose drawer is open, so its name can be marked wherever it is listed. */
export const SelectedObject = createContext<DrawerTarget | undefined>(undefined);

/** An object's name that opens its drawer (YAML and events). */
export function ObjectButton(props: {
  cluster: string;
  kind: string;
  object: KubeObject;
  open: (t: DrawerTarget) => void;
  label?: string;
}) {
  const selected = useContext(SelectedObject);
  const name = props.object.metadata?.name ?? '';
  const namespace = props.object.metadata?.namespace ?? '';
  const current =
    selected?.cluster === props.cluster &&
    selected.kind === props.kind &&
    selected.namespace === namespace &&
    selected.name === name;
  return (
    <button
      type="button"
      className="objlink"
      onClick={() => props.open({ cluster: props.cluster, kind: props.kind, namespace, name })}
      aria-label={`${props.kind} ${name}: show YAML and events`}
      {...(current ? { 'aria-current': true } : {})}
    >
      {props.label ?? name}
    </button>
  );
}
