import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 003_dedupe: duplicate detection.
 * - participants.merged_into: the record this one was merged into (left out of every figure while set);
 * - duplicate_pairs: candidate pairs (a scan, a registration, an import) with score, level, evidence and the
 *   decision (open, merged, not_duplicate, later): a pair decided "not a duplicate" is never asked again;
 * - dedupe_jobs: background scans with their progress;
 * - indexes on birth date (the registration-time check looks up people born the same day or one typo away) and
 *   on the name's search text (how common a name is).
 */
export const m003Dedupe: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('participants').addColumn('merged_into', 'text').execute();
    await db.schema
      .createIndex('participants_birth')
      .on('participants')
      .columns(['birth_date', 'nik_masked'])
      .execute();
    // how many people bear a name (a common name weighs less as evidence)
    await db.schema.createIndex('participants_name').on('participants').column('name_search').execute();
    await db.schema
      .createTable('duplicate_pairs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('a_id', 'text', (c) => c.notNull())
      .addColumn('b_id', 'text', (c) => c.notNull())
      .addColumn('score', 'real', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('district_code', 'text', (c) => c.notNull())
      .addColumn('found_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('note', 'text')
      .addColumn('kept_id', 'text')
      .addUniqueConstraint('duplicate_pairs_ab', ['a_id', 'b_id'])
      .execute();
    await db.schema
      .createIndex('duplicate_pairs_queue')
      .on('duplicate_pairs')
      .columns(['status', 'score'])
      .execute();
    await db.schema.createIndex('duplicate_pairs_b').on('duplicate_pairs').column('b_id').execute();
    await db.schema
      .createTable('dedupe_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pairs', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sure', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('error', 'text')
      .execute();
  },
};

/**
 * 007_merged_into_index: the records merged into a record (its page and API show them) are found by index, not
 * by reading the registry (a full scan on every record view and registration: 32 ms at 100k, ~0.3 s at 1M).
 * Partial: only merged records are indexed.
 */
export const m007MergedIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('participants_merged_into')
      .on('participants')
      .column('merged_into')
      .where(sql.ref('merged_into'), 'is not', null)
      .execute();
  },
};

/**
 * 008_birth_district_index: people born the same day in the same kecamatan, the import-time duplicate check's
 * block, found by index. The birth date alone reads ~55 people a day at 1M (a batch of 1,000 rows read 50,000
 * records, 1.5-2 s, and the import slowed as the registry grew); the pair reads ~1.
 */
export const m008BirthDistrictIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('participants_birth_district')
      .on('participants')
      .columns(['birth_date', 'district_code'])
      .execute();
  },
};
