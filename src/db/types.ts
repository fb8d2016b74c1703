/** Booleans are stored as 0/1 integers and timestamps as ISO-8601 UTC text on both engines. */
export interface ProgramsTable {
  id: string;
  name: string;
  area_codes: string; // JSON array
  period_start: string;
  period_end: string;
  target: number;
  stages: string; // JSON array of {code, id, en}
  created_at: string;
  updated_at: string;
}
export interface TargetsTable {
  id: string;
  program_id: string;
  agency: string | null;
  regency_code: string | null;
  year: number | null;
  target: number;
}
export interface AgenciesTable {
  code: string;
  name: string;
  name_en: string;
}
export interface UsersTable {
  id: string;
  email: string | null;
  phone: string | null;
  display_name: string;
  role: string;
  password_hash: string;
  must_change_password: number;
  failed_attempts: number;
  locked_until: string | null;
  disabled: number;
  created_at: string;
  updated_at: string;
}
export interface UserGrantsTable {
  id: string;
  user_id: string;
  kind: string; // area | agency | collaborator | participant
  value: string;
}
export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  ip: string | null;
}
export interface CollaboratorsTable {
  id: string;
  name: string;
  type: string;
  mou_number: string | null;
  mou_start: string | null;
  mou_end: string | null;
  stages: string; // JSON array
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  area_code: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}
export interface ParticipantsTable {
  id: string;
  registration_number: string;
  nik_hash: string;
  nik_enc: string | null;
  nik_masked: string;
  phone_hash: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  email_enc: string | null;
  street_enc: string | null;
  full_name: string;
  name_search: string;
  birth_date: string | null;
  sex: string | null;
  province_code: string;
  regency_code: string;
  district_code: string;
  village_code: string;
  rt: string | null;
  rw: string | null;
  postal_code: string | null;
  status: string;
  status_reason: string | null;
  agency: string;
  channel: string;
  entered_by: string | null;
  collaborator_id: string | null;
  import_job_id: string | null;
  civil_status: string;
  nik_override_reason: string | null;
  review_flags: string | null; // JSON array
  /** the participant this record was merged into as a duplicate (left out of every figure) */
  merged_into: string | null;
  consent_given: number;
  registered_at: string;
  registered_date: string; // WIB date
  verified_by: string | null;
  verified_at: string | null;
  verification_evidence: string | null;
  validated_by: string | null;
  validated_at: string | null;
  erased_at: string | null;
  restricted_until: string | null;
  sector: string; // of the primary business, for statistics
  is_demo: number;
  /** HMAC of the User-Agent and IP a registration came from over HTTP (004_quality); null otherwise */
  device_hash: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface NikIndexTable {
  nik_hash: string;
  participant_id: string;
}
export interface PersonKeysTable {
  participant_id: string;
  key_id: string;
  wrapped_key: string | null;
  destroyed_at: string | null;
}
export interface BusinessesTable {
  id: string;
  participant_id: string;
  name: string;
  name_search: string;
  sector: string;
  kbli: string | null;
  kbli_version: string | null;
  products: string | null;
  started_year: number | null;
  annual_revenue: number | null;
  capital: number | null;
  employees: number | null;
  nib: string | null;
  npwp: string | null;
  has_qris: number | null;
  size_class: string | null;
  is_primary: number;
  created_at: string;
  updated_at: string;
}
export interface EnrolmentsTable {
  id: string;
  participant_id: string;
  agency: string;
  channel: string;
  enrolled_at: string;
  collaborator_id: string | null;
  entered_by: string | null;
}
export interface ConsentsTable {
  id: string;
  participant_id: string;
  version: string;
  purpose: string;
  channel: string;
  given: number;
  given_at: string | null;
  withdrawn_at: string | null;
  recorded_by: string | null;
}
export interface MilestonesTable {
  id: string;
  participant_id: string;
  stage: string;
  kind: string;
  occurred_at: string;
  source_module: string;
  source_id: string | null;
  actor_id: string | null;
  created_at: string;
}
export interface AuditLogTable {
  id: string;
  occurred_at: string;
  actor_id: string | null;
  actor_label: string | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  participant_id: string | null;
  data_enc: string | null; // {before, after} JSON, encrypted with the person's key where personal
  data: string | null; // non-personal entities: plain JSON
}
export interface ImportJobsTable {
  id: string;
  status: string;
  file_path: string | null;
  file_name: string;
  format: string;
  total_bytes: number;
  bytes_read: number;
  rows: number;
  inserted: number;
  updated: number;
  duplicates: number;
  invalid: number;
  mode: string;
  dry_run: number;
  collaborator_id: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  error: string | null;
}
export interface ImportErrorsTable {
  job_id: string;
  row_number: number;
  column_name: string;
  code: string;
  message: string;
}
export interface IdempotencyKeysTable {
  key: string;
  user_id: string;
  request_hash: string;
  status_code: number;
  body: string;
  created_at: string;
}
export interface StatRollupTable {
  district_code: string;
  metric: string;
  key: string;
  count: number;
}
export interface CountersTable {
  name: string;
  value: number;
}
/** One QRIS merchant profile per participant (002_qris). */
export interface QrisProfilesTable {
  id: string;
  participant_id: string;
  payload: string;
  merchant_name: string;
  merchant_city: string;
  nmid: string | null;
  criteria: string | null;
  mcc: string | null;
  status: string; // unverified | verified
  warnings: string; // JSON array of {path, code, message: {id, en}}
  source: string; // text | image
  submitted_by: string | null;
  submitted_at: string;
  verified_by: string | null;
  verified_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface NotificationsTable {
  id: string;
  participant_id: string;
  kind: string;
  payload: string; // JSON
  created_at: string;
  read_at: string | null;
}

export interface DuplicatePairsTable {
  id: string;
  a_id: string;
  b_id: string;
  score: number;
  level: 'sure' | 'review';
  evidence: string; // JSON
  source: 'scan' | 'registration' | 'import';
  status: 'open' | 'merged' | 'not_duplicate' | 'later';
  district_code: string;
  found_at: string;
  decided_by: string | null;
  decided_at: string | null;
  note: string | null;
  kept_id: string | null;
}

export interface DedupeJobsTable {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  records: number;
  pairs: number;
  sure: number;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
  error: string | null;
}

export interface CivilChecksTable {
  id: string;
  participant_id: string;
  /** matched, mismatch, deceased (or unchecked, set back by an officer) */
  status: string;
  previous_status: string;
  /** the day the civil registry was checked (YYYY-MM-DD, WIB) */
  checked_on: string;
  source: 'import' | 'officer';
  file_name: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface DB {
  civil_checks: CivilChecksTable;
  duplicate_pairs: DuplicatePairsTable;
  dedupe_jobs: DedupeJobsTable;
  programs: ProgramsTable;
  targets: TargetsTable;
  agencies: AgenciesTable;
  users: UsersTable;
  user_grants: UserGrantsTable;
  sessions: SessionsTable;
  collaborators: CollaboratorsTable;
  participants: ParticipantsTable;
  nik_index: NikIndexTable;
  person_keys: PersonKeysTable;
  businesses: BusinessesTable;
  enrolments: EnrolmentsTable;
  consents: ConsentsTable;
  milestones: MilestonesTable;
  audit_log: AuditLogTable;
  import_jobs: ImportJobsTable;
  import_errors: ImportErrorsTable;
  idempotency_keys: IdempotencyKeysTable;
  stat_rollup: StatRollupTable;
  counters: CountersTable;
  qris_profiles: QrisProfilesTable;
  notifications: NotificationsTable;
}
