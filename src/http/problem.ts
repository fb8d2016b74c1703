import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError, type Lang } from '../core/errors.ts';

export function langOf(req: FastifyRequest): Lang {
  const h = String(req.headers['accept-language'] ?? '').toLowerCase();
  if (!h) return 'id';
  // the most preferred language tag (by q-value, then order) that we serve wins; q=0 means "not this one"
  const tags = h
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of tags) {
    if (tag.startsWith('en')) return 'en';
    if (tag.startsWith('id') || tag.startsWith('in')) return 'id';
  }
  return 'id';
}

const ZOD_CODES: Record<string, string> = {
  invalid_type: 'TYPE_INVALID',
  unrecognized_keys: 'UNKNOWN_FIELD',
  too_big: 'TOO_BIG',
  too_small: 'TOO_SMALL',
  invalid_format: 'FORMAT_INVALID',
  invalid_value: 'VALUE_INVALID',
  invalid_union: 'VALUE_INVALID',
  custom: 'VALUE_INVALID',
};

function zodMessage(code: string, lang: Lang, detail: string): string {
  const id: Record<string, string> = {
    TYPE_INVALID: 'Jenis nilai salah atau wajib diisi.',
    UNKNOWN_FIELD: 'Isian ini tidak dikenal.',
    TOO_BIG: 'Nilai terlalu panjang atau terlalu besar.',
    TOO_SMALL: 'Nilai terlalu pendek atau terlalu kecil.',
    FORMAT_INVALID: 'Format tidak valid.',
    VALUE_INVALID: 'Nilai tidak valid.',
  };
  return lang === 'en' ? detail : (id[code] ?? detail);
}

/** Maps schema validation issues to our field errors (`domicile.villageCode`). */
export function validationErrors(err: FastifyError, lang: Lang): FieldError[] {
  const out: FieldError[] = [];
  for (const v of (err.validation ?? []) as any[]) {
    const issue = { code: v.keyword, ...(v.params ?? {}) };
    let path = String(v.instancePath ?? '')
      .replace(/^\//, '')
      .replaceAll('/', '.');
    const zcode = issue?.code ?? v.keyword;
    if (zcode === 'unrecognized_keys' && Array.isArray(issue.keys)) {
      for (const key of issue.keys) {
        const p = path ? `${path}.${key}` : key;
        out.push({
          path: p,
          code: 'UNKNOWN_FIELD',
          message: zodMessage('UNKNOWN_FIELD', lang, `Unknown field "${key}".`),
        });
      }
      continue;
    }
    const code = ZOD_CODES[zcode] ?? 'VALUE_INVALID';
    if (!path) path = (err.validationContext as string) ?? 'body';
    out.push({ path, code, message: zodMessage(code, lang, v.message ?? 'Invalid value') });
  }
  return out;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  extra?: Record<string, unknown>;
};

/** The problem+json body (RFC 9457) of a problem. */
function problemBody(req: FastifyRequest, p: Problem) {
  return {
    type: `https://jakpreneur.id/problems/${p.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    code: p.code,
    detail: p.detail,
    instance: req.url.split('?')[0],
    ...(p.errors?.length ? { errors: p.errors } : {}),
    ...p.extra,
  };
}

export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors: FieldError[] = [],
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problemBody(req, { status, code, detail, errors, extra }));
}

const FASTIFY_CODES: Record<string, { code: string; id: string; en: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'JSON_INVALID',
    id: 'Isi permintaan bukan JSON yang valid.',
    en: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'JSON_EMPTY',
    id: 'Isi permintaan JSON kosong.',
    en: 'The JSON request body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'BODY_TOO_LARGE',
    id: 'Isi permintaan terlalu besar.',
    en: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    id: 'Jenis konten tidak didukung. Kirim application/json.',
    en: 'Unsupported content type. Send application/json.',
  },
  FST_ERR_BAD_URL: {
    code: 'URL_INVALID',
    id: 'Alamat (URL) permintaan tidak valid.',
    en: 'The request URL is not valid.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'CONTENT_LENGTH_INVALID',
    id: 'Panjang isi permintaan tidak sesuai.',
    en: 'The request content length does not match.',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'MULTIPART_REQUIRED',
    id: 'Kirim berkas sebagai multipart/form-data.',
    en: 'Send the file as multipart/form-data.',
  },
  FST_REQ_FILE_TOO_LARGE: {
    code: 'FILE_TOO_LARGE',
    id: 'Berkas terlalu besar.',
    en: 'The file is too large.',
  },
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES', id: 'Kirim satu berkas saja.', en: 'Send one file only.' },
  FST_PARTS_LIMIT: {
    code: 'TOO_MANY_PARTS',
    id: 'Terlalu banyak bagian multipart.',
    en: 'Too many multipart parts.',
  },
  FST_FIELDS_LIMIT: {
    code: 'TOO_MANY_FIELDS',
    id: 'Terlalu banyak isian multipart.',
    en: 'Too many multipart fields.',
  },
};

function problemOf(err: FastifyError, req: FastifyRequest): Problem {
  const lang = langOf(req);
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      detail: lang === 'en' ? err.text.en : err.text.id,
      errors: err.errors,
      extra: err.extra,
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = validationErrors(err, lang);
    return {
      status: 422,
      code: 'VALIDATION_FAILED',
      detail:
        lang === 'en'
          ? `${errors.length} field(s) need fixing.`
          : `Ada ${errors.length} isian yang perlu diperbaiki.`,
      errors,
    };
  }
  const known = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (known) {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 400;
    return { status, code: known.code, detail: lang === 'en' ? known.en : known.id };
  }
  if (err.statusCode === 429) {
    return {
      status: 429,
      code: 'RATE_LIMITED',
      detail:
        lang === 'en'
          ? 'Too many requests. Wait a moment and try again.'
          : 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.',
    };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, code: err.code ?? 'BAD_REQUEST', detail: err.message };
  }
  req.log.error({ err }, 'unhandled error');
  return {
    status: 500,
    code: 'INTERNAL',
    detail:
      lang === 'en'
        ? 'Something went wrong on our side. It has been logged.'
        : 'Terjadi kesalahan di sisi server. Sudah dicatat.',
  };
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const p = problemOf(err, req);
  return reply.code(p.status).type('application/problem+json').send(problemBody(req, p));
}

/** The problem+json body for an error (logged when unexpected), for answers that cannot carry a status. */
export function problemFor(err: unknown, req: FastifyRequest) {
  return problemBody(req, problemOf(err as FastifyError, req));
}
