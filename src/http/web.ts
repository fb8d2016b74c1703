import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` puts the web app (WEB_DIST_DIR overrides it). */
export const WEB_DIST_DIR = path.resolve(
  process.env.WEB_DIST_DIR ?? path.join(import.meta.dirname, '../../dist/web'),
);

const NOT_BUILT =
  '<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Jakpreneur Platform</title></head><body><h1>Jakpreneur Platform</h1><p>Aplikasi web belum dibangun: jalankan <code>npm run build:web</code> (atau <code>npm start</code>). / The web app is not built yet: run <code>npm run build:web</code> (or <code>npm start</code>).</p><p>API: <a href="/api/docs">/api/docs</a> · <a href="/api/openapi.json">OpenAPI</a></p></body></html>';

function isFile(p: string) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built web app at `/`: files from dist/web (pre-compressed .br/.gz when the browser takes them;
 * hashed assets cached for a year), and index.html for any other GET that accepts text/html so client-side
 * routes (/register, /console/...) load the app. `/api/*`, `/healthz` and `/readyz` keep their own routes; an
 * unknown /api path stays a problem+json 404.
 */
export async function webRoutes(app: FastifyInstance) {
  await app.register(fastifyStatic, {
    root: WEB_DIST_DIR,
    serve: false,
    preCompressed: true,
    index: false,
    suppressWarning: true,
  });
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const urlPath = req.url.split('?')[0];
    if (urlPath.startsWith('/api/') || urlPath === '/api') return reply.callNotFound();
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
    } catch {
      return reply.callNotFound();
    }
    if (rel && !rel.includes('\0') && !rel.split('/').some((s) => s === '..' || s.startsWith('.'))) {
      const file = path.join(WEB_DIST_DIR, rel);
      if (file.startsWith(WEB_DIST_DIR + path.sep) && isFile(file) && rel !== 'index.html') {
        const hashed = rel.startsWith('assets/');
        return reply.sendFile(rel, {
          maxAge: hashed ? 365 * 24 * 3600 * 1000 : 3600 * 1000,
          immutable: hashed,
        });
      }
    }
    // the home page for any client (curl too); other client routes only for browsers asking for HTML
    const home = req.url === '/' || req.url.startsWith('/?');
    if (!home && !String(req.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    if (!existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
      return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    // the page itself is never cached stale: it names the current hashed assets
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  };
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}
