import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 004_quality: what the data-quality report needs.
 * - participants.device_hash: a keyed hash (HMAC, purpose 'device') of the User-Agent and IP address a
 *   registration came from over HTTP (API, web console, public form). Never the raw values. Null for CLI,
 *   import and demo records, and for every record stored before this migration.
 * - indexes: participants by device; audit_log by action (registrations per IP, reopenings).
 */
export const m004Quality: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('participants').addColumn('device_hash', 'text').execute();
    await db.schema.createIndex('participants_device').on('participants').column('device_hash').execute();
    await db.schema.createIndex('audit_action').on('audit_log').columns(['action', 'occurred_at']).execute();
  },
};
