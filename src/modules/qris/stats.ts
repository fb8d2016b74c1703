import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import type { RollupDelta } from '../../core/rollup.ts';
import type { DB } from '../../db/types.ts';
import { getRegion } from '../../identity/index.ts';
import { requirePermission, statsScope } from '../participants/policy.ts';
import { SECTOR_NAMES } from '../stats/names.ts';

/**
 * QRIS figures, kept in stat_rollup by the write path (same transaction as each profile change):
 *   qris/profile        profiles saved, by the participant's district
 *   qris/verified       verified profiles, by district
 *   qris_sector/<s>     verified profiles by the participant's sector (and district)
 * The adoption rate is verified profiles over registered participants (registered/all, sector/<s>).
 */
export const QRIS_METRICS = ['qris', 'qris_sector'] as const;

type Add = (district: string, metric: string, key: string, n: number) => void;

/** Recounts the QRIS figures from the records (for `stats verify`). */
export async function qrisRecount(k: Kysely<DB>, add: Add): Promise<void> {
  const base = () =>
    k
      .selectFrom('qris_profiles')
      .innerJoin('participants', 'participants.id', 'qris_profiles.participant_id')
      .where('participants.merged_into', 'is', null);
  for (const r of await base()
    .select(['participants.district_code', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('participants.district_code')
    .execute())
    add(r.district_code, 'qris', 'profile', Number(r.n));
  for (const r of await base()
    .select(['participants.district_code', 'participants.sector', (eb) => eb.fn.countAll<number>().as('n')])
    .where('qris_profiles.status', '=', 'verified')
    .groupBy(['participants.district_code', 'participants.sector'])
    .execute()) {
    add(r.district_code, 'qris', 'verified', Number(r.n));
    add(r.district_code, 'qris_sector', r.sector, Number(r.n));
  }
}

function addQrisProfile(
  delta: RollupDelta,
  status: string,
  f: { district_code: string; sector: string },
  sign: 1 | -1,
) {
  delta.add(f.district_code, 'qris', 'profile', sign);
  if (status === 'verified') {
    delta.add(f.district_code, 'qris', 'verified', sign);
    delta.add(f.district_code, 'qris_sector', f.sector, sign);
  }
}

async function profileStatus(tx: Transaction<DB> | Kysely<DB>, participantId: string) {
  const row = await tx
    .selectFrom('qris_profiles')
    .select('status')
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return row?.status ?? null;
}

/**
 * For the registry: moves a participant's QRIS counts when its district or sector changes (call it from
 * the same transaction as that change).
 */
export async function moveQrisFacts(
  tx: Transaction<DB> | Kysely<DB>,
  participantId: string,
  before: { district_code: string; sector: string },
  after: { district_code: string; sector: string },
  delta: RollupDelta,
): Promise<void> {
  if (before.district_code === after.district_code && before.sector === after.sector) return;
  const status = await profileStatus(tx, participantId);
  if (!status) return;
  addQrisProfile(delta, status, before, -1);
  addQrisProfile(delta, status, after, 1);
}

/** For the registry: a participant leaves every figure (merged as a duplicate, -1) or comes back (+1). */
export async function countQrisFacts(
  tx: Transaction<DB> | Kysely<DB>,
  participantId: string,
  facts: { district_code: string; sector: string },
  sign: 1 | -1,
  delta: RollupDelta,
): Promise<void> {
  const status = await profileStatus(tx, participantId);
  if (status) addQrisProfile(delta, status, facts, sign);
}

/** Participants with a verified QRIS profile (the registry's list filter `qris=verified`). */
export function verifiedQrisParticipants(db: Transaction<DB> | Kysely<DB>) {
  return db.selectFrom('qris_profiles').select('participant_id').where('status', '=', 'verified');
}

/**
 * For the registry's erasure: clears the merchant data of a participant's profile and notifications
 * (the row stays, so the aggregate counts stay, as for the participant record itself).
 */
export async function eraseQrisData(tx: Transaction<DB> | Kysely<DB>, participantId: string): Promise<void> {
  await tx
    .updateTable('qris_profiles')
    .set({
      payload: '',
      merchant_name: '[dihapus]',
      merchant_city: '',
      nmid: null,
      warnings: '[]',
      updated_at: nowIso(),
    })
    .where('participant_id', '=', participantId)
    .execute();
  await tx.deleteFrom('notifications').where('participant_id', '=', participantId).execute();
}

type Counts = { registered: number; verified: number; declared: number };
type Bucket = Counts & { key: string; name: string; verifiedPct: number | null; declaredPct: number | null };

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);
const zero = (): Counts => ({ registered: 0, verified: 0, declared: 0 });
const bucket = (key: string, name: string, c: Counts): Bucket => ({
  key,
  name,
  ...c,
  verifiedPct: pct(c.verified, c.registered),
  declaredPct: pct(c.declared, c.registered),
});

/**
 * QRIS adoption in the caller's area, from the rollups: verified profiles (the QRIS module's `qris_sector`)
 * and self-declared QRIS (the registry's `qris_declared`, businesses.has_qris = 1), each over registered
 * participants, overall, by city and by sector.
 */
export async function qrisAdoption(svc: Services, ctx: Ctx) {
  requirePermission(ctx, 'stats.read');
  const scope = statsScope(ctx.actor);
  let q = svc.db.kysely
    .selectFrom('stat_rollup')
    .select(['district_code', 'metric', 'key', 'count'])
    .where((eb) =>
      eb.or([
        eb('metric', 'in', ['qris', 'qris_sector', 'qris_declared', 'sector']),
        eb.and([eb('metric', '=', 'registered'), eb('key', '=', 'all')]),
      ]),
    );
  if (scope) {
    if (scope.length === 0) q = q.where(({ lit }) => lit(false));
    else q = q.where((eb) => eb.or(scope.map((a) => eb('district_code', 'like', `${a}%`))));
  }
  const rows = await q.execute();
  const total = zero();
  let profiles = 0;
  const byRegency = new Map<string, Counts & { profiles: number }>();
  const bySector = new Map<string, Counts>();
  const reg = (code: string) => {
    const b = byRegency.get(code) ?? { ...zero(), profiles: 0 };
    byRegency.set(code, b);
    return b;
  };
  const sec = (key: string) => {
    const b = bySector.get(key) ?? zero();
    bySector.set(key, b);
    return b;
  };
  for (const r of rows) {
    const n = Number(r.count);
    const regency = r.district_code.slice(0, 5);
    if (r.metric === 'registered') {
      total.registered += n;
      reg(regency).registered += n;
    } else if (r.metric === 'qris' && r.key === 'profile') {
      profiles += n;
      reg(regency).profiles += n;
    } else if (r.metric === 'qris' && r.key === 'verified') {
      total.verified += n;
      reg(regency).verified += n;
    } else if (r.metric === 'sector') sec(r.key).registered += n;
    else if (r.metric === 'qris_sector') sec(r.key).verified += n;
    else if (r.metric === 'qris_declared') {
      total.declared += n;
      reg(regency).declared += n;
      sec(r.key).declared += n;
    }
  }
  const lang = ctx.lang;
  const byRegencyOut = [...byRegency]
    .filter(([, b]) => b.registered !== 0 || b.profiles !== 0)
    .map(([key, b]) => ({ ...bucket(key, getRegion(key)?.name ?? key, b), profiles: b.profiles }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const bySectorOut = [...bySector]
    .filter(([, b]) => b.registered !== 0 || b.verified !== 0 || b.declared !== 0)
    .map(([key, b]) => bucket(key, SECTOR_NAMES[key]?.[lang] ?? key, b))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    registered: total.registered,
    profiles,
    verified: total.verified,
    verifiedPct: pct(total.verified, total.registered),
    /** participants whose primary business says it accepts QRIS (self-declared, not checked) */
    declared: total.declared,
    declaredPct: pct(total.declared, total.registered),
    byRegency: byRegencyOut,
    bySector: bySectorOut,
  };
}
