import { API_BASE, CSRF_COOKIE, readCookie, toApiError } from '../../api.ts';

/**
 * Multipart upload (api.ts speaks JSON only): one file in the part `field`, the CSRF token echoed from the
 * jkp_csrf cookie, problem+json errors as ApiError.
 */
export async function uploadFile<T>(path: string, file: File, lang: string, field = 'file'): Promise<T> {
  const body = new FormData();
  body.append(field, file, file.name);
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': lang,
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path.startsWith(API_BASE) ? path : API_BASE + path, {
    method: 'POST',
    body,
    headers,
    credentials: 'same-origin',
  });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw toApiError(res.status, data, res.statusText || `HTTP ${res.status}`);
  return data as T;
}

/** Share of work done, 0-100, from bytes read over total bytes. */
export function progressPct(bytesRead: number, totalBytes: number): number {
  if (!totalBytes || totalBytes <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((bytesRead / totalBytes) * 100)));
}
