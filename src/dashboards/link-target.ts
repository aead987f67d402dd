import type { KubeObject } from '../contract/kubernetes.ts';
import { StitchboardError } from '../errors/errors.ts';
import { typeName } from '../config/path.ts';

/** What one dashboard formatter gets: the cluster's settings, and the object (if any) to link to. */
export interface LinkTarget {
  cluster: string;
  app: string;
  dashboardUrl?: URL;
  parameters?: Record<string, unknown>;
  object?: KubeObject;
  /** The object's kind, any case (`Deployment`); `''` when unknown. */
  kind: string;
  /** Where Stitchboard's UI is served, for Headlamp embedded in it (`dashboardParameters.internal`). */
  origin?: string;
}

export type Formatter = (target: LinkTarget) => string;

/**
 * A dashboard setting that cannot make a link, named precisely: which cluster, which app, which
 * parameter, and what is wrong with it. Values are never quoted.
 */
export function dashboardError(
  target: Pick<LinkTarget, 'cluster' | 'app'>,
  parameter: string,
  problem: string,
) {
  return new StitchboardError(
    'CONFIG_INVALID',
    `cluster "${target.cluster}", dashboard app "${target.app}": ${parameter} ${problem}`,
    { details: { cluster: target.cluster, app: target.app, parameter } },
  );
}

export function requireUrl(target: LinkTarget): URL {
  if (!target.dashboardUrl) throw dashboardError(target, 'dashboardUrl', 'is required');
  return new URL(target.dashboardUrl.href);
}

/** A `dashboardParameters` entry that must be a non-empty string. */
export function requireParameter(target: LinkTarget, name: string): string {
  const value = target.parameters?.[name];
  if (value === undefined) throw dashboardError(target, `dashboardParameters.${name}`, 'is required');
  if (typeof value !== 'string' || value === '') {
    throw dashboardError(
      target,
      `dashboardParameters.${name}`,
      `must be a non-empty string, not ${value === '' ? 'an empty one' : typeName(value)}`,
    );
  }
  return value;
}

/** The object's name and namespace, URI-encoded as every Backstage formatter does; `''` when absent. */
export function encodedNames(target: LinkTarget): { name: string; namespace: string } {
  return {
    name: encodeURIComponent(target.object?.metadata?.name ?? ''),
    namespace: encodeURIComponent(target.object?.metadata?.namespace ?? ''),
  };
}

/** The dashboard URL with a trailing `/`, so relative paths append instead of replacing its last segment. */
export function withTrailingSlash(url: URL): URL {
  const copy = new URL(url.href);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}
