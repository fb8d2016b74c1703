import type { Insertable, Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { wibDate } from '../../core/clock.ts';
import type { Services } from '../../core/context.ts';
import type { DataKey } from '../../core/crypto.ts';
import { formatRegistrationNumber, newId } from '../../core/ids.ts';
import { addDeclaredQris, addParticipantFacts, type RollupDelta } from '../../core/rollup.ts';
import type {
  BusinessesTable,
  ConsentsTable,
  DB,
  EnrolmentsTable,
  MilestonesTable,
  NikIndexTable,
  ParticipantsTable,
  PersonKeysTable,
} from '../../db/types.ts';
import { maskNik, maskPhone } from '../../identity/index.ts';
import type { Channel } from './schema.ts';
import type { NormalizedParticipant } from './validate.ts';

export type BuildMeta = {
  channel: Channel;
  enteredBy: string | null;
  collaboratorId: string | null;
  importJobId: string | null;
  defaultAgency: string;
  now: string;
  isDemo?: boolean;
};

export type ParticipantRows = {
  participant: Insertable<ParticipantsTable>;
  nikIndex: Insertable<NikIndexTable>;
  personKey: Insertable<PersonKeysTable>;
  business: Insertable<BusinessesTable>;
  enrolment: Insertable<EnrolmentsTable>;
  consent: Insertable<ConsentsTable>;
  milestone: Insertable<MilestonesTable>;
  dataKey: DataKey;
};

/** Lower-cased, accent-free, single-spaced text used for substring search. */
export function searchText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function registrationYear(n: NormalizedParticipant, now: string): number {
  return Number(wibDate(n.registeredAt ?? now).slice(0, 4));
}

/** Builds every row of a new registration; one builder for the API, the CLI and the import. */
export function buildParticipantRows(
  svc: Services,
  n: NormalizedParticipant,
  meta: BuildMeta,
  registrationNumber: string,
  reuseKey?: { key: DataKey; wrapped: string; keyId: string },
): ParticipantRows {
  const id = n.id ?? newId();
  const dk = reuseKey ?? svc.vault.newDataKey();
  const registeredAt = n.registeredAt ?? meta.now;
  const agency = n.agency ?? meta.defaultAgency;
  const flags = [...n.reviewFlags];
  const participant: Insertable<ParticipantsTable> = {
    id,
    registration_number: registrationNumber,
    nik_hash: svc.vault.hmac('nik', n.nik),
    nik_enc: svc.vault.encrypt(dk.key, n.nik),
    nik_masked: maskNik(n.nik),
    phone_hash: svc.vault.hmac('phone', n.phone),
    phone_enc: svc.vault.encrypt(dk.key, n.phone),
    phone_masked: maskPhone(n.phone),
    email_enc: n.email ? svc.vault.encrypt(dk.key, n.email) : null,
    street_enc: n.street ? svc.vault.encrypt(dk.key, n.street) : null,
    full_name: n.fullName,
    name_search: searchText(n.fullName),
    birth_date: n.birthDate,
    sex: n.sex,
    province_code: n.provinceCode,
    regency_code: n.regencyCode,
    district_code: n.districtCode,
    village_code: n.villageCode,
    rt: n.rt,
    rw: n.rw,
    postal_code: n.postalCode,
    status: 'registered',
    status_reason: null,
    agency,
    channel: meta.channel,
    entered_by: meta.enteredBy,
    collaborator_id: meta.collaboratorId,
    import_job_id: meta.importJobId,
    civil_status: 'unchecked',
    nik_override_reason: n.nikOverrideReason,
    review_flags: flags.length ? JSON.stringify(flags) : null,
    consent_given: n.consent.given ? 1 : 0,
    registered_at: registeredAt,
    registered_date: wibDate(registeredAt),
    verified_by: null,
    verified_at: null,
    verification_evidence: null,
    validated_by: null,
    validated_at: null,
    erased_at: null,
    restricted_until: null,
    sector: n.business.sector,
    is_demo: meta.isDemo ? 1 : 0,
    version: 1,
    created_at: meta.now,
    updated_at: meta.now,
  };
  const b = n.business;
  return {
    participant,
    nikIndex: { nik_hash: participant.nik_hash, participant_id: id },
    personKey: { participant_id: id, key_id: dk.keyId, wrapped_key: dk.wrapped, destroyed_at: null },
    business: {
      id: newId(),
      participant_id: id,
      name: b.name,
      name_search: searchText(b.name),
      sector: b.sector,
      kbli: b.kbli,
      kbli_version: b.kbliVersion,
      products: b.products,
      started_year: b.startedYear,
      annual_revenue: b.annualRevenue,
      capital: b.capital,
      employees: b.employees,
      nib: b.nib,
      npwp: b.npwp,
      has_qris: b.hasQris == null ? null : b.hasQris ? 1 : 0,
      size_class: b.sizeClass,
      is_primary: 1,
      created_at: meta.now,
      updated_at: meta.now,
    },
    enrolment: {
      id: newId(),
      participant_id: id,
      agency,
      channel: meta.channel,
      enrolled_at: registeredAt,
      collaborator_id: meta.collaboratorId,
      entered_by: meta.enteredBy,
    },
    consent: {
      id: newId(),
      participant_id: id,
      version: n.consent.version,
      purpose: n.consent.purpose,
      channel: meta.channel,
      given: n.consent.given ? 1 : 0,
      given_at: n.consent.given ? registeredAt : null,
      withdrawn_at: null,
      recorded_by: meta.enteredBy,
    },
    milestone: {
      id: newId(),
      participant_id: id,
      stage: 'P1',
      kind: 'registered',
      occurred_at: registeredAt,
      source_module: 'participants',
      source_id: meta.importJobId ?? id,
      actor_id: meta.enteredBy,
      created_at: meta.now,
    },
    dataKey: dk.key,
  };
}

/** The rollup contributions of a new registration (person, its first enrolment, its P1 milestone). */
export function addRegistrationFacts(delta: RollupDelta, rows: ParticipantRows): void {
  const p = rows.participant;
  addParticipantFacts(
    delta,
    {
      district_code: p.district_code,
      village_code: p.village_code,
      registered_date: p.registered_date,
      sector: p.sector,
      status: p.status,
      consent_given: p.consent_given,
    },
    1,
  );
  delta.add(p.district_code, 'agency', rows.enrolment.agency);
  delta.add(p.district_code, 'milestone', 'P1:registered');
  delta.add(p.district_code, 'stage', 'P1');
  addDeclaredQris(delta, { ...p, has_qris: rows.business.has_qris ?? null }, 1);
}

/** Reserves `count` consecutive registration numbers for a year; returns the first. */
export async function reserveRegistrationNumbers(
  tx: Transaction<DB> | Kysely<DB>,
  year: number,
  count: number,
): Promise<number> {
  const row = await tx
    .insertInto('counters')
    .values({ name: `regno:${year}`, value: count })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`counters.value + ${count}` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}

export async function nextRegistrationNumber(
  tx: Transaction<DB> | Kysely<DB>,
  year: number,
): Promise<string> {
  return formatRegistrationNumber(year, await reserveRegistrationNumbers(tx, year, 1));
}

export async function insertRows(tx: Transaction<DB> | Kysely<DB>, r: ParticipantRows): Promise<void> {
  await tx.insertInto('nik_index').values(r.nikIndex).execute();
  await tx.insertInto('participants').values(r.participant).execute();
  await tx.insertInto('person_keys').values(r.personKey).execute();
  await tx.insertInto('businesses').values(r.business).execute();
  await tx.insertInto('enrolments').values(r.enrolment).execute();
  await tx.insertInto('consents').values(r.consent).execute();
  await tx.insertInto('milestones').values(r.milestone).execute();
}

/**
 * Enrolments and milestones follow a person's district: moves their 'agency', 'milestone' and 'stage' rollup
 * contributions for every participant in `moves` (id -> old and new district; a null side only takes away or
 * only adds: a record leaving or re-entering the figures). One query per table for a batch.
 */
export async function addDistrictMoves(
  db: Transaction<DB> | Kysely<DB>,
  moves: Map<string, { from: string | null; to: string | null }>,
  delta: RollupDelta,
): Promise<void> {
  if (moves.size === 0) return;
  const ids = [...moves.keys()];
  for (const e of await db
    .selectFrom('enrolments')
    .select(['participant_id', 'agency'])
    .where('participant_id', 'in', ids)
    .execute()) {
    const m = moves.get(e.participant_id)!;
    if (m.from) delta.add(m.from, 'agency', e.agency, -1);
    if (m.to) delta.add(m.to, 'agency', e.agency, 1);
  }
  const stages = new Set<string>();
  for (const ms of await db
    .selectFrom('milestones')
    .select(['participant_id', 'stage', 'kind'])
    .where('participant_id', 'in', ids)
    .execute()) {
    const m = moves.get(ms.participant_id)!;
    if (m.from) delta.add(m.from, 'milestone', `${ms.stage}:${ms.kind}`, -1);
    if (m.to) delta.add(m.to, 'milestone', `${ms.stage}:${ms.kind}`, 1);
    const sk = `${ms.participant_id}\u0000${ms.stage}`;
    if (stages.has(sk)) continue;
    stages.add(sk);
    if (m.from) delta.add(m.from, 'stage', ms.stage, -1);
    if (m.to) delta.add(m.to, 'stage', ms.stage, 1);
  }
}

export type Place = { district_code: string; sector: string };

/**
 * The self-declared QRIS figure follows a person's district and sector when a write changes them but leaves
 * the business's has_qris as it is (upsert imports): moves `qris_declared` for every participant in `moves`
 * whose primary business declares QRIS. One query for a batch.
 */
export async function addDeclaredQrisMoves(
  db: Transaction<DB> | Kysely<DB>,
  moves: Map<string, { from: Place; to: Place }>,
  delta: RollupDelta,
): Promise<void> {
  const ids = [...moves]
    .filter(([, m]) => m.from.district_code !== m.to.district_code || m.from.sector !== m.to.sector)
    .map(([id]) => id);
  if (ids.length === 0) return;
  for (const b of await db
    .selectFrom('businesses')
    .select('participant_id')
    .where('participant_id', 'in', ids)
    .where('is_primary', '=', 1)
    .where('has_qris', '=', 1)
    .execute()) {
    const m = moves.get(b.participant_id)!;
    addDeclaredQris(delta, { ...m.from, has_qris: 1 }, -1);
    addDeclaredQris(delta, { ...m.to, has_qris: 1 }, 1);
  }
}
