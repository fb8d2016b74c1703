/**
 * Loading a civil-registry (Dukcapil) match file, over HTTP and from the CLI, on a real database (SQLite, or
 * PostgreSQL with TEST_DATABASE_URL): statuses set within the caller's scope, every change audited on the record
 * with its source, bad rows reported by row and column, nothing changed by a dry run or a refused file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';
import { cliEnv, multipartBody, runCli } from './import-fixtures.ts';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let admin: string;
let officer: string;
let mentor: string;
const BOUNDARY = 'civil-boundary';
const people: { id: string; nik: string }[] = [];
let outside: { id: string; nik: string };

async function upload(
  token: string,
  csv: string,
  query = '',
  name = 'dukcapil.csv',
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/civil-registry${query}`,
    payload: multipartBody(BOUNDARY, {}, { field: 'file', name, type: 'text/csv', content: csv }),
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      authorization: `Bearer ${token}`,
      ...headers,
    },
  });
}
const statusOf = async (id: string) =>
  (await t.call(admin, 'GET', `/api/v1/participants/${id}`)).json().civilStatus;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@civil.test', 'admin');
  officer = await t.user('officer@civil.test', 'officer', { areas: ['31.74'] });
  mentor = await t.user('mentor@civil.test', 'mentor', { areas: ['31.74.01'] });
  for (let i = 0; i < 4; i++) {
    const p = person({ village: V.tebetTimur });
    const res = await t.call(admin, 'POST', '/api/v1/participants', body(p));
    expect(res.statusCode, res.body).toBe(201);
    people.push({ id: res.json().id, nik: p.nik });
  }
  const p = person({ village: V.gambir });
  const res = await t.call(admin, 'POST', '/api/v1/participants', body(p));
  outside = { id: res.json().id, nik: p.nik };
});
afterAll(async () => t.cleanup());

describe('civil-registry match file over HTTP', () => {
  it('a dry run counts without changing anything', async () => {
    const csv = `NIK,Hasil Pemadanan\n${people[0].nik},tidak cocok\n`;
    const res = await upload(officer, csv, '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ rows: 1, mismatch: 1, changed: 1, invalid: 0, notFound: 0 });
    expect(await statusOf(people[0].id)).toBe('unchecked');
  });

  it('follows a long file line by line when asked (application/x-ndjson), errors before any work keep their status', async () => {
    // 2,500 well-formed NIKs nobody registered: a progress line after each 1,000, then the result
    const rows = Array.from({ length: 2500 }, (_, i) => `99${String(i).padStart(14, '0')},cocok`);
    const res = await upload(
      officer,
      `NIK,Hasil Pemadanan\n${rows.join('\n')}\n`,
      '?dryRun=true',
      'big.csv',
      {
        accept: 'application/x-ndjson',
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const progress = lines.filter((l) => l.type === 'progress');
    expect(progress.map((l) => l.rows)).toEqual([1000, 2000, 2500]);
    expect(progress.at(-1).bytesRead).toBe(progress.at(-1).totalBytes);
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      result: { dryRun: true, summary: { rows: 2500, notFound: 2500, invalid: 0 }, errorsTotal: 2500 },
    });
    expect(lines.at(-1).result.errors).toHaveLength(1000);

    const missing = await upload(officer, 'NIK,Nama\n3174010101900001,x\n', '', 'x.csv', {
      accept: 'application/x-ndjson',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().code).toBe('COLUMNS_MISSING');
  });

  it('sets each status in scope, reports bad rows by row and column, and audits every change', async () => {
    const future = `${new Date().getFullYear() + 1}-01-01`;
    const csv = [
      'NIK;Hasil Pemadanan;Tanggal Periksa;Keterangan',
      `${people[0].nik};Tidak Cocok;31/01/2026;nama berbeda`,
      `${people[1].nik};meninggal;2026-02-01;`,
      `${people[2].nik};COCOK;;`,
      `${outside.nik};cocok;;`, // outside the officer's city: not revealed
      '3174;cocok;;',
      `${people[3].nik};barangkali;;`,
      `${people[3].nik};cocok;${future};`,
      `${people[2].nik};cocok;;`,
    ].join('\r\n');
    const res = await upload(officer, csv);
    expect(res.statusCode, res.body).toBe(200);
    const j = res.json();
    expect(j.summary).toEqual({
      rows: 8,
      matched: 1,
      mismatch: 1,
      deceased: 1,
      changed: 3,
      unchanged: 0,
      notFound: 1,
      invalid: 4,
    });
    expect(
      j.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code]),
    ).toEqual([
      [5, 'NIK', 'NIK_NOT_REGISTERED'],
      [6, 'NIK', 'CIVIL_NIK_FORMAT'],
      [7, 'Hasil Pemadanan', 'CIVIL_STATUS_INVALID'],
      [8, 'Tanggal Periksa', 'CIVIL_DATE_FUTURE'],
      [9, 'NIK', 'NIK_DUPLICATE_IN_FILE'],
    ]);
    expect(j.errorsTotal).toBe(5);
    expect(await statusOf(people[0].id)).toBe('mismatch');
    expect(await statusOf(people[1].id)).toBe('deceased');
    expect(await statusOf(people[2].id)).toBe('matched');
    expect(await statusOf(people[3].id)).toBe('unchecked');
    expect(await statusOf(outside.id)).toBe('unchecked');

    const checks = await t.call(officer, 'GET', `/api/v1/participants/${people[0].id}/civil-checks`);
    expect(checks.statusCode).toBe(200);
    expect(checks.json().items).toEqual([
      expect.objectContaining({
        status: 'mismatch',
        previousStatus: 'unchecked',
        checkedOn: '2026-01-31',
        source: 'import',
        fileName: 'dukcapil.csv',
        note: 'nama berbeda',
      }),
    ]);
    const history = await t.call(admin, 'GET', `/api/v1/audit?entity=${people[1].id}`);
    const entry = history
      .json()
      .items.find((e: { action: string }) => e.action === 'participant.civil_status');
    expect(entry).toBeTruthy();
    expect(JSON.stringify(entry)).toContain('deceased');
    // outside the caller's scope the record's checks are not found
    expect((await t.call(officer, 'GET', `/api/v1/participants/${outside.id}/civil-checks`)).statusCode).toBe(
      404,
    );
    // the quality report counts them
    const q = await t.call(admin, 'GET', '/api/v1/quality/report');
    const count = (key: string) => q.json().checks.find((c: { key: string }) => c.key === key)?.count;
    expect(count('civil_mismatch')).toBe(1);
    expect(count('civil_deceased')).toBe(1);
  });

  it('loading the same file again changes nothing more', async () => {
    const res = await upload(admin, `NIK,Status\n${people[0].nik},mismatch\n`);
    expect(res.json().summary).toMatchObject({ mismatch: 1, changed: 0, unchanged: 1 });
  });

  it('an officer setting the status by hand is kept as a check too', async () => {
    const rec = await t.call(officer, 'GET', `/api/v1/participants/${people[3].id}`);
    const res = await t.call(
      officer,
      'PATCH',
      `/api/v1/participants/${people[3].id}`,
      { civilStatus: 'matched' },
      { 'if-match': rec.headers.etag as string, 'content-type': 'application/merge-patch+json' },
    );
    expect(res.statusCode, res.body).toBe(200);
    const checks = await t.call(officer, 'GET', `/api/v1/participants/${people[3].id}/civil-checks`);
    expect(checks.json().items[0]).toMatchObject({
      status: 'matched',
      source: 'officer',
      previousStatus: 'unchecked',
    });
  });

  it('refuses what it cannot use, with problem+json, changing nothing', async () => {
    expectProblem(await upload(mentor, `NIK,Status\n${people[0].nik},cocok\n`), 403);
    const missing = await upload(admin, `NIK,Nama\n${people[0].nik},Budi\n`);
    expectProblem(missing, 422, 'COLUMNS_MISSING');
    expect(missing.json().errors[0].path).toBe('status');
    expectProblem(await upload(admin, ''), 422);
    expectProblem(await upload(admin, Buffer.from([0, 1, 2, 3, 0, 0, 255, 254]).toString('latin1')), 422);
    const notMultipart = await t.call(admin, 'POST', '/api/v1/imports/civil-registry', { nik: '1' });
    expectProblem(notMultipart, 415);
    expect(await statusOf(people[0].id)).toBe('mismatch');
  });

  it('serves a template that it reads back', async () => {
    const res = await t.call(admin, 'GET', '/api/v1/imports/civil-registry/template?format=csv&lang=en');
    expect(res.statusCode).toBe(200);
    expect(res.body.split(/\r?\n/)[0].replace(/^\uFEFF/, '')).toBe('NIK,Match Result,Checked On,Note');
    const back = await upload(admin, res.body);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().summary).toMatchObject({ rows: 1, notFound: 1 });
  });
});

describe('jakpreneur import civil-registry', () => {
  it('prints one JSON summary, writes the report, and exits 1 for a file it cannot find', async () => {
    const env = cliEnv(t.databaseUrl, t.dir);
    const file = join(t.dir, 'match.csv');
    const report = join(t.dir, 'report.csv');
    writeFileSync(file, `NIK,Hasil\n${people[2].nik},meninggal\nabc,cocok\n`);
    const r = await runCli(['import', 'civil-registry', file, '--json', '--report', report], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 2, deceased: 1, changed: 1, invalid: 1 });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(report, 'utf8')).toContain('CIVIL_NIK_FORMAT');
    expect(await statusOf(people[2].id)).toBe('deceased');
    const gone = await runCli(['import', 'civil-registry', join(t.dir, 'nope.csv')], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('File not found');
    const usage = await runCli(['import', 'civil-registry'], env);
    expect(usage.code).toBe(2);
  });
});
