import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectDelimiter,
  formatNumber,
  openSheet,
  SheetError,
  type SheetReader,
  type SheetRow,
} from './reader.ts';
import { makeHandmadeXlsx, makeTempDir, makeZip } from './test-fixtures.ts';
import { openSheetWriter } from './writer.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(async () => {
  await cleanup();
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}

async function readAll(reader: SheetReader): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const row of reader.rows()) out.push(row);
  return out;
}

async function sheetError(p: Promise<unknown>): Promise<SheetError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SheetError);
    return err as SheetError;
  }
  throw new Error('expected a SheetError');
}

describe('CSV', () => {
  it('reads a semicolon CSV with BOM, CRLF, quoted newline and delimiter, ragged and blank rows', async () => {
    const csv =
      '\uFEFFNIK;Nama Lengkap;Alamat;No HP\r\n' +
      '3171014101900001;  Siti Rahmawati ;"Jl. Merdeka; No. 1\r\nRT 01";081234567890\r\n' +
      '3171014101900002;Budi\r\n' + // short row
      '\r\n' + // blank line: still a row in a spreadsheet
      '3171014101900003;Ani;Jl. X;0813;extra;more\r\n' + // long row
      ';  ;;\r\n' + // only empty fields: skipped
      '3171014101900004;"Dewi ""Dee"" Lestari";;0814\r\n';
    const reader = await openSheet(await file('semicolon.csv', csv));
    expect(reader.format).toBe('csv');
    expect(reader.headers).toEqual(['NIK', 'Nama Lengkap', 'Alamat', 'No HP']);
    const rows = await readAll(reader);
    expect(rows).toEqual([
      {
        rowNumber: 2,
        values: ['3171014101900001', 'Siti Rahmawati', 'Jl. Merdeka; No. 1\r\nRT 01', '081234567890'],
      },
      { rowNumber: 3, values: ['3171014101900002', 'Budi', '', ''] },
      { rowNumber: 5, values: ['3171014101900003', 'Ani', 'Jl. X', '0813'] },
      { rowNumber: 7, values: ['3171014101900004', 'Dewi "Dee" Lestari', '', '0814'] },
    ]);
    expect(reader.bytesRead()).toBe(reader.totalBytes);
    expect(reader.totalBytes).toBe(Buffer.byteLength(csv));
  });

  it('reads a comma CSV with LF and no BOM; semicolons inside quotes do not count', async () => {
    const csv = '"Nama; Lengkap",NIK,"Alamat; RT; RW"\nSiti,3171014101900001,"Jl. A, No. 2"\n\n\nBudi,2,x\n';
    const reader = await openSheet(await file('comma.txt', csv));
    expect(reader.headers).toEqual(['Nama; Lengkap', 'NIK', 'Alamat; RT; RW']);
    expect(await readAll(reader)).toEqual([
      { rowNumber: 2, values: ['Siti', '3171014101900001', 'Jl. A, No. 2'] },
      { rowNumber: 5, values: ['Budi', '2', 'x'] },
    ]);
  });

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('"a,b";c;d')).toBe(';');
    expect(detectDelimiter('"a;b;c",d')).toBe(',');
    expect(detectDelimiter('single')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });

  it('skips blank lines before the header, drops trailing empty headers and honours "sep="', async () => {
    let reader = await openSheet(await file('lead.csv', '\n\nNIK;Nama;;\n1;A;;\n'));
    expect(reader.headers).toEqual(['NIK', 'Nama']);
    expect(await readAll(reader)).toEqual([{ rowNumber: 4, values: ['1', 'A'] }]);

    reader = await openSheet(await file('sep.csv', 'sep=;\r\nNIK;Nama\r\n1;A, B\r\n'));
    expect(reader.headers).toEqual(['NIK', 'Nama']);
    expect(await readAll(reader)).toEqual([{ rowNumber: 2, values: ['1', 'A, B'] }]);
  });

  it('tolerates quotes inside unquoted fields and a last line without newline', async () => {
    const reader = await openSheet(await file('quotes.csv', 'Nama,Usaha\nSiti,Warung "Bu Siti"\nBudi,Toko'));
    expect(await readAll(reader)).toEqual([
      { rowNumber: 2, values: ['Siti', 'Warung "Bu Siti"'] },
      { rowNumber: 3, values: ['Budi', 'Toko'] },
    ]);
  });

  it('reads Windows-1252 text that is not valid UTF-8', async () => {
    const bytes = Buffer.from('Nama;Kota\r\nJos\xe9 \x93Pepe\x94;Bandung\r\n', 'latin1');
    const reader = await openSheet(await file('cp1252.csv', bytes));
    expect(await readAll(reader)).toEqual([{ rowNumber: 2, values: ['José “Pepe”', 'Bandung'] }]);
  });

  it('fails clearly on an unclosed quote', async () => {
    const reader = await openSheet(await file('unclosed.csv', 'a,b\n1,2\n3,"oops\n5,6\n'));
    const err = await sheetError(readAll(reader));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/quote/);
  });

  it('stops early with close() and allows rows() once', async () => {
    const lines = ['NIK,Nama'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},Nama ${i}`);
    const reader = await openSheet(await file('early.csv', lines.join('\n')));
    let n = 0;
    for await (const row of reader.rows()) {
      n++;
      if (row.rowNumber === 10) break;
    }
    expect(n).toBe(9);
    await reader.close();
    await expect(reader.rows()[Symbol.asyncIterator]().next()).rejects.toThrow(/once/);
  });

  it('reads a generated 200,000-row CSV', async () => {
    const p = join(dir, 'large.csv');
    const out = createWriteStream(p);
    out.write('\uFEFFNIK;Nama Lengkap;No HP;Kode Kelurahan;Nama Usaha;Sektor;Omzet Tahunan\r\n');
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      const line = `${3171014101900000 + i};"Peserta ${i}; Jakarta";0812${String(i).padStart(8, '0')};31.71.01.1001;Usaha ${i};kuliner;Rp ${i}.000\r\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    const reader = await openSheet(p);
    expect(reader.headers).toHaveLength(7);
    let count = 0;
    let last: SheetRow | undefined;
    for await (const row of reader.rows()) {
      count++;
      last = row;
    }
    expect(count).toBe(N);
    expect(last?.rowNumber).toBe(N + 1);
    expect(last?.values[1]).toBe(`Peserta ${N - 1}; Jakarta`);
    expect(reader.bytesRead()).toBe(reader.totalBytes);
  });
});

