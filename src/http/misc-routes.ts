import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../core/context.ts';
import { AppError, notFound } from '../core/errors.ts';
import { ping } from '../db/index.ts';
import { childrenOf, getRegion, normalizeRegionCode, regionSourceVersion } from '../identity/index.ts';
import { auditTrail } from '../modules/audit/service.ts';
import {
  collaboratorInput,
  collaboratorPatch,
  createCollaborator,
  getCollaborator,
  listCollaborators,
  updateCollaborator,
} from '../modules/collaborators/service.ts';
import { listAgencies } from '../modules/program/service.ts';
import { scopedSummary, summary } from '../modules/stats/service.ts';
import { ctxOf } from './context.ts';
import { langOf } from './problem.ts';

export function miscRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', { schema: { tags: ['ops'], summary: 'Alive' } }, async () => ({ status: 'ok' }));
  r.get('/readyz', { schema: { tags: ['ops'], summary: 'Database reachable' } }, async (_req, reply) => {
    const ok = await ping(svc.db);
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ready' : 'database unreachable', engine: svc.db.engine });
  });
  r.get(
    '/api/v1/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Regions (province -> regencies -> districts -> villages), Kemendagri codes',
        querystring: z.object({ parent: z.string().max(20).optional() }).strict(),
      },
    },
    async (req, reply) => {
      let parent: string | null = null;
      if (req.query.parent) {
        const n = normalizeRegionCode(req.query.parent);
        if (!n || !getRegion(n.dotted))
          throw notFound({ id: 'Kode wilayah tidak dikenal.', en: 'Unknown region code.' });
        parent = n.dotted;
      }
      reply.header('Cache-Control', 'public, max-age=86400');
      return {
        items: childrenOf(parent).map((c) => ({ code: c.code, name: c.name })),
        source: { name: 'idn-area-data', version: regionSourceVersion, license: 'ODbL-1.0' },
      };
    },
  );
  r.get(
    '/api/v1/agencies',
    { schema: { tags: ['program'], summary: 'Agencies running Jakpreneur targets' } },
    async () => ({
      items: await listAgencies(svc),
    }),
  );
  r.get(
    '/api/v1/stats/summary',
    { schema: { tags: ['stats'], summary: "Program figures in the caller's area (from rollups)" } },
    async (req) => scopedSummary(svc, ctxOf(req)),
  );
  r.get(
    '/api/v1/public/stats',
    { schema: { tags: ['public'], summary: 'Public program figures (no personal data)' } },
    async (req, reply) => {
      const s = await summary(svc, null, langOf(req));
      reply.header('Cache-Control', 'public, max-age=60').header('Vary', 'Accept-Language');
      const { consentMissing: _c, byDistrict: _d, milestones: _m, ...pub } = s;
      return pub;
    },
  );
  r.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of an entity',
        querystring: z
          .object({
            entity: z.string().min(1).max(60),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          })
          .strict(),
      },
    },
    async (req) => auditTrail(svc, ctxOf(req), req.query.entity, req.query.limit),
  );
  const tags = ['collaborators'];
  const idParam = z.object({ id: z.string().max(60) });
  r.post(
    '/api/v1/collaborators',
    { schema: { tags, summary: 'Create a collaborator organisation', body: collaboratorInput } },
    async (req, reply) => reply.code(201).send(await createCollaborator(svc, ctxOf(req), req.body)),
  );
  r.get(
    '/api/v1/collaborators',
    {
      schema: {
        tags,
        summary: 'List collaborators',
        querystring: z
          .object({ q: z.string().max(100).optional(), type: z.string().max(20).optional() })
          .strict(),
      },
    },
    async (req) => listCollaborators(svc, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/collaborators/:id',
    { schema: { tags, summary: 'A collaborator with its figures', params: idParam } },
    async (req) => getCollaborator(svc, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/collaborators/:id',
    { schema: { tags, summary: 'Update a collaborator', params: idParam, body: collaboratorPatch } },
    async (req) => {
      const im = req.headers['if-match'];
      let version: number | null = null;
      if (typeof im === 'string') {
        const m = /^"?v?(\d+)"?$/.exec(im);
        if (!m)
          throw new AppError(400, 'IF_MATCH_INVALID', {
            id: 'If-Match tidak valid.',
            en: 'Invalid If-Match.',
          });
        version = Number(m[1]);
      }
      return updateCollaborator(svc, ctxOf(req), req.params.id, req.body, version);
    },
  );
}
