import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { wibDate } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import type { DB } from '../../db/types.ts';
import { getRegion } from '../../identity/index.ts';
import { requirePermission, scopeExpr } from '../participants/policy.ts';
import { getProgram } from '../program/service.ts';
import {
  type CheckContext,
  checkContext,
  checkPredicate,
  fieldPredicate,
  LEGACY_RULES,
  QUALITY_CHECKS,
  type QualityCheck,
  REQUIRED_FIELDS,
  rulePredicate,
} from './checks.ts';

/** The report's options (query string, CLI flags); defaults for the two windows come from the configuration. */
export const qualityOptionsSchema = z
  .object({
    /** a verification pending longer than this many days is late */
    pendingDays: z.coerce.number().int().min(1).max(3650).optional(),
    /** a record with no activity for this many months is inactive */
    inactiveMonths: z.coerce.number().int().min(1).max(240).optional(),
    /** a registering user's or collaborator's busiest day with at least this many registrations is listed */
    dailyMin: z.coerce.number().int().min(1).max(100_000).default(30),
    /** the days before a deadline that make its window */
    burstDays: z.coerce.number().int().min(1).max(90).default(7),
    /** a burst needs at least this many registrations in the window... */
    burstMin: z.coerce.number().int().min(1).max(100_000).default(10),
    /** ...and this many times the pace of the year before the deadline */
    burstFactor: z.coerce.number().min(1).max(100).default(3),
    /** an IP address or device with at least this many registrations is listed */
    sameSourceMin: z.coerce.number().int().min(2).max(100_000).default(20),
    /** a phone number on at least this many records is listed */
    sharedPhoneMin: z.coerce.number().int().min(2).max(100_000).default(3),
  })
  .strict();
export type QualityOptionsInput = z.input<typeof qualityOptionsSchema>;
export type QualityOptions = Required<z.output<typeof qualityOptionsSchema>>;

/** Top rows kept in each anomaly table. */
const LIMIT = 50;

export type Bucket = { key: string; name: string; count: number };
export type CollaboratorBucket = { key: string | null; name: string | null; count: number };
export type CheckResult = {
  key: QualityCheck;
  count: number;
  byRegency: Bucket[];
  byDistrict: Bucket[];
  byCollaborator: CollaboratorBucket[];
  /** legacy_rules: records per failed rule; fields_missing: records per missing field */
  details?: Record<string, number>;
};
type Who = { id: string; name: string; role: string | null; count: number };
export type DailyPeak = {
  kind: 'user' | 'collaborator';
  id: string;
  name: string;
  role: string | null;
  peakDate: string;
  peakCount: number;
  days: number;
  total: number;
  averagePerDay: number;
};
export type DeadlineBurst = {
  kind: 'user' | 'collaborator';
  id: string;
  name: string;
  role: string | null;
  deadline: string;
  windowStart: string;
  windowCount: number;
  yearCount: number;
  ratio: number;
};
export type SourceRow = {
  /** a short keyed fingerprint (never the IP address or the hash itself) */
  ref: string;
  /** the IP with its last part hidden, or the device fingerprint */
  label: string;
  records: number;
  users: number;
  selfRegistrations: number;
  topUser: Who | null;
  topCollaborator: Who | null;
  firstAt: string;
  lastAt: string;
};
export type SharedPhoneRow = {
  /** masked as stored for lists (+62812****5678), never in clear */
  phone: string;
  records: number;
  districts: number;
  users: number;
  topUser: Who | null;
  topCollaborator: Who | null;
  firstAt: string;
  lastAt: string;
};
export type QualityReport = {
  generatedAt: string;
  /** the caller's areas (dotted); null = the whole program */
  scope: string[] | null;
  options: QualityOptions;
  /** records in scope (erased records and records merged into another are not checked) */
  total: number;
  /** records in scope left out of every check because they were merged into another as duplicates */
  mergedExcluded: number;
  checks: CheckResult[];
  anomalies: {
    deadlines: string[];
    dailyPeaks: DailyPeak[];
    deadlineBursts: DeadlineBurst[];
    ips: SourceRow[];
    devices: SourceRow[];
    sharedPhones: SharedPhoneRow[];
  };
};

