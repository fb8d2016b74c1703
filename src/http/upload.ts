import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../core/context.ts';
import { AppError } from '../core/errors.ts';

/** A body that is not well-formed multipart (no boundary, cut short) is the client's error, not a 500. */
export function multipartError(err: unknown): unknown {
  const e = err as { statusCode?: number; code?: string };
  if (err instanceof AppError || (e?.statusCode && e.statusCode < 500) || e?.code?.startsWith('FST_'))
    return err;
  return new AppError(400, 'MULTIPART_INVALID', {
    id: 'Isi multipart rusak atau tidak lengkap. Unggah berkas sekali lagi.',
    en: 'The multipart body is malformed or incomplete. Upload the file again.',
  });
}

/** 415 unless the request is multipart/form-data. */
export function requireMultipart(req: FastifyRequest): void {
  if (!req.isMultipart())
    throw new AppError(415, 'MULTIPART_REQUIRED', {
      id: 'Kirim berkas sebagai multipart/form-data (kolom "file").',
      en: 'Send the file as multipart/form-data (field "file").',
    });
}

/**
 * Streams the request's one file part to `uploads/<fileId>.upload` in the data folder (never buffered whole):
 * 422 without a file, 400 for a broken body, 413 past the upload limit (nothing left on disk then).
 */
export async function saveUpload(
  req: FastifyRequest,
  svc: Services,
  fileId: string,
): Promise<{ path: string; name: string; size: number }> {
  let file: Awaited<ReturnType<typeof req.file>>;
  try {
    file = await req.file();
  } catch (err) {
    throw multipartError(err);
  }
  if (!file)
    throw new AppError(422, 'FILE_REQUIRED', {
      id: 'Tidak ada berkas yang diunggah.',
      en: 'No file was uploaded.',
    });
  const dir = join(svc.config.dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${fileId}.upload`);
  try {
    await pipeline(file.file, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw multipartError(err);
  }
  if (file.file.truncated) {
    await rm(path, { force: true });
    const mb = Math.round(svc.config.uploadMaxBytes / 1048576);
    throw new AppError(413, 'FILE_TOO_LARGE', {
      id: `Berkas melebihi ${mb} MB.`,
      en: `The file exceeds ${mb} MB.`,
    });
  }
  return { path, name: (file.filename || 'upload').slice(0, 200), size: (await stat(path)).size };
}

/** A boolean query parameter as the API's schemas accept it ('true' | 'false' | '1' | '0'). */
export const queryFlag = (v: string | undefined) => v === 'true' || v === '1';
