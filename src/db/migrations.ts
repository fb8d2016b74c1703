import { type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { m006CivilChecks } from '../modules/civil/migration.ts';
import { m003Dedupe, m007MergedIndex, m008BirthDistrictIndex } from '../modules/dedupe/migration.ts';
import { m006ParticipantsList } from '../modules/participants/migration.ts';
import { m002Qris } from '../modules/qris/migration.ts';
import { m004Quality } from '../modules/quality/migration.ts';
import { m003QrisDeclared } from '../modules/stats/migration.ts';

const text = 'text';
const int = 'integer';
const big = 'bigint';

const m001: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('programs')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('area_codes', text, (c) => c.notNull())
      .addColumn('period_start', text, (c) => c.notNull())
      .addColumn('period_end', text, (c) => c.notNull())
      .addColumn('target', big, (c) => c.notNull())
      .addColumn('stages', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('targets')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('program_id', text, (c) => c.notNull())
      .addColumn('agency', text)
      .addColumn('regency_code', text)
      .addColumn('year', int)
      .addColumn('target', big, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('agencies')
      .addColumn('code', text, (c) => c.primaryKey())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('name_en', text, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('email', text, (c) => c.unique())
      .addColumn('phone', text, (c) => c.unique())
      .addColumn('display_name', text, (c) => c.notNull())
      .addColumn('role', text, (c) => c.notNull())
      .addColumn('password_hash', text, (c) => c.notNull())
      .addColumn('must_change_password', int, (c) => c.notNull().defaultTo(0))
      .addColumn('failed_attempts', int, (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', text)
      .addColumn('disabled', int, (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('user_grants')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('user_grants_user').on('user_grants').column('user_id').execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('token_hash', text, (c) => c.notNull().unique())
      .addColumn('csrf_token', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('expires_at', text, (c) => c.notNull())
      .addColumn('revoked_at', text)
      .addColumn('ip', text)
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema
      .createTable('collaborators')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('type', text, (c) => c.notNull())
      .addColumn('mou_number', text)
      .addColumn('mou_start', text)
      .addColumn('mou_end', text)
      .addColumn('stages', text, (c) => c.notNull())
      .addColumn('contact_name', text)
      .addColumn('contact_email', text)
      .addColumn('contact_phone', text)
      .addColumn('area_code', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .addColumn('version', int, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createTable('participants')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('registration_number', text, (c) => c.notNull().unique())
      .addColumn('nik_hash', text, (c) => c.notNull())
      .addColumn('nik_enc', text)
      .addColumn('nik_masked', text, (c) => c.notNull())
      .addColumn('phone_hash', text)
      .addColumn('phone_enc', text)
      .addColumn('phone_masked', text)
      .addColumn('email_enc', text)
      .addColumn('street_enc', text)
      .addColumn('full_name', text, (c) => c.notNull())
      .addColumn('name_search', text, (c) => c.notNull())
      .addColumn('birth_date', text)
      .addColumn('sex', text)
      .addColumn('province_code', text, (c) => c.notNull())
      .addColumn('regency_code', text, (c) => c.notNull())
      .addColumn('district_code', text, (c) => c.notNull())
      .addColumn('village_code', text, (c) => c.notNull())
      .addColumn('rt', text)
      .addColumn('rw', text)
      .addColumn('postal_code', text)
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('status_reason', text)
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('channel', text, (c) => c.notNull())
      .addColumn('entered_by', text)
      .addColumn('collaborator_id', text)
      .addColumn('import_job_id', text)
      .addColumn('civil_status', text, (c) => c.notNull().defaultTo('unchecked'))
      .addColumn('nik_override_reason', text)
      .addColumn('review_flags', text)
      .addColumn('consent_given', int, (c) => c.notNull())
      .addColumn('registered_at', text, (c) => c.notNull())
      .addColumn('registered_date', text, (c) => c.notNull())
      .addColumn('verified_by', text)
      .addColumn('verified_at', text)
      .addColumn('verification_evidence', text)
      .addColumn('validated_by', text)
      .addColumn('validated_at', text)
      .addColumn('erased_at', text)
      .addColumn('restricted_until', text)
      .addColumn('sector', text, (c) => c.notNull())
      .addColumn('is_demo', int, (c) => c.notNull().defaultTo(0))
      .addColumn('version', int, (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    for (const [name, cols] of [
      ['participants_nik_hash', ['nik_hash']],
      ['participants_phone_hash', ['phone_hash']],
      ['participants_district', ['district_code', 'registered_at']],
      ['participants_registered', ['registered_at', 'id']],
      ['participants_collaborator', ['collaborator_id']],
      ['participants_status', ['status']],
    ] as const) {
      await db.schema
        .createIndex(name)
        .on('participants')
        .columns([...cols])
        .execute();
    }
    await db.schema
      .createTable('nik_index')
      .addColumn('nik_hash', text, (c) => c.primaryKey())
      .addColumn('participant_id', text, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('person_keys')
      .addColumn('participant_id', text, (c) => c.primaryKey())
      .addColumn('key_id', text, (c) => c.notNull())
      .addColumn('wrapped_key', text)
      .addColumn('destroyed_at', text)
      .execute();
    await db.schema
      .createTable('businesses')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('participant_id', text, (c) => c.notNull())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('name_search', text, (c) => c.notNull())
      .addColumn('sector', text, (c) => c.notNull())
      .addColumn('kbli', text)
      .addColumn('kbli_version', text)
      .addColumn('products', text)
      .addColumn('started_year', int)
      .addColumn('annual_revenue', big)
      .addColumn('capital', big)
      .addColumn('employees', int)
      .addColumn('nib', text)
      .addColumn('npwp', text)
      .addColumn('has_qris', int)
      .addColumn('size_class', text)
      .addColumn('is_primary', int, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('businesses_participant').on('businesses').column('participant_id').execute();
    await db.schema
      .createTable('enrolments')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('participant_id', text, (c) => c.notNull())
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('channel', text, (c) => c.notNull())
      .addColumn('enrolled_at', text, (c) => c.notNull())
      .addColumn('collaborator_id', text)
      .addColumn('entered_by', text)
      .addUniqueConstraint('enrolments_participant_agency', ['participant_id', 'agency'])
      .execute();
    await db.schema
      .createTable('consents')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('participant_id', text, (c) => c.notNull())
      .addColumn('version', text, (c) => c.notNull())
      .addColumn('purpose', text, (c) => c.notNull())
      .addColumn('channel', text, (c) => c.notNull())
      .addColumn('given', int, (c) => c.notNull())
      .addColumn('given_at', text)
      .addColumn('withdrawn_at', text)
      .addColumn('recorded_by', text)
      .execute();
    await db.schema.createIndex('consents_participant').on('consents').column('participant_id').execute();
    await db.schema
      .createTable('milestones')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('participant_id', text, (c) => c.notNull())
      .addColumn('stage', text, (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('occurred_at', text, (c) => c.notNull())
      .addColumn('source_module', text, (c) => c.notNull())
      .addColumn('source_id', text)
      .addColumn('actor_id', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addUniqueConstraint('milestones_unique', ['participant_id', 'stage', 'kind'])
      .execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('occurred_at', text, (c) => c.notNull())
      .addColumn('actor_id', text)
      .addColumn('actor_label', text)
      .addColumn('ip', text)
      .addColumn('action', text, (c) => c.notNull())
      .addColumn('entity_type', text, (c) => c.notNull())
      .addColumn('entity_id', text, (c) => c.notNull())
      .addColumn('participant_id', text)
      .addColumn('data_enc', text)
      .addColumn('data', text)
      .execute();
    await db.schema
      .createIndex('audit_entity')
      .on('audit_log')
      .columns(['entity_id', 'occurred_at'])
      .execute();
    await db.schema.createIndex('audit_time').on('audit_log').columns(['occurred_at', 'id']).execute();
    await db.schema
      .createTable('import_jobs')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('file_path', text)
      .addColumn('file_name', text, (c) => c.notNull())
      .addColumn('format', text, (c) => c.notNull())
      .addColumn('total_bytes', big, (c) => c.notNull().defaultTo(0))
      .addColumn('bytes_read', big, (c) => c.notNull().defaultTo(0))
      .addColumn('rows', int, (c) => c.notNull().defaultTo(0))
      .addColumn('inserted', int, (c) => c.notNull().defaultTo(0))
      .addColumn('updated', int, (c) => c.notNull().defaultTo(0))
      .addColumn('duplicates', int, (c) => c.notNull().defaultTo(0))
      .addColumn('invalid', int, (c) => c.notNull().defaultTo(0))
      .addColumn('mode', text, (c) => c.notNull())
      .addColumn('dry_run', int, (c) => c.notNull())
      .addColumn('collaborator_id', text)
      .addColumn('created_by', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('started_at', text)
      .addColumn('heartbeat_at', text)
      .addColumn('finished_at', text)
      .addColumn('error', text)
      .execute();
    await db.schema
      .createTable('import_errors')
      .addColumn('job_id', text, (c) => c.notNull())
      .addColumn('row_number', int, (c) => c.notNull())
      .addColumn('column_name', text, (c) => c.notNull())
      .addColumn('code', text, (c) => c.notNull())
      .addColumn('message', text, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('import_errors_job')
      .on('import_errors')
      .columns(['job_id', 'row_number'])
      .execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('request_hash', text, (c) => c.notNull())
      .addColumn('status_code', int, (c) => c.notNull())
      .addColumn('body', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_pk', ['user_id', 'key'])
      .execute();
    await db.schema
      .createTable('stat_rollup')
      .addColumn('district_code', text, (c) => c.notNull())
      .addColumn('metric', text, (c) => c.notNull())
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('count', big, (c) => c.notNull())
      .addPrimaryKeyConstraint('stat_rollup_pk', ['district_code', 'metric', 'key'])
      .execute();
    await db.schema
      .createTable('counters')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('value', big, (c) => c.notNull())
      .execute();
    await sql`select 1`.execute(db);
  },
};

export const migrations: Record<string, Migration> = {
  '001_registry': m001,
  '002_qris': m002Qris,
  '003_dedupe': m003Dedupe,
  '004_quality': m004Quality,
  '005_rollup_qris_declared': m003QrisDeclared,
  '006_civil_checks': m006CivilChecks,
  '006_participants_list': m006ParticipantsList,
  '007_merged_into_index': m007MergedIndex,
  '008_birth_district_index': m008BirthDistrictIndex,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