export function resolveOptions(svc: Services, input: QualityOptionsInput = {}): QualityOptions {
  const o = qualityOptionsSchema.parse(input);
  return {
    ...o,
    pendingDays: o.pendingDays ?? svc.config.qualityPendingDays,
    inactiveMonths: o.inactiveMonths ?? svc.config.qualityInactiveMonths,
  };
}

const n = (v: unknown) => Number(v ?? 0);
const byCount = <T extends { count: number; key: string | null }>(a: T, b: T) =>
  b.count - a.count || String(a.key ?? '').localeCompare(String(b.key ?? ''));

/**
 * The rows in the caller's scope that are not erased and not merged into another record (a merged duplicate
 * leaves every check and count, like every figure), as a WHERE expression on `participants`. With
 * `erasedCleared`, the caller filters on a column erasure sets to null (phone_hash), so the erased test is left
 * out.
 */
function scopeOf(ctx: Ctx, opts: { erasedCleared?: boolean } = {}) {
  return (eb: Parameters<typeof scopeExpr>[0]) => {
    const notMerged = eb('participants.merged_into', 'is', null);
    const live = opts.erasedCleared
      ? notMerged
      : eb.and([eb('participants.erased_at', 'is', null), notMerged]);
    if (!ctx.actor) return ctx.via === 'http' ? eb.lit(false) : live;
    return eb.and([live, scopeExpr(eb, ctx.actor)]);
  };
}

/** Records in scope left out because they were merged into another as duplicates (not erased). */
async function countMerged(k: Kysely<DB>, ctx: Ctx): Promise<number> {
  const row = await k
    .selectFrom('participants')
    .where('participants.merged_into', 'is not', null)
    .where('participants.erased_at', 'is', null)
    .where((eb) => (!ctx.actor ? eb.lit(ctx.via !== 'http') : scopeExpr(eb, ctx.actor)))
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return n(row.n);
}

/** The data-quality report in the caller's area (officers: their area; admins and the CLI: everything). */
export async function qualityReport(
  svc: Services,
  ctx: Ctx,
  input: QualityOptionsInput = {},
  now: Date = new Date(),
): Promise<QualityReport> {
  const actor = requirePermission(ctx, 'quality.read');
  const options = resolveOptions(svc, input);
  const k = svc.db.kysely;
  const c = await checkContext(k, options, { now });
  const checks = await countChecks(k, ctx, c);
  const mergedExcluded = await countMerged(k, ctx);
  const program = await getProgram(svc);
  const deadlines = deadlinesOf(program.periodStart, program.periodEnd, options.burstDays, now);
  // independent queries: concurrent on PostgreSQL's pool (SQLite runs them one after another anyway)
  const [dailyPeaks, deadlineBursts, ips, devices, sharedPhones] = await Promise.all([
    peaks(k, ctx, options),
    bursts(k, ctx, options, deadlines),
    sources(svc, ctx, options, 'ip'),
    sources(svc, ctx, options, 'device'),
    phones(k, ctx, options),
  ]);
  return {
    generatedAt: now.toISOString(),
    scope: actor && actor.role !== 'admin' ? actor.areas : null,
    options,
    total: checks.total,
    mergedExcluded,
    checks: checks.results,
    anomalies: { deadlines, dailyPeaks, deadlineBursts, ips, devices, sharedPhones },
  };
}

/**
 * Every check counted in one pass over the records in scope, grouped by kecamatan and collaborator. Each
 * predicate is evaluated once per record, in storage order, into a materialized table of 0/1 flags that is then
 * summed: grouping the records themselves would run the correlated lookups (milestones, audit) in sorted order,
 * measured 4x slower on SQLite.
 */
