import { useCallback, useEffect, useRef, useState } from 'react';
import { get, onTokenChange } from './api.ts';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  /** True only while nothing has been loaded yet; a refresh keeps showing the data it has. */
  loading: boolean;
  /** When the data shown was fetched. */
  updatedAt: Date | undefined;
  reload: () => void;
}

/**
 * GETs `path` (skipped when undefined) and again on `reload()`, on a token change, and every
 * `refreshMs` when set. A refresh replaces the data in place: nothing that shows it is unmounted, so
 * an open drawer or a half-typed filter survives it (Backstage's tab closes drawers on every refresh).
 */
export function useResource<T>(path: string | undefined, options: { refreshMs?: number } = {}): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; updatedAt?: Date; path?: string }>({});
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const inFlight = useRef<AbortController | undefined>(undefined);

  useEffect(() => onTokenChange(reload), [reload]);

  useEffect(() => {
    if (!path) return;
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    get<T>(path, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, updatedAt: new Date(), path });
      },
      (error: Error) => {
        if (controller.signal.aborted) return;
        // Keep the last good data of this same path: a failed refresh shows an error beside it.
        setState((s) => (s.path === path ? { ...s, error } : { error, path }));
      },
    );
    return () => controller.abort();
  }, [path, tick]);

  useEffect(() => {
    if (!options.refreshMs || !path) return;
    const timer = setInterval(reload, options.refreshMs);
    return () => clearInterval(timer);
  }, [options.refreshMs, path, reload]);

  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: Boolean(path) && (!current || (state.data === undefined && state.error === undefined)),
    updatedAt: current ? state.updatedAt : undefined,
    reload,
  };
}
