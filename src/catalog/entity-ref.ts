import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { inputError, messageOf } from '../errors/errors.ts';

/**
 * `kind:[namespace/]name` in the catalog's canonical, lower-cased form (`component:default/checkout`).
 * A ref without a kind cannot be answered by any catalog, so it is the caller's mistake (INPUT_INVALID).
 */
export function normalizeRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (e) {
    throw inputError(`Invalid entity ref "${ref}": ${messageOf(e)}`, { cause: e });
  }
}
