import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StitchboardError, messageOf } from '../errors/errors.ts';
import { typeName } from '../config/path.ts';
import type { Logger } from '../shared/logger.ts';
import type { ClusterSettings } from './cluster-settings.ts';
import { suppliedClusterProblems, type SuppliedCluster } from './cluster-details-check.ts';
import { ProblemLog } from './problem-log.ts';
import type { ClusterDetails, ClusterSupplier } from './types.ts';

export type { SuppliedCluster } from './cluster-details-check.ts';

/**
 * The extension point for clusters Stitchboard cannot find by itself (an inventory service, a CMDB,
 * a file another tool writes). Configure it as a cluster locator:
 *
 * ```yaml
 * kubernetes:
 *   clusterLocatorMethods:
 *     - type: custom
 *       module: ./suppliers/inventory.ts   # relative to this config file
 *       options: { endpoint: https://inventory.example.com }
 * ```
 *
 * The module's **default export** is a {@link ClusterSupplierFactory}: called once, on first use, with
 * `options` exactly as configured and a logger; it returns (or resolves to) an object whose
 * `getClusters()` Stitchboard calls on every query. Keep `getClusters()` fast (cache inside the module
 * if the source is slow) and honour `signal`. TypeScript works as is: Node strips the types.
 *
 * Each returned cluster is checked ({@link suppliedClusterProblems}): one with a bad field is skipped
 * and logged with its index and field, the rest are used. `timeoutMs` and `mode` default to
 * `stitchboard.kubernetes` (per-cluster overrides included), `skipTLSVerify` and `skipMetricsLookup`
 * to false. A factory that throws, or a `getClusters()` that throws or returns something other than
 * a list, fails the locator, which `clusterLocatorContinueOnError` decides about.
 *
 * @example
 * // suppliers/inventory.ts
 * import type { ClusterSupplierFactory } from '<stitchboard>/src/clusters/custom-supplier.ts';
 * const factory: ClusterSupplierFactory = (options, { logger }) => ({
 *   async getClusters() {
 *     return [{ name: 'prod', url: 'https://prod.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'google' } }];
 *   },
 * });
 * export default factory;
 */
export type ClusterSupplierFactory = (
  options: Readonly<Record<string, unknown>>,
  context: { logger: Logger },
) => CustomClusterSource | Promise<CustomClusterSource>;

/** What a factory returns: Stitchboard's {@link ClusterSupplier}, with the defaults above left optional. */
export interface CustomClusterSource {
  getClusters(options?: {
    signal?: AbortSignal;
  }): Promise<readonly SuppliedCluster[]> | readonly SuppliedCluster[];
}

export interface CustomSupplierOptions {
  /** Absolute path of the module. */
  module: string;
  options: Readonly<Record<string, unknown>>;
  settings: (name: string) => ClusterSettings;
  logger: Logger;
  /** Where the locator is in config, for error messages (`kubernetes.clusterLocatorMethods[2]`). */
  configPath: string;
}

/** Loads a custom supplier module on first use and checks everything it returns. */
export class CustomClusterSupplier implements ClusterSupplier {
  readonly #o: CustomSupplierOptions;
  readonly #problems: ProblemLog;
  #source: Promise<CustomClusterSource> | undefined;

  constructor(options: CustomSupplierOptions) {
    this.#o = options;
    this.#problems = new ProblemLog(options.logger, { locator: 'custom', module: options.module });
  }

  async getClusters(options?: { signal?: AbortSignal }): Promise<ClusterDetails[]> {
    this.#source ??= this.#load().catch((error: unknown) => {
      // A failed load is tried again on the next call: the factory may depend on something that comes back.
      this.#source = undefined;
      throw error;
    });
    const source = await this.#source;
    let supplied: unknown;
    try {
      supplied = await source.getClusters(options?.signal ? { signal: options.signal } : {});
    } catch (error) {
      throw this.#error(`getClusters() failed: ${messageOf(error)}`, error);
    }
    if (!Array.isArray(supplied)) {
      throw this.#error(`getClusters() must return a list of clusters, not ${typeName(supplied)}`);
    }
    return this.#accept(supplied);
  }

  #accept(supplied: readonly unknown[]): ClusterDetails[] {
    const messages: string[] = [];
    const clusters: ClusterDetails[] = [];
    supplied.forEach((value, index) => {
      const problems = suppliedClusterProblems(value, index);
      if (problems.length > 0) {
        messages.push(...problems.map((p) => `${this.#where()}: ${p}; the cluster is skipped`));
        return;
      }
      const c = value as SuppliedCluster;
      if (clusters.some((other) => other.name === c.name)) {
        messages.push(
          `${this.#where()}: clusters[${index}].name "${c.name}" is a duplicate; the first is used`,
        );
        return;
      }
      clusters.push({
        ...c,
        authMetadata: { ...c.authMetadata },
        skipTLSVerify: c.skipTLSVerify ?? false,
        skipMetricsLookup: c.skipMetricsLookup ?? false,
        ...this.#o.settings(c.name),
        ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
        ...(c.mode !== undefined ? { mode: c.mode } : {}),
      });
    });
    this.#problems.report(messages);
    return clusters;
  }

  async #load(): Promise<CustomClusterSource> {
    let loaded: { default?: unknown };
    try {
      loaded = (await import(pathToFileURL(this.#o.module).href)) as { default?: unknown };
    } catch (error) {
      throw this.#error(`cannot be loaded: ${messageOf(error)}`, error);
    }
    if (typeof loaded.default !== 'function') {
      throw this.#error(
        `has no default export function (expected \`export default (options, { logger }) => ({ getClusters })\`), its default export is ${typeName(loaded.default)}`,
      );
    }
    const factory = loaded.default as ClusterSupplierFactory;
    let source: unknown;
    try {
      const logger = this.#o.logger.child({ locator: 'custom', module: basename(this.#o.module) });
      source = await factory(this.#o.options, { logger });
    } catch (error) {
      throw this.#error(`its factory failed: ${messageOf(error)}`, error);
    }
    const getClusters = (source as { getClusters?: unknown } | null)?.getClusters;
    if (typeof getClusters !== 'function') {
      throw this.#error(
        `its factory must return an object with a getClusters() method (it returned ${typeName(source)})`,
      );
    }
    return source as CustomClusterSource;
  }

  #where(): string {
    return `custom cluster supplier ${this.#o.module}`;
  }

  #error(message: string, cause?: unknown): StitchboardError {
    return new StitchboardError('CONFIG_INVALID', `${this.#where()}: ${message}`, {
      path: `${this.#o.configPath}.module`,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
