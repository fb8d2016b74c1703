/**
 * runImport at the service level, on real files and a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE_URL): every kind of bad row, file formats, failures that must write nothing, dry run,
 * upsert, re-runs, provenance and batches.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/core/errors.ts';
import { createCollaborator } from '../src/modules/collaborators/service.ts';
import { type ImportOptions, importReportRows, runImport } from '../src/modules/imports/service.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import { openSheetWriter } from '../src/spreadsheet/writer.ts';
import { generateRow } from '../src/testing/generator.ts';
import { freshServices, sysCtx } from './helpers.ts';
import {
  type Cells,
  cellsOf,
  countRows,
  ENGLISH_HEADERS,
  FULL_HEADERS,
  registryCounts,
  toCsv,
  writeCsv,
} from './import-fixtures.ts';

type Env = Awaited<ReturnType<typeof freshServices>>;
const envs: Env[] = [];
async function fresh(): Promise<Env> {
  const e = await freshServices();
  envs.push(e);
  return e;
}
afterEach(async () => {
  while (envs.length) await envs.pop()!.cleanup();
});

const INSERT: ImportOptions = { mode: 'insert', dryRun: false, collaboratorId: null };

async function report(env: Env, jobId: string) {
  const out: { row: number; column: string; code: string; message: string }[] = [];
  for await (const [row, column, code, message] of importReportRows(env.svc, jobId)) {
    out.push({ row, column, code, message });
  }
  return out;
}
const key = (r: { row: number; column: string; code: string }) => `${r.row}|${r.column}|${r.code}`;
const sortedKeys = (rs: { row: number; column: string; code: string }[]) => rs.map(key).sort();

async function job(env: Env, id: string) {
  return env.svc.db.kysely
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}
async function lastJob(env: Env) {
  return env.svc.db.kysely
    .selectFrom('import_jobs')
    .selectAll()
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}
async function byNik(env: Env, nik: string) {
  return env.svc.db.kysely
    .selectFrom('participants')
    .selectAll()
    .where('nik_hash', '=', env.svc.vault.hmac('nik', nik))
    .executeTakeFirst();
}
async function businessOf(env: Env, participantId: string) {
  return env.svc.db.kysely
    .selectFrom('businesses')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
}
async function decrypt(env: Env, participantId: string, value: string | null) {
  const k = await env.svc.db.kysely
    .selectFrom('person_keys')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  return value ? env.svc.vault.decrypt(env.svc.vault.unwrap(k.key_id, k.wrapped_key!), value) : null;
}
async function expectStatsOk(env: Env) {
  const v = await verifyStats(env.svc);
  expect(v.differences).toEqual([]);
  expect(v.ok).toBe(true);
}
const row = (i: number, patch: Cells = {}): Cells => ({ ...cellsOf(generateRow(i)), ...patch });
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

describe('runImport: a file with every kind of bad row', () => {
  it('counts exactly and reports row, column, code and message for each rejected row', async () => {
    const env = await fresh();
    // one NIK stored before the import
    const stored = row(100);
    const first = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'first.csv', FULL_HEADERS, [stored]),
      'first.csv',
      INSERT,
    );
    expect(first.summary).toEqual({ rows: 1, inserted: 1, updated: 0, duplicates: 0, invalid: 0 });

    const good = row(101);
    const g101 = generateRow(101);
    const sexFlip = row(105);
    sexFlip['Jenis Kelamin (L/P)'] = sexFlip['Jenis Kelamin (L/P)'] === 'P' ? 'L' : 'P';
    const rows: (Cells | { raw: string })[] = [
      // 2: valid; DD/MM/YYYY birth date and "Rp 1.500.000"
      { ...good, 'Tanggal Lahir': ddmmyyyy(g101.birthDate), 'Omzet Tahunan': 'Rp 1.500.000' },
      row(102, { NIK: '12345' }), // 3
      row(103, { NIK: '3.17101E+15' }), // 4
      row(104, { 'Tanggal Lahir': '1950-01-01' }), // 5
      sexFlip, // 6
      row(106, { 'No HP': '12345' }), // 7
      row(107, { 'Kode Kelurahan': '31.71.01.9999' }), // 8
      row(108, { 'Kode Kelurahan': '32.73.01.1001' }), // 9: Kota Bandung, outside DKI Jakarta
      row(109, { 'Nama Lengkap': '' }), // 10
      row(110, { Sektor: 'astronomi' }), // 11
      row(111, { Sektor: '', KBLI: '04123' }), // 12: no KBLI division 04
      row(112, { 'Omzet Tahunan': 'banyak' }), // 13
      row(113, { 'Tanggal Lahir': '31/02/1990' }), // 14
      row(114, { 'Tanggal Daftar': 'kemarin' }), // 15
      row(115, { 'Tanggal Daftar': '2099-01-01' }), // 16
      { ...good, 'Nama Lengkap': 'Orang Lain', 'Nama Usaha': 'Usaha Lain' }, // 17: NIK repeated in the file
      { ...stored, 'No HP': '081311112222' }, // 18: NIK already stored
      { raw: '' }, // 19: a blank line still takes a row in a spreadsheet
      // 20: several errors in one row
      row(118, { 'No HP': 'abc', Sektor: 'xyz', 'Jumlah Karyawan': '-1', 'Tahun Mulai Usaha': '1800' }),
      row(119, { Alamat: 'Jl. "Mawar"\nBlok A No. 3' }), // 21: valid, a quoted newline (one spreadsheet row)
      row(120, { NIK: 'ABCDEFGHIJKLMNOP' }), // 22
    ];
    const path = writeCsv(env.dir, 'bad.csv', FULL_HEADERS, rows);
    const res = await runImport(env.svc, sysCtx, path, 'bad.csv', INSERT);
    expect(res.summary).toEqual({ rows: 20, inserted: 2, updated: 0, duplicates: 2, invalid: 16 });

    const rep = await report(env, res.jobId);
    const expected = [
      [3, 'NIK', 'NIK_LENGTH'],
      [4, 'NIK', 'NIK_LIKELY_EXCEL_NUMBER'],
      [5, 'Tanggal Lahir', 'NIK_BIRTHDATE_MISMATCH'],
      [6, 'Jenis Kelamin (L/P)', 'NIK_SEX_MISMATCH'],
      [7, 'No HP', 'PHONE_INVALID'],
      [8, 'Kode Kelurahan', 'VILLAGE_INVALID'],
      [9, 'Kode Kelurahan', 'VILLAGE_OUTSIDE_PROGRAM'],
      [10, 'Nama Lengkap', 'REQUIRED'],
      [11, 'Sektor', 'SECTOR_INVALID'],
      [12, 'KBLI', 'KBLI_DIVISION_UNKNOWN'],
      [13, 'Omzet Tahunan', 'MONEY_INVALID'],
      [14, 'Tanggal Lahir', 'DATE_INVALID'],
      [15, 'Tanggal Daftar', 'DATE_INVALID'],
      [16, 'Tanggal Daftar', 'REGISTERED_AT_INVALID'],
      [17, 'NIK', 'NIK_DUPLICATE_IN_FILE'],
      [18, 'NIK', 'NIK_ALREADY_REGISTERED'],
      [20, 'No HP', 'PHONE_INVALID'],
      [20, 'Sektor', 'SECTOR_INVALID'],
      [20, 'Jumlah Karyawan', 'INTEGER_INVALID'],
      [20, 'Tahun Mulai Usaha', 'STARTED_YEAR_INVALID'],
      [22, 'NIK', 'NIK_NOT_DIGITS'],
    ].map(([r, c, code]) => `${r}|${c}|${code}`);
    expect(sortedKeys(rep)).toEqual([...expected].sort());
    // rows come in file order, each with a readable message (not just the code)
    expect(rep.map((r) => r.row)).toEqual([...rep.map((r) => r.row)].sort((a, b) => a - b));
    for (const r of rep) {
      expect(r.message.length, key(r)).toBeGreaterThan(5);
      expect(r.message, key(r)).not.toBe(r.code);
    }
    const msg = (rowNo: number, code: string) => rep.find((r) => r.row === rowNo && r.code === code)!.message;
    expect(msg(4, 'NIK_LIKELY_EXCEL_NUMBER')).toMatch(/text/i);
    expect(msg(13, 'MONEY_INVALID')).toMatch(/1\.500\.000/);

    // only the two valid rows were added, with their values normalized
    expect(await countRows(env.svc, 'participants')).toBe(3);
    const p = await byNik(env, good.NIK);
    expect(p).toBeDefined();
    expect(p!.birth_date).toBe(g101.birthDate);
    expect(p!.channel).toBe('import');
    expect(p!.import_job_id).toBe(res.jobId);
    expect((await businessOf(env, p!.id)).annual_revenue).toBe(1_500_000);
    const withNewline = await byNik(env, (rows[19] as Cells).NIK);
    expect(withNewline).toBeDefined();
    expect(await decrypt(env, withNewline!.id, withNewline!.street_enc)).toBe('Jl. "Mawar" Blok A No. 3');
    const j = await job(env, res.jobId);
    expect(j.status).toBe('done');
    expect([j.rows, j.inserted, j.updated, j.duplicates, j.invalid].map(Number)).toEqual([20, 2, 0, 2, 16]);
    expect(j.format).toBe('csv');
    await expectStatsOk(env);
  });

  it('names the column as written in the file, also for duplicates under an alias header', async () => {
    const env = await fresh();
    const headers = FULL_HEADERS.map((h) => (h === 'NIK' ? 'Nomor Induk Kependudukan' : h));
    const a = row(130);
    const path = writeCsv(env.dir, 'alias.csv', headers, [
      { ...a, 'Nomor Induk Kependudukan': a.NIK },
      { ...a, 'Nomor Induk Kependudukan': a.NIK, 'Nama Lengkap': 'Orang Lain' },
      { ...row(132), 'Nomor Induk Kependudukan': '99' },
    ]);
    const res = await runImport(env.svc, sysCtx, path, 'alias.csv', INSERT);
    expect(res.summary).toEqual({ rows: 3, inserted: 1, updated: 0, duplicates: 1, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual([
      '3|Nomor Induk Kependudukan|NIK_DUPLICATE_IN_FILE',
      '4|Nomor Induk Kependudukan|NIK_LENGTH',
    ]);
  });
});

describe('runImport: file formats', () => {
  it('reads a semicolon CSV with BOM, CRLF and quoted fields', async () => {
    const env = await fresh();
    const rows = [
      row(200, { 'Nama Usaha': 'Warung; Kopi "Enak"' }),
      row(201, { 'Omzet Tahunan': '1.250.000' }),
      row(202, { 'No HP': 'x' }),
      row(203),
    ];
    const path = writeCsv(env.dir, 'semi.csv', FULL_HEADERS, rows, {
      sep: ';',
      bom: true,
      crlf: true,
      quoteAll: true,
    });
    const res = await runImport(env.svc, sysCtx, path, 'semi.csv', INSERT);
    expect(res.summary).toEqual({ rows: 4, inserted: 3, updated: 0, duplicates: 0, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual(['4|No HP|PHONE_INVALID']);
    const p = await byNik(env, rows[0].NIK);
    expect(p).toBeDefined();
    expect((await businessOf(env, p!.id)).name).toBe('Warung; Kopi "Enak"');
    const p2 = await byNik(env, rows[1].NIK);
    expect((await businessOf(env, p2!.id)).annual_revenue).toBe(1_250_000);
    // the BOM did not end up in the first header: the NIK column was found
    expect(await countRows(env.svc, 'participants')).toBe(3);
  });

  it("hides Excel's sep= line from the row numbers, and a file with a header only imports nothing", async () => {
    const env = await fresh();
    const body = toCsv(FULL_HEADERS, [row(205), row(206, { 'No HP': '7' })], { sep: ';', crlf: true });
    const path = join(env.dir, 'sep.csv');
    writeFileSync(path, `sep=;\r\n${body}`);
    const res = await runImport(env.svc, sysCtx, path, 'sep.csv', INSERT);
    expect(res.summary).toEqual({ rows: 2, inserted: 1, updated: 0, duplicates: 0, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual(['3|No HP|PHONE_INVALID']);

    const headerOnly = writeCsv(env.dir, 'header.csv', FULL_HEADERS, []);
    const h = await runImport(env.svc, sysCtx, headerOnly, 'header.csv', INSERT);
    expect(h.summary).toEqual({ rows: 0, inserted: 0, updated: 0, duplicates: 0, invalid: 0 });
    expect((await job(env, h.jobId)).status).toBe('done');
    expect(await countRows(env.svc, 'participants')).toBe(1);
  });

  it('reads a CSV saved by Excel in the Windows code page (not UTF-8)', async () => {
    const env = await fresh();
    const text = toCsv(
      FULL_HEADERS,
      [row(207, { 'Nama Lengkap': 'Andrè Sitompul', 'Nama Usaha': 'Café Andrè' })],
      {
        sep: ';',
        crlf: true,
      },
    );
    const path = join(env.dir, 'cp1252.csv');
    writeFileSync(path, Buffer.from(text, 'latin1'));
    const res = await runImport(env.svc, sysCtx, path, 'cp1252.csv', INSERT);
    expect(res.summary).toEqual({ rows: 1, inserted: 1, updated: 0, duplicates: 0, invalid: 0 });
    const p = (await byNik(env, generateRow(207).nik))!;
    expect(p.full_name).toBe('Andrè Sitompul');
    expect((await businessOf(env, p.id)).name).toBe('Café Andrè');
  });

  it('reads English headers and English values', async () => {
    const env = await fresh();
    const english = (c: Cells): Cells =>
      Object.fromEntries(FULL_HEADERS.map((h, i) => [ENGLISH_HEADERS[i], c[h]]));
    const g = generateRow(210);
    const rows = [
      english(
        row(210, {
          'Jenis Kelamin (L/P)': g.sex,
          Sektor: 'culinary',
          'Persetujuan (Y/N)': 'Yes',
        }),
      ),
      english(row(211, { Sektor: 'craft' })),
      english(row(212, { 'No HP': '0000' })),
    ];
    const path = writeCsv(env.dir, 'en.csv', ENGLISH_HEADERS, rows);
    const res = await runImport(env.svc, sysCtx, path, 'en.csv', INSERT);
    expect(res.summary).toEqual({ rows: 3, inserted: 2, updated: 0, duplicates: 0, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual(['4|Phone|PHONE_INVALID']);
    const p = await byNik(env, g.nik);
    expect(p!.sector).toBe('kuliner');
    expect(p!.sex).toBe(g.sex);
    expect(p!.consent_given).toBe(1);
    expect((await byNik(env, generateRow(211).nik))!.sector).toBe('kriya');
  });

  it('matches headers case-insensitively, ignoring punctuation and text in brackets', async () => {
    const env = await fresh();
    const rename: Record<string, string> = {
      NIK: 'nik',
      'Nama Lengkap': 'NAMA  LENGKAP',
      'Jenis Kelamin (L/P)': 'Jenis Kelamin [L/P]',
      'No HP': 'No. HP (08xx)',
      'Kode Kelurahan': 'Kode Kelurahan (31.71.01.1001)',
      'Nama Usaha': 'nama_usaha',
      Sektor: 'SEKTOR (kuliner/fashion/...)',
    };
    const headers = FULL_HEADERS.map((h) => rename[h] ?? h);
    const mk = (c: Cells): Cells => Object.fromEntries(FULL_HEADERS.map((h, i) => [headers[i], c[h]]));
    const g = generateRow(220);
    const path = writeCsv(env.dir, 'hdr.csv', headers, [mk(row(220)), mk(row(221, { 'No HP': '1' }))]);
    const res = await runImport(env.svc, sysCtx, path, 'hdr.csv', INSERT);
    expect(res.summary).toEqual({ rows: 2, inserted: 1, updated: 0, duplicates: 0, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual(['3|No. HP (08xx)|PHONE_INVALID']);
    const p = await byNik(env, g.nik);
    expect(p!.sex).toBe(g.sex);
    expect(p!.village_code).toBe(g.villageCode);
  });

  it('round-trips an XLSX written by the spreadsheet writer, with an Excel serial date', async () => {
    const env = await fresh();
    const path = join(env.dir, 'people.xlsx');
    const text = FULL_HEADERS.map((_, i) => i).filter((i) => FULL_HEADERS[i] !== 'Omzet Tahunan');
    const w = openSheetWriter(path, 'xlsx', FULL_HEADERS, { textColumns: text });
    const gens = [300, 301, 302, 303].map((i) => generateRow(i));
    for (const [n, g] of gens.entries()) {
      const c = cellsOf(g);
      await w.write(
        FULL_HEADERS.map((h) => {
          if (h === 'Omzet Tahunan') return g.annualRevenue; // a number cell
          if (h === 'Tanggal Daftar' && n === 0) return 43_466; // Excel serial for 2019-01-01
          if (h === 'No HP' && n === 3) return 'nope';
          return c[h] === '' ? null : c[h];
        }),
      );
    }
    await w.close();
    const res = await runImport(env.svc, sysCtx, path, 'people.xlsx', INSERT);
    expect(res.summary).toEqual({ rows: 4, inserted: 3, updated: 0, duplicates: 0, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual(['5|No HP|PHONE_INVALID']);
    expect((await job(env, res.jobId)).format).toBe('xlsx');
    const p = await byNik(env, gens[0].nik);
    expect(p!.registered_date).toBe('2019-01-01');
    expect(p!.registration_number).toMatch(/^JKP-2019-\d{6}$/);
    expect(p!.full_name).toBe(gens[0].fullName);
    expect((await businessOf(env, p!.id)).annual_revenue).toBe(gens[0].annualRevenue);
    await expectStatsOk(env);
  });

  it('refuses a NIK that an XLSX holds as a number, with the Excel hint', async () => {
    const env = await fresh();
    const path = join(env.dir, 'numeric.xlsx');
    const w = openSheetWriter(path, 'xlsx', FULL_HEADERS);
    const bad = cellsOf(generateRow(310));
    const ok = cellsOf(generateRow(311));
    // Excel keeps 15 significant digits: the 16th became 0
    await w.write(
      FULL_HEADERS.map((h) => (h === 'NIK' ? Number(`${bad.NIK.slice(0, 15)}0`) : bad[h] || null)),
    );
    await w.write(FULL_HEADERS.map((h) => ok[h] || null));
    await w.close();
    const res = await runImport(env.svc, sysCtx, path, 'numeric.xlsx', INSERT);
    expect(res.summary).toEqual({ rows: 2, inserted: 1, updated: 0, duplicates: 0, invalid: 1 });
    const rep = await report(env, res.jobId);
    expect(sortedKeys(rep)).toEqual(['2|NIK|NIK_EXCEL_NUMBER']);
    expect(rep[0].message).toMatch(/Excel/);
    expect(rep[0].message).toMatch(/text/i);
  });
});

describe('runImport: files that cannot be imported write nothing', () => {
  async function expectFileRefused(env: Env, path: string, name: string, code: string) {
    const before = await registryCounts(env.svc);
    let caught: unknown;
    try {
      await runImport(env.svc, sysCtx, path, name, INSERT);
    } catch (e) {
      caught = e;
    }
    expect(caught, name).toBeInstanceOf(AppError);
    const e = caught as AppError;
    expect(e.code, name).toBe(code);
    expect(e.status, name).toBeGreaterThanOrEqual(400);
    expect(e.status, name).toBeLessThan(500);
    expect(e.text.en.length, name).toBeGreaterThan(10);
    expect(e.text.id.length, name).toBeGreaterThan(10);
    expect(await registryCounts(env.svc)).toEqual(before);
    const j = await lastJob(env);
    expect(j.file_name).toBe(name);
    expect(j.status).toBe('failed');
    expect(JSON.parse(j.error!).code).toBe(code);
    expect(j.finished_at).not.toBeNull();
    return e;
  }

  it('a missing required column is an error naming the column, and no row is written', async () => {
    const env = await fresh();
    const headers = FULL_HEADERS.filter((h) => h !== 'No HP');
    const path = writeCsv(env.dir, 'nophone.csv', headers, [row(400), row(401)]);
    const e = await expectFileRefused(env, path, 'nophone.csv', 'REQUIRED_COLUMN_MISSING');
    expect(e.text.en).toContain('No HP');
    expect(await countRows(env.svc, 'participants')).toBe(0);
    expect(await countRows(env.svc, 'import_errors')).toBe(0);

    const noSector = FULL_HEADERS.filter((h) => h !== 'Sektor' && h !== 'KBLI');
    const p2 = writeCsv(env.dir, 'nosector.csv', noSector, [row(402)]);
    const e2 = await expectFileRefused(env, p2, 'nosector.csv', 'REQUIRED_COLUMN_MISSING');
    expect(e2.text.en).toMatch(/Sektor/);
    expect(e2.text.en).toMatch(/KBLI/);
  });

  it('an empty file, binary garbage, a ZIP that is not a workbook, a file that does not exist', async () => {
    const env = await fresh();
    const empty = join(env.dir, 'empty.csv');
    writeFileSync(empty, '');
    await expectFileRefused(env, empty, 'empty.csv', 'SHEET_EMPTY');

    const blank = join(env.dir, 'blank.csv');
    writeFileSync(blank, '\uFEFF\r\n\r\n   \r\n');
    await expectFileRefused(env, blank, 'blank.csv', 'SHEET_EMPTY');

    const garbage = join(env.dir, 'garbage.csv');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(garbage, bytes);
    await expectFileRefused(env, garbage, 'garbage.csv', 'SHEET_BINARY');

    const zip = join(env.dir, 'notes.xlsx');
    writeFileSync(zip, storedZip([{ name: 'notes.txt', data: Buffer.from('hello, not a workbook\n') }]));
    const ez = await expectFileRefused(env, zip, 'notes.xlsx', 'SHEET_UNREADABLE');
    expect(ez.text.en).toMatch(/CSV|XLSX/);

    const truncated = join(env.dir, 'truncated.xlsx');
    const full = join(env.dir, 'full.xlsx');
    const w = openSheetWriter(full, 'xlsx', FULL_HEADERS);
    for (let i = 0; i < 50; i++)
      await w.write(FULL_HEADERS.map((h) => cellsOf(generateRow(450 + i))[h] || null));
    await w.close();
    const { readFileSync } = await import('node:fs');
    const whole = readFileSync(full);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectFileRefused(env, truncated, 'truncated.xlsx', 'SHEET_UNREADABLE');

    const capped = await freshServices({ importXlsxMaxBytes: 1024 });
    envs.push(capped);
    const cw = openSheetWriter(join(capped.dir, 'big.xlsx'), 'xlsx', FULL_HEADERS);
    for (let i = 0; i < 20; i++)
      await cw.write(FULL_HEADERS.map((h) => cellsOf(generateRow(470 + i))[h] || null));
    await cw.close();
    const ec = await expectFileRefused(capped, join(capped.dir, 'big.xlsx'), 'big.xlsx', 'XLSX_TOO_LARGE');
    expect(ec.text.en).toMatch(/CSV/);

    const textAsXlsx = join(env.dir, 'text.xlsx');
    writeFileSync(textAsXlsx, 'NIK,Nama\n1,2\n');
    await expectFileRefused(env, textAsXlsx, 'text.xlsx', 'SHEET_UNREADABLE');

    await expect(
      runImport(env.svc, sysCtx, join(env.dir, 'missing.csv'), 'missing.csv', INSERT),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(await countRows(env.svc, 'participants')).toBe(0);
  });
});

/** A ZIP archive with stored (uncompressed) entries. */
function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('runImport: modes and provenance', () => {
  it('--dry-run writes nothing but counts exactly as the real run', async () => {
    const env = await fresh();
    const stored = row(500);
    await runImport(env.svc, sysCtx, writeCsv(env.dir, 's.csv', FULL_HEADERS, [stored]), 's.csv', INSERT);
    const rows = [
      row(501),
      row(502, { 'No HP': '123' }),
      row(503),
      { ...row(501), 'Nama Usaha': 'Usaha Kedua' },
      { ...stored },
      row(506, { Sektor: '' }),
      row(507),
    ];
    const path = writeCsv(env.dir, 'dry.csv', FULL_HEADERS, rows);
    const before = await registryCounts(env.svc);
    const dry = await runImport(env.svc, sysCtx, path, 'dry.csv', { ...INSERT, dryRun: true });
    expect(dry.summary).toEqual({ rows: 7, inserted: 3, updated: 0, duplicates: 2, invalid: 2 });
    expect(await registryCounts(env.svc)).toEqual(before);
    const dj = await job(env, dry.jobId);
    expect(dj.dry_run).toBe(1);
    expect(dj.status).toBe('done');
    const dryReport = sortedKeys(await report(env, dry.jobId));
    expect(dryReport).toEqual([
      '3|No HP|PHONE_INVALID',
      '5|NIK|NIK_DUPLICATE_IN_FILE',
      '6|NIK|NIK_ALREADY_REGISTERED',
      '7|Sektor|SECTOR_OR_KBLI_REQUIRED',
    ]);
    const real = await runImport(env.svc, sysCtx, path, 'dry.csv', INSERT);
    expect(real.summary).toEqual(dry.summary);
    expect(sortedKeys(await report(env, real.jobId))).toEqual(dryReport);
    expect(await countRows(env.svc, 'participants')).toBe(4);
    await expectStatsOk(env);
  });

  it('upsert updates the stored rows (counted as updated) and keeps the figures consistent', async () => {
    const env = await fresh();
    const originals = [600, 601, 602, 603].map((i) => row(i));
    const a = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'a.csv', FULL_HEADERS, originals),
      'a.csv',
      INSERT,
    );
    expect(a.summary.inserted).toBe(4);
    const before = await byNik(env, originals[0].NIK);
    // same people: new business name, another sector and another village (another district)
    const moved = generateRow(9_999);
    const changed = originals.map((c, n) => ({
      ...c,
      'Nama Usaha': `Usaha Baru ${n}`,
      Sektor: c.Sektor === 'jasa' ? 'kriya' : 'jasa',
      'Kode Kelurahan': n === 0 ? moved.villageCode : c['Kode Kelurahan'],
      'Kode Pos': '',
    }));
    const path = writeCsv(env.dir, 'b.csv', FULL_HEADERS, [
      ...changed,
      row(604),
      row(605, { 'No HP': '9' }),
      { ...changed[1] },
    ]);
    const b = await runImport(env.svc, sysCtx, path, 'b.csv', { ...INSERT, mode: 'upsert' });
    expect(b.summary).toEqual({ rows: 7, inserted: 1, updated: 4, duplicates: 1, invalid: 1 });
    expect(await countRows(env.svc, 'participants')).toBe(5);
    expect(await countRows(env.svc, 'businesses')).toBe(5);
    const after = await byNik(env, originals[0].NIK);
    expect(after!.id).toBe(before!.id);
    expect(after!.registration_number).toBe(before!.registration_number);
    expect(after!.village_code).toBe(moved.villageCode);
    expect(after!.district_code).toBe(moved.villageCode.slice(0, 8));
    expect(after!.sector).toBe(changed[0].Sektor);
    expect(after!.version).toBe(before!.version + 1);
    expect((await businessOf(env, after!.id)).name).toBe('Usaha Baru 0');
    await expectStatsOk(env);

    // insert mode never touches stored rows
    const c = await runImport(env.svc, sysCtx, path, 'b.csv', INSERT);
    expect(c.summary).toEqual({ rows: 7, inserted: 0, updated: 0, duplicates: 6, invalid: 1 });
    expect((await byNik(env, originals[0].NIK))!.version).toBe(after!.version);
    await expectStatsOk(env);
  });

  it('re-running the same file inserts nothing new: every row is a duplicate', async () => {
    const env = await fresh();
    const rows = Array.from({ length: 12 }, (_, n) => row(700 + n));
    const path = writeCsv(env.dir, 'again.csv', FULL_HEADERS, rows);
    const first = await runImport(env.svc, sysCtx, path, 'again.csv', INSERT);
    expect(first.summary).toEqual({ rows: 12, inserted: 12, updated: 0, duplicates: 0, invalid: 0 });
    const counts = await registryCounts(env.svc);
    const second = await runImport(env.svc, sysCtx, path, 'again.csv', INSERT);
    expect(second.summary).toEqual({ rows: 12, inserted: 0, updated: 0, duplicates: 12, invalid: 0 });
    expect(await registryCounts(env.svc)).toEqual(counts);
    const rep = await report(env, second.jobId);
    expect(rep).toHaveLength(12);
    expect(new Set(rep.map((r) => r.code))).toEqual(new Set(['NIK_ALREADY_REGISTERED']));
    expect(rep.map((r) => r.row)).toEqual(Array.from({ length: 12 }, (_, n) => n + 2));
    await expectStatsOk(env);
  });

  it("'Tanggal Daftar' keeps the original registration date and its year in the registration number", async () => {
    const env = await fresh();
    const rows = [
      row(800, { 'Tanggal Daftar': '15/03/2019' }),
      row(801, { 'Tanggal Daftar': '2018-12-31' }),
      row(802, { 'Tanggal Daftar': '01-01-2020' }),
      row(803),
    ];
    const res = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'old.csv', FULL_HEADERS, rows),
      'old.csv',
      INSERT,
    );
    expect(res.summary.inserted).toBe(4);
    const p0 = (await byNik(env, rows[0].NIK))!;
    expect(p0.registered_date).toBe('2019-03-15');
    expect(p0.registration_number).toMatch(/^JKP-2019-\d{6}$/);
    const p1 = (await byNik(env, rows[1].NIK))!;
    // midnight in Jakarta is still the 31st, not the 30th (UTC)
    expect(p1.registered_date).toBe('2018-12-31');
    expect(p1.registration_number).toMatch(/^JKP-2018-\d{6}$/);
    const p2 = (await byNik(env, rows[2].NIK))!;
    expect(p2.registered_date).toBe('2020-01-01');
    expect(p2.registration_number).toMatch(/^JKP-2020-\d{6}$/);
    const p3 = (await byNik(env, rows[3].NIK))!;
    const year = new Date().getUTCFullYear();
    expect(p3.registration_number.slice(4, 8)).toMatch(new RegExp(`^(${year}|${year + 1})$`));
    const enrol = await env.svc.db.kysely
      .selectFrom('enrolments')
      .selectAll()
      .where('participant_id', '=', p0.id)
      .executeTakeFirstOrThrow();
    expect(enrol.enrolled_at).toBe(p0.registered_at);
    const ms = await env.svc.db.kysely
      .selectFrom('milestones')
      .selectAll()
      .where('participant_id', '=', p0.id)
      .executeTakeFirstOrThrow();
    expect(ms.occurred_at).toBe(p0.registered_at);
    await expectStatsOk(env);
  });

  it('a row without consent is kept and flagged', async () => {
    const env = await fresh();
    const rows = [
      row(900, { 'Persetujuan (Y/N)': 'N' }),
      row(901, { 'Persetujuan (Y/N)': '' }),
      row(902, { 'Persetujuan (Y/N)': 'Y' }),
      row(903, { 'Persetujuan (Y/N)': 'mungkin' }),
    ];
    const res = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'c.csv', FULL_HEADERS, rows),
      'c.csv',
      INSERT,
    );
    expect(res.summary).toEqual({ rows: 4, inserted: 3, updated: 0, duplicates: 0, invalid: 1 });
    expect(sortedKeys(await report(env, res.jobId))).toEqual(['5|Persetujuan (Y/N)|YES_NO_INVALID']);
    for (const [n, given] of [
      [0, false],
      [1, false],
      [2, true],
    ] as const) {
      const p = (await byNik(env, rows[n].NIK))!;
      expect(p.consent_given).toBe(given ? 1 : 0);
      const flags = p.review_flags ? (JSON.parse(p.review_flags) as string[]) : [];
      expect(flags.includes('consent_missing')).toBe(!given);
      const consent = await env.svc.db.kysely
        .selectFrom('consents')
        .selectAll()
        .where('participant_id', '=', p.id)
        .executeTakeFirstOrThrow();
      expect(consent.given).toBe(given ? 1 : 0);
    }
    await expectStatsOk(env);
  });

  it('records the collaborator on the job, the participants and their enrolments', async () => {
    const env = await fresh();
    const col = await createCollaborator(env.svc, sysCtx, {
      name: 'Komunitas UMKM Gambir',
      type: 'community',
      stages: [],
      contact: {},
    });
    const rows = [row(1000), row(1001)];
    const res = await runImport(env.svc, sysCtx, writeCsv(env.dir, 'k.csv', FULL_HEADERS, rows), 'k.csv', {
      ...INSERT,
      collaboratorId: col.id,
    });
    expect(res.summary.inserted).toBe(2);
    expect((await job(env, res.jobId)).collaborator_id).toBe(col.id);
    for (const r of rows) {
      const p = (await byNik(env, r.NIK))!;
      expect(p.collaborator_id).toBe(col.id);
      const e = await env.svc.db.kysely
        .selectFrom('enrolments')
        .selectAll()
        .where('participant_id', '=', p.id)
        .executeTakeFirstOrThrow();
      expect(e.collaborator_id).toBe(col.id);
    }
    await expect(
      runImport(env.svc, sysCtx, writeCsv(env.dir, 'k2.csv', FULL_HEADERS, [row(1002)]), 'k2.csv', {
        ...INSERT,
        collaboratorId: '00000000-0000-4000-8000-000000000000',
      }),
    ).rejects.toMatchObject({ status: 422, errors: [{ code: 'COLLABORATOR_UNKNOWN' }] });
    expect(await countRows(env.svc, 'participants')).toBe(2);
  });
});

