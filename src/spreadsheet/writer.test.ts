import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, mapHeaders } from './headers.ts';
import { openSheet, type SheetRow } from './reader.ts';
import { makeTempDir } from './test-fixtures.ts';
import { parseDate, parseIntStrict, parseMoney, parseSex, parseYesNo } from './values.ts';
import { openSheetWriter, type SheetWriter, templateExampleRow, writeTemplate } from './writer.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(async () => {
  await cleanup();
});

async function readRows(path: string): Promise<{ headers: string[]; rows: SheetRow[] }> {
  const reader = await openSheet(path);
  const rows: SheetRow[] = [];
  for await (const r of reader.rows()) rows.push(r);
  return { headers: reader.headers, rows };
}

function collect(): { stream: PassThrough; done: Promise<Buffer> } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
  return { stream, done };
}

/** A destination that accepts nothing until release() is called. */
function stalled(): { stream: Writable; release: () => void; bytes: () => number } {
  let bytes = 0;
  let held: (() => void)[] | null = [];
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (held) held.push(() => cb());
      else cb();
    },
  });
  return {
    stream,
    bytes: () => bytes,
    release: () => {
      const h = held ?? [];
      held = null;
      for (const cb of h) cb();
    },
  };
}

async function writeMany(w: SheetWriter, n: number, progress: { rows: number }): Promise<void> {
  for (let i = 0; i < n; i++) {
    await w.write([String(3171014101900000 + i), `Peserta nomor ${i} dari Jakarta`, i * 1000]);
    progress.rows++;
  }
  await w.close();
}

describe('CSV writer', () => {
  it('writes a BOM, CRLF and quotes where needed', async () => {
    const p = join(dir, 'out.csv');
    const w = openSheetWriter(p, 'csv', ['NIK', 'Nama', 'Alamat', 'Omzet']);
    await w.write(['3171014101900001', 'Siti "Sri" Rahmawati', 'Jl. A, No. 1\nRT 01', 1500000]);
    await w.write(['0031', null, undefined, 0]);
    await w.close();
    const buf = await readFile(p);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.subarray(3).toString('utf8')).toBe(
      'NIK,Nama,Alamat,Omzet\r\n' +
        '3171014101900001,"Siti ""Sri"" Rahmawati","Jl. A, No. 1\nRT 01",1500000\r\n' +
        '0031,,,0\r\n',
    );
    const back = await readRows(p);
    expect(back.headers).toEqual(['NIK', 'Nama', 'Alamat', 'Omzet']);
    expect(back.rows).toEqual([
      {
        rowNumber: 2,
        values: ['3171014101900001', 'Siti "Sri" Rahmawati', 'Jl. A, No. 1\nRT 01', '1500000'],
      },
      { rowNumber: 3, values: ['0031', '', '', '0'] },
    ]);
  });

  it('can escape formulas', async () => {
    const { stream, done } = collect();
    const w = openSheetWriter(stream, 'csv', ['A', 'B'], { escapeFormulas: true });
    await w.write(['=HYPERLINK("x")', '+62812']);
    await w.close();
    expect((await done).toString('utf8')).toBe('\uFEFFA,B\r\n"\'=HYPERLINK(""x"")",\'+62812\r\n');
  });

  it('respects backpressure', async () => {
    const dest = stalled();
    const w = openSheetWriter(dest.stream, 'csv', ['NIK', 'Nama', 'Omzet']);
    const progress = { rows: 0 };
    const all = writeMany(w, 50_000, progress);
    await new Promise((r) => setTimeout(r, 200));
    expect(progress.rows).toBeLessThan(5_000);
    dest.release();
    await all;
    expect(progress.rows).toBe(50_000);
  });

  it('rejects writes after close and reports destination errors', async () => {
    const w = openSheetWriter(join(dir, 'closed.csv'), 'csv', ['A']);
    await w.close();
    await expect(w.write(['x'])).rejects.toThrow(/closed/);
    const bad = openSheetWriter(join(dir, 'no-such-dir', 'x.csv'), 'csv', ['A']);
    await expect(
      (async () => {
        await bad.write(['x']);
        await bad.close();
      })(),
    ).rejects.toThrow(/ENOENT/);
  });
});

