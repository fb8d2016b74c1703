import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../src/core/ids.ts';
import { ImportQueue } from '../src/modules/imports/queue.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.cleanup());

async function job(status: string, heartbeatAgoMs: number | null) {
  const id = newId();
  const at = (ms: number) => new Date(Date.now() - ms).toISOString();
  await t.svc.db.kysely
    .insertInto('import_jobs')
    .values({
      id,
      status,
      file_path: null,
      file_name: 'x.csv',
      format: 'csv',
      total_bytes: 10,
      bytes_read: 5,
      rows: 1,
      inserted: 1,
      updated: 0,
      duplicates: 0,
      invalid: 0,
      mode: 'insert',
      dry_run: 0,
      collaborator_id: null,
      created_by: null,
      created_at: at(600_000),
      started_at: at(600_000),
      heartbeat_at: heartbeatAgoMs === null ? null : at(heartbeatAgoMs),
      finished_at: null,
      error: null,
    })
    .execute();
  return id;
}

it('a running job that stopped beating reads as interrupted; a live one as running', async () => {
  const admin = await t.user('admin@stale.id', 'admin');
  const dead = await job('running', 10 * 60_000);
  const live = await job('running', 1_000);
  const d = (await t.call(admin, 'GET', `/api/v1/imports/${dead}`)).json();
  expect(d.status).toBe('failed');
  expect(d.error.code).toBe('INTERRUPTED');
  expect((await t.call(admin, 'GET', `/api/v1/imports/${live}`)).json().status).toBe('running');
});

it('a server start marks dead jobs failed but leaves live imports of other processes alone', async () => {
  const dead = await job('running', 10 * 60_000);
  const live = await job('running', 1_000);
  await new ImportQueue(t.svc).recover();
  const row = async (id: string) =>
    t.svc.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  expect((await row(dead)).status).toBe('failed');
  expect((await row(live)).status).toBe('running');
  expect((await row(dead)).finished_at).not.toBeNull();
});
