import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../core/context.ts';
import { notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { ctxOf } from '../../http/context.ts';
import { withProgress } from '../../http/progress.ts';
import { queryFlag, requireMultipart, saveUpload } from '../../http/upload.ts';
import { openSheetWriter } from '../../spreadsheet/writer.ts';
import { requirePermission, scopeParticipants } from '../participants/policy.ts';
import { CIVIL_COLUMNS, civilChecks, importCivilMatches } from './service.ts';

/** The most rejected rows an upload answers with (the CLI's --report writes them all). */
const MAX_ERRORS = 1000;

export function civilRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['civil registry'];
  r.post(
    '/api/v1/imports/civil-registry',
    {
      schema: {
        tags,
        summary:
          'Load a civil-registry (Dukcapil) match file (CSV/XLSX: NIK, match result, optional date and note): ' +
          "sets each record's civil status, audited -> {summary, errors, errorsTotal}. With " +
          '`Accept: application/x-ndjson` the answer follows the work: one JSON object per line, ' +
          '{type: "progress", rows, bytesRead, totalBytes} after each 1,000 rows, then {type: "result", result} ' +
          '(or {type: "error", problem} should it fail part way).',
        querystring: z.object({ dryRun: z.enum(['true', 'false', '1', '0']).default('false') }).strict(),
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      requirePermission(ctx, 'participant.civil-status');
      requireMultipart(req);
      const { path, name } = await saveUpload(req, svc, newId());
      try {
        return await withProgress(req, reply, async (progress) => {
          const res = await importCivilMatches(
            svc,
            ctx,
            path,
            name,
            { dryRun: queryFlag(req.query.dryRun) },
            progress,
          );
          return { ...res, errors: res.errors.slice(0, MAX_ERRORS), errorsTotal: res.errors.length };
        });
      } finally {
        await rm(path, { force: true });
      }
    },
  );
  r.get(
    '/api/v1/imports/civil-registry/template',
    {
      schema: {
        tags,
        summary: 'The civil-registry match file template (CSV or XLSX)',
        querystring: z
          .object({
            format: z.enum(['csv', 'xlsx']).default('xlsx'),
            lang: z.enum(['id', 'en']).default('id'),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { format, lang } = req.query;
      const out = new PassThrough();
      reply.header(
        'Content-Type',
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      reply.header('Content-Disposition', `attachment; filename="template-dukcapil-${lang}.${format}"`);
      const w = openSheetWriter(
        out,
        format,
        CIVIL_COLUMNS.map((c) => (lang === 'id' ? c.id : c.en)),
        { sheetName: 'Dukcapil', textColumns: [0] },
      );
      (async () => {
        await w.write(['3171014101900001', lang === 'id' ? 'cocok' : 'matched', '2026-01-31', '']);
        await w.close();
      })().catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );
  r.get(
    '/api/v1/participants/:id/civil-checks',
    {
      schema: {
        tags,
        summary: 'The civil-registry checks of one record, newest first',
        params: z.object({ id: z.string().max(60) }),
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      requirePermission(ctx, 'participant.read');
      const { id } = req.params;
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
      const p = await scopeParticipants(
        svc.db.kysely.selectFrom('participants').select('id').where('id', '=', id),
        ctx,
      ).executeTakeFirst();
      if (!p) throw notFound();
      return { items: await civilChecks(svc, id) };
    },
  );
}
