/**
 * Streaming reader for CSV and XLSX sheets: one header row, then data rows as
 * trimmed strings padded / cut to the header's length. Memory stays flat: the
 * file is never read whole (XLSX keeps only its shared-strings table).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';

export type SheetFormat = 'csv' | 'xlsx';

export type SheetErrorCode = 'SHEET_UNREADABLE' | 'SHEET_EMPTY' | 'SHEET_BINARY';

/** The file cannot be read as a sheet at all. */
export class SheetError extends Error {
  readonly code: SheetErrorCode;
  constructor(code: SheetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SheetError';
    this.code = code;
  }
}

export interface SheetRow {
  /** Row number as a spreadsheet shows it: header = 1, first data row = 2 (if directly below). */
  rowNumber: number;
  /** One trimmed string per header column. */
  values: string[];
  /** XLSX only: per column, whether the cell held a number (e.g. a NIK typed as a number, which may have lost digits). */
  numeric?: boolean[];
}

export interface SheetReader {
  format: SheetFormat;
  /** Trimmed header texts; trailing empty header cells are dropped. */
  headers: string[];
  /** Data rows; fully empty rows are skipped. Can be iterated once. */
  rows(): AsyncIterable<SheetRow>;
  /** Bytes read from the file so far, for progress against totalBytes. */
  bytesRead(): number;
  totalBytes: number;
  /** Releases the file; safe to call more than once and while iterating. */
  close(): Promise<void>;
}

export interface OpenSheetOptions {
  /** Skip detection. Default: ZIP magic bytes mean XLSX, anything else is CSV text. */
  format?: SheetFormat;
}

const SNIFF_BYTES = 64 * 1024;
const BINARY_CHECK_BYTES = 8 * 1024;
/** Longest CSV record (in characters) before we give up; guards memory against an unclosed quote. */
const MAX_CSV_RECORD = 1_000_000;

export async function openSheet(path: string, opts: OpenSheetOptions = {}): Promise<SheetReader> {
  const { head, size } = await sniff(path);
  if (size === 0) throw new SheetError('SHEET_EMPTY', 'The file is empty.');
  const isZip =
    head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0506) {
    throw new SheetError('SHEET_UNREADABLE', 'The file is an empty ZIP archive, not an XLSX workbook.');
  }
  const ext = extname(path).toLowerCase();
  let format = opts.format;
  if (format === undefined) {
    if (isZip) format = 'xlsx';
    else if (ext === '.xlsx' || ext === '.xlsm') {
      throw unreadable(head, 'The file has an .xlsx name but is not an XLSX workbook.');
    } else format = 'csv';
  }
  if (format === 'xlsx') {
    if (!isZip) throw unreadable(head, 'The file is not an XLSX workbook.');
    return openXlsx(path, size);
  }
  return openCsv(path, size, head);
}

