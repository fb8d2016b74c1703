import { API_BASE, ApiError, CSRF_COOKIE, readCookie, toApiError } from '../../api.ts';

/**
 * A multipart upload's parts (api.ts speaks JSON only): one file in the part `field`, its URL under the API,
 * and the headers: what it accepts, the language, and the CSRF token echoed from the jkp_csrf cookie.
 */
function uploadRequest(path: string, file: File, lang: string, field: string, accept: string) {
  const body = new FormData();
  body.append(field, file, file.name);
  const headers: Record<string, string> = { Accept: accept, 'Accept-Language': lang };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return { url: path.startsWith(API_BASE) ? path : API_BASE + path, body, headers };
}

/** Multipart upload of one file; problem+json errors as ApiError. */
export async function uploadFile<T>(path: string, file: File, lang: string, field = 'file'): Promise<T> {
  const { url, body, headers } = uploadRequest(
    path,
    file,
    lang,
    field,
    'application/json, application/problem+json',
  );
  const res = await fetch(url, { method: 'POST', body, headers, credentials: 'same-origin' });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw toApiError(res.status, data, res.statusText || `HTTP ${res.status}`);
  return data as T;
}

/**
 * An answer that is not the platform's (a proxy's or gateway's page in the middle of the progress lines). This
 * module stays free of the i18n setup (its test runs without Vite): the page shows the text for the code
 * (console.imports.unreadableAnswer).
 */
export const UNREADABLE_ANSWER = 'UNREADABLE_ANSWER';
const unreadableAnswer = (status: number) =>
  new ApiError(status || 502, UNREADABLE_ANSWER, "The server's answer could not be read.");

/** What a followed upload reports: the file's bytes sent, then the server's own progress lines. */
export type UploadProgress<P> = { phase: 'upload'; pct: number } | { phase: 'work'; progress: P };

/**
 * uploadFile, following the work as it goes: the bytes sent (XMLHttpRequest's upload events; fetch has none),
 * then the server's progress lines (Accept: application/x-ndjson, see src/http/progress.ts) read as they
 * arrive. Resolves with the result line; a problem before or during the work rejects as ApiError.
 */
export function uploadFollowing<T, P>(
  path: string,
  file: File,
  lang: string,
  onProgress: (p: UploadProgress<P>) => void,
  field = 'file',
): Promise<T> {
  const { url, body, headers } = uploadRequest(
    path,
    file,
    lang,
    field,
    'application/x-ndjson, application/problem+json',
  );
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: 'upload', pct: progressPct(e.loaded, e.total) });
    };
    const streamed = () =>
      xhr.status >= 200 &&
      xhr.status < 300 &&
      (xhr.getResponseHeader('content-type') ?? '').includes('ndjson');
    let at = 0;
    let result: { value: T } | null = null;
    let failure: Error | null = null;
    const consume = () => {
      const text = xhr.responseText;
      for (let nl = text.indexOf('\n', at); nl >= 0; nl = text.indexOf('\n', at)) {
        const line = text.slice(at, nl).trim();
        at = nl + 1;
        if (!line) continue;
        const m = JSON.parse(line) as
          | ({ type: 'progress' } & P)
          | { type: 'result'; result: T }
          | { type: 'error'; problem: { status?: number; detail?: string } };
        if (m.type === 'progress') onProgress({ phase: 'work', progress: m });
        else if (m.type === 'result') result = { value: m.result };
        else if (m.type === 'error')
          failure = toApiError(m.problem.status ?? 500, m.problem, m.problem.detail ?? 'Error');
      }
    };
    let broken = false;
    const consumeOrFail = () => {
      try {
        consume();
        return true;
      } catch {
        // a line that is not JSON: not our server's answer (a proxy's page?); stop here and say so
        broken = true;
        xhr.abort();
        reject(unreadableAnswer(xhr.status));
        return false;
      }
    };
    xhr.onprogress = () => {
      if (!broken && streamed()) consumeOrFail();
    };
    xhr.onload = () => {
      if (broken) return;
      if (streamed()) {
        if (!consumeOrFail()) return;
        if (failure) reject(failure);
        else if (result) resolve(result.value);
        else reject(new TypeError('the answer ended before its result'));
        return;
      }
      const type = xhr.getResponseHeader('content-type') ?? '';
      let data: unknown = xhr.responseText;
      if (type.includes('json')) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = null;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(toApiError(xhr.status, data, xhr.statusText || `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => {
      if (!broken) reject(new TypeError('upload aborted'));
    };
    xhr.send(body);
  });
}

/** Share of work done, 0-100, from bytes read over total bytes. */
export function progressPct(bytesRead: number, totalBytes: number): number {
  if (!totalBytes || totalBytes <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((bytesRead / totalBytes) * 100)));
}
