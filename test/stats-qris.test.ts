/**
 * The self-declared QRIS figure (businesses.has_qris = 1 on the primary business) kept in the rollups by every
 * write path, recounted by `stats verify`, backfilled by its migration, and served by GET /stats/qris beside
 * the verified share, overall, by city and by sector, within the caller's area.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../src/modules/imports/service.ts';
import { m003QrisDeclared } from '../src/modules/stats/migration.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import { build } from '../src/qris/index.ts';
import { apiBody, CSV_HEADERS, csvLine, generateRow } from '../src/testing/generator.ts';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { sysCtx, testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let mentor: string;
let officerSelatan: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@qdecl.test', 'admin');
  mentor = await t.user('mentor@qdecl.test', 'mentor', { areas: ['31'] });
  officerSelatan = await t.user('officer@qdecl.test', 'officer', { areas: ['31.74'] });
});
afterAll(async () => t.cleanup());

async function declared(): Promise<number> {
  const r = await t.svc.db.kysely
    .selectFrom('stat_rollup')
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .where('metric', '=', 'qris_declared')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function register(p: ReturnType<typeof person>) {
  const res = await t.call(admin, 'POST', '/api/v1/participants', body(p));
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, etag: res.headers.etag as string };
}

async function patch(id: string, etag: string, payload: unknown) {
  const res = await t.call(admin, 'PATCH', `/api/v1/participants/${id}`, payload, { 'if-match': etag });
  expect(res.statusCode, res.body).toBe(200);
  return res.headers.etag as string;
}

describe('the self-declared QRIS rollup', () => {
  const ids: Record<string, string> = {};

  it('counts registrations whose business declares QRIS, and follows edits of the flag, the place and the sector', async () => {
    // Jakarta Pusat: two declare (kuliner, jasa), one says no, one leaves it blank; Jakarta Selatan: one declares
    const a = await register(person({ village: V.gambir, business: { hasQris: true } }));
    const b = await register(person({ village: V.cideng, sector: 'jasa', business: { hasQris: true } }));
    const c = await register(person({ village: V.pasarBaru, business: { hasQris: false } }));
    const d = await register(person({ village: V.gambir }));
    const e = await register(person({ village: V.tebetTimur, sector: 'kriya', business: { hasQris: true } }));
    Object.assign(ids, { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id });
    expect(await declared()).toBe(3);
    expect((await verifyStats(t.svc)).differences).toEqual([]);

    // c now declares, a no longer does; b moves to Jakarta Selatan and changes sector
    await patch(c.id, c.etag, { business: { hasQris: true } });
    const aTag = await patch(a.id, a.etag, { business: { hasQris: false } });
    await patch(b.id, b.etag, { domicile: { villageCode: V.setiaBudi }, business: { sector: 'fashion' } });
    expect(await declared()).toBe(3);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
    // a blank (null) flag is not a declaration
    await patch(a.id, aTag, { business: { hasQris: null } });
    expect(await declared()).toBe(3);

    // status changes and erasure leave it (counts stay after erasure, as registered does)
    const v = await t.call(mentor, 'POST', `/api/v1/participants/${e.id}/verify`, {
      evidence: { ktpSeen: true, businessSeen: true },
    });
    expect(v.statusCode, v.body).toBe(200);
    const del = await t.call(admin, 'DELETE', `/api/v1/participants/${c.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(await declared()).toBe(3);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('follows a person moved back by an upsert import (has_qris is not an import column, so it stays)', async () => {
    const g = generateRow(5, 11);
    const created = await t.call(admin, 'POST', '/api/v1/participants', {
      ...apiBody(g),
      business: { ...apiBody(g).business, hasQris: true },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    // moved to another city and sector by an edit...
    const other = g.villageCode.startsWith('31.75') ? V.gambir : '31.75.01.1001';
    await patch(id, created.headers.etag as string, {
      domicile: { villageCode: other },
      business: { sector: g.sector === 'jasa' ? 'kuliner' : 'jasa' },
    });
    // ...then the agency's file brings back its original kelurahan and sector
    const file = join(t.dir, 'upsert.csv');
    writeFileSync(file, [CSV_HEADERS.join(','), csvLine(g)].join('\n'));
    const res = await runImport(t.svc, sysCtx, file, 'upsert.csv', {
      mode: 'upsert',
      dryRun: false,
      collaboratorId: null,
    });
    expect(res.summary.updated).toBe(1);
    const row = await t.svc.db.kysely
      .selectFrom('participants')
      .innerJoin('businesses', 'businesses.participant_id', 'participants.id')
      .select(['participants.village_code', 'participants.sector', 'businesses.has_qris'])
      .where('participants.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ village_code: g.villageCode, sector: g.sector, has_qris: 1 });
    expect((await verifyStats(t.svc)).differences).toEqual([]);
    // kept for the figures below
    ids.g = id;
  });

  it('is recounted by stats verify and backfilled by its migration', async () => {
    const k = t.svc.db.kysely;
    const before = await declared();
    await k.deleteFrom('stat_rollup').where('metric', '=', 'qris_declared').execute();
    const v = await verifyStats(t.svc);
    expect(v.ok).toBe(false);
    expect(v.differences.every((d) => d.metric === 'qris_declared' && d.rollup === 0)).toBe(true);
    expect(v.differences.reduce((s, d) => s + d.expected, 0)).toBe(before);
    await m003QrisDeclared.up(k);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
    // running it again changes nothing
    await m003QrisDeclared.up(k);
    expect(await declared()).toBe(before);
  });

  it('GET /stats/qris gives verified and declared shares, overall, by city and by sector, in scope', async () => {
    // verify one QRIS profile (b, Jakarta Selatan, fashion) to have both figures
    const biz = await t.svc.db.kysely
      .selectFrom('businesses')
      .select('name')
      .where('participant_id', '=', ids.b)
      .executeTakeFirstOrThrow();
    const payload = build({
      name: biz.name.slice(0, 25),
      city: 'JAKARTA',
      postalCode: '12950',
      mcc: '5812',
      nmid: 'ID1020021234567',
      criteria: 'UMI',
    });
    const put = await t.call(admin, 'PUT', `/api/v1/participants/${ids.b}/qris`, { payload });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const ver = await t.call(mentor, 'POST', `/api/v1/participants/${ids.b}/qris/verify`, {});
    expect(ver.statusCode, ver.body).toBe(200);

    const k = t.svc.db.kysely;
    const registered = Number(
      (
        await k
          .selectFrom('participants')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );
    const res = await t.call(admin, 'GET', '/api/v1/stats/qris');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const total = await declared();
    expect(s).toMatchObject({
      registered,
      verified: 1,
      declared: total,
      declaredPct: Math.round((total / registered) * 1000) / 10,
      verifiedPct: Math.round((1 / registered) * 1000) / 10,
    });
    const sum = (xs: { declared: number }[]) => xs.reduce((a, x) => a + x.declared, 0);
    expect(sum(s.byRegency)).toBe(total);
    expect(sum(s.bySector)).toBe(total);
    const selatan = s.byRegency.find((r: { key: string }) => r.key === '31.74');
    // Jakarta Selatan: e (kriya, declares), b (fashion, declares, verified profile), maybe g
    expect(selatan.verified).toBe(1);
    expect(selatan.declared).toBeGreaterThanOrEqual(2);
    expect(s.bySector.find((r: { key: string }) => r.key === 'fashion')).toMatchObject({
      name: 'Fesyen',
      verified: 1,
    });
    for (const r of [...s.byRegency, ...s.bySector]) {
      expect(r.declaredPct).toBe(r.registered ? Math.round((r.declared / r.registered) * 1000) / 10 : null);
    }

    // an officer of Jakarta Selatan sees only that city
    const scoped = (await t.call(officerSelatan, 'GET', '/api/v1/stats/qris')).json();
    expect(scoped.byRegency.map((r: { key: string }) => r.key)).toEqual(['31.74']);
    expect(scoped).toMatchObject({ declared: selatan.declared, verified: 1, registered: selatan.registered });
    expectProblem(await t.call(null, 'GET', '/api/v1/stats/qris'), 401);
  });
});
