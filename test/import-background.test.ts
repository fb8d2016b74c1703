/**
 * Imports that give way to requests: the write gate's turn-taking, batches committed in parts when a request
 * waits to write, and a server import (worker thread, own connection) running while participants register
 * through the API, on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
 */
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isUuid } from '../src/core/ids.ts';
import { WriteGate } from '../src/db/index.ts';
import { type ImportOptions, importReportRows, runImport } from '../src/modules/imports/service.ts';
import { uuidv7 } from '../src/modules/imports/uuid7.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import { apiBody, generateRow } from '../src/testing/generator.ts';
import { freshServices, sysCtx, testApp } from './helpers.ts';
import {
  type Cells,
  cellsOf,
  countRows,
  FULL_HEADERS,
  multipartBody,
  registryCounts,
  writeCsv,
} from './import-fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function fresh() {
  const e = await freshServices();
  cleanups.push(e.cleanup);
  return e;
}

const INSERT: ImportOptions = { mode: 'insert', dryRun: false, collaboratorId: null };
const row = (i: number, patch: Cells = {}): Cells => ({ ...cellsOf(generateRow(i)), ...patch });
/** Resolves after pending promise callbacks and Atomics.waitAsync wake-ups have run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('WriteGate', () => {
  it('a foreground write waits for the background transaction, and a background one for foreground writes', async () => {
    const fg = new WriteGate();
    const bg = new WriteGate(fg.buffer);
    const log: string[] = [];

    await bg.enterBackground();
    const write = fg.enterForeground().then(() => log.push('fg in'));
    await settle();
    expect(log).toEqual([]);
    expect(bg.foregroundWaiting()).toBe(true);
    bg.leaveBackground();
    await write;
    expect(log).toEqual(['fg in']);

    // while the foreground writes (or waits), a background transaction does not begin
    const next = bg.enterBackground().then(() => log.push('bg in'));
    await settle();
    expect(log).toEqual(['fg in']);
    fg.leaveForeground();
    await next;
    expect(log).toEqual(['fg in', 'bg in']);
    expect(bg.foregroundWaiting()).toBe(false);
    bg.leaveBackground();

    // foreground writes of the same connection do not wait for one another through the gate
    await fg.enterForeground();
    await fg.enterForeground();
    fg.leaveForeground();
    fg.leaveForeground();
    expect(fg.foregroundWaiting()).toBe(false);
  });
});

describe('time-ordered ids', () => {
  it('are valid UUIDs, unique, and sort in the order they were made', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(ids.every(isUuid)).toBe(true);
    expect(ids.every((id) => id[14] === '7' && '89ab'.includes(id[19]))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('a batch committed in parts for waiting requests', () => {
  it('gives the same counts, report, registration numbers and figures as whole batches, in insert and upsert modes', async () => {
    const rows: Cells[] = [];
    for (let n = 0; n < 130; n++) {
      if (n % 17 === 5)
        rows.push(row(3000 + n, { 'No HP': '12' })); // invalid
      else if (n % 29 === 11)
        rows.push(row(3000 + n - 7)); // NIK repeated in the file
      else rows.push(row(3000 + n));
    }
    const stored = [row(3001), row(3002), row(3040)]; // stored before the import
    const results: unknown[] = [];
    for (const parts of [false, true]) {
      const env = await fresh();
      await runImport(env.svc, sysCtx, writeCsv(env.dir, 's.csv', FULL_HEADERS, stored), 's.csv', INSERT);
      const path = writeCsv(env.dir, 'parts.csv', FULL_HEADERS, rows);
      // every look at the gate finds a request waiting: each part writes one step of rows, then commits
      let asked = 0;
      const hooks = parts ? { yieldRequested: () => ++asked > 0 } : {};
      const ins = await runImport(env.svc, sysCtx, path, 'parts.csv', { ...INSERT, batchSize: 60 }, hooks);
      const report: string[] = [];
      for await (const [r, column, code] of importReportRows(env.svc, ins.jobId))
        report.push(`${r}|${column}|${code}`);
      const counts = await registryCounts(env.svc);
      const regnos = await env.svc.db.kysely
        .selectFrom('participants')
        .select('registration_number')
        .orderBy('registration_number')
        .execute();
      let v = await verifyStats(env.svc);
      expect(v.differences).toEqual([]);

      // the same file again in upsert mode: every stored row updated once, repeats in the file are duplicates
      const up = await runImport(
        env.svc,
        sysCtx,
        path,
        'parts.csv',
        { ...INSERT, mode: 'upsert', batchSize: 60 },
        hooks,
      );
      v = await verifyStats(env.svc);
      expect(v.differences).toEqual([]);
      if (parts) expect(asked).toBeGreaterThan(10);
      const job = await env.svc.db.kysely
        .selectFrom('import_jobs')
        .selectAll()
        .where('id', '=', up.jobId)
        .executeTakeFirstOrThrow();
      // the job's progress, written part by part, ends at the summary
      expect({
        inserted: job.inserted,
        updated: job.updated,
        duplicates: job.duplicates,
        invalid: job.invalid,
      }).toEqual({
        inserted: up.summary.inserted,
        updated: up.summary.updated,
        duplicates: up.summary.duplicates,
        invalid: up.summary.invalid,
      });
      results.push({
        insert: ins.summary,
        upsert: up.summary,
        report: report.sort(),
        counts,
        regnos: regnos.map((r) => r.registration_number),
      });
    }
    expect(results[1]).toEqual(results[0]);
    const r = results[0] as { insert: unknown; upsert: unknown; regnos: string[] };
    expect(r.insert).toEqual({ rows: 130, inserted: 115, updated: 0, duplicates: 7, invalid: 8 });
    expect(r.upsert).toEqual({ rows: 130, inserted: 0, updated: 117, duplicates: 5, invalid: 8 });
    expect(new Set(r.regnos).size).toBe(118);
  });
});

describe('an import through the server while participants register', () => {
  it('runs in its own worker thread and connection; every registration and every row is stored once, and the figures agree', async () => {
    const t = await testApp();
    cleanups.push(t.cleanup);
    const admin = await t.user('admin@background.test', 'admin');
    const rows: Cells[] = [];
    for (let n = 0; n < 3000; n++) rows.push(row(40_000 + n));
    const path = writeCsv(t.dir, 'big.csv', FULL_HEADERS, rows);
    const boundary = '----jkp-background';
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/participants',
      payload: multipartBody(
        boundary,
        {},
        { field: 'file', name: 'big.csv', type: 'text/csv', content: readFileSync(path) },
      ),
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        authorization: `Bearer ${admin}`,
      },
    });
    expect(up.statusCode, up.body).toBe(202);
    const { id } = up.json();

    // register one at a time until the import is done (at least 20 of them)
    const statuses: number[] = [];
    let i = 0;
    for (;;) {
      const res = await t.call(admin, 'POST', '/api/v1/participants', apiBody(generateRow(90_000 + i++, 9)));
      statuses.push(res.statusCode);
      const job = (await t.call(admin, 'GET', `/api/v1/imports/${id}`)).json();
      if (job.status !== 'running' && job.status !== 'queued' && i >= 20) break;
    }
    await t.queue.idle();
    expect(statuses.every((s) => s === 201)).toBe(true);
    const job = (await t.call(admin, 'GET', `/api/v1/imports/${id}`)).json();
    expect(job.status).toBe('done');
    expect(job.summary).toEqual({ rows: 3000, inserted: 3000, updated: 0, duplicates: 0, invalid: 0 });
    expect(job.progress.bytesRead).toBe(job.progress.totalBytes);

    const counts = await registryCounts(t.svc);
    for (const table of [
      'participants',
      'nik_index',
      'person_keys',
      'businesses',
      'enrolments',
      'consents',
      'milestones',
    ])
      expect({ table, rows: counts[table] }).toEqual({ table, rows: 3000 + statuses.length });
    const k = t.svc.db.kysely;
    const distinct = await k
      .selectFrom('participants')
      .select((eb) => [
        eb.fn.count<number>('nik_hash').distinct().as('niks'),
        eb.fn.count<number>('registration_number').distinct().as('regnos'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(distinct.niks)).toBe(3000 + statuses.length);
    expect(Number(distinct.regnos)).toBe(3000 + statuses.length);
    // the imported rows have time-ordered ids
    const imported = await k
      .selectFrom('participants')
      .select('id')
      .where('import_job_id', '=', id)
      .execute();
    expect(imported.every((p) => p.id[14] === '7')).toBe(true);
    expect(await countRows(t.svc, 'import_errors')).toBe(0);
    const v = await verifyStats(t.svc);
    expect(v.differences).toEqual([]);
    expect(v.ok).toBe(true);
    // SQLite: the import gave the WAL file's space back once its pages were in the database (without that
    // it stays at ~100 MB here). Writes after it (the job's last ones, the registrations sent until the loop
    // saw the job done) grow it again, at most to the server connection's auto-checkpoint (1,000 pages, 4 MB).
    const raw = t.svc.db.sqlite;
    if (raw) expect(statSync(`${raw.name}-wal`).size).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});

describe('stopping the server during an import', () => {
  it('ends the job after its current batch as interrupted; the same file again completes it with no duplicate', async () => {
    const t = await testApp();
    cleanups.push(t.cleanup);
    const admin = await t.user('admin@stop.test', 'admin');
    const rows: Cells[] = [];
    for (let n = 0; n < 6000; n++) rows.push(row(70_000 + n));
    const path = writeCsv(t.dir, 'stop.csv', FULL_HEADERS, rows);
    const boundary = '----jkp-stop';
    const upload = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/participants',
        payload: multipartBody(
          boundary,
          {},
          { field: 'file', name: 'stop.csv', type: 'text/csv', content: readFileSync(path) },
        ),
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          authorization: `Bearer ${admin}`,
        },
      });
    const first = (await upload()).json().id as string;
    const queued = (await upload()).json().id as string;
    // wait for the first batch, then stop as the server does on SIGTERM
    for (;;) {
      const job = (await t.call(admin, 'GET', `/api/v1/imports/${first}`)).json();
      if (job.summary.inserted > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await t.queue.stop();
    const stopped = (await t.call(admin, 'GET', `/api/v1/imports/${first}`)).json();
    expect(stopped.status).toBe('failed');
    expect(stopped.error.code).toBe('INTERRUPTED');
    expect(stopped.summary.inserted).toBeLessThan(6000);
    expect(stopped.summary.inserted % 1000).toBe(0);
    expect((await registryCounts(t.svc)).participants).toBe(stopped.summary.inserted);
    const never = (await t.call(admin, 'GET', `/api/v1/imports/${queued}`)).json();
    expect(never.status).toBe('failed');
    expect(never.error.code).toBe('INTERRUPTED');
    expect(never.summary.rows).toBe(0);

    // the same file again (a new server's queue) completes it: the stored rows count as duplicates
    const { ImportQueue } = await import('../src/modules/imports/queue.ts');
    const q2 = new ImportQueue(t.svc);
    const { writeFileSync } = await import('node:fs');
    const again = `${t.dir}/again.csv`;
    writeFileSync(again, readFileSync(path));
    await t.svc.db.kysely
      .insertInto('import_jobs')
      .values({
        id: '00000000-0000-4000-8000-000000000abc',
        status: 'queued',
        file_path: null,
        file_name: 'stop.csv',
        format: 'unknown',
        total_bytes: 0,
        bytes_read: 0,
        rows: 0,
        inserted: 0,
        updated: 0,
        duplicates: 0,
        invalid: 0,
        mode: 'insert',
        dry_run: 0,
        collaborator_id: null,
        created_by: null,
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
        error: null,
      })
      .execute();
    q2.enqueue(sysCtx, '00000000-0000-4000-8000-000000000abc', again, 'stop.csv', {
      mode: 'insert',
      dryRun: false,
      collaboratorId: null,
    });
    await q2.idle();
    const done = (await t.call(admin, 'GET', '/api/v1/imports/00000000-0000-4000-8000-000000000abc')).json();
    expect(done.status).toBe('done');
    expect(done.summary).toMatchObject({
      rows: 6000,
      inserted: 6000 - stopped.summary.inserted,
      duplicates: stopped.summary.inserted,
    });
    expect((await registryCounts(t.svc)).participants).toBe(6000);
    await q2.stop();
  }, 120_000);
});
