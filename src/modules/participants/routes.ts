import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { nowIso } from '../../core/clock.ts';
import type { Services } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { ctxOf } from '../../http/context.ts';
import {
  createParticipant,
  enrol,
  eraseParticipant,
  etagOf,
  getParticipant,
  listParticipants,
  patchParticipant,
  transition,
} from './commands.ts';
import { exportParticipants } from './export.ts';
import {
  enrolInput,
  listQuery,
  participantInput,
  participantPatch,
  publicRegistrationInput,
  rejectInput,
  reopenInput,
  verifyInput,
} from './schema.ts';

const idParam = z.object({ id: z.string().max(60) });

/** How long a retry waits for the first attempt with its Idempotency-Key to finish, before 409. */
const IDEMPOTENCY_WAIT_MS = 10_000;
/** A claim older than this was left by a stopped process. */
const IDEMPOTENCY_STALE_MS = 120_000;

/**
 * Replays a POST that carried the same Idempotency-Key (per user). Only the created record's id is kept with the
 * key (no personal data in the clear, nothing left to read after an erasure); a replay reads the record again.
 */
async function withIdempotency(
  svc: Services,
  req: FastifyRequest,
  run: () => Promise<{ status: number; body: { id: string } }>,
  reload: (id: string) => Promise<unknown>,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !req.actor) return { ...(await run()), replayed: false };
  if (key.length < 8 || key.length > 200) {
    throw new AppError(400, 'IDEMPOTENCY_KEY_INVALID', {
      id: 'Idempotency-Key harus 8-200 karakter.',
      en: 'Idempotency-Key must be 8-200 characters.',
    });
  }
  const hash = createHash('sha256')
    .update(JSON.stringify(req.body ?? null))
    .digest('base64url');
  const k = svc.db.kysely;
  const userId = req.actor.id;
  const reused = () =>
    new AppError(422, 'IDEMPOTENCY_KEY_REUSED', {
      id: 'Idempotency-Key ini sudah dipakai untuk permintaan lain.',
      en: 'This Idempotency-Key was already used for a different request.',
    });
  // The key is claimed before the request runs (status 0 = in progress), so that a retry sent while the first
  // attempt still runs waits for its answer instead of running twice (which would answer 409 for the NIK).
  const deadline = Date.now() + IDEMPOTENCY_WAIT_MS;
  for (;;) {
    const claim = await k
      .insertInto('idempotency_keys')
      .values({
        key,
        user_id: userId,
        request_hash: hash,
        status_code: 0,
        body: '{}',
        created_at: nowIso(),
      })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(claim.numInsertedOrUpdatedRows ?? 0n) === 1) break;
    const prior = await k
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!prior) continue; // released by a failed attempt meanwhile: claim it
    if (prior.request_hash !== hash) throw reused();
    if (prior.status_code !== 0) {
      const { id } = JSON.parse(prior.body) as { id: string };
      return { status: prior.status_code, body: await reload(id), replayed: true };
    }
    if (Date.parse(prior.created_at) < Date.now() - IDEMPOTENCY_STALE_MS) {
      // a claim left by a process that stopped mid-request: take it over
      await k
        .deleteFrom('idempotency_keys')
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .where('created_at', '=', prior.created_at)
        .execute();
      continue;
    }
    if (Date.now() > deadline)
      throw new AppError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', {
        id: 'Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar lagi.',
        en: 'A request with this Idempotency-Key is still being processed. Try again in a moment.',
      });
    await new Promise((r) => setTimeout(r, 50));
  }
  let res: { status: number; body: { id: string } };
  try {
    res = await run();
  } catch (err) {
    // a refused request leaves the key free: the client may fix the body and send it again
    await k.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
    throw err;
  }
  await k
    .updateTable('idempotency_keys')
    .set({ status_code: res.status, body: JSON.stringify({ id: res.body.id }) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
  return { ...res, replayed: false };
}

export function participantRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['participants'];
  r.post(
    '/api/v1/participants',
    { schema: { tags, summary: 'Register a participant (P1)', body: participantInput } },
    async (req, reply) => {
      const res = await withIdempotency(
        svc,
        req,
        async () => {
          const channel = req.authVia === 'bearer' ? 'api' : 'officer';
          const p = await createParticipant(svc, ctxOf(req), req.body, channel);
          return { status: 201, body: p };
        },
        (id) => getParticipant(svc, ctxOf(req), id),
      );
      const body = res.body as { id: string; version: number };
      reply.header('ETag', etagOf(body)).header('Location', `/api/v1/participants/${body.id}`);
      if (res.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.code(res.status).send(body);
    },
  );
  r.get(
    '/api/v1/participants',
    { schema: { tags, summary: 'Search and list participants (masked)', querystring: listQuery } },
    async (req) => listParticipants(svc, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/participants/:id',
    { schema: { tags, summary: 'The full record (audited)', params: idParam } },
    async (req, reply) => {
      const p = await getParticipant(svc, ctxOf(req), req.params.id);
      reply.header('ETag', etagOf(p)).header('Cache-Control', 'no-store');
      return p;
    },
  );
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const e = new AppError(400, 'JSON_INVALID', {
        id: 'Isi permintaan bukan JSON yang valid.',
        en: 'The request body is not valid JSON.',
      });
      done(e, undefined);
    }
  });
  r.patch(
    '/api/v1/participants/:id',
    {
      schema: {
        tags,
        summary: 'Change a record (JSON merge patch, If-Match required)',
        params: idParam,
        body: participantPatch,
      },
    },
    async (req, reply) => {
      const ifMatch = (req.headers['if-match'] as string | undefined) ?? null;
      const p = await patchParticipant(svc, ctxOf(req), req.params.id, req.body, ifMatch);
      reply.header('ETag', etagOf(p));
      return p;
    },
  );
  r.delete(
    '/api/v1/participants/:id',
    {
      schema: {
        tags,
        summary: 'Erase personal data (UU PDP)',
        params: idParam,
        querystring: z.object({ reason: z.string().max(500).optional() }).strict(),
      },
    },
    async (req) => eraseParticipant(svc, ctxOf(req), req.params.id, req.query.reason ?? null),
  );
  r.post(
    '/api/v1/participants/:id/verify',
    { schema: { tags, summary: 'Mentor verification', params: idParam, body: verifyInput } },
    async (req) => transition(svc, ctxOf(req), req.params.id, 'verify', req.body),
  );
  r.post(
    '/api/v1/participants/:id/validate',
    {
      schema: {
        tags,
        summary: 'Area officer validation',
        params: idParam,
        body: z.object({}).strict().optional(),
      },
    },
    async (req) => transition(svc, ctxOf(req), req.params.id, 'validate', {}),
  );
  r.post(
    '/api/v1/participants/:id/reject',
    { schema: { tags, summary: 'Reject with a reason', params: idParam, body: rejectInput } },
    async (req) => transition(svc, ctxOf(req), req.params.id, 'reject', req.body),
  );
  r.post(
    '/api/v1/participants/:id/reopen',
    { schema: { tags, summary: 'Reopen a rejected record', params: idParam, body: reopenInput } },
    async (req) => transition(svc, ctxOf(req), req.params.id, 'reopen', req.body),
  );
  r.post(
    '/api/v1/participants/:id/enrolments',
    {
      schema: {
        tags,
        summary: "Enrol the person in another agency's program",
        params: idParam,
        body: enrolInput,
      },
    },
    async (req, reply) => reply.code(201).send(await enrol(svc, ctxOf(req), req.params.id, req.body.agency)),
  );
  r.post(
    '/api/v1/public/registrations',
    {
      schema: { tags: ['public'], summary: 'Self-registration (no login)', body: publicRegistrationInput },
      config: {
        rateLimit: { max: Number(process.env.PUBLIC_REGISTRATION_RATE ?? 30), timeWindow: '1 minute' },
      },
    },
    async (req, reply) => {
      const p = await createParticipant(svc, { ...ctxOf(req), actor: null }, req.body, 'self');
      return reply.code(201).send({
        registrationNumber: p.registrationNumber,
        status: p.status,
        registeredAt: p.registeredAt,
        fullName: p.fullName,
      });
    },
  );
  r.get(
    '/api/v1/exports/participants',
    {
      schema: {
        tags,
        summary: 'Export participants (CSV or XLSX; masked unless full=true)',
        querystring: z
          .object({
            format: z.enum(['csv', 'xlsx']).default('csv'),
            full: z.enum(['true', 'false']).default('false'),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { format, full } = req.query;
      reply.header(
        'Content-Type',
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      reply.header('Content-Disposition', `attachment; filename="participants.${format}"`);
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      const done = exportParticipants(svc, ctxOf(req), out, format, full === 'true');
      // permission errors surface before any byte is sent
      await done.started;
      done.finished.catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );
}
