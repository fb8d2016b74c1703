import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../core/context.ts';
import { unauthorized } from '../../core/errors.ts';
import { CSRF_COOKIE, ctxOf, SESSION_COOKIE } from '../../http/context.ts';
import {
  changePassword,
  createUser,
  createUserInput,
  listUsers,
  login,
  loginInput,
  logout,
  presentUser,
  revokeSessions,
} from './service.ts';

export function authRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Log in with email or phone and password', body: loginInput },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const res = await login(svc, ctxOf(req), req.body);
      const secure = req.protocol === 'https';
      reply.setCookie(SESSION_COOKIE, res.token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure,
        maxAge: svc.config.sessionTtlHours * 3600,
      });
      reply.setCookie(CSRF_COOKIE, res.csrfToken, { httpOnly: false, sameSite: 'lax', path: '/', secure });
      return { token: res.token, csrfToken: res.csrfToken, user: res.user };
    },
  );
  r.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session' } },
    async (req, reply) => {
      if (req.sessionToken) await logout(svc, req.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );
  r.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change own password',
        body: z.object({ currentPassword: z.string().max(200), newPassword: z.string().max(200) }).strict(),
      },
    },
    async (req, reply) => {
      await changePassword(svc, ctxOf(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send();
    },
  );
  r.get('/api/v1/me', { schema: { tags: ['auth'], summary: 'The logged-in user' } }, async (req) => {
    if (!req.actor) throw unauthorized();
    return presentUser(svc, req.actor.id);
  });
  r.post(
    '/api/v1/users',
    { schema: { tags: ['users'], summary: 'Create a user (admin)', body: createUserInput } },
    async (req, reply) => {
      const res = await createUser(svc, ctxOf(req), req.body);
      return reply.code(201).send(res);
    },
  );
  r.get('/api/v1/users', { schema: { tags: ['users'], summary: 'List users (admin)' } }, async (req) =>
    listUsers(svc, ctxOf(req)),
  );
  r.post(
    '/api/v1/users/:id/revoke-sessions',
    {
      schema: {
        tags: ['users'],
        summary: 'Revoke all sessions of a user (admin)',
        params: z.object({ id: z.string().max(40) }),
      },
    },
    async (req, reply) => {
      await revokeSessions(svc, ctxOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
