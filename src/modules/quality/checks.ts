import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Text } from '../../core/errors.ts';
import type { DB } from '../../db/types.ts';
import { checkKbli, getRegion, isWithin, SECTOR_KEYS } from '../../identity/index.ts';

/**
 * The data-quality checks: each is one SQL predicate over a `participants` row (erased records, and records
 * merged into another as duplicates, are left out by the callers), used both by the report (counted with GROUP
 * BY) and by the participant list's `quality` filter, so a count and the list it links to always agree. Definitions in docs/quality.md.
 */
export const QUALITY_CHECKS = [
  'nik_confirmed',
  'legacy_rules',
  'civil_mismatch',
  'civil_deceased',
  'nik_outside_area',
  'consent_missing',
  'fields_missing',
  'inactive',
  'pending_verification',
] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

/** The rules of today a stored record can fail only when it was stored before the rule (or its data) existed. */
export const LEGACY_RULES = ['village', 'nik_region', 'kbli', 'sector'] as const;
export type LegacyRule = (typeof LEGACY_RULES)[number];

/** Fields a registration needs today that a stored record can lack. */
export const REQUIRED_FIELDS = ['fullName', 'birthDate', 'sex', 'phone', 'business'] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export const CHECK_LABELS: Record<QualityCheck, Text> = {
  nik_confirmed: {
    id: 'NIK diterima atas konfirmasi petugas',
    en: "NIK accepted on an officer's confirmation",
  },
  legacy_rules: {
    id: 'Data lama yang tidak lolos aturan saat ini',
    en: "Stored before a rule existed (fails today's rules)",
  },
  civil_mismatch: { id: 'Tidak cocok dengan Dukcapil', en: 'Civil registry mismatch' },
  civil_deceased: { id: 'Meninggal menurut Dukcapil', en: 'Deceased (civil registry)' },
  nik_outside_area: {
    id: 'NIK terbit di luar wilayah program',
    en: 'NIK issued outside the program area',
  },
  consent_missing: { id: 'Tanpa persetujuan (consent)', en: 'Consent missing' },
  fields_missing: { id: 'Isian wajib kosong', en: 'Required fields missing' },
  inactive: { id: 'Tanpa aktivitas', en: 'No activity' },
  pending_verification: { id: 'Verifikasi tertunda', en: 'Verification pending' },
};

export const RULE_LABELS: Record<LegacyRule, Text> = {
  village: {
    id: 'Kelurahan tidak ada lagi atau di luar wilayah program',
    en: 'Village no longer exists or lies outside the program area',
  },
  nik_region: {
    id: 'Kode kabupaten/kota NIK tidak berlaku lagi (tanpa konfirmasi)',
    en: "NIK's regency code no longer exists (not confirmed)",
  },
  kbli: { id: 'Kode KBLI tidak berlaku', en: 'KBLI code not valid' },
  sector: { id: 'Sektor tidak dikenal', en: 'Unknown sector' },
};

export const FIELD_LABELS: Record<RequiredField, Text> = {
  fullName: { id: 'Nama lengkap', en: 'Full name' },
  birthDate: { id: 'Tanggal lahir', en: 'Birth date' },
  sex: { id: 'Jenis kelamin', en: 'Sex' },
  phone: { id: 'Nomor HP', en: 'Phone number' },
  business: { id: 'Usaha (nama usaha utama)', en: 'Business (primary business name)' },
};

/** What the predicates need, computed once per report or list request. */
export type CheckContext = {
  /** records registered before this instant and without a reopening since are late (ISO UTC) */
  pendingCutoff: string;
  /** activity before this instant does not count (ISO UTC) */
  inactiveCutoff: string;
  /** the program's area codes, undotted ("31", "3171") */
  areaCodes: string[];
  /** stored values that fail today's rules (found by GROUP BY over the distinct values) */
  legacy: { villages: string[]; nikRegencies: string[]; kbli: string[]; sectors: string[] };
};