async function sniff(path: string): Promise<{ head: Buffer; size: number }> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new SheetError('SHEET_UNREADABLE', `The file cannot be opened: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return { head: buf.subarray(0, n), size };
  } finally {
    await fh.close();
  }
}

/** A clearer error for well-known non-sheet files. */
function unreadable(head: Buffer, fallback: string): SheetError {
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    return new SheetError(
      'SHEET_UNREADABLE',
      'The file is an old Excel 97-2003 (.xls) or a password-protected workbook. ' +
        'Save it as .xlsx or CSV UTF-8 without a password and upload it again.',
    );
  }
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') {
    return new SheetError('SHEET_UNREADABLE', 'The file is a PDF, not a spreadsheet.');
  }
  return new SheetError('SHEET_UNREADABLE', fallback);
}

function wrapError(err: unknown, what: string): SheetError {
  if (err instanceof SheetError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new SheetError('SHEET_UNREADABLE', `${what}: ${msg}`, { cause: err });
}

function fitToWidth(values: string[], width: number): string[] {
  if (values.length > width) values.length = width;
  while (values.length < width) values.push('');
  return values;
}

function trimHeaders(values: string[]): string[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === '') end--;
  return values.slice(0, end);
}

// ---------------------------------------------------------------------------
// CSV

type Delimiter = ',' | ';' | '\t';

interface CsvSniff {
  delimiter: Delimiter;
  /** The first line is Excel's "sep=;" hint, not data. */
  sepLine: boolean;
  encoding: 'utf-8' | 'windows-1252';
}

function sniffCsv(head: Buffer): CsvSniff {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new SheetError(
      'SHEET_UNREADABLE',
      'The file is UTF-16 text (Excel "Unicode Text"). Save it as "CSV UTF-8" and upload it again.',
    );
  }
  const known = unreadable(head, '');
  if (known.message !== '') throw known;
  if (looksBinary(head.subarray(0, BINARY_CHECK_BYTES))) {
    throw new SheetError('SHEET_BINARY', 'The file is binary data, not CSV text or an XLSX workbook.');
  }
  let body = head;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  let encoding: CsvSniff['encoding'] = 'utf-8';
  let text: string;
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sample
    text = new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: true });
  } catch {
    encoding = 'windows-1252';
    text = new TextDecoder('windows-1252').decode(body);
  }
  const lines = firstLines(text, 2);
  const first = lines[0] ?? '';
  const sep = /^sep=(.)$/i.exec(first.trim());
  if (sep && (sep[1] === ',' || sep[1] === ';' || sep[1] === '\t')) {
    return { delimiter: sep[1], sepLine: true, encoding };
  }
  return { delimiter: detectDelimiter(first), sepLine: false, encoding };
}

/** NUL bytes, or more than 1% control characters other than tab, CR, LF, FF and ESC. */
function looksBinary(sample: Buffer): boolean {
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control > sample.length / 100;
}

/** The first `n` non-empty logical lines (newlines inside quotes do not end a line). */
function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length && out.length < n; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      const line = text.slice(start, i);
      if (line.trim() !== '') out.push(line);
      start = i + 1;
    }
  }
  if (out.length < n && start < text.length && text.slice(start).trim() !== '') out.push(text.slice(start));
  return out;
}

/** Picks the candidate that splits the header line into the most fields outside quotes; ties go to comma. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/** Re-encodes windows-1252 bytes as UTF-8. */
class Cp1252ToUtf8 extends Transform {
  private readonly decoder = new TextDecoder('windows-1252');
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    cb(null, Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8'));
  }
}

interface CsvRecord {
  record: string[];
  info: { records: number; empty_lines: number; lines: number };
}

async function openCsv(path: string, size: number, head: Buffer): Promise<SheetReader> {
  const { delimiter, sepLine, encoding } = sniffCsv(head);
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  const parser = parseCsv({
    delimiter,
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_CSV_RECORD,
  });
  // Errors of any stage destroy the parser, which makes the iterator below throw.
  if (encoding === 'utf-8') pipeline(file, parser, () => {});
  else pipeline(file, new Cp1252ToUtf8(), parser, () => {});
  const it: AsyncIterator<CsvRecord> = parser[Symbol.asyncIterator]();
  // Excel shows every physical record, including blank lines, as one row; a
  // "sep=" hint line is hidden. Records split by quoted newlines stay one row.
  const rowOffset = sepLine ? -1 : 0;
  const rowNumberOf = (info: CsvRecord['info']) => info.records + info.empty_lines + rowOffset;

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    parser.destroy();
    file.destroy();
    await it.return?.().catch(() => {});
  };

  const next = async (): Promise<CsvRecord | null> => {
    try {
      const r = await it.next();
      return r.done ? null : r.value;
    } catch (err) {
      if (closed) return null;
      await close();
      throw csvError(err);
    }
  };

  let headers: string[] | null = null;
  let skipFirst = sepLine;
  for (;;) {
    const r = await next();
    if (r === null) break;
    if (skipFirst) {
      skipFirst = false;
      continue;
    }
    const values = r.record.map((v) => v.trim());
    if (values.some((v) => v !== '')) {
      headers = trimHeaders(values);
      break;
    }
  }
  if (headers === null) {
    await close();
    throw new SheetError('SHEET_EMPTY', 'The file has no header row.');
  }
  const width = headers.length;

  let started = false;
  async function* rows(): AsyncGenerator<SheetRow> {
    if (started) throw new Error('rows() can only be iterated once');
    started = true;
    try {
      for (;;) {
        if (closed) return;
        const r = await next();
        if (r === null) return;
        const values = r.record.map((v) => unescapeFormula(v).trim());
        if (!values.some((v) => v !== '')) continue;
        yield { rowNumber: rowNumberOf(r.info), values: fitToWidth(values, width) };
      }
    } finally {
      await close();
    }
  }

  return {
    format: 'csv',
    headers,
    rows,
    bytesRead: () => file.bytesRead,
    totalBytes: size,
    close,
  };
}

/**
 * Our CSV exports (and the import report) prefix a value that starts like a formula (= + - @, tab, CR) with an
 * apostrophe against formula injection; reading such a file back takes the apostrophe off again (round trip).
 */
const ESCAPED_FORMULA = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
export function unescapeFormula(v: string): string {
  return ESCAPED_FORMULA.test(v) ? v.slice(1) : v;
}

function csvError(err: unknown): SheetError {
  if (err instanceof SheetError) return err;
  const e = err as { code?: string; lines?: number; message?: string };
  if (typeof e.code === 'string' && e.code.startsWith('CSV_') && e.code !== 'CSV_UNKNOWN_ERROR') {
    const where = typeof e.lines === 'number' ? ` near line ${e.lines}` : '';
    const hint =
      e.code === 'CSV_QUOTE_NOT_CLOSED' || e.code === 'CSV_MAX_RECORD_SIZE'
        ? ' (a quote (") is probably not closed)'
        : '';
    return new SheetError('SHEET_UNREADABLE', `The CSV file is malformed${where}${hint}: ${e.message}`, {
      cause: err,
    });
  }
  return wrapError(err, 'The CSV file cannot be read');
}

// ---------------------------------------------------------------------------
// XLSX

// Minimal views of exceljs internals used here (its typings do not cover the streaming reader well).
interface XCell {
  value: unknown;
  numFmt?: string;
}
interface XRow {
  number: number;
  eachCell(cb: (cell: XCell, col: number) => void): void;
}
interface XWorksheet {
  id: number | string;
  name: string;
  iterator: unknown;
  [Symbol.asyncIterator](): AsyncIterator<XRow>;
}
interface XWorkbookReader {
  model?: { sheets?: { id: number; name: string }[] };
  properties?: { model?: { date1904?: boolean } };
  [Symbol.asyncIterator](): AsyncIterator<XWorksheet>;
}

const DAY_MS = 86_400_000;
const MS_1900_03_01 = Date.UTC(1900, 2, 1);

/** Excel date cell -> 'YYYY-MM-DD' (UTC, as exceljs builds the Date). */
function dateToIso(d: Date): string {
  let ms = d.getTime();
  if (Number.isNaN(ms)) return '';
  if (ms < MS_1900_03_01) {
    // exceljs ignores Excel's fake 1900-02-29, so dates before March 1900 come out one day early
    const serial = Math.floor(ms / DAY_MS + 25569 + 1e-9);
    if (serial === 60) return '1900-02-29';
    ms += DAY_MS;
  }
  return new Date(ms).toISOString().slice(0, 10);
}

const DECIMAL_FORMAT = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 15 });

/** Plain digits, never an exponent. Integers are kept exactly as stored; fractions get Excel's 15 significant digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n + 0) : BigInt(n).toString();
  return DECIMAL_FORMAT.format(n);
}

function isDateFmt(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]/.test(f);
}

function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * DAY_MS));
}

/** One cell -> [text, numeric]. */
function cellText(value: unknown, numFmt: string | undefined, date1904: boolean): [string, boolean] {
  if (value === null || value === undefined) return ['', false];
  switch (typeof value) {
    case 'string':
      return [value.trim(), false];
    case 'number':
      return [formatNumber(value), true];
    case 'boolean':
      return [value ? 'TRUE' : 'FALSE', false];
    case 'object': {
      if (value instanceof Date) return [dateToIso(value), false];
      const v = value as Record<string, unknown>;
      if (Array.isArray(v.richText)) {
        return [
          (v.richText as { text?: string | null }[])
            .map((r) => r.text ?? '')
            .join('')
            .trim(),
          false,
        ];
      }
      if ('formula' in v || 'sharedFormula' in v) {
        const result = v.result;
        if (typeof result === 'number') {
          if (Number.isNaN(result)) return ['', false]; // error or boolean result exceljs could not parse
          if (isDateFmt(numFmt)) return [dateToIso(excelToDate(result, date1904)), false];
        }
        if (result !== null && typeof result === 'object' && 'error' in result) {
          return [String((result as { error: unknown }).error), false];
        }
        return cellText(result, undefined, date1904);
      }
      if ('error' in v) return [String(v.error), false];
      if ('text' in v) return cellText(v.text, undefined, date1904); // hyperlink
      return ['', false];
    }
    default:
      return [String(value).trim(), false];
  }
}

function rowContent(row: XRow, date1904: boolean): { values: string[]; numeric: boolean[] } {
  const values: string[] = [];
  const numeric: boolean[] = [];
  row.eachCell((cell, col) => {
    const [text, isNum] = cellText(cell.value, cell.numFmt, date1904);
    while (values.length < col - 1) {
      values.push('');
      numeric.push(false);
    }
    values[col - 1] = text;
    numeric[col - 1] = isNum;
  });
  return { values, numeric };
}

/**
 * Checks the zip's central directory (at the end of the file) before
 * streaming: a truncated upload has none, and a zip without
 * xl/workbook.xml is not a workbook. Failing here, before exceljs starts, also
 * spares the temp files exceljs would leave behind for a broken zip.
 */
async function checkZipDirectory(path: string, size: number): Promise<void> {
  const damaged = (why: string) =>
    new SheetError('SHEET_UNREADABLE', `The XLSX file is damaged or incomplete (${why}).`);
  const fh = await open(path, 'r');
  try {
    const read = async (pos: number, len: number): Promise<Buffer> => {
      const buf = Buffer.alloc(len);
      let n = 0;
      while (n < len) {
        const { bytesRead } = await fh.read(buf, n, len - n, pos + n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      return buf.subarray(0, n);
    };
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = await read(size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50 && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw damaged('no ZIP directory at the end of the file');
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdSize === 0xffffffff || cdOffset === 0xffffffff) return; // ZIP64: leave it to the unzipper
    const eocdPos = size - tail.length + eocd;
    if (cdOffset + cdSize > eocdPos) throw damaged('the ZIP directory points past the end of the file');
    if (cdSize > 4 * 1024 * 1024) return; // unusually many entries; do not list them
    const cd = await read(cdOffset, cdSize);
    let hasWorkbook = false;
    for (let i = 0; i + 46 <= cd.length; ) {
      if (cd.readUInt32LE(i) !== 0x02014b50) throw damaged('broken ZIP directory');
      const nameLen = cd.readUInt16LE(i + 28);
      const name = cd.subarray(i + 46, i + 46 + nameLen).toString('utf8');
      if (name === 'xl/workbook.xml') hasWorkbook = true;
      i += 46 + nameLen + cd.readUInt16LE(i + 30) + cd.readUInt16LE(i + 32);
    }
    if (!hasWorkbook) {
      throw new SheetError('SHEET_UNREADABLE', 'The file is a ZIP archive but not an XLSX workbook.');
    }
  } finally {
    await fh.close();
  }
}

async function openXlsx(path: string, size: number): Promise<SheetReader> {
  await checkZipDirectory(path, size);
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as XWorkbookReader;
  // exceljs can wait forever on a truncated zip (the unzip stream fails but the
  // entry being read never ends), so watch the unzip stream for errors
  // ourselves and interrupt the pending read. (No Promise.race against a
  // long-lived promise: that would retain every result and leak memory.)
  let failed = false;
  let failure: unknown = null;
  let closed = false;
  let interrupt: (() => void) | null = null;
  const signalFailed = (err: unknown) => {
    if (failed) return;
    failed = true;
    failure = err;
    interrupt?.();
  };
  file.on('error', signalFailed);
  const pipe = file.pipe.bind(file);
  file.pipe = ((dest: NodeJS.WritableStream, o?: { end?: boolean }) => {
    dest.on('error', signalFailed);
    return pipe(dest, o);
  }) as typeof file.pipe;
  /** Resolves with `p`, or 'closed' once closed, or rejects once the zip failed. */
  const guarded = <T>(p: Promise<T>): Promise<T | 'closed'> => {
    if (failed) return Promise.reject(failure);
    if (closed) return Promise.resolve('closed');
    return new Promise<T | 'closed'>((resolve, reject) => {
      interrupt = () => {
        interrupt = null;
        if (failed) reject(failure);
        else resolve('closed');
      };
      p.then(
        (v) => {
          interrupt = null;
          resolve(v);
        },
        (err) => {
          interrupt = null;
          reject(err);
        },
      );
    });
  };
  const sheets = wb[Symbol.asyncIterator]();
  let rowIt: AsyncIterator<XRow> | null = null;
  let current: XWorksheet | null = null;

  // exceljs spools every worksheet to a temp file when sharedStrings.xml comes
  // after the worksheets in the zip (as Excel writes it); it then reads the
  // sheet from that file, after the whole zip has been read.
  const spooled = (ws: XWorksheet) => ws.iterator instanceof Readable;
  const discard = (ws: XWorksheet) => {
    if (!spooled(ws)) return;
    const s = ws.iterator as Readable;
    // exceljs may delete the temp file before this stream has opened it
    s.on('error', () => {});
    s.destroy();
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    interrupt?.();
    file.destroy();
    if (current) discard(current);
    // Not awaited: a next() may still be pending on a destroyed stream.
    void rowIt?.return?.(undefined)?.catch(() => {});
    try {
      if (failed) {
        void sheets.return?.(undefined)?.catch(() => {});
      } else if (current && spooled(current)) {
        // The zip was read whole already: run exceljs' generator to its end so
        // that it deletes its temp files.
        for (;;) {
          const r = await sheets.next();
          if (r.done) break;
          discard(r.value);
        }
      } else {
        await sheets.return?.(undefined);
      }
    } catch {
      // closing anyway
    }
  };

  const fail = async (err: unknown): Promise<never> => {
    await close();
    throw wrapError(err, 'The XLSX file is damaged or incomplete');
  };

  // The first worksheet in workbook order (zip order may differ).
  try {
    for (;;) {
      const r = await guarded(sheets.next());
      if (r === 'closed' || r.done) break;
      const ws = r.value;
      const modelSheets = wb.model?.sheets ?? [];
      const known = modelSheets.some((s) => String(s.id) === String(ws.id) && s.name === ws.name);
      if (!known || String(modelSheets[0].id) === String(ws.id)) {
        current = ws;
        break;
      }
      discard(ws);
    }
  } catch (err) {
    await fail(err);
  }
  if (current === null) {
    const isWorkbook = wb.model !== undefined;
    await close();
    throw isWorkbook
      ? new SheetError('SHEET_EMPTY', 'The workbook has no worksheet.')
      : new SheetError('SHEET_UNREADABLE', 'The file is a ZIP archive but not an XLSX workbook.');
  }

  const date1904 = wb.properties?.model?.date1904 === true;
  const it = current[Symbol.asyncIterator]();
  rowIt = it;
  let lastRow = 0;
  const nextRow = async (): Promise<SheetRow | null> => {
    for (;;) {
      if (closed) return null;
      let r: IteratorResult<XRow> | 'closed';
      try {
        r = await guarded(it.next());
      } catch (err) {
        if (closed) return null;
        return fail(err);
      }
      if (r === 'closed' || r.done) return null;
      const rowNumber = Number.isFinite(r.value.number) ? r.value.number : lastRow + 1;
      lastRow = rowNumber;
      const { values, numeric } = rowContent(r.value, date1904);
      if (values.some((v) => v !== '')) return { rowNumber, values, numeric };
    }
  };

  const headerRow = await nextRow();
  if (headerRow === null) {
    await close();
    throw new SheetError('SHEET_EMPTY', 'The first worksheet has no header row.');
  }
  const headers = trimHeaders(headerRow.values);
  const width = headers.length;

  let started = false;
  async function* rows(): AsyncGenerator<SheetRow> {
    if (started) throw new Error('rows() can only be iterated once');
    started = true;
    try {
      for (;;) {
        const row = await nextRow();
        if (row === null) break;
        fitToWidth(row.values, width);
        row.numeric = fitBools(row.numeric!, width);
        yield row;
      }
    } finally {
      await close();
    }
  }

  return {
    format: 'xlsx',
    headers,
    rows,
    bytesRead: () => file.bytesRead,
    totalBytes: size,
    close,
  };
}

function fitBools(values: boolean[], width: number): boolean[] {
  if (values.length > width) values.length = width;
  while (values.length < width) values.push(false);
  return values;
}
