import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 006_participants_list: indexes for the participants list on a large registry (docs/decisions.md, "List speed").
 * - participants (status, registered_at, id) replaces participants (status): a status filter walks its records
 *   newest first instead of collecting all of them (two thirds of the registry) and sorting.
 * - participants (name_search, id) and businesses (name_search, participant_id): a name search (LIKE '%...%')
 *   reads these narrow indexes instead of every record (SQLite); on PostgreSQL they serve prefix searches only.
 */
export const m006ParticipantsList: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('participants_status_registered')
      .ifNotExists()
      .on('participants')
      .columns(['status', 'registered_at', 'id'])
      .execute();
    await db.schema.dropIndex('participants_status').ifExists().execute();
    await db.schema
      .createIndex('participants_name_search')
      .ifNotExists()
      .on('participants')
      .columns(['name_search', 'id'])
      .execute();
    await db.schema
      .createIndex('businesses_name_search')
      .ifNotExists()
      .on('businesses')
      .columns(['name_search', 'participant_id'])
      .execute();
  },
};
