import { parseLabelSelector, type SelectorResult } from '../../kube/label-selector.ts';
import { deepFreeze } from '../../shared/deep-freeze.ts';

/**
 * Parsed label selectors by their text. Every query of an entity sends the same selector, and parsing it (a
 * split and a few regular expressions per requirement) showed in the profile of every repeated answer.
 * Results are frozen and shared. Bounded: past `MAX_SELECTORS` distinct selectors it starts over.
 */
export class SelectorMemo {
  readonly #parsed = new Map<string, SelectorResult>();

  parse(selector: string): SelectorResult {
    let result = this.#parsed.get(selector);
    if (result) return result;
    if (this.#parsed.size >= MAX_SELECTORS) this.#parsed.clear();
    result = deepFreeze(parseLabelSelector(selector));
    this.#parsed.set(selector, result);
    return result;
  }
}

const MAX_SELECTORS = 10_000;