async function countChecks(k: Kysely<DB>, ctx: Ctx, c: CheckContext) {
  const flag = (p: Expression<SqlBool>) => sql<number>`case when ${p} then 1 else 0 end`;
  const SIMPLE = QUALITY_CHECKS.filter((q) => q !== 'legacy_rules' && q !== 'fields_missing');
  const flags = k
    .selectFrom('participants')
    .where(scopeOf(ctx))
    .select([
      'participants.district_code as district',
      'participants.collaborator_id as collaborator',
      ...SIMPLE.map((q) => flag(checkPredicate(q, c)).as(q)),
      ...LEGACY_RULES.map((r) => flag(rulePredicate(r, c)).as(`rule_${r}`)),
      ...REQUIRED_FIELDS.map((f) => flag(fieldPredicate(f)).as(`field_${f}`)),
    ]);
  const anyOf = (cols: string[]) =>
    sql<number>`sum(case when ${sql.join(
      cols.map((col) => sql.ref(col)),
      sql` + `,
    )} > 0 then 1 else 0 end)`;
  const rows = await k
    .with(
      (w) => w('flags').materialized(),
      () => flags,
    )
    .selectFrom('flags')
    .select([
      'district',
      'collaborator',
      sql<number>`count(*)`.as('total'),
      ...SIMPLE.map((q) => sql<number>`sum(${sql.ref(q)})`.as(q)),
      anyOf(LEGACY_RULES.map((r) => `rule_${r}`)).as('legacy_rules'),
      anyOf(REQUIRED_FIELDS.map((f) => `field_${f}`)).as('fields_missing'),
      ...LEGACY_RULES.map((r) => sql<number>`sum(${sql.ref(`rule_${r}`)})`.as(`rule_${r}`)),
      ...REQUIRED_FIELDS.map((f) => sql<number>`sum(${sql.ref(`field_${f}`)})`.as(`field_${f}`)),
    ])
    .groupBy(['district', 'collaborator'])
    .execute();
  const collabIds = [...new Set(rows.map((r) => r.collaborator).filter((x): x is string => !!x))];
  const names = new Map(
    collabIds.length
      ? (
          await k.selectFrom('collaborators').select(['id', 'name']).where('id', 'in', collabIds).execute()
        ).map((r) => [r.id, r.name])
      : [],
  );
  const get = (r: (typeof rows)[number], key: string) => n((r as Record<string, unknown>)[key]);
  const results: CheckResult[] = QUALITY_CHECKS.map((q) => {
    const regency = new Map<string, number>();
    const district = new Map<string, number>();
    const collab = new Map<string | null, number>();
    let count = 0;
    for (const r of rows) {
      const v = get(r, q);
      if (v === 0) continue;
      count += v;
      district.set(r.district, (district.get(r.district) ?? 0) + v);
      const reg = r.district.slice(0, 5);
      regency.set(reg, (regency.get(reg) ?? 0) + v);
      collab.set(r.collaborator, (collab.get(r.collaborator) ?? 0) + v);
    }
    const buckets = (m: Map<string, number>): Bucket[] =>
      [...m].map(([key, count]) => ({ key, name: getRegion(key)?.name ?? key, count })).sort(byCount);
    const result: CheckResult = {
      key: q,
      count,
      byRegency: buckets(regency),
      byDistrict: buckets(district),
      byCollaborator: [...collab]
        .map(([key, count]) => ({ key, name: key ? (names.get(key) ?? key) : null, count }))
        .sort(byCount),
    };
    if (q === 'legacy_rules')
      result.details = Object.fromEntries(
        LEGACY_RULES.map((r) => [r, rows.reduce((s, x) => s + get(x, `rule_${r}`), 0)]),
      );
    if (q === 'fields_missing')
      result.details = Object.fromEntries(
        REQUIRED_FIELDS.map((f) => [f, rows.reduce((s, x) => s + get(x, `field_${f}`), 0)]),
      );
    return result;
  });
  return { total: rows.reduce((s, r) => s + n(r.total), 0), results };
}

const DIMENSIONS = {
  user: sql.ref<string>('participants.entered_by'),
  collaborator: sql.ref<string>('participants.collaborator_id'),
} as const;
type Dimension = keyof typeof DIMENSIONS;

/** Names of registering users and collaborators, for the anomaly tables. */
async function namesOf(k: Kysely<DB>, kind: Dimension, ids: string[]) {
  const out = new Map<string, { name: string; role: string | null }>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return out;
  if (kind === 'user') {
    for (const u of await k
      .selectFrom('users')
      .select(['id', 'display_name', 'email', 'role'])
      .where('id', 'in', unique)
      .execute())
      out.set(u.id, { name: u.display_name || u.email || u.id, role: u.role });
  } else {
    for (const r of await k
      .selectFrom('collaborators')
      .select(['id', 'name'])
      .where('id', 'in', unique)
      .execute())
      out.set(r.id, { name: r.name, role: null });
  }
  return out;
}