describe('unreadable files', () => {
  it('rejects an empty file', async () => {
    const err = await sheetError(openSheet(await file('empty.csv', '')));
    expect(err.code).toBe('SHEET_EMPTY');
  });

  it('rejects a file with only a BOM and blank lines', async () => {
    const err = await sheetError(openSheet(await file('blank.csv', '\uFEFF\r\n \r\n;;\r\n')));
    expect(err.code).toBe('SHEET_EMPTY');
  });

  it('rejects binary garbage', async () => {
    const garbage = Buffer.concat([Buffer.from('NIK,Nama\n'), randomBytes(4096), Buffer.from([0, 0, 1])]);
    const err = await sheetError(openSheet(await file('garbage.csv', garbage)));
    expect(err.code).toBe('SHEET_BINARY');
  });

  it('rejects binary data without NUL bytes, and PDFs', async () => {
    const noNul = Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + (i % 255)));
    expect((await sheetError(openSheet(await file('ctrl.csv', noNul)))).code).toBe('SHEET_BINARY');
    const pdf = await file('doc.csv', '%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
    const err = await sheetError(openSheet(pdf));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/PDF/);
  });

  it('names old .xls / encrypted workbooks and UTF-16 text', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    let err = await sheetError(openSheet(await file('old.xls', ole)));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/\.xls/);
    err = await sheetError(openSheet(await file('utf16.csv', Buffer.from('\uFEFFNIK,Nama\r\n', 'utf16le'))));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/UTF-16/);
  });

  it('rejects a zip that is not an XLSX workbook', async () => {
    const zip = makeZip([{ name: 'readme.txt', data: 'hello' }]);
    const err = await sheetError(openSheet(await file('notes.zip', zip)));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/not an XLSX/);
  });

  it('rejects corrupt and truncated XLSX files', async () => {
    const garbage = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(3000)]);
    let err = await sheetError(openSheet(await file('garbage.xlsx', garbage)));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/damaged or incomplete/);

    const p = join(dir, 'big.xlsx');
    const w = openSheetWriter(p, 'xlsx', ['NIK', 'Nama']);
    for (let i = 0; i < 20_000; i++) await w.write([String(i), `Nama ${i} ${i * 7919}`]);
    await w.close();
    const big = await readFile(p);
    const cut = await file('big-cut.xlsx', big.subarray(0, Math.floor(big.length / 2)));
    err = await sheetError(openSheet(cut));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/damaged or incomplete/);
  });

  it('fails instead of hanging when a zip entry ends early inside an intact directory', async () => {
    const good = makeHandmadeXlsx();
    // Claim a larger size for the main worksheet in its local header: the
    // streaming unzipper then runs out of data in the middle of that entry.
    const at = good.indexOf('xl/worksheets/sheet2.xml') - 30;
    expect(good.readUInt32LE(at)).toBe(0x04034b50);
    const broken = Buffer.from(good);
    broken.writeUInt32LE(broken.readUInt32LE(at + 18) + 100_000, at + 18);
    broken.writeUInt32LE(broken.readUInt32LE(at + 22) + 100_000, at + 22);
    const p = await file('short-entry.xlsx', broken);
    const err = await sheetError(openSheet(p).then(readAll));
    expect(err.code).toBe('SHEET_UNREADABLE');
    expect(err.message).toMatch(/damaged or incomplete/);
  });

  it('rejects a damaged worksheet', async () => {
    const good = makeHandmadeXlsx();
    const broken = Buffer.from(good);
    const at = broken.indexOf('<row r="5"');
    broken.write('<<<<<<<<<<', at, 'latin1');
    const err = await sheetError(openSheet(await file('bad-xml.xlsx', broken)).then(readAll));
    expect(err.code).toBe('SHEET_UNREADABLE');
  });

  it('rejects an .xlsx name with CSV content, and a forced format that does not fit', async () => {
    const p = await file('fake.xlsx', 'NIK,Nama\n1,A\n');
    expect((await sheetError(openSheet(p))).code).toBe('SHEET_UNREADABLE');
    const reader = await openSheet(p, { format: 'csv' });
    expect(reader.headers).toEqual(['NIK', 'Nama']);
    await reader.close();
    const csv = await file('real.csv', 'NIK,Nama\n1,A\n');
    expect((await sheetError(openSheet(csv, { format: 'xlsx' }))).code).toBe('SHEET_UNREADABLE');
  });

  it('rejects a missing file', async () => {
    expect((await sheetError(openSheet(join(dir, 'nope.csv')))).code).toBe('SHEET_UNREADABLE');
  });
});

