import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 002_qris: each participant's QRIS merchant profile (one per participant, keyed by participant_id, the
 * distribution key) and participant notifications (written in the same transaction as the change they
 * tell about). Ids are random UUIDs as text, timestamps ISO-8601 UTC text, like 001.
 */
export const m002Qris: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('qris_profiles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('participant_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('merchant_name', 'text', (c) => c.notNull())
      .addColumn('merchant_city', 'text', (c) => c.notNull())
      .addColumn('nmid', 'text')
      .addColumn('criteria', 'text')
      .addColumn('mcc', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('warnings', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text')
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('verified_by', 'text')
      .addColumn('verified_at', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('qris_profiles_participant', ['participant_id'])
      .execute();
    await db.schema.createIndex('qris_profiles_nmid').on('qris_profiles').column('nmid').execute();
    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('participant_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .execute();
    await db.schema
      .createIndex('notifications_participant')
      .on('notifications')
      .columns(['participant_id', 'created_at'])
      .execute();
  },
};
