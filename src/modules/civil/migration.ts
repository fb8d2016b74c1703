import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 006_civil_checks: the results of matching participants against the civil registry (Dukcapil), one row per
 * check, from an imported match file or an officer. participants.civil_status keeps the latest result; this
 * table keeps where every result came from (file, date of the check, who loaded it), so that a "mismatch" or
 * "deceased" figure traces back to its source.
 */
export const m006CivilChecks: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('civil_checks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('participant_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('previous_status', 'text', (c) => c.notNull())
      .addColumn('checked_on', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text')
      .addColumn('note', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('civil_checks_participant')
      .on('civil_checks')
      .columns(['participant_id', 'created_at'])
      .execute();
  },
};
