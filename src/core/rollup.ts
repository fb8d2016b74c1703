import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/types.ts';

/**
 * Dashboard figures come from a small rollup table kept current by the write path: one row per
 * (district, metric, key) with a count. Reading a summary sums a few thousand rows whatever the number of
 * participants; `stats verify` recounts every figure from the records and compares.
 */
export class RollupDelta {
  readonly deltas = new Map<string, number>();
  add(district: string, metric: string, key: string, n = 1): this {
    const k = `${district}\u0000${metric}\u0000${key}`;
    this.deltas.set(k, (this.deltas.get(k) ?? 0) + n);
    return this;
  }
  get size(): number {
    return this.deltas.size;
  }
  rows(): { district_code: string; metric: string; key: string; count: number }[] {
    const out = [];
    for (const [k, n] of this.deltas) {
      if (n === 0) continue;
      const [district_code, metric, key] = k.split('\u0000');
      out.push({ district_code, metric, key, count: n });
    }
    return out;
  }
}

export async function applyRollup(tx: Transaction<DB> | Kysely<DB>, delta: RollupDelta): Promise<void> {
  const rows = delta.rows();
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('stat_rollup')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc
          .columns(['district_code', 'metric', 'key'])
          .doUpdateSet({ count: sql`stat_rollup.count + excluded.count` }),
      )
      .execute();
  }
}

/** What one participant record contributes to the rollups (the same rules `stats verify` recounts in SQL). */
export type ParticipantFacts = {
  district_code: string;
  village_code: string;
  registered_date: string;
  sector: string;
  status: string;
  consent_given: number;
};

export function addParticipantFacts(delta: RollupDelta, p: ParticipantFacts, sign: 1 | -1): void {
  const d = p.district_code;
  delta.add(d, 'registered', 'all', sign);
  delta.add(d, 'year', p.registered_date.slice(0, 4), sign);
  delta.add(d, 'month', p.registered_date.slice(0, 7), sign);
  delta.add(d, 'village', p.village_code, sign);
  delta.add(d, 'sector', p.sector, sign);
  delta.add(d, 'status', p.status, sign);
  if (!p.consent_given) delta.add(d, 'consent_missing', 'all', sign);
}

/**
 * The self-declared QRIS figure: `qris_declared/<sector>` counts participants whose primary business says it
 * accepts QRIS (businesses.has_qris = 1), by the participant's district and sector. The total and the figure
 * by city are sums over sectors and districts. A record moves (-1 before, +1 after) when its district, sector
 * or has_qris changes; erasure keeps it (aggregate counts stay).
 */
export type DeclaredQrisFacts = { district_code: string; sector: string; has_qris: number | null };

export function addDeclaredQris(delta: RollupDelta, f: DeclaredQrisFacts, sign: 1 | -1): void {
  if (f.has_qris === 1) delta.add(f.district_code, 'qris_declared', f.sector, sign);
}
