/**
 * The `jakpreneur` CLI as an operator runs it: a child process on the project's Node binary, real files,
 * a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createCollaborator } from '../src/modules/collaborators/service.ts';
import { IMPORT_COLUMNS } from '../src/spreadsheet/headers.ts';
import { generateRow } from '../src/testing/generator.ts';
import { freshServices, sysCtx } from './helpers.ts';
import {
  type Cells,
  cellsOf,
  cliEnv,
  countRows,
  emptyDatabase,
  FULL_HEADERS,
  registryCounts,
  runCli,
  writeCsv,
} from './import-fixtures.ts';

type Env = Awaited<ReturnType<typeof freshServices>>;
let env: Env;
let cli: NodeJS.ProcessEnv;
beforeAll(async () => {
  env = await freshServices();
  cli = cliEnv(env.databaseUrl, env.dir);
});
afterAll(async () => env.cleanup());

const row = (i: number, patch: Cells = {}): Cells => ({ ...cellsOf(generateRow(i)), ...patch });
const SUMMARY_KEYS = ['duplicates', 'inserted', 'invalid', 'rows', 'updated'];

/** Runs the commands a few at a time (each is a process start of about a second). */
async function runAll(list: string[][], e = cli, width = 4) {
  const out: Awaited<ReturnType<typeof runCli>>[] = [];
  for (let i = 0; i < list.length; i += width) {
    out.push(...(await Promise.all(list.slice(i, i + width).map((a) => runCli(a, e)))));
  }
  return out;
}

function jsonLine(stdout: string) {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, stdout).toHaveLength(1);
  expect(stdout.endsWith('\n')).toBe(true);
  return JSON.parse(lines[0]);
}

