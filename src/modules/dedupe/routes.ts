import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../core/context.ts';
import { ctxOf } from '../../http/context.ts';
import {
  decidePair,
  getPair,
  getScanJob,
  latestScanJob,
  listPairs,
  mergePair,
  reopenPair,
  startScanJob,
  unmergePair,
} from './service.ts';

const idParam = z.object({ id: z.string().max(64) }).strict();
const note = z.string().trim().max(500).nullish();

export function dedupeRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['duplicates'];
  r.get(
    '/api/v1/duplicates',
    {
      schema: {
        tags,
        summary: 'The review queue: candidate duplicate pairs in your area, highest score first',
        querystring: z
          .object({
            status: z.enum(['open', 'later', 'merged', 'not_duplicate']).optional(),
            level: z.enum(['sure', 'review']).optional(),
            limit: z.coerce.number().int().min(1).max(200).optional(),
            offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
          })
          .strict(),
      },
    },
    async (req) => listPairs(svc, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/duplicates/:id',
    { schema: { tags, summary: 'A pair side by side with the evidence per field', params: idParam } },
    async (req) => getPair(svc, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/duplicates/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge: keep one record, the other leaves every figure (reversible)',
        params: idParam,
        body: z.object({ keep: z.enum(['a', 'b']), note }).strict(),
      },
    },
    async (req) => mergePair(svc, ctxOf(req), req.params.id, req.body.keep, req.body.note ?? null),
  );
  r.post(
    '/api/v1/duplicates/:id/unmerge',
    {
      schema: {
        tags,
        summary: 'Undo a merge',
        params: idParam,
        body: z.object({ note }).strict().optional(),
      },
    },
    async (req) => unmergePair(svc, ctxOf(req), req.params.id, req.body?.note ?? null),
  );
  r.post(
    '/api/v1/duplicates/:id/decision',
    {
      schema: {
        tags,
        summary: '"not_duplicate" (remembered, never asked again) or "later"',
        params: idParam,
        body: z.object({ decision: z.enum(['not_duplicate', 'later']), note }).strict(),
      },
    },
    async (req) => decidePair(svc, ctxOf(req), req.params.id, req.body.decision, req.body.note ?? null),
  );
  r.post(
    '/api/v1/duplicates/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a "not_duplicate" decision: the pair goes back to the queue (audited)',
        params: idParam,
        body: z.object({ note }).strict().optional(),
      },
    },
    async (req) => reopenPair(svc, ctxOf(req), req.params.id, req.body?.note ?? null),
  );
  r.post(
    '/api/v1/duplicates/scans',
    { schema: { tags, summary: 'Start a scan of the whole registry in the background' } },
    async (req, reply) => reply.code(202).send(await startScanJob(svc, ctxOf(req))),
  );
  r.get(
    '/api/v1/duplicates/scans/latest',
    { schema: { tags, summary: 'The latest scan and its progress' } },
    async (req) => ({ job: await latestScanJob(svc, ctxOf(req)) }),
  );
  r.get(
    '/api/v1/duplicates/scans/:id',
    { schema: { tags, summary: 'A scan and its progress', params: idParam } },
    async (req) => getScanJob(svc, ctxOf(req), req.params.id),
  );
}
