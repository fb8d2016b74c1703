import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Smaller answers gain less than the header costs. */
export const COMPRESS_MIN_BYTES = 1024;

/** The encoding to use for an Accept-Encoding header: br, then gzip, or none (q=0 refuses one). */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | null {
  if (!header) return null;
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

/**
 * Compresses JSON answers (application/json, application/problem+json) of 1 KB or more for clients that accept
 * br or gzip. On a phone's slow connection the bytes are the time: a page of 25 participants is 13.7 KB of JSON,
 * 76 ms at DevTools' "Fast 3G", 2.4 KB with brotli (2.5 KB gzip). Streams (exports, downloads) and answers
 * with an ETag (their tag names the uncompressed bytes, and If-Match must keep comparing it) are sent as they
 * are. The web app's files are pre-compressed at build time (see web.ts).
 */
export function compressJson(app: FastifyInstance) {
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!/^application\/(problem\+)?json\b/.test(type)) return payload;
    if (reply.hasHeader('content-encoding') || reply.hasHeader('etag')) return payload;
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (bytes.length < COMPRESS_MIN_BYTES) return payload;
    const vary = String(reply.getHeader('vary') ?? '');
    if (!/\baccept-encoding\b/i.test(vary))
      reply.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = pickEncoding(req.headers['accept-encoding']);
    if (!encoding) return payload;
    const out =
      encoding === 'br'
        ? await brotli(bytes, {
            params: {
              // quality 5: close to the best size for small JSON at a fraction of a millisecond
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          })
        : await gz(bytes, { level: 6 });
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return out;
  });
}
