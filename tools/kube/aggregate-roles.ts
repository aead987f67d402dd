/**
 * What kube-controller-manager's clusterrole-aggregation controller would write, computed once:
 * `view`, `edit` and `admin` carry an aggregationRule and no rules of their own, and with no
 * controller running here they would grant nothing. Pure; lab.ts applies the result.
 */

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

export interface ClusterRoleLike {
  metadata: { name: string; labels?: Record<string, string> };
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null;
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(value as string);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(value as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

/**
 * Rules for every aggregated ClusterRole whose rules would change: the union of the rules of all
 * roles its selectors match (duplicates dropped), repeated until stable because aggregated roles
 * feed each other (admin includes edit, edit includes view).
 */
export function aggregateClusterRoles(roles: readonly ClusterRoleLike[]): Map<string, PolicyRule[]> {
  const rules = new Map(roles.map((r) => [r.metadata.name, r.rules ?? []]));
  const aggregated = roles.filter((r) => r.aggregationRule?.clusterRoleSelectors?.length);
  // A chain can be at most as long as the number of aggregated roles.
  for (let round = 0; round <= aggregated.length; round++) {
    let changed = false;
    for (const role of aggregated) {
      const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
      const seen = new Set<string>();
      const union: PolicyRule[] = [];
      for (const other of roles) {
        if (other.metadata.name === role.metadata.name) continue;
        if (!selectors.some((s) => selectorMatches(s, other.metadata.labels))) continue;
        for (const rule of rules.get(other.metadata.name) ?? []) {
          const key = JSON.stringify(rule);
          if (seen.has(key)) continue;
          seen.add(key);
          union.push(rule);
        }
      }
      if (JSON.stringify(union) !== JSON.stringify(rules.get(role.metadata.name))) {
        rules.set(role.metadata.name, union);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const result = new Map<string, PolicyRule[]>();
  for (const role of aggregated) {
    const next = rules.get(role.metadata.name) ?? [];
    if (JSON.stringify(next) !== JSON.stringify(role.rules ?? [])) result.set(role.metadata.name, next);
  }
  return result;
}