export type CheckWindow = { pendingDays: number; inactiveMonths: number };

export function cutoffs(w: CheckWindow, now: Date = new Date()) {
  const pending = new Date(now.getTime() - w.pendingDays * 86_400_000);
  const inactive = new Date(now.getTime());
  inactive.setUTCMonth(inactive.getUTCMonth() - w.inactiveMonths);
  return { pendingCutoff: pending.toISOString(), inactiveCutoff: inactive.toISOString() };
}

/** The program's area codes (table programs), undotted. */
export async function programAreaCodes(k: Kysely<DB>): Promise<string[]> {
  const p = await k.selectFrom('programs').select('area_codes').orderBy('created_at').executeTakeFirst();
  const codes = p ? (JSON.parse(p.area_codes) as string[]) : [];
  return codes.map((c) => String(c).replaceAll('.', '')).filter((c) => /^\d+$/.test(c));
}

const KBLI_KEY = sql<string>`b.kbli || ':' || coalesce(b.kbli_version, '')`;

/**
 * The stored values that fail today's reference rules: villages that are not a current kelurahan within the
 * program area, NIK regency codes that no longer exist, KBLI codes not valid in their version, unknown sectors.
 * Each list comes from the distinct values (GROUP BY), so it is small whatever the registry's size.
 */
export async function legacyValues(k: Kysely<DB>, areaCodes: string[]): Promise<CheckContext['legacy']> {
  const live = k.selectFrom('participants').where('erased_at', 'is', null).where('merged_into', 'is', null);
  // villages and sectors in one pass (a few thousand pairs at most)
  const pairs = await live.select(['village_code', 'sector']).groupBy(['village_code', 'sector']).execute();
  const villages = [...new Set(pairs.map((r) => r.village_code))].filter(
    (v) => !getRegion(v) || !areaCodes.some((a) => isWithin(v, a)),
  );
  const nikRegencies = (
    await live
      .select(sql<string>`substr(nik_masked, 1, 4)`.as('r'))
      .where('nik_override_reason', 'is', null)
      .groupBy(sql`substr(nik_masked, 1, 4)`)
      .execute()
  )
    .map((r) => r.r)
    .filter((r) => /^\d{4}$/.test(r) && !getRegion(r));
  const kbli = (
    await k
      .selectFrom('businesses as b')
      .select(KBLI_KEY.as('key'))
      .where('b.is_primary', '=', 1)
      .where('b.kbli', 'is not', null)
      .groupBy(KBLI_KEY)
      .execute()
  )
    .map((r) => r.key)
    .filter((key) => {
      const [code, version] = key.split(':');
      return !checkKbli(code, version || '2020').ok;
    });
  const known = new Set<string>(SECTOR_KEYS);
  const sectors = [...new Set(pairs.map((r) => r.sector))].filter((s) => !known.has(s));
  return { villages, nikRegencies, kbli, sectors };
}

export async function checkContext(
  k: Kysely<DB>,
  w: CheckWindow,
  opts: { now?: Date; legacy?: boolean } = {},
): Promise<CheckContext> {
  const areaCodes = await programAreaCodes(k);
  return {
    ...cutoffs(w, opts.now),
    areaCodes,
    legacy:
      opts.legacy === false
        ? { villages: [], nikRegencies: [], kbli: [], sectors: [] }
        : await legacyValues(k, areaCodes),
  };
}

const FALSE = sql<SqlBool>`1 = 0`;
const inList = (col: Expression<unknown>, values: string[]) =>
  values.length === 0 ? FALSE : sql<SqlBool>`${col} in (${sql.join(values)})`;
const anyOf = (parts: Expression<SqlBool>[]) =>
  sql<SqlBool>`(${sql.join(
    parts.map((p) => sql`(${p})`),
    sql` or `,
  )})`;

