/**
 * Traceable figures: every count on the dashboard links to the participants list filtered to the records behind
 * it (src/web/console/dashboard/links.ts builds the links, the list page passes its filters to the API as
 * src/web/console/participants/filters.ts says). For each kind of figure and each of its buckets, the list's
 * total must equal the dashboard's count, for an admin and for area-scoped users; bad filter values are 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMilestone } from '../src/core/milestones.ts';
import { applyRollup, RollupDelta } from '../src/core/rollup.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import { build } from '../src/qris/index.ts';
import { figureLink } from '../src/web/console/dashboard/links.ts';
import { filtersOf, listQuery } from '../src/web/console/participants/filters.ts';
import type { QrisStats, Summary } from '../src/web/types.ts';
import { body, errorPaths, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let mentor: string;
let officerPusat: string;
let officerSelatan: string;
let mentorGambir: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@trace.test', 'admin');
  mentor = await t.user('mentor@trace.test', 'mentor', { areas: ['31'] });
  officerPusat = await t.user('officer.pusat@trace.test', 'officer', { areas: ['31.71'] });
  officerSelatan = await t.user('officer.selatan@trace.test', 'officer', { areas: ['31.74'] });
  mentorGambir = await t.user('mentor.gambir@trace.test', 'mentor', { areas: ['31.71.01'] });
}, 120_000);
afterAll(async () => t.cleanup());

/**
 * The API list total for a dashboard link, through the list page's own filter handling. The list may answer the
 * total from the rollups (like the figure), so the records it lists are counted too, page by page: they must be
 * as many as the total says.
 */
async function listTotal(token: string, link: string): Promise<number> {
  const url = new URL(link, 'http://console.test');
  expect(url.pathname).toBe('/console/participants');
  const filters = filtersOf(url.searchParams);
  const res = await t.call(token, 'GET', `/api/v1/participants?${listQuery({ ...filters, limit: '1' })}`);
  expect(res.statusCode, `${link}: ${res.body}`).toBe(200);
  const { total, totalExact } = res.json();
  expect(totalExact, link).toBe(true);
  let listed = 0;
  let cursor: string | null = null;
  do {
    const page = await t.call(
      token,
      'GET',
      `/api/v1/participants?${listQuery({ ...filters, limit: '200', ...(cursor ? { cursor } : {}) })}`,
    );
    expect(page.statusCode, `${link}: ${page.body}`).toBe(200);
    listed += page.json().items.length;
    cursor = page.json().nextCursor;
  } while (cursor);
  expect(listed, `records listed for ${link}`).toBe(total);
  return total;
}

const villages = [V.gambir, V.cideng, V.pasarBaru, V.tebetTimur, V.setiaBudi];
const sectors = ['kuliner', 'fashion', 'jasa', 'kriya'];
// registration times across years and months, one at 20:00 UTC on 31 December (1 January in WIB)
const times = [
  '2019-03-15T03:00:00Z',
  '2020-02-29T10:00:00Z',
  '2021-12-31T20:00:00Z',
  '2022-01-10T02:00:00Z',
  '2023-07-01T00:30:00Z',
];

