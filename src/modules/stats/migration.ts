import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 003_rollup_qris_declared: the self-declared QRIS figure (`qris_declared/<sector>`, participants whose primary
 * business has has_qris = 1, by district) is kept by the write path from now on; this counts what is already
 * stored, so `stats verify` agrees right after the upgrade. No schema change.
 */
export const m003QrisDeclared: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      insert into stat_rollup (district_code, metric, key, count)
      select p.district_code, 'qris_declared', p.sector, count(*)
      from participants p join businesses b on b.participant_id = p.id
      where b.is_primary = 1 and b.has_qris = 1
      group by p.district_code, p.sector
      on conflict (district_code, metric, key) do update set count = excluded.count`.execute(db);
  },
};
