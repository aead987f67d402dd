/**
 * The UI's only way to the server: the same public HTTP API every other client uses. A token, when the
 * API wants one, is kept in sessionStorage (gone when the tab closes) and sent as a bearer token.
 */
const TOKEN_KEY = 'stitchboard.token';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type Listener = () => void;
const authListeners = new Set<Listener>();

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set(token: string | null) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    for (const l of authListeners) l();
  },
};

/** Called when a request is refused for want of a (valid) token, so the app can ask for one. */
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}
export function onTokenChange(listener: Listener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const token = tokenStore.get();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return new ApiError(res.status, message);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...authHeaders(),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'Stitchboard could not be reached. Is the server running?');
  }
  if (res.status === 401) onUnauthenticated?.();
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body: unknown) => request<T>('POST', path, body);

/** `/a/b?x=1` with each value encoded; undefined and empty values are left out. */
export function url(path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
