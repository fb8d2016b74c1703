import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import type { RollupDelta } from '../../core/rollup.ts';
import type { DB } from '../../db/types.ts';
import { getRegion } from '../../identity/index.ts';
import { requirePermission, statsScope } from '../participants/policy.ts';

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
      .innerJoin('participants', 'participants.id', 'qris_profiles.participant_id');
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
  const row = await tx
    .selectFrom('qris_profiles')
    .select('status')
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  if (!row) return;
  delta.add(before.district_code, 'qris', 'profile', -1);
  delta.add(after.district_code, 'qris', 'profile', 1);
  if (row.status === 'verified') {
    delta.add(before.district_code, 'qris', 'verified', -1);
    delta.add(after.district_code, 'qris', 'verified', 1);
    delta.add(before.district_code, 'qris_sector', before.sector, -1);
    delta.add(after.district_code, 'qris_sector', after.sector, 1);
  }
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

type Bucket = { key: string; name: string; registered: number; verified: number; verifiedPct: number | null };

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

/** QRIS adoption in the caller's area: verified profiles over registered participants, by city and sector. */
export async function qrisAdoption(svc: Services, ctx: Ctx) {
  requirePermission(ctx, 'stats.read');
  const scope = statsScope(ctx.actor);
  let q = svc.db.kysely
    .selectFrom('stat_rollup')
    .select(['district_code', 'metric', 'key', 'count'])
    .where((eb) =>
      eb.or([
        eb('metric', 'in', ['qris', 'qris_sector', 'sector']),
        eb.and([eb('metric', '=', 'registered'), eb('key', '=', 'all')]),
      ]),
    );
  if (scope) {
    if (scope.length === 0) q = q.where(({ lit }) => lit(false));
    else q = q.where((eb) => eb.or(scope.map((a) => eb('district_code', 'like', `${a}%`))));
  }
  const rows = await q.execute();
  let registered = 0;
  let profiles = 0;
  let verified = 0;
  const byRegency = new Map<string, { registered: number; verified: number; profiles: number }>();
  const bySector = new Map<string, { registered: number; verified: number }>();
  const reg = (code: string) => {
    let b = byRegency.get(code);
    if (!b) {
      b = { registered: 0, verified: 0, profiles: 0 };
      byRegency.set(code, b);
    }
    return b;
  };
  const sec = (key: string) => {
    let b = bySector.get(key);
    if (!b) {
      b = { registered: 0, verified: 0 };
      bySector.set(key, b);
    }
    return b;
  };
  for (const r of rows) {
    const n = Number(r.count);
    const regency = r.district_code.slice(0, 5);
    if (r.metric === 'registered') {
      registered += n;
      reg(regency).registered += n;
    } else if (r.metric === 'qris' && r.key === 'profile') {
      profiles += n;
      reg(regency).profiles += n;
    } else if (r.metric === 'qris' && r.key === 'verified') {
      verified += n;
      reg(regency).verified += n;
    } else if (r.metric === 'sector') sec(r.key).registered += n;
    else if (r.metric === 'qris_sector') sec(r.key).verified += n;
  }
  const byRegencyOut: (Bucket & { profiles: number })[] = [...byRegency]
    .filter(([, b]) => b.registered !== 0 || b.profiles !== 0)
    .map(([key, b]) => ({
      key,
      name: getRegion(key)?.name ?? key,
      registered: b.registered,
      profiles: b.profiles,
      verified: b.verified,
      verifiedPct: pct(b.verified, b.registered),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const bySectorOut: Bucket[] = [...bySector]
    .filter(([, b]) => b.registered !== 0 || b.verified !== 0)
    .map(([key, b]) => ({
      key,
      name: key,
      registered: b.registered,
      verified: b.verified,
      verifiedPct: pct(b.verified, b.registered),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    registered,
    profiles,
    verified,
    verifiedPct: pct(verified, registered),
    /** self-declared hasQris share: not kept as a rollup yet (the registry's write path would have to count it) */
    declared: null as number | null,
    declaredPct: null as number | null,
    byRegency: byRegencyOut,
    bySector: bySectorOut,
  };
}