describe('every dashboard figure opens the records behind it', () => {
  it('builds a varied registry (statuses, agencies, stages, QRIS, an erasure)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const p = person({
        village: villages[i % villages.length],
        sector: sectors[i % sectors.length],
        business: i % 3 === 0 ? { hasQris: true } : i % 3 === 1 ? { hasQris: false } : {},
        extra: { registeredAt: times[i % times.length] },
      });
      const res = await t.call(admin, 'POST', '/api/v1/participants', body(p));
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const ok = async (res: Awaited<ReturnType<typeof t.call>>) =>
      expect(res.statusCode, res.body).toBeLessThan(300);
    // statuses: verified, validated, rejected
    for (const id of ids.slice(0, 10))
      await ok(
        await t.call(mentor, 'POST', `/api/v1/participants/${id}/verify`, {
          evidence: { ktpSeen: true, businessSeen: true },
        }),
      );
    for (const id of ids.slice(0, 4))
      await ok(await t.call(admin, 'POST', `/api/v1/participants/${id}/validate`, {}));
    for (const id of ids.slice(12, 15))
      await ok(
        await t.call(admin, 'POST', `/api/v1/participants/${id}/reject`, { reason: 'tidak memenuhi syarat' }),
      );
    // second enrolments with other agencies
    for (const id of ids.slice(0, 6))
      await ok(await t.call(admin, 'POST', `/api/v1/participants/${id}/enrolments`, { agency: 'DINSOS' }));
    for (const id of ids.slice(5, 8))
      await ok(await t.call(admin, 'POST', `/api/v1/participants/${id}/enrolments`, { agency: 'PAREKRAF' }));
    // later 7P stages, as the modules that run them record them
    const k = t.svc.db.kysely;
    for (const [j, id] of ids.slice(0, 9).entries()) {
      await k.transaction().execute(async (tx) => {
        const p = await tx
          .selectFrom('participants')
          .select('district_code')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const delta = new RollupDelta();
        const stages = j < 3 ? ['P2', 'P3', 'P4'] : j < 6 ? ['P2', 'P3'] : ['P2'];
        for (const stage of stages)
          await recordMilestone(
            tx,
            {
              participantId: id,
              districtCode: p.district_code,
              stage,
              kind: 'completed',
              occurredAt: '2023-01-01T00:00:00Z',
              sourceModule: 'test',
            },
            delta,
          );
        if (j === 0)
          await recordMilestone(
            tx,
            {
              participantId: id,
              districtCode: p.district_code,
              stage: 'P2',
              kind: 'started',
              occurredAt: '2022-12-01T00:00:00Z',
              sourceModule: 'test',
            },
            delta,
          );
        await applyRollup(tx, delta);
      });
    }
    // verified QRIS profiles for three, one left unverified
    for (const [j, id] of ids.slice(2, 6).entries()) {
      const b = await k
        .selectFrom('businesses')
        .select('name')
        .where('participant_id', '=', id)
        .executeTakeFirstOrThrow();
      const payload = build({
        name: b.name.slice(0, 25),
        city: 'JAKARTA',
        postalCode: '10110',
        mcc: '5812',
        nmid: `ID102002123456${j}`,
        criteria: 'UMI',
      });
      await ok(await t.call(admin, 'PUT', `/api/v1/participants/${id}/qris`, { payload }));
      if (j < 3) await ok(await t.call(mentor, 'POST', `/api/v1/participants/${id}/qris/verify`, {}));
    }
    // an erased record still counts, and is still listed
    await ok(await t.call(admin, 'DELETE', `/api/v1/participants/${ids[19]}`));
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  for (const who of ['admin', 'officerPusat', 'officerSelatan', 'mentorGambir'] as const) {
    it(`the list total equals the count of every figure (${who})`, async () => {
      const token = { admin, officerPusat, officerSelatan, mentorGambir }[who];
      const s: Summary = (await t.call(token, 'GET', '/api/v1/stats/summary')).json();
      const q: QrisStats = (await t.call(token, 'GET', '/api/v1/stats/qris')).json();
      expect(s.registered).toBeGreaterThan(0);
      const checks: (readonly [kind: string, label: string, count: number, link: string])[] = [
        ['registered', 'all', s.registered, figureLink.all()],
        ['headline', 'validated', s.validated, figureLink.status('validated')],
        ['headline', 'verified', s.verified, figureLink.status('verified')],
        ['headline', 'pending', s.pending, figureLink.status('registered')],
        ['headline', 'rejected', s.rejected, figureLink.status('rejected')],
        ...s.funnel.map((b) => ['funnel', b.key, b.count, figureLink.stage(b.key)] as const),
        ...s.byStatus.map((b) => ['status', b.key, b.count, figureLink.status(b.key)] as const),
        ...s.byRegency.map((b) => ['city', b.key, b.count, figureLink.regency(b.key)] as const),
        ...s.byDistrict.map((b) => ['kecamatan', b.key, b.count, figureLink.district(b.key)] as const),
        ...s.bySector.map((b) => ['sector', b.key, b.count, figureLink.sector(b.key)] as const),
        ...s.byAgency.map((b) => ['agency', b.key, b.count, figureLink.agency(b.key)] as const),
        ...s.byYear.map((b) => ['year', b.key, b.count, figureLink.year(b.key)] as const),
        ...s.byMonth.map((b) => ['month', b.key, b.count, figureLink.month(b.key)] as const),
        ['qris', 'verified', q.verified, figureLink.qris('verified')],
        ['qris', 'declared', q.declared, figureLink.qris('declared')],
        ...q.byRegency.flatMap((b) => [
          [
            'qris-city',
            `${b.key} verified`,
            b.verified,
            figureLink.qris('verified', { regencyCode: b.key }),
          ] as const,
          [
            'qris-city',
            `${b.key} declared`,
            b.declared,
            figureLink.qris('declared', { regencyCode: b.key }),
          ] as const,
        ]),
        ...q.bySector.flatMap((b) => [
          [
            'qris-sector',
            `${b.key} verified`,
            b.verified,
            figureLink.qris('verified', { sector: b.key }),
          ] as const,
          [
            'qris-sector',
            `${b.key} declared`,
            b.declared,
            figureLink.qris('declared', { sector: b.key }),
          ] as const,
        ]),
      ];
      const seen = new Map<string, number>();
      for (const [kind, label, count, link] of checks) {
        expect(await listTotal(token, link), `${who} ${kind} ${label}: ${link}`).toBe(count);
        seen.set(kind, (seen.get(kind) ?? 0) + count);
      }
      // every kind of figure was checked with records behind it
      for (const kind of [
        'registered',
        'headline',
        'funnel',
        'status',
        'city',
        'kecamatan',
        'sector',
        'agency',
        'year',
        'month',
        'qris',
        'qris-city',
        'qris-sector',
      ])
        expect(seen.get(kind), `${who}: ${kind}`).toBeGreaterThan(0);
    });
  }

  it('keeps the list scoped: a figure outside the caller area lists nothing', async () => {
    expect(await listTotal(officerSelatan, figureLink.regency('31.71'))).toBe(0);
    expect(await listTotal(officerSelatan, figureLink.qris('declared', { regencyCode: '31.71' }))).toBe(0);
    expect(await listTotal(admin, figureLink.regency('31.71'))).toBeGreaterThan(0);
  });

  it('answers bad filter values with 422 and the parameter named', async () => {
    for (const [param, value] of [
      ['stage', 'P0'],
      ['stage', 'X1'],
      ['stage', 'P12'],
      ['qris', 'maybe'],
      ['status', 'pending'],
      ['registeredFrom', '2021-13-01'],
      ['registeredTo', '31-12-2021'],
      ['regencyCode', '31.71.01'],
      ['districtCode', '31.71'],
      ['agency', 'x'.repeat(41)],
      ['sector', 'x'.repeat(41)],
    ]) {
      const res = await t.call(admin, 'GET', `/api/v1/participants?${param}=${encodeURIComponent(value)}`);
      expect(errorPaths(res), `${param}=${value}`).toContain(param);
    }
  });
});
