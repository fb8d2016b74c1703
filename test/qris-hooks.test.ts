import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyStats } from '../src/modules/stats/service.ts';
import { build } from '../src/qris/index.ts';
import { apiBody, generateRow } from '../src/testing/generator.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.cleanup());

it('moving or erasing a participant keeps the QRIS figures and data right', async () => {
  const admin = await t.user('admin@hooks.id', 'admin');
  const mentor = await t.user('mentor@hooks.id', 'mentor', { areas: ['31'] });
  const g = generateRow(42, 3);
  const created = await t.call(admin, 'POST', '/api/v1/participants', apiBody(g));
  expect(created.statusCode, created.body).toBe(201);
  const p = created.json();
  const payload = build({
    name: g.businessName.slice(0, 25),
    city: 'JAKARTA',
    postalCode: '10110',
    mcc: '5812',
    nmid: 'ID1020021234567',
    criteria: 'UMI',
  });
  const put = await t.call(admin, 'PUT', `/api/v1/participants/${p.id}/qris`, { payload });
  expect(put.statusCode, put.body).toBeLessThan(300);
  const ver = await t.call(mentor, 'POST', `/api/v1/participants/${p.id}/qris/verify`, {});
  expect(ver.statusCode, ver.body).toBe(200);
  expect((await verifyStats(t.svc)).differences).toEqual([]);

  // move to a kelurahan in another city and change the sector: the QRIS rollups follow
  const cur = await t.call(admin, 'GET', `/api/v1/participants/${p.id}`);
  const moved = await t.call(
    admin,
    'PATCH',
    `/api/v1/participants/${p.id}`,
    { domicile: { villageCode: '31.75.01.1001' }, business: { sector: 'jasa' } },
    { 'if-match': cur.headers.etag as string },
  );
  expect(moved.statusCode, moved.body).toBe(200);
  expect((await verifyStats(t.svc)).differences).toEqual([]);

  // erasure clears the stored code too
  const del = await t.call(admin, 'DELETE', `/api/v1/participants/${p.id}`);
  expect(del.statusCode, del.body).toBe(200);
  const row = await t.svc.db.kysely
    .selectFrom('qris_profiles')
    .selectAll()
    .where('participant_id', '=', p.id)
    .executeTakeFirstOrThrow();
  expect(row.payload).toBe('');
  expect(row.merchant_name).toBe('[dihapus]');
  expect((await verifyStats(t.svc)).differences).toEqual([]);
});
