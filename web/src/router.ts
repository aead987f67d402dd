import { useCallback, useEffect, useState } from 'react';

/**
 * A tiny history router: the URL is the page state (path and query), so every view can be shared as a
 * link and survives a reload. `navigate` pushes, `replaceQuery` edits the query without a new entry.
 */
export interface Location {
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();
const current = (): Location => ({
  path: window.location.pathname,
  query: new URLSearchParams(window.location.search),
});

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const l of listeners) l();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

/** One query parameter as state; setting it replaces the history entry unless `push` is set. */
export function useQueryParam(name: string): [string, (value: string | undefined, push?: boolean) => void] {
  const { query } = useLocation();
  const set = useCallback(
    (value: string | undefined, push = false) => {
      const params = new URLSearchParams(window.location.search);
      if (value === undefined || value === '') params.delete(name);
      else params.set(name, value);
      // encodeURIComponent leaves ~ and friends readable, where URLSearchParams would escape them.
      const qs = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      navigate(`${window.location.pathname}${qs ? `?${qs}` : ''}`, { replace: !push });
    },
    [name],
  );
  return [query.get(name) ?? '', set];
}

/** Matches `/components/:kind/:namespace/:name` style patterns; undefined when the path does not fit. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of p.entries()) {
    const seg = s[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return undefined;
  }
  return params;
}
