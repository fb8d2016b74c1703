/**
 * The web app's one way to the API: JSON in and out, RFC 9457 problem+json errors as ApiError, the CSRF token
 * echoed on unsafe methods (cookie sessions), and Accept-Language set to the current UI language.
 */

export type FieldProblem = { path: string; code: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldProblem[];
  readonly problem: Record<string, unknown>;
  constructor(status: number, code: string, detail: string, errors: FieldProblem[] = [], problem = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.problem = problem;
  }
  /** The problems for one field path (`domicile.villageCode`), joined for display. */
  fieldMessage(path: string): string | null {
    const list = this.errors.filter((e) => e.path === path).map((e) => e.message);
    return list.length > 0 ? list.join(' ') : null;
  }
}

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'jkp_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let language = 'id';
let csrfToken: string | null = null;

export function setApiLanguage(lang: string) {
  language = lang;
}

/** Kept from the login answer; after a reload it is read back from the (non-httpOnly) jkp_csrf cookie. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function readCookie(name: string, cookies = typeof document === 'undefined' ? '' : document.cookie) {
  for (const part of cookies.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

function currentCsrf() {
  return csrfToken ?? readCookie(CSRF_COOKIE);
}

/** Listeners told about every failed call (the session layer reacts to 401 and PASSWORD_CHANGE_REQUIRED). */
type ProblemListener = (e: ApiError) => void;
const listeners = new Set<ProblemListener>();
export function onApiProblem(fn: ProblemListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Turns a non-2xx answer into an ApiError (problem+json when the server sent one). */
export function toApiError(status: number, body: unknown, fallback: string): ApiError {
  if (body && typeof body === 'object') {
    const p = body as Record<string, unknown>;
    const errors = Array.isArray(p.errors)
      ? (p.errors as FieldProblem[]).filter((e) => e && typeof e.path === 'string')
      : [];
    const code = typeof p.code === 'string' ? p.code : `HTTP_${status}`;
    const detail = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : fallback;
    return new ApiError(status, code, detail, errors, p);
  }
  return new ApiError(status, `HTTP_${status}`, fallback);
}

export type RequestOptions = {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** the browser HTTP cache mode; 'no-cache' revalidates (for answers that vary by language) */
  cache?: RequestCache;
};

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': language,
    ...opts.headers,
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const t = currentCsrf();
    if (t) headers['X-CSRF-Token'] = t;
  }
  let res: Response;
  try {
    res = await fetch(path.startsWith('/') && !path.startsWith(API_BASE) ? API_BASE + path : path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
      cache: opts.cache,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    const e = new ApiError(0, 'NETWORK_ERROR', (err as Error)?.message ?? 'network error');
    for (const l of listeners) l(e);
    throw e;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const e = toApiError(res.status, body, res.statusText || `HTTP ${res.status}`);
    for (const l of listeners) l(e);
    throw e;
  }
  return body as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>(path, { signal });
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>(path, { method: 'POST', body, headers });
export const patch = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>(path, { method: 'PATCH', body, headers });
export const del = <T>(path: string, headers?: Record<string, string>) =>
  api<T>(path, { method: 'DELETE', headers });
