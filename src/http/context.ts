import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { langOf } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authVia: 'bearer' | 'cookie' | null;
    sessionToken: string | null;
    mustChangePassword: boolean;
  }
}

export const SESSION_COOKIE = 'jkp_session';
export const CSRF_COOKIE = 'jkp_csrf';

export function ctxOf(req: FastifyRequest): Ctx {
  return {
    actor: req.actor,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    lang: langOf(req),
    via: 'http',
  };
}

export function requireLogin(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
  if (!req.actor) {
    done(
      new AppError(401, 'UNAUTHENTICATED', {
        id: 'Silakan masuk terlebih dahulu.',
        en: 'Please log in first.',
      }),
    );
    return;
  }
  done();
}
