import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../api.ts';

/**
 * A tiny cached GET for the public pages (landing, registration, login), which stay light without
 * TanStack Query (about 11 KB gzipped). The console (loaded after login) uses TanStack Query.
 */
type Entry = { data?: unknown; error?: Error; at: number; loading?: boolean };
const cache = new Map<string, Entry>();
const listeners = new Set<() => void>();
let version = 0;
const notify = () => {
  version++;
  for (const l of listeners) l();
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

function load(key: string, path: string, cacheMode?: RequestCache) {
  const prev = cache.get(key);
  if (prev?.loading) return;
  cache.set(key, { ...prev, at: prev?.at ?? 0, loading: true });
  api<unknown>(path, { cache: cacheMode })
    .then(
      (data) => cache.set(key, { data, at: Date.now() }),
      (error: Error) => cache.set(key, { error, data: prev?.data, at: Date.now() }),
    )
    .finally(notify);
}

export type Resource<T> = { data: T | undefined; error: Error | undefined; isPending: boolean };

/**
 * GET `path` (relative to /api/v1), cached under `key` (default: the path) for `staleMs`; a null path skips
 * the request (a picker whose parent is not chosen yet).
 */
export function useResource<T>(
  path: string | null,
  opts: { key?: string; staleMs?: number; cache?: RequestCache } = {},
): Resource<T> {
  useSyncExternalStore(subscribe, () => version);
  const key = path === null ? null : (opts.key ?? path);
  const entry = key ? cache.get(key) : undefined;
  const stale = !!key && !entry?.loading && (!entry || Date.now() - entry.at > (opts.staleMs ?? 60_000));
  useEffect(() => {
    if (key && path && stale) load(key, path, opts.cache);
  }, [key, path, stale, opts.cache]);
  return {
    data: entry?.data as T | undefined,
    error: entry?.error,
    isPending: !!key && entry?.data === undefined && !entry?.error,
  };
}
