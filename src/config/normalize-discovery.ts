import { matchesLabels, parseLabelSelector } from '../kube/label-selector.ts';
import type { NormalizeContext } from './normalize-context.ts';
import type { PathSegment } from './path.ts';
import { DEFAULT_DISCOVERY_MATCH } from './scrapers-schema.ts';

/**
 * `discovery.labelSelector`: one Kubernetes label selector or a list of them; a Secret matching any
 * is discovered. New Secrets (POST /api/stitchboard/instances) get the first selector's `key=value`
 * pairs as labels, so that selector must be one such labels can satisfy.
 */
export function discoverySelectors(
  raw: string | string[] | undefined,
  path: PathSegment[],
  ctx: NormalizeContext,
): { labelSelectors: string[]; secretLabels: Record<string, string> } {
  const fallback = DEFAULT_DISCOVERY_MATCH;
  if (raw === undefined) return fallback;
  const list = typeof raw === 'string' ? [raw] : raw;
  const at = (i: number) => (typeof raw === 'string' ? path : [...path, i]);
  if (list.length === 0) {
    ctx.issues.error(path, 'must list at least one label selector; omit the key for the defaults');
    return fallback;
  }
  let ok = true;
  list.forEach((selector, i) => {
    if (selector.trim() === '') {
      ctx.issues.error(
        at(i),
        'an empty selector would match every Secret; give one such as causely.ai/scraper=Backstage',
      );
      ok = false;
      return;
    }
    const parsed = parseLabelSelector(selector);
    if (!parsed.ok) {
      ctx.issues.error(at(i), `not a label selector: ${parsed.error}`);
      ok = false;
    }
  });
  if (!ok) return fallback;
  const first = list[0] as string;
  const secretLabels = labelsFor(first);
  const requirements = parseLabelSelector(first);
  if (requirements.ok && !matchesLabels(requirements.requirements, secretLabels)) {
    ctx.issues.error(
      at(0),
      'new instance Secrets are labelled with the first selector’s key=value pairs, which do not satisfy it; start the list with a selector of key=value pairs',
    );
  }
  return { labelSelectors: [...new Set(list.map((s) => s.trim()))], secretLabels };
}

/** The labels a selector's `key=value` (and `key in (v, ...)`, first value) requirements ask for. */
function labelsFor(selector: string): Record<string, string> {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) return {};
  const labels: Record<string, string> = {};
  for (const r of parsed.requirements) {
    if (r.op === 'in' && r.values[0] !== undefined) labels[r.key] = r.values[0];
  }
  return labels;
}