describe('XLSX writer', () => {
  it('keeps strings as text (format @) and numbers as numbers', async () => {
    const { stream, done } = collect();
    const w = openSheetWriter(stream, 'xlsx', ['NIK', 'Nama', 'Omzet', 'RT'], { textColumns: [0, 3] });
    await w.write(['3171014101900001', 'Siti', 1500000, '001']);
    await w.write([null, '', 2.5, undefined]);
    await w.close();
    const p = join(dir, 'typed.xlsx');
    await writeFile(p, await done);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(p);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Sheet1');
    expect(ws.getCell('A2').value).toBe('3171014101900001');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(ws.getCell('C2').value).toBe(1500000);
    expect(ws.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell('D2').value).toBe('001');
    expect(ws.getColumn(1).numFmt).toBe('@');
    expect(ws.getCell('A3').value).toBeNull();

    const back = await readRows(p);
    expect(back.rows).toEqual([
      {
        rowNumber: 2,
        values: ['3171014101900001', 'Siti', '1500000', '001'],
        numeric: [false, false, true, false],
      },
      { rowNumber: 3, values: ['', '', '2.5', ''], numeric: [false, false, true, false] },
    ]);
  });

  it('respects backpressure', async () => {
    const dest = stalled();
    const w = openSheetWriter(dest.stream, 'xlsx', ['NIK', 'Nama', 'Omzet']);
    const progress = { rows: 0 };
    const all = writeMany(w, 50_000, progress);
    await new Promise((r) => setTimeout(r, 300));
    expect(progress.rows).toBeLessThan(10_000);
    dest.release();
    await all;
    expect(progress.rows).toBe(50_000);
    expect(dest.bytes()).toBeGreaterThan(0);
  });
});

describe('destination failures', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`rejects instead of hanging when a ${format} destination goes away`, async () => {
      let bytes = 0;
      const dest = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (bytes > 20_000)
            dest.destroy(); // like an HTTP client that disconnects
          else setImmediate(cb);
        },
      });
      const w = openSheetWriter(dest, format, ['A', 'B']);
      const run = async () => {
        for (let i = 0; i < 100_000; i++) await w.write([`x${i}`, `some longer value ${i}`]);
        await w.close();
      };
      await expect(run()).rejects.toThrow(/Premature close/);
    });
  }
});

describe('writeTemplate', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    for (const lang of ['id', 'en'] as const) {
      it(`writes a ${format} template in ${lang} that imports cleanly`, async () => {
        const p = join(dir, `template-${lang}.${format}`);
        await writeTemplate(format, lang, p);
        const { headers, rows } = await readRows(p);
        expect(headers).toEqual(IMPORT_COLUMNS.map((c) => c[lang]));
        const mapping = mapHeaders(headers);
        expect(mapping.missingRequired).toEqual([]);
        expect(mapping.unknown).toEqual([]);
        expect(mapping.columns.size).toBe(IMPORT_COLUMNS.length);
        expect(rows).toHaveLength(1);
        const get = (k: (typeof IMPORT_COLUMNS)[number]['key']) => rows[0].values[mapping.columns.get(k)!];
        expect(get('nik')).toBe('3171014101900001');
        expect(get('villageCode')).toBe('31.71.01.1001');
        expect(get('phone')).toBe('081234567890');
        expect(get('rt')).toBe('001');
        expect(get('sector')).toBe('kuliner');
        expect(parseDate(get('birthDate'))).toEqual({ ok: true, value: '1990-01-01' });
        expect(parseSex(get('sex'))).toEqual({ ok: true, value: 'F' });
        expect(parseMoney(get('annualRevenue'))).toEqual({ ok: true, value: 120_000_000 });
        expect(parseMoney(get('capital')).ok).toBe(true);
        expect(parseIntStrict(get('employees')).ok).toBe(true);
        expect(parseIntStrict(get('startedYear'))).toEqual({ ok: true, value: 2018 });
        expect(parseYesNo(get('consent'))).toEqual({ ok: true, value: true });
        if (format === 'xlsx') {
          expect(rows[0].numeric?.[mapping.columns.get('nik')!]).toBe(false);
        }
      });
    }
  }

  it('uses L/P in the Indonesian example and M/F in the English one', () => {
    expect(templateExampleRow('id').sex).toBe('P');
    expect(templateExampleRow('en').sex).toBe('F');
  });
});