describe('jakpreneur nik parse', () => {
  it('prints the documented JSON for a valid NIK and exits 0; exits 1 for an invalid one', async () => {
    const [ok, text, bad, badText] = await runAll([
      ['nik', 'parse', '3171014101900001', '--json'],
      ['nik', 'parse', '3171014101900001'],
      ['nik', 'parse', '3171014101900000', '--json'],
      ['nik', 'parse', '12345'],
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const j = jsonLine(ok.stdout);
    expect(j).toEqual({
      valid: true,
      nik: '3171014101900001',
      provinceCode: '31',
      regencyCode: '3171',
      districtCode: '317101',
      provinceName: expect.stringMatching(/Jakarta/),
      regencyName: expect.stringMatching(/Jakarta Pusat/),
      districtName: 'Gambir',
      sex: 'F',
      birthDate: '1990-01-01',
      birthDateCandidates: ['1990-01-01'],
      serial: '0001',
      errors: [],
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/valid/);
    expect(text.stdout).toMatch(/Gambir/);
    expect(text.stdout).toMatch(/1990-01-01/);

    expect(bad.code).toBe(1);
    const b = jsonLine(bad.stdout);
    expect(b.valid).toBe(false);
    expect(b.errors.map((e: { code: string }) => e.code)).toContain('NIK_SERIAL_ZERO');
    expect(b.errors[0].message.length).toBeGreaterThan(10);
    expect(badText.code).toBe(1);
    expect(badText.stdout).toMatch(/invalid/);
    expect(badText.stdout).toMatch(/NIK_LENGTH/);
  });
});

describe('usage errors', () => {
  it('exit 2 in every command', async () => {
    const file = writeCsv(env.dir, 'usage.csv', FULL_HEADERS, [row(3000)]);
    const cases = [
      ['frobnicate'],
      ['nik', 'parse'],
      ['nik', 'parse', '3171014101900001', '--verbose'],
      ['import', 'participants'],
      ['import', 'participants', file, '--mode', 'replace'],
      ['import', 'participants', file, '--bogus'],
      ['import', 'participants', file, '--as', 'nobody@nowhere.test'],
      ['import', 'nothing', file],
      ['export', 'participants', '--format', 'pdf'],
      ['export', 'participants', '--format', 'xlsx'],
      ['user', 'create', '--email', 'x@y.test', '--password', 'long-enough-1'],
      ['user', 'create', '--email', 'x@y.test', '--role', 'king'],
      ['stats', 'verify', '--nope'],
      ['stats', 'recount'],
      ['backup'],
      ['restore'],
      ['restore', join(env.dir, 'no-such-backup.db')],
      ['serve', '--port', 'eighty'],
      ['migrate', '--force'],
    ];
    const results = await runAll(cases);
    for (const [n, r] of results.entries()) {
      expect({ args: cases[n].join(' '), code: r.code }).toEqual({ args: cases[n].join(' '), code: 2 });
      expect(r.stderr, cases[n].join(' ')).toMatch(/error/i);
    }
    // nothing was imported by the refused import commands
    expect(await countRows(env.svc, 'participants')).toBe(0);
  });
});

describe('jakpreneur import participants', () => {
  it('--json prints exactly one JSON line with the summary, exits 0 with bad rows, and --report writes them', async () => {
    const stored = row(3100);
    const first = await runCli(
      ['import', 'participants', writeCsv(env.dir, 'one.csv', FULL_HEADERS, [stored]), '--json'],
      cli,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(jsonLine(first.stdout)).toEqual({ rows: 1, inserted: 1, updated: 0, duplicates: 0, invalid: 0 });

    const rows = [
      row(3101),
      row(3102, { 'No HP': '12' }),
      row(3103, { NIK: '3.17101E+15' }),
      { ...stored },
      row(3104),
      { ...row(3101), 'Nama Usaha': 'Lagi' },
      row(3105, { 'Kode Kelurahan': '32.73.01.1001', Sektor: 'sihir' }),
    ];
    const path = writeCsv(env.dir, 'mixed.csv', FULL_HEADERS, rows);
    const reportPath = join(env.dir, 'mixed-report.csv');
    const res = await runCli(['import', 'participants', path, '--json', '--report', reportPath], cli);
    expect(res.code, res.stderr).toBe(0);
    const s = jsonLine(res.stdout);
    expect(Object.keys(s).sort()).toEqual(SUMMARY_KEYS);
    expect(s).toEqual({ rows: 7, inserted: 2, updated: 0, duplicates: 2, invalid: 3 });
    expect(await countRows(env.svc, 'participants')).toBe(3);

    const rep = parse(readFileSync(reportPath), { bom: true }) as string[][];
    expect(rep[0]).toEqual(['Baris / Row', 'Kolom / Column', 'Kode / Code', 'Pesan / Message']);
    expect(rep.slice(1).map((r) => r.slice(0, 3).join('|'))).toEqual(
      expect.arrayContaining([
        '3|No HP|PHONE_INVALID',
        '4|NIK|NIK_LIKELY_EXCEL_NUMBER',
        '5|NIK|NIK_ALREADY_REGISTERED',
        '7|NIK|NIK_DUPLICATE_IN_FILE',
        '8|Kode Kelurahan|VILLAGE_OUTSIDE_PROGRAM',
        '8|Sektor|SECTOR_INVALID',
      ]),
    );
    expect(rep).toHaveLength(7);
    for (const r of rep.slice(1)) expect(r[3].length).toBeGreaterThan(5);

    // without --json: nothing on stdout, a readable summary on stderr
    const again = await runCli(['import', 'participants', path], cli);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/7 rows: 0 inserted, 0 updated, 4 duplicates, 3 invalid/);
  });

  it('--dry-run counts the same and writes nothing; --mode upsert updates; --collaborator is recorded', async () => {
    const rows = [row(3200), row(3201), row(3202, { 'No HP': '0' })];
    const path = writeCsv(env.dir, 'modes.csv', FULL_HEADERS, rows);
    const before = await registryCounts(env.svc);
    const dryReport = join(env.dir, 'dry-report.csv');
    const dry = await runCli(
      ['import', 'participants', path, '--dry-run', '--json', '--report', dryReport],
      cli,
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(jsonLine(dry.stdout)).toEqual({ rows: 3, inserted: 2, updated: 0, duplicates: 0, invalid: 1 });
    expect(await registryCounts(env.svc)).toEqual(before);
    // a dry run is for checking a file: its report lists the rows the real run would reject
    const dr = parse(readFileSync(dryReport), { bom: true }) as string[][];
    expect(dr.slice(1).map((r) => r.slice(0, 3).join('|'))).toEqual(['4|No HP|PHONE_INVALID']);

    const col = await createCollaborator(env.svc, sysCtx, {
      name: 'Universitas Contoh',
      type: 'university',
      stages: [],
      contact: {},
    });
    const real = await runCli(['import', 'participants', path, '--json', '--collaborator', col.id], cli);
    expect(jsonLine(real.stdout)).toEqual({ rows: 3, inserted: 2, updated: 0, duplicates: 0, invalid: 1 });
    const ps = await env.svc.db.kysely
      .selectFrom('participants')
      .select(['collaborator_id', 'id'])
      .where(
        'nik_hash',
        'in',
        [rows[0].NIK, rows[1].NIK].map((n) => env.svc.vault.hmac('nik', n)),
      )
      .execute();
    expect(ps.map((p) => p.collaborator_id)).toEqual([col.id, col.id]);

    const changed = writeCsv(env.dir, 'modes2.csv', FULL_HEADERS, [
      { ...rows[0], 'Nama Usaha': 'Kedai Baru' },
    ]);
    const up = await runCli(['import', 'participants', changed, '--mode', 'upsert', '--json'], cli);
    expect(up.code, up.stderr).toBe(0);
    expect(jsonLine(up.stdout)).toEqual({ rows: 1, inserted: 0, updated: 1, duplicates: 0, invalid: 0 });
    const biz = await env.svc.db.kysely
      .selectFrom('businesses')
      .innerJoin('participants', 'participants.id', 'businesses.participant_id')
      .select('businesses.name')
      .where('participants.nik_hash', '=', env.svc.vault.hmac('nik', rows[0].NIK))
      .executeTakeFirstOrThrow();
    expect(biz.name).toBe('Kedai Baru');
  });

  it('an unreadable file or a missing required column: non-zero exit, nothing on stdout, nothing written', async () => {
    const before = await registryCounts(env.svc);
    const garbage = join(env.dir, 'garbage.csv');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 31) % 256)));
    const empty = join(env.dir, 'empty.csv');
    writeFileSync(empty, '');
    const noVillage = writeCsv(
      env.dir,
      'no-village.csv',
      FULL_HEADERS.filter((h) => h !== 'Kode Kelurahan'),
      [row(3300), row(3301)],
    );
    const [missing, bin, emp, col] = await runAll([
      ['import', 'participants', join(env.dir, 'not-there.csv'), '--json'],
      ['import', 'participants', garbage, '--json'],
      ['import', 'participants', empty, '--json'],
      ['import', 'participants', noVillage, '--json', '--report', join(env.dir, 'r.csv')],
    ]);
    for (const r of [missing, bin, emp, col]) {
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: /m);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    }
    expect(missing.stderr).toMatch(/not found/i);
    expect(bin.stderr).toMatch(/CSV|XLSX/);
    expect(emp.stderr).toMatch(/empty/i);
    expect(col.stderr).toMatch(/Kode Kelurahan/);
    expect(await registryCounts(env.svc)).toEqual(before);
  });
});

