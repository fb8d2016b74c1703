export type Lang = 'id' | 'en';
export type Text = { id: string; en: string };
export type FieldError = { path: string; code: string; message: string };

/** A failure the caller can act on. Mapped to RFC 9457 problem+json over HTTP and to a message + exit code in the CLI. */
export class AppError extends Error {
  status: number;
  code: string;
  text: Text;
  errors: FieldError[];
  extra: Record<string, unknown>;
  constructor(
    status: number,
    code: string,
    text: Text,
    errors: FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(text.en);
    this.status = status;
    this.code = code;
    this.text = text;
    this.errors = errors;
    this.extra = extra;
  }
}

export const badRequest = (code: string, text: Text) => new AppError(400, code, text);
export const unauthorized = (
  text: Text = { id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' },
) => new AppError(401, 'UNAUTHENTICATED', text);
export const forbidden = (code: string, text: Text) => new AppError(403, code, text);
export const notFound = (what: Text = { id: 'Data tidak ditemukan.', en: 'Not found.' }) =>
  new AppError(404, 'NOT_FOUND', what);
export const conflict = (code: string, text: Text, extra: Record<string, unknown> = {}) =>
  new AppError(409, code, text, [], extra);
export const invalid = (errors: FieldError[], text?: Text) =>
  new AppError(
    422,
    'VALIDATION_FAILED',
    text ?? {
      id: `Ada ${errors.length} isian yang perlu diperbaiki.`,
      en: `${errors.length} field${errors.length === 1 ? '' : 's'} need${errors.length === 1 ? 's' : ''} fixing.`,
    },
    errors,
  );
export const preconditionFailed = (text: Text) => new AppError(412, 'PRECONDITION_FAILED', text);

export function pick(text: Text, lang: Lang): string {
  return lang === 'en' ? text.en : text.id;
}
