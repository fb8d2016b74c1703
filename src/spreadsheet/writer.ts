/**
 * Streaming CSV / XLSX writer and the participant import template.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS, type ImportKey } from './headers.ts';
import type { SheetFormat } from './reader.ts';

export type CellValue = string | number | null | undefined;

export interface SheetWriter {
  /** Writes one row; resolves once the destination can take more (backpressure). */
  write(values: CellValue[]): Promise<void>;
  /** Finishes the file and ends the destination stream. */
  close(): Promise<void>;
}

export interface SheetWriterOptions {
  /** XLSX worksheet name. Default 'Sheet1'. */
  sheetName?: string;
  /** XLSX: 0-based columns formatted as text ('@') as a whole, so values typed into them later in Excel stay text. */
  textColumns?: readonly number[];
  /** CSV: prefix values starting with = + - @ with an apostrophe against formula injection. Default false. */
  escapeFormulas?: boolean;
}

type Destination = string | NodeJS.WritableStream;

/**
 * Opens a streaming writer. The header row is written at once. Strings stay
 * strings (in XLSX they get the text format '@', so a 16-digit NIK is never
 * turned into a number); numbers are written as numbers; null / undefined
 * leave the cell empty. CSV is UTF-8 with BOM, comma-separated, CRLF.
 */
export function openSheetWriter(
  target: Destination,
  format: SheetFormat,
  headers: readonly string[],
  opts: SheetWriterOptions = {},
): SheetWriter {
  const out = typeof target === 'string' ? createWriteStream(target) : target;
  return format === 'xlsx' ? xlsxWriter(out, headers, opts) : csvWriter(out, headers, opts);
}

/** Rejects when `stream` fails or closes before 'drain'. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('The output stream was closed'));
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function needsDrain(stream: NodeJS.WritableStream): boolean {
  const s = stream as { writableNeedDrain?: boolean; _writableState?: { needDrain?: boolean } };
  // readable-stream v2 (used inside archiver) has no writableNeedDrain
  return (s.writableNeedDrain ?? s._writableState?.needDrain) === true;
}

/**
 * Remembers the first failure of the destination and makes pending waits
 * (drain, commit) reject with it instead of hanging.
 */
function failureLatch() {
  let error: Error | null = null;
  const waiters = new Set<(err: Error) => void>();
  return {
    get error(): Error | null {
      return error;
    },
    fail(err: Error): void {
      if (error) return;
      error = err;
      for (const w of waiters) w(err);
      waiters.clear();
    },
    guard<T>(p: Promise<T>): Promise<T> {
      if (error) return Promise.reject(error);
      return new Promise<T>((resolve, reject) => {
        const onFail = (err: Error) => reject(err);
        waiters.add(onFail);
        p.then(
          (v) => {
            waiters.delete(onFail);
            resolve(v);
          },
          (err) => {
            waiters.delete(onFail);
            reject(err);
          },
        );
      });
    },
  };
}

/** Watches the destination: errors, and closing before it finished (e.g. a client that went away). */
function watchDestination(out: NodeJS.WritableStream, latch: ReturnType<typeof failureLatch>): Promise<void> {
  return finished(out as NodeJS.WritableStream & { writable: boolean }).catch((err: Error) => {
    latch.fail(err);
  });
}

function csvWriter(
  out: NodeJS.WritableStream,
  headers: readonly string[],
  opts: SheetWriterOptions,
): SheetWriter {
  const csv = stringify({
    bom: true,
    delimiter: ',',
    record_delimiter: '\r\n',
    escape_formulas: opts.escapeFormulas ?? false,
  });
  const latch = failureLatch();
  const done = watchDestination(out, latch);
  csv.on('error', (err) => {
    latch.fail(err);
    (out as { destroy?: (e: Error) => void }).destroy?.(err);
  });
  csv.pipe(out);
  csv.write([...headers]);
  let closed = false;

  return {
    async write(values) {
      if (latch.error) throw latch.error;
      if (closed) throw new Error('The writer is closed');
      const record = values.map((v) => (v === null || v === undefined ? '' : v));
      if (!csv.write(record)) await latch.guard(drained(csv));
    },
    async close() {
      if (closed) return;
      closed = true;
      if (latch.error) throw latch.error;
      csv.end();
      await done;
      if (latch.error) throw latch.error;
    },
  };
}

// Minimal typings for the parts of exceljs' streaming writer used here.
interface WCell {
  value: unknown;
  numFmt: string;
  font: unknown;
}
interface WRow {
  getCell(col: number): WCell;
  commit(): void;
}
interface WWorksheet {
  columns: { width: number; style?: { numFmt: string } }[];
  addRow(values: unknown[]): WRow;
}

