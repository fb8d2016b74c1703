import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Services } from '../core/context.ts';
import { AppError, invalid, notFound } from '../core/errors.ts';
import { authRoutes } from '../modules/auth/routes.ts';
import { sessionFromToken } from '../modules/auth/service.ts';
import { civilRoutes } from '../modules/civil/routes.ts';
import { dedupeRoutes } from '../modules/dedupe/routes.ts';
import { ImportQueue } from '../modules/imports/queue.ts';
import { importRoutes } from '../modules/imports/routes.ts';
import { participantRoutes } from '../modules/participants/routes.ts';
import { qrisRoutes } from '../modules/qris/routes.ts';
import { qualityRoutes } from '../modules/quality/routes.ts';
import { compressJson } from './compress.ts';
import { SESSION_COOKIE } from './context.ts';
import { miscRoutes } from './misc-routes.ts';
import { errorHandler, langOf, sendProblem } from './problem.ts';
import { webRoutes } from './web.ts';

const PASSWORD_FREE = new Set([
  '/api/v1/me',
  '/api/v1/auth/password',
  '/api/v1/auth/logout',
  '/api/v1/auth/login',
]);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type AppOptions = { logger?: boolean | object };

/** Paths of the strings holding a NUL character (PostgreSQL text cannot store one; no field needs it). */
function nulPaths(v: unknown, path: string, out: string[] = [], depth = 0): string[] {
  if (typeof v === 'string') {
    if (v.includes('\u0000')) out.push(path);
  } else if (v !== null && typeof v === 'object' && depth < 64 && out.length < 50) {
    for (const [k, x] of Object.entries(v)) nulPaths(x, path ? `${path}.${k}` : k, out, depth + 1);
  }
  return out;
}

export async function buildApp(
  svc: Services,
  opts: AppOptions = {},
): Promise<{ app: FastifyInstance; queue: ImportQueue }> {
  const app = Fastify({
    logger: opts.logger ?? { level: svc.config.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: svc.config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    // a URL that cannot be decoded is a problem+json 400 like every other failure
    frameworkErrors: (err, req, reply) => errorHandler(err, req, reply),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON only: any other body type is a 415, not a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      req,
      404,
      'NOT_FOUND',
      langOf(req) === 'en' ? 'No such page or endpoint.' : 'Halaman atau endpoint tidak ada.',
    ),
  );
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  compressJson(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    limits: { fileSize: svc.config.uploadMaxBytes, files: 1, fields: 10, parts: 12, fieldSize: 10_000 },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Jakpreneur Platform API',
        version: '1.0.0',
        description:
          'Registry of participants (P1) and collaborators of an integrated entrepreneurship development program. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('mustChangePassword', false);
  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    let token: string | null = null;
    if (auth?.startsWith('Bearer ')) {
      token = auth.slice(7).trim();
      req.authVia = 'bearer';
    } else if (req.cookies?.[SESSION_COOKIE]) {
      token = req.cookies[SESSION_COOKIE]!;
      req.authVia = 'cookie';
    }
    if (!token) return;
    const s = await sessionFromToken(svc, token);
    if (!s) {
      if (req.authVia === 'bearer') {
        throw new AppError(401, 'SESSION_INVALID', {
          id: 'Sesi tidak berlaku atau sudah berakhir. Silakan masuk lagi.',
          en: 'The session is invalid or has expired. Please log in again.',
        });
      }
      req.authVia = null;
      return;
    }
    req.actor = s.actor;
    req.sessionToken = token;
    req.mustChangePassword = s.mustChangePassword;
    const path = req.url.split('?')[0];
    // CSRF: cookie sessions must echo the CSRF token in a header on unsafe methods.
    if (req.authVia === 'cookie' && UNSAFE.has(req.method) && path !== '/api/v1/auth/login') {
      if (req.headers['x-csrf-token'] !== s.session.csrf_token) {
        throw new AppError(403, 'CSRF_TOKEN_INVALID', {
          id: 'Token CSRF tidak ada atau salah. Muat ulang halaman.',
          en: 'Missing or wrong CSRF token. Reload the page.',
        });
      }
    }
    if (s.mustChangePassword && path.startsWith('/api/') && !PASSWORD_FREE.has(path)) {
      throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', {
        id: 'Ganti kata sandi sementara Anda terlebih dahulu.',
        en: 'Change your one-time password first.',
      });
    }
  });

  // Text with a NUL character is refused before it reaches a query (a 500 on PostgreSQL otherwise).
  app.addHook('preValidation', async (req) => {
    if (nulPaths(req.params, '').length > 0) throw notFound();
    const paths = [...nulPaths(req.query, ''), ...nulPaths(req.body, '')];
    if (paths.length > 0) {
      const en = langOf(req) === 'en';
      throw invalid(
        paths.map((path) => ({
          path: path || 'body',
          code: 'NUL_CHARACTER',
          message: en
            ? 'Text must not contain a NUL character (U+0000).'
            : 'Teks tidak boleh berisi karakter NUL (U+0000).',
        })),
      );
    }
  });

  const queue = new ImportQueue(svc);
  await queue.recover();
  miscRoutes(app, svc);
  authRoutes(app, svc);
  participantRoutes(app, svc);
  qrisRoutes(app, svc);
  dedupeRoutes(app, svc);
  qualityRoutes(app, svc);
  civilRoutes(app, svc);
  importRoutes(app, svc, queue);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // the web app (dist/web) at `/`, with index.html for client-side routes
  await webRoutes(app);
  return { app, queue };
}