describe('jakpreneur export participants', () => {
  it('masks NIK and phone by default; --full is unmasked and audited; xlsx and stdout work', async () => {
    const n = await countRows(env.svc, 'participants');
    expect(n).toBeGreaterThan(3);
    const out = join(env.dir, 'export.csv');
    const full = join(env.dir, 'export-full.csv');
    const xlsx = join(env.dir, 'export.xlsx');
    const [masked, unmasked, x, toStdout] = await runAll([
      ['export', 'participants', '--format', 'csv', '--out', out],
      ['export', 'participants', '--format', 'csv', '--out', full, '--full'],
      ['export', 'participants', '--format', 'xlsx', '--out', xlsx],
      ['export', 'participants'],
    ]);
    for (const r of [masked, unmasked, x, toStdout]) expect(r.code, r.stderr).toBe(0);
    const m = parse(readFileSync(out), { bom: true }) as string[][];
    expect(m[0]).toEqual(IMPORT_COLUMNS.map((c) => c.id));
    expect(m).toHaveLength(n + 1);
    const nikAt = m[0].indexOf('NIK');
    const phoneAt = m[0].indexOf('No HP');
    const emailAt = m[0].indexOf('Email');
    for (const r of m.slice(1)) {
      expect(r[nikAt]).toMatch(/^\d{4}\*{8}\d{4}$/);
      expect(r[phoneAt]).toMatch(/\*{3,}/);
      expect(r[emailAt]).toBe('');
    }
    expect(parse(toStdout.stdout, { bom: true })).toEqual(m);

    const f = parse(readFileSync(full), { bom: true }) as string[][];
    expect(f).toHaveLength(n + 1);
    const niks = f.slice(1).map((r) => r[nikAt]);
    for (const nik of niks) expect(nik).toMatch(/^\d{16}$/);
    expect(niks).toContain(generateRow(3100).nik);
    for (const r of f.slice(1)) expect(r[phoneAt]).toMatch(/^0\d{9,12}$/);
    expect(unmasked.stderr).toMatch(/full/);
    const audits = await env.svc.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'participant.export-full')
      .execute();
    expect(audits).toHaveLength(1);

    expect(readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('round trip: import -> export --full -> import into a fresh database gives the same records', async () => {
    const a = await freshServices();
    const b = await freshServices();
    try {
      const rows: Cells[] = [];
      for (let k = 0; k < 30; k++) {
        const r = row(3400 + k);
        if (k % 7 === 1) r['Persetujuan (Y/N)'] = 'N';
        if (k % 5 === 2) r['Tanggal Daftar'] = `2019-0${(k % 9) + 1}-15`;
        if (k % 6 === 3) {
          r.KBLI = '56102';
          r.Email = `orang${k}@contoh.id`;
          r.NPWP = '012345678901234';
          r.NIB = '1234567890123';
          r.Produk = 'Nasi, "gorengan"; es teh';
          r['Tahun Mulai Usaha'] = '2015';
        }
        if (k % 6 === 4) {
          // values that look like formulas: the CSV export escapes them, the import takes the escape off
          r['Nama Usaha'] = `@Home Laundry ${k}`;
          r.Produk = '=Kue basah, -gorengan';
        }
        rows.push(r);
      }
      const src = writeCsv(a.dir, 'src.csv', FULL_HEADERS, rows);
      const ea = cliEnv(a.databaseUrl, a.dir);
      const eb = cliEnv(b.databaseUrl, b.dir);
      const imp = await runCli(['import', 'participants', src, '--json'], ea);
      expect(jsonLine(imp.stdout)).toEqual({ rows: 30, inserted: 30, updated: 0, duplicates: 0, invalid: 0 });
      const dump = join(a.dir, 'dump.csv');
      const exp = await runCli(['export', 'participants', '--full', '--out', dump], ea);
      expect(exp.code, exp.stderr).toBe(0);
      const back = await runCli(['import', 'participants', dump, '--json'], eb);
      expect(back.code, back.stderr).toBe(0);
      expect(jsonLine(back.stdout)).toEqual({
        rows: 30,
        inserted: 30,
        updated: 0,
        duplicates: 0,
        invalid: 0,
      });

      const pick = async (svc: Env['svc']) =>
        (
          await svc.db.kysely
            .selectFrom('participants')
            .innerJoin('businesses', 'businesses.participant_id', 'participants.id')
            .select([
              'participants.nik_hash',
              'participants.full_name',
              'participants.birth_date',
              'participants.sex',
              'participants.phone_hash',
              'participants.village_code',
              'participants.rt',
              'participants.rw',
              'participants.postal_code',
              'participants.registered_date',
              'participants.consent_given',
              'participants.sector',
              'businesses.name',
              'businesses.kbli',
              'businesses.products',
              'businesses.started_year',
              'businesses.annual_revenue',
              'businesses.capital',
              'businesses.employees',
              'businesses.nib',
              'businesses.npwp',
              (e) => e.fn('substr', ['participants.registration_number', e.val(5), e.val(4)]).as('reg_year'),
            ])
            .orderBy('participants.nik_hash')
            .execute()
        ).map((r) => ({ ...r, annual_revenue: Number(r.annual_revenue), capital: Number(r.capital) }));
      const before = await pick(a.svc);
      const after = await pick(b.svc);
      expect(after).toHaveLength(30);
      expect(after).toEqual(before);
      expect(before.filter((r) => r.consent_given === 0)).toHaveLength(5);
      expect(before.filter((r) => r.reg_year === '2019')).toHaveLength(6);
      expect(before.filter((r) => r.name.startsWith('@Home Laundry'))).toHaveLength(5);
      expect(readFileSync(dump, 'utf8')).toContain("'@Home Laundry");

      // the same round trip through XLSX; and the masked export is not importable: every NIK is refused
      const xlsx = join(a.dir, 'dump.xlsx');
      const masked = join(a.dir, 'masked.csv');
      const [ex, em] = await Promise.all([
        runCli(['export', 'participants', '--full', '--format', 'xlsx', '--out', xlsx], ea),
        runCli(['export', 'participants', '--out', masked], ea),
      ]);
      expect(ex.code, ex.stderr).toBe(0);
      expect(em.code, em.stderr).toBe(0);
      const c = await freshServices();
      try {
        const ec = cliEnv(c.databaseUrl, c.dir);
        const r = await runCli(['import', 'participants', masked, '--json'], ec);
        expect(jsonLine(r.stdout)).toEqual({ rows: 30, inserted: 0, updated: 0, duplicates: 0, invalid: 30 });
        const rx = await runCli(['import', 'participants', xlsx, '--json'], ec);
        expect(rx.code, rx.stderr).toBe(0);
        expect(jsonLine(rx.stdout)).toEqual({
          rows: 30,
          inserted: 30,
          updated: 0,
          duplicates: 0,
          invalid: 0,
        });
        expect(await pick(c.svc)).toEqual(before);
      } finally {
        await c.cleanup();
      }
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });
});

describe('jakpreneur user create', () => {
  it('creates users with repeatable --area (dotted or not) who can log in', async () => {
    const [officer, otp, bad] = await runAll([
      [
        'user',
        'create',
        '--email',
        'Petugas@Jakarta.test',
        '--password',
        'rahasia-panjang-1',
        '--role',
        'officer',
        '--area',
        '31.74',
        '--area',
        '3175',
        '--area',
        '317101',
      ],
      ['user', 'create', '--email', 'admin2@jakarta.test', '--role', 'admin'],
      [
        'user',
        'create',
        '--email',
        'm@jakarta.test',
        '--password',
        'rahasia-panjang-1',
        '--role',
        'mentor',
        '--area',
        'Jakarta',
      ],
    ]);
    expect(officer.code, officer.stderr).toBe(0);
    expect(officer.stdout).toMatch(/Created officer petugas@jakarta\.test/);
    expect(otp.code, otp.stderr).toBe(0);
    const generated = /One-time password: (\S+)/.exec(otp.stdout)?.[1];
    expect(generated).toBeDefined();
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/area/i);

    const { app, queue } = await buildApp(env.svc, { logger: false });
    await app.ready();
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'petugas@jakarta.test', password: 'rahasia-panjang-1' },
      });
      expect(login.statusCode, login.body).toBe(200);
      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${login.json().token}` },
      });
      expect(me.json()).toMatchObject({ role: 'officer', mustChangePassword: false });
      expect([...me.json().areas].sort()).toEqual(['31.71.01', '31.74', '31.75']);

      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'petugas@jakarta.test', password: 'salah-salah-salah' },
      });
      expect(wrong.statusCode).toBe(401);
      const first = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin2@jakarta.test', password: generated },
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().user.mustChangePassword).toBe(true);
    } finally {
      await app.close();
      await queue.idle();
    }
    const dup = await runCli(
      [
        'user',
        'create',
        '--email',
        'petugas@jakarta.test',
        '--password',
        'rahasia-panjang-2',
        '--role',
        'admin',
      ],
      cli,
    );
    expect(dup.code).not.toBe(0);
    expect(dup.code).not.toBe(null);
  });
});

describe('jakpreneur stats verify', () => {
  it('exits 0 when the rollups agree, 1 with the differences listed when they do not', async () => {
    const ok = await runCli(['stats', 'verify'], cli);
    expect(ok.code, ok.stderr).toBe(0);
    const m = /^All (\d+) figures agree with the records\.$/m.exec(ok.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10);
    const js = await runCli(['stats', 'verify', '--json'], cli);
    expect(js.code).toBe(0);
    expect(jsonLine(js.stdout)).toMatchObject({ ok: true, differences: [] });

    const one = await env.svc.db.kysely
      .selectFrom('stat_rollup')
      .selectAll()
      .where('metric', '=', 'registered')
      .executeTakeFirstOrThrow();
    await env.svc.db.kysely
      .updateTable('stat_rollup')
      .set({ count: Number(one.count) + 5 })
      .where('district_code', '=', one.district_code)
      .where('metric', '=', 'registered')
      .where('key', '=', 'all')
      .execute();
    const off = await runCli(['stats', 'verify'], cli);
    expect(off.code).toBe(1);
    expect(off.stdout).toMatch(/1 figure\(s\) differ/);
    expect(off.stdout).toContain(
      `${one.district_code} registered/all: records ${one.count}, rollup ${Number(one.count) + 5}`,
    );
    const fixed = await runCli(['stats', 'rebuild'], cli);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await runCli(['stats', 'verify'], cli)).code).toBe(0);
  });
});

describe('jakpreneur migrate, backup and restore', () => {
  it('migrate creates the schema on an empty database, then reports it up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jkp-migrate-'));
    const db = await emptyDatabase(dir, 'm');
    try {
      const e = cliEnv(db.url, dir);
      const first = await runCli(['migrate'], e);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^Migrated: 001_registry/m);
      const second = await runCli(['migrate'], e);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/up to date/);
      const v = await runCli(['stats', 'verify'], e);
      expect(v.code, v.stderr).toBe(0);
    } finally {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('backup FILE and restore FILE on SQLite bring the data back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jkp-backup-'));
    try {
      const dbPath = join(dir, 'live.db');
      const e = cliEnv(`sqlite:${dbPath}`, dir);
      const count = () => {
        const raw = new SQLite(dbPath, { readonly: true });
        try {
          return (raw.prepare('select count(*) n from participants').get() as { n: number }).n;
        } finally {
          raw.close();
        }
      };
      const a = writeCsv(dir, 'a.csv', FULL_HEADERS, [row(3500), row(3501), row(3502)]);
      expect(jsonLine((await runCli(['import', 'participants', a, '--json'], e)).stdout).inserted).toBe(3);
      const backup = join(dir, 'backup.db');
      const bk = await runCli(['backup', backup], e);
      expect(bk.code, bk.stderr).toBe(0);
      expect(bk.stdout).toContain(backup);
      expect(existsSync(backup)).toBe(true);

      const b = writeCsv(dir, 'b.csv', FULL_HEADERS, [row(3503), row(3504)]);
      expect(jsonLine((await runCli(['import', 'participants', b, '--json'], e)).stdout).inserted).toBe(2);
      expect(count()).toBe(5);

      const rs = await runCli(['restore', backup], e);
      expect(rs.code, rs.stderr).toBe(0);
      expect(count()).toBe(3);
      const v = await runCli(['stats', 'verify'], e);
      expect(v.code, v.stdout).toBe(0);
      // the restored database goes on working: the two later rows import again
      expect(jsonLine((await runCli(['import', 'participants', b, '--json'], e)).stdout).inserted).toBe(2);
      expect(count()).toBe(5);

      // a file that is not a backup is refused and the database is left alone
      const junk = join(dir, 'junk.db');
      writeFileSync(junk, 'not a database at all');
      const bad = await runCli(['restore', junk], e);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/not a readable Jakpreneur SQLite backup/);
      expect(count()).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
