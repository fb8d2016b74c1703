import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../core/context.ts';
import { ctxOf } from '../../http/context.ts';
import { writeQualityReport } from './export.ts';
import { qualityOptionsSchema, qualityReport } from './service.ts';

export function qualityRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['quality'];
  r.get(
    '/api/v1/quality/report',
    {
      schema: {
        tags,
        summary: "Data-quality report in the caller's area (officers and admins; see docs/quality.md)",
        querystring: qualityOptionsSchema,
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return qualityReport(svc, ctxOf(req), req.query);
    },
  );
  r.get(
    '/api/v1/exports/quality',
    {
      schema: {
        tags,
        summary: 'The data-quality report as CSV or XLSX (one row per figure; phones masked)',
        querystring: qualityOptionsSchema
          .extend({
            format: z.enum(['csv', 'xlsx']).default('csv'),
            /** the language of names and headers (a download link cannot set Accept-Language) */
            lang: z.enum(['id', 'en']).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { format, lang, ...options } = req.query;
      const ctx = { ...ctxOf(req), ...(lang ? { lang } : {}) };
      // computed before any byte is sent, so a refusal is a problem+json answer
      const report = await qualityReport(svc, ctx, options);
      reply
        .header(
          'Content-Type',
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header(
          'Content-Disposition',
          `attachment; filename="${ctx.lang === 'en' ? 'data-quality' : 'kualitas-data'}.${format}"`,
        )
        .header('Cache-Control', 'no-store');
      const out = new PassThrough();
      writeQualityReport(report, out, format, ctx.lang).catch((err) => out.destroy(err));
      return reply.send(out);
    },
  );
}