function xlsxWriter(
  out: NodeJS.WritableStream,
  headers: readonly string[],
  opts: SheetWriterOptions,
): SheetWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out as unknown as import('node:stream').Stream,
    useSharedStrings: false,
    useStyles: true,
  });
  const latch = failureLatch();
  const done = watchDestination(out, latch);
  const ws = wb.addWorksheet(opts.sheetName ?? 'Sheet1', {
    views: [{ state: 'frozen', ySplit: 1 }],
  }) as unknown as WWorksheet;
  const text = new Set(opts.textColumns ?? []);
  ws.columns = headers.map((h, i) => {
    const width = Math.min(Math.max(h.length + 2, 12), 50);
    return text.has(i) ? { width, style: { numFmt: '@' } } : { width };
  });
  const header = ws.addRow([]);
  headers.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = h;
    cell.numFmt = '@';
    cell.font = { bold: true };
  });
  header.commit();
  let closed = false;
  let sinceYield = 0;
  // The PassThrough that archiver reads this worksheet's XML from (exceljs internals; undefined if they change).
  const zipSink = (): NodeJS.WritableStream | undefined => {
    const pipes = (ws as unknown as { _stream?: { pipes?: unknown[] } })._stream?.pipes;
    const p = Array.isArray(pipes) ? pipes[0] : undefined;
    return p && typeof (p as { _writableState?: unknown })._writableState === 'object'
      ? (p as NodeJS.WritableStream)
      : undefined;
  };

  return {
    async write(values) {
      if (latch.error) throw latch.error;
      if (closed) throw new Error('The writer is closed');
      const row = ws.addRow([]);
      values.forEach((v, i) => {
        if (v === null || v === undefined || v === '') return;
        const cell = row.getCell(i + 1);
        if (typeof v === 'number') {
          cell.value = v;
        } else {
          cell.value = String(v);
          cell.numFmt = '@';
        }
      });
      row.commit();
      // exceljs pushes sheet XML into the zip without backpressure (and zlib
      // runs only when the event loop gets a turn), so wait on its internal
      // pipe, and on the destination.
      const sink = zipSink();
      if (sink && needsDrain(sink)) await latch.guard(drained(sink));
      else if (needsDrain(out)) await latch.guard(drained(out));
      else if (!sink && ++sinceYield >= 1000) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (latch.error) throw latch.error;
      await latch.guard(wb.commit());
      await done;
      if (latch.error) throw latch.error;
    },
  };
}

// ---------------------------------------------------------------------------
// Import template

export type TemplateLang = 'id' | 'en';

/** One valid-looking example participant in Jakarta (Gambir, Jakarta Pusat). */
export function templateExampleRow(lang: TemplateLang): Record<ImportKey, string | number> {
  return {
    nik: '3171014101900001', // 31.71.01 Gambir, day 01 + 40 (female), 01-1990, serial 0001
    fullName: 'Siti Rahmawati',
    birthDate: '1990-01-01',
    sex: lang === 'id' ? 'P' : 'F',
    phone: '081234567890',
    email: 'siti.rahmawati@example.com',
    villageCode: '31.71.01.1001',
    street: 'Jl. Contoh Raya No. 1',
    rt: '001',
    rw: '002',
    postalCode: '10110',
    businessName: 'Warung Makan Bu Siti',
    sector: 'kuliner',
    kbli: '56102',
    products: 'Nasi uduk, gorengan, es teh',
    startedYear: 2018,
    annualRevenue: 120000000,
    capital: 15000000,
    employees: 2,
    nib: '',
    npwp: '',
    registeredAt: '2024-01-15',
    consent: 'Y',
  };
}

/**
 * Writes the participant import template: the IMPORT_COLUMNS headers in
 * Bahasa Indonesia ('id') or English ('en') and one example row. In XLSX the
 * identifier columns (NIK, phone, codes) are formatted as text as a whole.
 */
export async function writeTemplate(
  format: SheetFormat,
  lang: TemplateLang,
  target: Destination,
): Promise<void> {
  const headers = IMPORT_COLUMNS.map((c) => (lang === 'id' ? c.id : c.en));
  const textColumns = IMPORT_COLUMNS.flatMap((c, i) => (c.text ? [i] : []));
  const writer = openSheetWriter(target, format, headers, {
    sheetName: lang === 'id' ? 'Peserta' : 'Participants',
    textColumns,
  });
  const example = templateExampleRow(lang);
  await writer.write(IMPORT_COLUMNS.map((c) => example[c.key]));
  await writer.close();
}