describe('XLSX', () => {
  it('round-trips a file written by the streaming writer', async () => {
    const p = join(dir, 'roundtrip.xlsx');
    const w = openSheetWriter(p, 'xlsx', ['NIK', 'Nama', 'Omzet', 'Catatan']);
    await w.write(['3171014101900001', 'Siti', 1500000, '=1+1']);
    await w.write(['0031', null, 2.5, 'A & B <c> "d"']);
    await w.write(['3171014101900003', 'Budi']); // short row
    await w.close();
    const reader = await openSheet(p);
    expect(reader.format).toBe('xlsx');
    expect(reader.headers).toEqual(['NIK', 'Nama', 'Omzet', 'Catatan']);
    expect(await readAll(reader)).toEqual([
      {
        rowNumber: 2,
        values: ['3171014101900001', 'Siti', '1500000', '=1+1'],
        numeric: [false, false, true, false],
      },
      { rowNumber: 3, values: ['0031', '', '2.5', 'A & B <c> "d"'], numeric: [false, false, true, false] },
      { rowNumber: 4, values: ['3171014101900003', 'Budi', '', ''], numeric: [false, false, false, false] },
    ]);
  });

  it('converts numbers, dates, rich text, formulas, booleans, hyperlinks and errors (exceljs Workbook)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Peserta');
    ws.addRow(['NIK', 'Nama', 'Tanggal Lahir', 'Aktif', 'Rumus', 'Situs', 'Galat', 'Besar']);
    const row = ws.addRow([
      3171014101900001, // Excel itself would keep only 15 digits: 3171014101900000
      { richText: [{ text: 'Siti ' }, { text: 'Rahmawati', font: { bold: true } }] },
      new Date(Date.UTC(1990, 0, 1)),
      true,
      { formula: 'C2+1', result: new Date(Date.UTC(1990, 0, 2)) },
      { text: 'toko', hyperlink: 'https://example.com' },
      { error: '#N/A' },
      1.5e21,
    ]);
    row.getCell(3).numFmt = 'dd/mm/yyyy';
    row.getCell(5).numFmt = 'yyyy-mm-dd';
    wb.addWorksheet('Lain').addRow(['not read']);
    const p = join(dir, 'workbook.xlsx');
    await wb.xlsx.writeFile(p);

    const reader = await openSheet(p);
    expect(reader.headers).toEqual([
      'NIK',
      'Nama',
      'Tanggal Lahir',
      'Aktif',
      'Rumus',
      'Situs',
      'Galat',
      'Besar',
    ]);
    const rows = await readAll(reader);
    expect(rows).toEqual([
      {
        rowNumber: 2,
        values: [
          '3171014101900001',
          'Siti Rahmawati',
          '1990-01-01',
          'TRUE',
          '1990-01-02',
          'toko',
          '#N/A',
          '1500000000000000000000',
        ],
        numeric: [true, false, false, false, false, false, false, true],
      },
    ]);
    expect(reader.bytesRead()).toBe(reader.totalBytes);
  });

  it('reads a hand-made workbook: first sheet in workbook order, shared strings first, blank rows, serial 60', async () => {
    const reader = await openSheet(await file('handmade.bin', makeHandmadeXlsx()));
    expect(reader.format).toBe('xlsx');
    expect(reader.headers).toEqual(['NIK', 'Nama', 'Tanggal Lahir', 'No HP', 'Aktif', 'Rumus', 'Nilai']);
    expect(await readAll(reader)).toEqual([
      {
        rowNumber: 3,
        values: [
          '3171014101900000',
          'Bu Siti & Co',
          '1990-01-01',
          '081234567890',
          'TRUE',
          '081234567890',
          '1500000000000000000000',
        ],
        numeric: [true, false, false, false, false, false, true],
      },
      {
        rowNumber: 5,
        values: ['NIK', '', '1900-02-29', '', 'FALSE', '2024-01-01', '0.3'],
        numeric: [false, false, false, false, false, false, true],
      },
      {
        rowNumber: 6,
        values: ['#N/A', '', '', '', '', '', '0.0000001'],
        numeric: [false, false, false, false, false, false, true],
      },
    ]);
  });

  it('honours the 1904 date system', async () => {
    const reader = await openSheet(await file('handmade1904.xlsx', makeHandmadeXlsx({ date1904: true })));
    const rows = await readAll(reader);
    expect(rows[0].values[2]).toBe('1994-01-02');
  });

  it('rejects a workbook whose first sheet is empty', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Kosong');
    const p = join(dir, 'emptysheet.xlsx');
    await wb.xlsx.writeFile(p);
    expect((await sheetError(openSheet(p))).code).toBe('SHEET_EMPTY');
  });

  it('can be closed before reading rows', async () => {
    const p = join(dir, 'close.xlsx');
    const w = openSheetWriter(p, 'xlsx', ['A']);
    for (let i = 0; i < 100; i++) await w.write([String(i)]);
    await w.close();
    const reader = await openSheet(p);
    await reader.close();
    await reader.close();
    expect(await readAll(reader)).toEqual([]);
  });
});

describe('formatNumber', () => {
  it('never uses exponents', () => {
    expect(formatNumber(3171014101900000)).toBe('3171014101900000');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-12.5)).toBe('-12.5');
  });
});
