import { type Kysely, sql } from 'kysely';
import type { Ctx, Services } from '../../core/context.ts';
import type { DB } from '../../db/types.ts';
import { getRegion } from '../../identity/index.ts';
import { requirePermission, statsScope } from '../participants/policy.ts';
import { getProgram, listAgencies } from '../program/service.ts';
import { qrisRecount } from '../qris/stats.ts';
import { SECTOR_NAMES } from './names.ts';

type Bucket = { key: string; name: string; count: number };

/** Reads the rollup rows within a scope (list of dotted area prefixes, null = all). */
async function rollupRows(svc: Services, scope: string[] | null) {
  let q = svc.db.kysely
    .selectFrom('stat_rollup')
    .select(['metric', 'key', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy(['metric', 'key']);
  if (scope) {
    if (scope.length === 0) return [];
    q = q.where((eb) => eb.or(scope.map((a) => eb('district_code', 'like', `${a}%`))));
  }
  return (await q.execute()).map((r) => ({ metric: r.metric, key: r.key, n: Number(r.n) }));
}

/** The program's figures from the rollups: constant time whatever the number of participants. */
export async function summary(svc: Services, scope: string[] | null, lang: 'id' | 'en' = 'id') {
  const program = await getProgram(svc);
  const rows = await rollupRows(svc, scope);
  const by = (metric: string) => rows.filter((r) => r.metric === metric && r.n !== 0);
  const one = (metric: string, key: string) => rows.find((r) => r.metric === metric && r.key === key)?.n ?? 0;
  const registered = one('registered', 'all');
  const statusCount = (s: string) => one('status', s);
  const byRegencyMap = new Map<string, number>();
  const byDistrictMap = new Map<string, number>();
  let q = svc.db.kysely
    .selectFrom('stat_rollup')
    .select(['district_code', 'count'])
    .where('metric', '=', 'registered')
    .where('key', '=', 'all');
  if (scope) q = q.where((eb) => eb.or(scope.map((a) => eb('district_code', 'like', `${a}%`))));
  for (const r of await q.execute()) {
    const reg = r.district_code.slice(0, 5);
    byRegencyMap.set(reg, (byRegencyMap.get(reg) ?? 0) + Number(r.count));
    byDistrictMap.set(r.district_code, (byDistrictMap.get(r.district_code) ?? 0) + Number(r.count));
  }
  const agencies = await listAgencies(svc);
  const targets = await svc.db.kysely
    .selectFrom('targets')
    .selectAll()
    .where('program_id', '=', program.id)
    .execute();
  const sortKey = (a: Bucket, b: Bucket) => a.key.localeCompare(b.key);
  const target =
    scope === null
      ? program.target
      : targets
          .filter(
            (t) =>
              t.regency_code &&
              !t.agency &&
              scope.some((s) => t.regency_code!.startsWith(s) || s.startsWith(t.regency_code!)),
          )
          .reduce((s, t) => s + Number(t.target), 0) || null;
  const funnel = program.stages.map((s) => ({
    key: s.code,
    name: lang === 'en' ? s.en : s.id,
    count: one('stage', s.code),
  }));
  return {
    program: { name: program.name, periodStart: program.periodStart, periodEnd: program.periodEnd },
    target,
    registered,
    verified: statusCount('verified'),
    validated: statusCount('validated'),
    rejected: statusCount('rejected'),
    pending: statusCount('registered'),
    consentMissing: one('consent_missing', 'all'),
    /** records merged into another as duplicates: left out of every figure here */
    duplicatesExcluded: one('merged', 'all'),
    achievementPct: target ? Math.round((registered / target) * 1000) / 10 : null,
    byYear: by('year')
      .map((r) => ({ key: r.key, name: r.key, count: r.n }))
      .sort(sortKey),
    byMonth: by('month')
      .map((r) => ({ key: r.key, name: r.key, count: r.n }))
      .sort(sortKey),
    byRegency: [...byRegencyMap]
      .filter(([, n]) => n !== 0)
      .map(([key, count]) => ({ key, name: getRegion(key)?.name ?? key, count }))
      .sort(sortKey),
    byDistrict: [...byDistrictMap]
      .filter(([, n]) => n !== 0)
      .map(([key, count]) => ({ key, name: getRegion(key)?.name ?? key, count }))
      .sort(sortKey),
    bySector: by('sector')
      .map((r) => ({ key: r.key, name: SECTOR_NAMES[r.key]?.[lang] ?? r.key, count: r.n }))
      .sort((a, b) => b.count - a.count),
    byStatus: by('status')
      .map((r) => ({ key: r.key, name: r.key, count: r.n }))
      .sort(sortKey),
    byAgency: by('agency')
      .map((r) => {
        const a = agencies.find((x) => x.code === r.key);
        const t = targets.find((x) => x.agency === r.key && !x.regency_code && !x.year);
        return {
          key: r.key,
          name: a ? (lang === 'en' ? a.nameEn : a.name) : r.key,
          count: r.n,
          target: t ? Number(t.target) : null,
        };
      })
      .sort(sortKey),
    funnel,
    milestones: by('milestone')
      .map((r) => ({ key: r.key, name: r.key, count: r.n }))
      .sort(sortKey),
  };
}

export async function scopedSummary(svc: Services, ctx: Ctx) {
  requirePermission(ctx, 'stats.read');
  return summary(svc, statsScope(ctx.actor), ctx.lang);
}

/** Participants whose primary business declares QRIS, by district and sector (the `qris_declared` rollup). */
export function declaredQrisCounts(k: Kysely<DB>) {
  return k
    .selectFrom('participants')
    .innerJoin('businesses', 'businesses.participant_id', 'participants.id')
    .select([
      'participants.district_code',
      'participants.sector',
      (eb) => eb.fn.countAll<number | string>().as('n'),
    ])
    .where('businesses.is_primary', '=', 1)
    .where('businesses.has_qris', '=', 1)
    .where('participants.merged_into', 'is', null)
    .groupBy(['participants.district_code', 'participants.sector'])
    .execute();
}

/**
 * Recounts every rollup figure from the records themselves (GROUP BY over participants, enrolments and
 * milestones) and lists where the rollups differ. Empty list = all agree.
 */
export async function verifyStats(svc: Services) {
  const k = svc.db.kysely;
  const expected = new Map<string, number>();
  const add = (d: string, m: string, key: string, n: number) => {
    const kk = `${d}|${m}|${key}`;
    expected.set(kk, (expected.get(kk) ?? 0) + Number(n));
  };
  const n = (eb: any) => eb.fn.countAll().as('n') as any;
  for (const r of await k
    .selectFrom('participants')
    .where('merged_into', 'is', null)
    .select(['district_code', n])
    .groupBy('district_code')
    .execute())
    add(r.district_code, 'registered', 'all', Number(r.n));
  const yearExpr = sql<string>`substr(registered_date, 1, 4)`;
  for (const r of await k
    .selectFrom('participants')
    .where('merged_into', 'is', null)
    .select(['district_code', yearExpr.as('y'), n])
    .groupBy(['district_code', yearExpr])
    .execute())
    add(r.district_code, 'year', r.y, Number(r.n));
  const monthExpr = sql<string>`substr(registered_date, 1, 7)`;
  for (const r of await k
    .selectFrom('participants')
    .where('merged_into', 'is', null)
    .select(['district_code', monthExpr.as('m'), n])
    .groupBy(['district_code', monthExpr])
    .execute())
    add(r.district_code, 'month', r.m, Number(r.n));
  for (const col of ['village_code', 'sector', 'status'] as const) {
    const metric = col === 'village_code' ? 'village' : col;
    for (const r of await k
      .selectFrom('participants')
      .where('merged_into', 'is', null)
      .select(['district_code', col, n])
      .groupBy(['district_code', col])
      .execute())
      add(r.district_code, metric, (r as any)[col], Number(r.n));
  }
  for (const r of await k
    .selectFrom('participants')
    .where('merged_into', 'is', null)
    .select(['district_code', n])
    .where('consent_given', '=', 0)
    .groupBy('district_code')
    .execute())
    add(r.district_code, 'consent_missing', 'all', Number(r.n));
  for (const r of await k
    .selectFrom('enrolments')
    .innerJoin('participants', 'participants.id', 'enrolments.participant_id')
    .where('participants.merged_into', 'is', null)
    .select(['participants.district_code', 'enrolments.agency', n])
    .groupBy(['participants.district_code', 'enrolments.agency'])
    .execute())
    add(r.district_code, 'agency', r.agency, Number(r.n));
  for (const r of await k
    .selectFrom('milestones')
    .innerJoin('participants', 'participants.id', 'milestones.participant_id')
    .where('participants.merged_into', 'is', null)
    .select(['participants.district_code', 'milestones.stage', 'milestones.kind', n])
    .groupBy(['participants.district_code', 'milestones.stage', 'milestones.kind'])
    .execute())
    add(r.district_code, 'milestone', `${r.stage}:${r.kind}`, Number(r.n));
  for (const r of await k
    .selectFrom('milestones')
    .innerJoin('participants', 'participants.id', 'milestones.participant_id')
    .where('participants.merged_into', 'is', null)
    .select([
      'participants.district_code',
      'milestones.stage',
      (eb) => eb.fn.count('milestones.participant_id').distinct().as('n'),
    ])
    .groupBy(['participants.district_code', 'milestones.stage'])
    .execute())
    add(r.district_code, 'stage', r.stage, Number(r.n));

  for (const r of await k
    .selectFrom('participants')
    .where('merged_into', 'is not', null)
    .select(['district_code', n])
    .groupBy('district_code')
    .execute())
    add(r.district_code, 'merged', 'all', Number(r.n));

  for (const r of await declaredQrisCounts(k)) add(r.district_code, 'qris_declared', r.sector, Number(r.n));
  await qrisRecount(k, add);
  const actual = new Map<string, number>();
  for (const r of await k.selectFrom('stat_rollup').selectAll().execute()) {
    actual.set(`${r.district_code}|${r.metric}|${r.key}`, Number(r.count));
  }
  const differences: { district: string; metric: string; key: string; expected: number; rollup: number }[] =
    [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key) ?? 0;
    const a = actual.get(key) ?? 0;
    if (e !== a) {
      const [district, metric, k2] = key.split('|');
      differences.push({ district, metric, key: k2, expected: e, rollup: a });
    }
  }
  return { ok: differences.length === 0, checked: expected.size, differences };
}

/** Rebuilds the rollups from the records (repair after a restore or a manual fix). */
export async function rebuildStats(svc: Services) {
  const res = await verifyStats(svc);
  await svc.db.kysely.transaction().execute(async (tx) => {
    for (const d of res.differences) {
      await tx
        .insertInto('stat_rollup')
        .values({ district_code: d.district, metric: d.metric, key: d.key, count: d.expected })
        .onConflict((oc) => oc.columns(['district_code', 'metric', 'key']).doUpdateSet({ count: d.expected }))
        .execute();
    }
  });
  return res.differences.length;
}