describe('runImport: batches', () => {
  it('small batches give the same counts, report and figures as one batch, also for NIKs repeated across batches', async () => {
    const env = await fresh();
    const rows: Cells[] = [];
    for (let n = 0; n < 23; n++) {
      if (n === 5) rows.push(row(1100, { 'No HP': '1' }));
      else if (n === 9)
        rows.push(row(1101, { 'Nama Usaha': 'Usaha Ulang' })); // repeats row 3, another batch
      else if (n === 17) rows.push(row(1102));
      else rows.push(row(1100 + n));
    }
    const path = writeCsv(env.dir, 'batches.csv', FULL_HEADERS, rows);
    const expected = { rows: 23, inserted: 20, updated: 0, duplicates: 2, invalid: 1 };
    const expectedReport = [
      '7|No HP|PHONE_INVALID',
      '11|NIK|NIK_DUPLICATE_IN_FILE',
      '19|NIK|NIK_DUPLICATE_IN_FILE',
    ].sort();

    const dry = await runImport(env.svc, sysCtx, path, 'batches.csv', {
      ...INSERT,
      dryRun: true,
      batchSize: 4,
    });
    expect(dry.summary).toEqual(expected);
    expect(sortedKeys(await report(env, dry.jobId))).toEqual(expectedReport);

    const res = await runImport(env.svc, sysCtx, path, 'batches.csv', { ...INSERT, batchSize: 4 });
    expect(res.summary).toEqual(expected);
    expect(sortedKeys(await report(env, res.jobId))).toEqual(expectedReport);
    expect(await countRows(env.svc, 'participants')).toBe(20);
    expect(await countRows(env.svc, 'nik_index')).toBe(20);
    await expectStatsOk(env);

    // the same file in upsert mode with small batches: the stored rows are updated once each, and a NIK
    // repeated in the file is a duplicate whichever batch it falls in
    const up = await runImport(env.svc, sysCtx, path, 'batches.csv', {
      ...INSERT,
      mode: 'upsert',
      batchSize: 4,
    });
    expect(up.summary).toEqual({ rows: 23, inserted: 0, updated: 20, duplicates: 2, invalid: 1 });
    expect(sortedKeys(await report(env, up.jobId))).toEqual(expectedReport);
    await expectStatsOk(env);

    // a fresh database, upsert with small batches from the start
    const env2 = await fresh();
    const up2 = await runImport(env2.svc, sysCtx, path, 'batches.csv', {
      ...INSERT,
      mode: 'upsert',
      batchSize: 4,
    });
    expect(up2.summary).toEqual(expected);
    expect(sortedKeys(await report(env2, up2.jobId))).toEqual(expectedReport);
    await expectStatsOk(env2);
  });

  it('a large file (prepared in a worker thread) gives the same result as the inline path', async () => {
    const rows: Cells[] = [];
    const long = 'Produk olahan rumahan '.repeat(20);
    for (let n = 0; n < 5000; n++) {
      if (n % 250 === 249)
        rows.push({ ...row(20_000 + n - 1499), 'Nama Usaha': 'Ulang' }); // 1499 rows back: another chunk
      else
        rows.push(
          row(20_000 + n, {
            Produk: long,
            'No HP': n % 100 === 7 ? '12' : cellsOf(generateRow(20_000 + n))['No HP'],
          }),
        );
    }
    const results = [];
    for (const inline of [false, true]) {
      const env = await fresh();
      const path = writeCsv(env.dir, 'large.csv', FULL_HEADERS, rows);
      const { statSync } = await import('node:fs');
      expect(statSync(path).size).toBeGreaterThan(2 * 1024 * 1024);
      const saved = process.env.JKP_IMPORT_INLINE;
      if (inline) process.env.JKP_IMPORT_INLINE = '1';
      else delete process.env.JKP_IMPORT_INLINE;
      try {
        const res = await runImport(env.svc, sysCtx, path, 'large.csv', INSERT);
        results.push({ summary: res.summary, report: sortedKeys(await report(env, res.jobId)) });
      } finally {
        if (saved === undefined) delete process.env.JKP_IMPORT_INLINE;
        else process.env.JKP_IMPORT_INLINE = saved;
      }
      expect(await countRows(env.svc, 'participants')).toBe(results.at(-1)!.summary.inserted);
      await expectStatsOk(env);
    }
    expect(results[0].summary).toEqual({
      rows: 5000,
      inserted: 4935,
      updated: 0,
      duplicates: 15,
      invalid: 50,
    });
    expect(results[0].report).toHaveLength(65);
    expect(results[0].report).toContain('1501|NIK|NIK_DUPLICATE_IN_FILE');
    expect(results[0].report).toContain('9|No HP|PHONE_INVALID');
    expect(results[1]).toEqual(results[0]);
  });

  it('many batches of mixed rows keep stats verify in agreement', async () => {
    const env = await fresh();
    const rows: Cells[] = [];
    for (let n = 0; n < 150; n++) {
      const r = row(1300 + n);
      if (n % 10 === 3) r['No HP'] = 'x';
      if (n % 25 === 7) r['Persetujuan (Y/N)'] = 'N';
      if (n % 30 === 11) r['Tanggal Daftar'] = '2021-06-0' + ((n % 9) + 1);
      rows.push(r);
    }
    const res = await runImport(env.svc, sysCtx, writeCsv(env.dir, 'm.csv', FULL_HEADERS, rows), 'm.csv', {
      ...INSERT,
      batchSize: 7,
    });
    expect(res.summary).toEqual({ rows: 150, inserted: 135, updated: 0, duplicates: 0, invalid: 15 });
    expect(await countRows(env.svc, 'participants')).toBe(135);
    expect(await countRows(env.svc, 'milestones')).toBe(135);
    const j = await job(env, res.jobId);
    expect(Number(j.bytes_read)).toBe(Number(j.total_bytes));
    await expectStatsOk(env);
  });
});
