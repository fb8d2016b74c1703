import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../core/context.ts';
import { AppError, invalid } from '../../core/errors.ts';
import { ctxOf } from '../../http/context.ts';
import { decodeQrImage, ImageError } from './decode.ts';
import { QUIET_ZONE, qrMatrix, qrPng, qrSvg } from './image.ts';
import { listMyNotifications, markNotificationRead } from './notifications.ts';
import { posterSvg } from './poster.ts';
import {
  idParam,
  imageQuery,
  notificationParam,
  notificationsQuery,
  posterQuery,
  qrisPayloadInput,
  qrisVerifyInput,
} from './schema.ts';
import {
  checkSubmit,
  chooseDecoded,
  codeForImage,
  getQrisProfile,
  imageProblem,
  qrisHistory,
  submitQrisPayload,
  verifyQrisProfile,
} from './service.ts';
import { qrisAdoption } from './stats.ts';

/** Uploaded sticker photos and screenshots: at most this many bytes. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function imageHeaders(reply: FastifyReply, status: string, filename: string) {
  reply
    .header('Cache-Control', 'private, no-store')
    .header('X-Qris-Status', status)
    .header('Content-Disposition', `inline; filename="${filename}"`);
}

export function qrisRoutes(app: FastifyInstance, svc: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['qris'];
  r.get(
    '/api/v1/participants/:id/qris',
    { schema: { tags, summary: "The participant's QRIS profile and its parsed fields", params: idParam } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return getQrisProfile(svc, ctxOf(req), req.params.id);
    },
  );
  r.put(
    '/api/v1/participants/:id/qris',
    {
      schema: {
        tags,
        summary: 'Save the QRIS code (payload text); a change to a verified profile needs the business name',
        params: idParam,
        body: qrisPayloadInput,
      },
    },
    async (req) => submitQrisPayload(svc, ctxOf(req), req.params.id, req.body.payload, 'text'),
  );
  r.post(
    '/api/v1/participants/:id/qris/image',
    {
      schema: {
        tags,
        summary: 'Save the QRIS code read from a photo or screenshot of the sticker (multipart, PNG or JPEG)',
        params: idParam,
      },
      // reading a photo is CPU work (about 0.1-1 s): a per-client cap keeps one caller from hogging it
      config: { rateLimit: { max: Number(process.env.QRIS_UPLOAD_RATE ?? 60), timeWindow: '1 minute' } },
    },
    async (req) => {
      const ctx = ctxOf(req);
      // who may submit is settled before the upload is read
      await checkSubmit(svc, ctx, req.params.id);
      if (!req.isMultipart()) {
        throw new AppError(415, 'MULTIPART_REQUIRED', {
          id: 'Kirim gambar sebagai multipart/form-data.',
          en: 'Send the image as multipart/form-data.',
        });
      }
      const file = await req.file({ limits: { fileSize: MAX_IMAGE_BYTES, files: 1 } });
      if (!file) {
        throw invalid([
          {
            path: 'file',
            code: 'FILE_REQUIRED',
            message: ctx.lang === 'en' ? 'Attach the image file.' : 'Lampirkan berkas gambar.',
          },
        ]);
      }
      const buf = await file.toBuffer();
      let texts: string[];
      try {
        texts = await decodeQrImage(buf);
      } catch (e) {
        if (e instanceof ImageError) throw imageProblem(e.code, e.message, ctx.lang);
        throw e;
      }
      const payload = chooseDecoded(texts, ctx.lang);
      return submitQrisPayload(svc, ctx, req.params.id, payload, 'image');
    },
  );
  r.post(
    '/api/v1/participants/:id/qris/verify',
    {
      schema: {
        tags,
        summary: "Confirm the participant's QRIS code (mentor or officer; not the submitter)",
        params: idParam,
        body: qrisVerifyInput.nullish(),
      },
    },
    async (req) => verifyQrisProfile(svc, ctxOf(req), req.params.id, req.body ?? {}),
  );
  r.get(
    '/api/v1/participants/:id/qris/history',
    { schema: { tags, summary: 'Changes to the QRIS profile (audit log)', params: idParam } },
    async (req) => qrisHistory(svc, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/participants/:id/qris.png',
    {
      schema: {
        tags,
        summary: 'The QRIS code as PNG; with ?amount=N a dynamic code for that amount (never a fee)',
        params: idParam,
        querystring: imageQuery,
      },
    },
    async (req, reply) => {
      const c = await codeForImage(svc, ctxOf(req), req.params.id, req.query.amount);
      const side = qrMatrix(c.payload).size + 2 * QUIET_ZONE;
      const scale = req.query.size ? Math.max(1, Math.round(req.query.size / side)) : 8;
      const png = await qrPng(c.payload, { specimen: false, scale });
      imageHeaders(reply, c.status, `qris-${c.registrationNumber}.png`);
      return reply.type('image/png').send(png);
    },
  );
  r.get(
    '/api/v1/participants/:id/qris.svg',
    {
      schema: {
        tags,
        summary: 'The QRIS code as SVG; with ?amount=N a dynamic code for that amount (never a fee)',
        params: idParam,
        querystring: imageQuery,
      },
    },
    async (req, reply) => {
      const c = await codeForImage(svc, ctxOf(req), req.params.id, req.query.amount);
      imageHeaders(reply, c.status, `qris-${c.registrationNumber}.svg`);
      reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply.type('image/svg+xml; charset=utf-8').send(qrSvg(c.payload, { specimen: false }));
    },
  );
  r.get(
    '/api/v1/participants/:id/qris/poster.svg',
    {
      schema: {
        tags,
        summary: 'A printable A6 poster (business name, amount when given, the code)',
        params: idParam,
        querystring: posterQuery,
      },
    },
    async (req, reply) => {
      const c = await codeForImage(svc, ctxOf(req), req.params.id, req.query.amount);
      imageHeaders(reply, c.status, `qris-poster-${c.registrationNumber}.svg`);
      reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply
        .type('image/svg+xml; charset=utf-8')
        .send(posterSvg({ payload: c.payload, businessName: c.businessName, specimen: false }));
    },
  );
  r.get(
    '/api/v1/stats/qris',
    { schema: { tags: ['stats'], summary: 'QRIS adoption (verified profiles) in the caller’s area' } },
    async (req) => qrisAdoption(svc, ctxOf(req)),
  );
  r.get(
    '/api/v1/me/notifications',
    { schema: { tags: ['me'], summary: "The participant's notifications", querystring: notificationsQuery } },
    async (req) =>
      listMyNotifications(svc, ctxOf(req), { unread: req.query.unread === 'true', limit: req.query.limit }),
  );
  r.post(
    '/api/v1/me/notifications/:nid/read',
    { schema: { tags: ['me'], summary: 'Mark a notification read', params: notificationParam } },
    async (req) => markNotificationRead(svc, ctxOf(req), req.params.nid),
  );
}