export function rulePredicate(rule: LegacyRule, c: CheckContext): Expression<SqlBool> {
  switch (rule) {
    case 'village':
      return inList(sql.ref('participants.village_code'), c.legacy.villages);
    case 'nik_region':
      return c.legacy.nikRegencies.length === 0
        ? FALSE
        : sql<SqlBool>`participants.nik_override_reason is null and ${inList(
            sql`substr(participants.nik_masked, 1, 4)`,
            c.legacy.nikRegencies,
          )}`;
    case 'kbli':
      return c.legacy.kbli.length === 0
        ? FALSE
        : sql<SqlBool>`exists (select 1 from businesses b where b.participant_id = participants.id and b.is_primary = 1 and ${inList(KBLI_KEY, c.legacy.kbli)})`;
    case 'sector':
      return inList(sql.ref('participants.sector'), c.legacy.sectors);
  }
}

export function fieldPredicate(field: RequiredField): Expression<SqlBool> {
  switch (field) {
    case 'fullName':
      return sql<SqlBool>`trim(participants.full_name) = ''`;
    case 'birthDate':
      return sql<SqlBool>`participants.birth_date is null`;
    case 'sex':
      return sql<SqlBool>`participants.sex is null`;
    case 'phone':
      return sql<SqlBool>`participants.phone_hash is null`;
    case 'business':
      return sql<SqlBool>`not exists (select 1 from businesses b where b.participant_id = participants.id and b.is_primary = 1 and trim(b.name) <> '')`;
  }
}

/** The predicate of one check on a `participants` row. */
export function checkPredicate(check: QualityCheck, c: CheckContext): Expression<SqlBool> {
  switch (check) {
    case 'nik_confirmed':
      return sql<SqlBool>`participants.nik_override_reason is not null`;
    case 'legacy_rules':
      return anyOf(LEGACY_RULES.map((r) => rulePredicate(r, c)));
    case 'civil_mismatch':
      return sql<SqlBool>`participants.civil_status = 'mismatch'`;
    case 'civil_deceased':
      return sql<SqlBool>`participants.civil_status = 'deceased'`;
    case 'nik_outside_area': {
      // a NIK tells its province and regency in its first 4 digits (the list keeps those in clear)
      const prefixes = [...new Set(c.areaCodes.map((a) => a.slice(0, 4)))];
      if (prefixes.length === 0) return FALSE;
      return sql<SqlBool>`participants.nik_masked not like '****%' and not ${anyOf(
        prefixes.map((p) => sql<SqlBool>`participants.nik_masked like ${`${p}%`}`),
      )}`;
    }
    case 'consent_missing':
      return sql<SqlBool>`participants.consent_given = 0`;
    case 'fields_missing':
      return anyOf(REQUIRED_FIELDS.map(fieldPredicate));
    case 'inactive':
      return sql<SqlBool>`participants.registered_at < ${c.inactiveCutoff}
        and not exists (select 1 from milestones m where m.participant_id = participants.id and m.occurred_at >= ${c.inactiveCutoff})
        and not exists (select 1 from audit_log a where a.entity_id = participants.id and a.occurred_at >= ${c.inactiveCutoff} and a.action <> 'participant.view')`;
    case 'pending_verification':
      return sql<SqlBool>`participants.status = 'registered' and participants.registered_at < ${c.pendingCutoff}
        and not exists (select 1 from audit_log a where a.entity_id = participants.id and a.action = 'participant.reopen' and a.occurred_at >= ${c.pendingCutoff})`;
  }
}

/** The participant list's `quality` filter: the same predicate as the report's count. */
export async function qualityFilter(
  k: Kysely<DB>,
  check: QualityCheck,
  w: CheckWindow,
): Promise<Expression<SqlBool>> {
  const c = await checkContext(k, w, { legacy: check === 'legacy_rules' });
  // like the report: erased records and records merged into another are not checked
  return sql<SqlBool>`participants.erased_at is null and participants.merged_into is null and ${checkPredicate(check, c)}`;
}
