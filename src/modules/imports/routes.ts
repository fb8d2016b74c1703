import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { nowIso } from '../../core/clock.ts';
import type { Services } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { ctxOf } from '../../http/context.ts';
import { queryFlag, requireMultipart, saveUpload } from '../../http/upload.ts';
import { openSheetWriter, writeTemplate } from '../../spreadsheet/writer.ts';
import { collaboratorExists } from '../participants/commands.ts';
import { requirePermission } from '../participants/policy.ts';
import type { ImportQueue } from './queue.ts';
import { getImportJob, importReportRows, REPORT_HEADERS } from './service.ts';

const importQuery = z
  .object({
    mode: z.enum(['insert', 'upsert']).default('insert'),
    dryRun: z.enum(['true', 'false', '1', '0']).default('false'),
    collaboratorId: z.uuid().optional(),
  })
  .strict();

export function importRoutes(app: FastifyInstance, svc: Services, queue: ImportQueue) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];
  r.post(
    '/api/v1/imports/participants',
    {
      schema: {
        tags,
        summary: 'Upload a CSV/XLSX file of participants (multipart, streamed) -> 202 {id}',
        querystring: importQuery,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const actor = requirePermission(ctx, 'import.run');
      requireMultipart(req);
      if (req.query.collaboratorId && !(await collaboratorExists(svc, req.query.collaboratorId))) {
        throw new AppError(
          422,
          'VALIDATION_FAILED',
          { id: 'Kolaborator tidak ditemukan.', en: 'Collaborator not found.' },
          [{ path: 'collaboratorId', code: 'COLLABORATOR_UNKNOWN', message: 'Collaborator not found.' }],
        );
      }
      const id = newId();
      const { path, name, size } = await saveUpload(req, svc, id);
      await svc.db.kysely
        .insertInto('import_jobs')
        .values({
          id,
          status: 'queued',
          file_path: null,
          file_name: name,
          format: 'unknown',
          total_bytes: size,
          bytes_read: 0,
          rows: 0,
          inserted: 0,
          updated: 0,
          duplicates: 0,
          invalid: 0,
          mode: req.query.mode,
          dry_run: queryFlag(req.query.dryRun) ? 1 : 0,
          collaborator_id:
            actor?.role === 'collaborator' ? actor.collaboratorId : (req.query.collaboratorId ?? null),
          created_by: actor?.id ?? null,
          created_at: nowIso(),
          started_at: null,
          finished_at: null,
          error: null,
        })
        .execute();
      queue.enqueue(ctx, id, path, name, {
        mode: req.query.mode,
        dryRun: queryFlag(req.query.dryRun),
        collaboratorId: req.query.collaboratorId ?? null,
      });
      return reply.code(202).header('Location', `/api/v1/imports/${id}`).send({ id });
    },
  );
  r.get(
    '/api/v1/imports/:id',
    {
      schema: {
        tags,
        summary: 'Import job status and summary',
        params: z.object({ id: z.string().max(60) }),
      },
    },
    async (req) => getImportJob(svc, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/imports/:id/report',
    { schema: { tags, summary: 'Rejected rows as CSV', params: z.object({ id: z.string().max(60) }) } },
    async (req, reply) => {
      const job = await getImportJob(svc, ctxOf(req), req.params.id);
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      reply.header('Content-Type', 'text/csv; charset=utf-8');
      reply.header('Content-Disposition', `attachment; filename="import-${job.id.slice(0, 8)}-report.csv"`);
      (async () => {
        const w = openSheetWriter(out, 'csv', REPORT_HEADERS, { escapeFormulas: true });
        for await (const row of importReportRows(svc, job.id)) await w.write(row);
        await w.close();
      })().catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );
  r.get(
    '/api/v1/imports/template',
    {
      schema: {
        tags,
        summary: 'The import template (CSV or XLSX, Indonesian or English headers)',
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
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      reply.header(
        'Content-Type',
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      reply.header('Content-Disposition', `attachment; filename="template-peserta-${lang}.${format}"`);
      writeTemplate(format, lang, out).catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );
}