/** Each registering user's and collaborator's busiest day, when it reaches `dailyMin`. */
async function peaks(k: Kysely<DB>, ctx: Ctx, o: QualityOptions): Promise<DailyPeak[]> {
  const out: DailyPeak[] = [];
  for (const kind of ['user', 'collaborator'] as const) {
    const who = DIMENSIONS[kind];
    const perDay = k
      .selectFrom('participants')
      .where(scopeOf(ctx))
      .where(who, 'is not', null)
      .select([
        who.as('who'),
        'participants.registered_date as day',
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(count(*)) over (partition by ${who})`.as('total'),
        sql<number>`count(*) over (partition by ${who})`.as('days'),
        sql<number>`row_number() over (partition by ${who} order by count(*) desc, participants.registered_date)`.as(
          'rn',
        ),
      ])
      .groupBy([who, 'participants.registered_date']);
    const rows = await k
      .selectFrom(perDay.as('d'))
      .selectAll()
      .where('rn', '=', 1)
      .where('n', '>=', o.dailyMin)
      .orderBy('n', 'desc')
      .orderBy('who')
      .limit(LIMIT)
      .execute();
    const names = await namesOf(
      k,
      kind,
      rows.map((r) => r.who),
    );
    for (const r of rows) {
      const nm = names.get(r.who);
      out.push({
        kind,
        id: r.who,
        name: nm?.name ?? r.who,
        role: nm?.role ?? null,
        peakDate: r.day,
        peakCount: n(r.n),
        days: n(r.days),
        total: n(r.total),
        averagePerDay: Math.round((n(r.total) / Math.max(1, n(r.days))) * 10) / 10,
      });
    }
  }
  return out;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Target deadlines: the end of each calendar year of the program period (the program counts and reports its
 * figures per year) and the period's end, whose window has begun by `now` (WIB dates).
 */
export function deadlinesOf(periodStart: string, periodEnd: string, burstDays: number, now: Date) {
  const today = wibDate(now);
  const out = new Set<string>();
  const y0 = Number(periodStart.slice(0, 4));
  const y1 = Number(periodEnd.slice(0, 4));
  for (let y = y0; y <= y1; y++) {
    const d = `${y}-12-31`;
    if (d <= periodEnd) out.add(d);
  }
  out.add(periodEnd);
  return [...out].filter((d) => addDays(d, 1 - burstDays) <= today).sort();
}

/**
 * Registrations in the `burstDays` before a deadline, against the pace of the year that ends with it:
 * listed when the window holds at least `burstMin` and at least `burstFactor` times the yearly pace.
 */
async function bursts(
  k: Kysely<DB>,
  ctx: Ctx,
  o: QualityOptions,
  deadlines: string[],
): Promise<DeadlineBurst[]> {
  if (deadlines.length === 0) return [];
  const spans = deadlines.map((deadline) => ({
    deadline,
    windowStart: addDays(deadline, 1 - o.burstDays),
    yearStart: addDays(deadline, -364),
  }));
  const date = sql.ref<string>('participants.registered_date');
  // one pass over the years concerned: per (user, collaborator), the count in each window and each year
  const rows = await k
    .selectFrom('participants')
    .where(scopeOf(ctx))
    .where((eb) =>
      eb.or([
        eb('participants.entered_by', 'is not', null),
        eb('participants.collaborator_id', 'is not', null),
      ]),
    )
    .where('participants.registered_date', '>=', spans[0].yearStart)
    .where('participants.registered_date', '<=', deadlines[deadlines.length - 1])
    .select([
      'participants.entered_by as user',
      'participants.collaborator_id as collaborator',
      ...spans.flatMap((s, i) => [
        sql<number>`sum(case when ${date} >= ${s.windowStart} and ${date} <= ${s.deadline} then 1 else 0 end)`.as(
          `w${i}`,
        ),
        sql<number>`sum(case when ${date} >= ${s.yearStart} and ${date} <= ${s.deadline} then 1 else 0 end)`.as(
          `y${i}`,
        ),
      ]),
    ])
    .groupBy(['participants.entered_by', 'participants.collaborator_id'])
    .execute();
  const out: DeadlineBurst[] = [];
  for (const kind of ['user', 'collaborator'] as const) {
    const totals = new Map<string, { w: number[]; y: number[] }>();
    for (const r of rows) {
      const who = kind === 'user' ? r.user : r.collaborator;
      if (!who) continue;
      const t = totals.get(who) ?? { w: spans.map(() => 0), y: spans.map(() => 0) };
      const rec = r as Record<string, unknown>;
      spans.forEach((_, i) => {
        t.w[i] += n(rec[`w${i}`]);
        t.y[i] += n(rec[`y${i}`]);
      });
      totals.set(who, t);
    }
    const flagged: { who: string; i: number; win: number; year: number; ratio: number }[] = [];
    for (const [who, t] of totals)
      spans.forEach((_, i) => {
        const win = t.w[i];
        const year = t.y[i];
        if (win < o.burstMin) return;
        const ratio = win / ((year * o.burstDays) / 365);
        if (ratio >= o.burstFactor) flagged.push({ who, i, win, year, ratio });
      });
    const names = await namesOf(
      k,
      kind,
      flagged.map((f) => f.who),
    );
    for (const f of flagged) {
      const nm = names.get(f.who);
      out.push({
        kind,
        id: f.who,
        name: nm?.name ?? f.who,
        role: nm?.role ?? null,
        deadline: spans[f.i].deadline,
        windowStart: spans[f.i].windowStart,
        windowCount: f.win,
        yearCount: f.year,
        ratio: Math.round(f.ratio * 10) / 10,
      });
    }
  }
  return out
    .sort(
      (a, b) =>
        b.windowCount - a.windowCount ||
        a.deadline.localeCompare(b.deadline) ||
        a.kind.localeCompare(b.kind) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, LIMIT * 2);
}

function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.*`;
  const parts = ip.split(':').filter((p) => p !== '');
  return parts.length >= 3 ? `${parts.slice(0, 3).join(':')}:*` : '*';
}

/** The user and the collaborator behind most records of each group (IP, device, phone). */
async function tops(
  k: Kysely<DB>,
  ctx: Ctx,
  groupKey: RawBuilder<string>,
  keys: string[],
  from: 'participants' | 'audit',
) {
  const result = new Map<string, { user: Who | null; collaborator: Who | null }>();
  if (keys.length === 0) return result;
  for (const kind of ['user', 'collaborator'] as const) {
    const who = kind === 'user' && from === 'audit' ? sql.ref<string>('a.actor_id') : DIMENSIONS[kind];
    let q = k
      .selectFrom('participants')
      .where(scopeOf(ctx))
      .where(who, 'is not', null)
      .select([groupKey.as('g'), who.as('who'), sql<number>`count(*)`.as('n')])
      .groupBy([groupKey, who]);
    if (from === 'audit') {
      q = q
        .innerJoin('audit_log as a', 'a.entity_id', 'participants.id')
        .where('a.action', '=', 'participant.create')
        .where(sql<SqlBool>`${groupKey} in (${sql.join(keys)})`) as unknown as typeof q;
    } else q = q.where(sql<SqlBool>`${groupKey} in (${sql.join(keys)})`);
    const rows = await q.execute();
    const best = new Map<string, { who: string; n: number }>();
    for (const r of rows) {
      const cur = best.get(r.g);
      if (!cur || n(r.n) > cur.n || (n(r.n) === cur.n && r.who < cur.who))
        best.set(r.g, { who: r.who, n: n(r.n) });
    }
    const names = await namesOf(
      k,
      kind,
      [...best.values()].map((b) => b.who),
    );
    for (const [g, b] of best) {
      const entry = result.get(g) ?? { user: null, collaborator: null };
      const nm = names.get(b.who);
      entry[kind] = { id: b.who, name: nm?.name ?? b.who, role: nm?.role ?? null, count: b.n };
      result.set(g, entry);
    }
  }
  return result;
}

/**
 * Registrations per source: the IP address of each registration's audit entry (API, web console, public
 * form; an import is one entry per file, so its rows have no IP), or the registration's device hash.
 */
async function sources(
  svc: Services,
  ctx: Ctx,
  o: QualityOptions,
  kind: 'ip' | 'device',
): Promise<SourceRow[]> {
  const k = svc.db.kysely;
  let rows: { g: string; records: number; users: number; self: number; first: string; last: string }[];
  if (kind === 'ip') {
    rows = await k
      .selectFrom('audit_log as a')
      .innerJoin('participants', 'participants.id', 'a.entity_id')
      .where('a.action', '=', 'participant.create')
      .where('a.ip', 'is not', null)
      .where(scopeOf(ctx))
      .select([
        sql<string>`a.ip`.as('g'),
        sql<number>`count(*)`.as('records'),
        sql<number>`count(distinct a.actor_id)`.as('users'),
        sql<number>`sum(case when a.actor_id is null then 1 else 0 end)`.as('self'),
        sql<string>`min(participants.registered_at)`.as('first'),
        sql<string>`max(participants.registered_at)`.as('last'),
      ])
      .groupBy('a.ip')
      .having(sql`count(*)`, '>=', o.sameSourceMin)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('a.ip')
      .limit(LIMIT)
      .execute();
  } else {
    rows = await k
      .selectFrom('participants')
      .where(scopeOf(ctx))
      .where('participants.device_hash', 'is not', null)
      .select([
        sql<string>`participants.device_hash`.as('g'),
        sql<number>`count(*)`.as('records'),
        sql<number>`count(distinct participants.entered_by)`.as('users'),
        sql<number>`sum(case when participants.entered_by is null then 1 else 0 end)`.as('self'),
        sql<string>`min(participants.registered_at)`.as('first'),
        sql<string>`max(participants.registered_at)`.as('last'),
      ])
      .groupBy('participants.device_hash')
      .having(sql`count(*)`, '>=', o.sameSourceMin)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('participants.device_hash')
      .limit(LIMIT)
      .execute();
  }
  const top = await tops(
    k,
    ctx,
    kind === 'ip' ? sql.ref<string>('a.ip') : sql.ref<string>('participants.device_hash'),
    rows.map((r) => r.g),
    kind === 'ip' ? 'audit' : 'participants',
  );
  return rows.map((r) => {
    const fingerprint =
      kind === 'ip'
        ? svc.vault.hmac('device', `ip:${r.g}`).slice(0, 8)
        : r.g.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
    return {
      ref: fingerprint,
      label: kind === 'ip' ? maskIp(r.g) : fingerprint,
      records: n(r.records),
      users: n(r.users),
      selfRegistrations: n(r.self),
      topUser: top.get(r.g)?.user ?? null,
      topCollaborator: top.get(r.g)?.collaborator ?? null,
      firstAt: r.first,
      lastAt: r.last,
    };
  });
}

/** The same phone number on `sharedPhoneMin` records or more (by its keyed hash; shown masked). */
async function phones(k: Kysely<DB>, ctx: Ctx, o: QualityOptions): Promise<SharedPhoneRow[]> {
  // first the numbers on enough records (the phone_hash index answers it), then their details
  const shared = await k
    .selectFrom('participants')
    .where(scopeOf(ctx, { erasedCleared: true }))
    .where('participants.phone_hash', 'is not', null)
    .select([sql<string>`participants.phone_hash`.as('g'), sql<number>`count(*)`.as('records')])
    .groupBy('participants.phone_hash')
    .having(sql`count(*)`, '>=', o.sharedPhoneMin)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('participants.phone_hash')
    .limit(LIMIT)
    .execute();
  if (shared.length === 0) return [];
  const keys = shared.map((r) => r.g);
  const details = new Map(
    (
      await k
        .selectFrom('participants')
        .where(scopeOf(ctx))
        .where('participants.phone_hash', 'in', keys)
        .select([
          sql<string>`participants.phone_hash`.as('g'),
          sql<string>`min(participants.phone_masked)`.as('phone'),
          sql<number>`count(distinct participants.district_code)`.as('districts'),
          sql<number>`count(distinct participants.entered_by)`.as('users'),
          sql<string>`min(participants.registered_at)`.as('first'),
          sql<string>`max(participants.registered_at)`.as('last'),
        ])
        .groupBy('participants.phone_hash')
        .execute()
    ).map((r) => [r.g, r]),
  );
  const top = await tops(k, ctx, sql.ref<string>('participants.phone_hash'), keys, 'participants');
  return shared.map((s) => {
    const r = details.get(s.g)!;
    return {
      phone: r.phone ?? '',
      records: n(s.records),
      districts: n(r.districts),
      users: n(r.users),
      topUser: top.get(s.g)?.user ?? null,
      topCollaborator: top.get(s.g)?.collaborator ?? null,
      firstAt: r.first,
      lastAt: r.last,
    };
  });
}
