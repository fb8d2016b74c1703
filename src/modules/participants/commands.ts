import { type Selectable, sql, type Transaction } from 'kysely';
import { audit } from '../../core/audit.ts';
import { nowIso, todayWib } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import type { DataKey } from '../../core/crypto.ts';
import {
  AppError,
  conflict,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  preconditionFailed,
} from '../../core/errors.ts';
import { participantErased, participantMoved, participantSubset } from '../../core/hooks.ts';
import { isUuid, newId } from '../../core/ids.ts';
import { recordMilestone } from '../../core/milestones.ts';
import { addDeclaredQris, addParticipantFacts, applyRollup, RollupDelta } from '../../core/rollup.ts';
import { withTx } from '../../db/index.ts';
import type { DB, EnrolmentsTable, ParticipantsTable } from '../../db/types.ts';
import { maskPhone, normalizePhone, normalizeRegionCode, parseNik } from '../../identity/index.ts';
import { flagLikelyDuplicates, personOf } from '../dedupe/service.ts';
import { qualityFilter } from '../quality/checks.ts';
import { can, requirePermission, scopeParticipants } from './policy.ts';
import { presentFull, presentListItem } from './presenter.ts';
import {
  type Channel,
  type ListQuery,
  type ParticipantInput,
  type ParticipantPatch,
  participantInput,
} from './schema.ts';
import {
  addDistrictMoves,
  addRegistrationFacts,
  buildParticipantRows,
  insertRows,
  nextRegistrationNumber,
  registrationYear,
  searchText,
} from './store.ts';
import { fieldMessage, type NormalizedParticipant, validateParticipant } from './validate.ts';

export const DEFAULT_AGENCY = 'PPKUKM';

type P = Selectable<ParticipantsTable>;

function uniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/** A record merged into another as a duplicate is read-only: work goes to the kept record (or undo the merge). */
function mergedError() {
  return conflict('RECORD_MERGED', {
    id: 'Data ini sudah digabung ke data lain sebagai duplikat. Lakukan perubahan pada data yang dipertahankan, atau batalkan penggabungan.',
    en: 'This record was merged into another as a duplicate. Make changes on the kept record, or undo the merge.',
  });
}

export async function agencyExists(svc: Services, code: string): Promise<boolean> {
  return !!(await svc.db.kysely
    .selectFrom('agencies')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst());
}

export async function collaboratorExists(svc: Services, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  return !!(await svc.db.kysely
    .selectFrom('collaborators')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst());
}

function duplicateNik(
  ctx: Ctx,
  existing: { id: string; registration_number: string } | null,
  visible: boolean,
) {
  if (ctx.actor && visible && existing) {
    return conflict(
      'NIK_ALREADY_REGISTERED',
      {
        id: `NIK ini sudah terdaftar dengan nomor ${existing.registration_number}.`,
        en: `This NIK is already registered as ${existing.registration_number}.`,
      },
      { registrationNumber: existing.registration_number, participantId: existing.id },
    );
  }
  return conflict('NIK_ALREADY_REGISTERED', {
    id: 'NIK ini sudah terdaftar. Silakan hubungi kantor kecamatan Anda.',
    en: 'This NIK is already registered. Please contact your kecamatan office.',
  });
}

/**
 * The device a registration came from over HTTP: a keyed hash of the User-Agent and the IP address (never the
 * raw values), so the data-quality report can count many registrations from one device. Null outside HTTP.
 */
export function deviceHash(svc: Services, ctx: Ctx): string | null {
  if (ctx.via !== 'http' || (!ctx.userAgent && !ctx.ip)) return null;
  return svc.vault.hmac('device', `${ctx.userAgent ?? ''}\n${ctx.ip ?? ''}`);
}

/** Registers one participant (API, web, CLI, public self-registration). */
export async function createParticipant(
  svc: Services,
  ctx: Ctx,
  input: ParticipantInput,
  channel: Channel,
): Promise<ReturnType<typeof presentFull>> {
  const actor = channel === 'self' ? null : requirePermission(ctx, 'participant.create');
  const v = validateParticipant(input, {
    lang: ctx.lang,
    programArea: svc.config.programArea,
    canOverrideNik: can(actor, 'participant.nik-override') || (ctx.via === 'cli' && !actor),
    requireConsent: channel === 'self',
  });
  if (!v.ok) throw invalid(v.errors);
  const n = v.value;
  const errors: FieldError[] = [];
  if (n.agency && !(await agencyExists(svc, n.agency))) {
    errors.push({
      path: 'agency',
      code: 'AGENCY_UNKNOWN',
      message: fieldMessage('AGENCY_UNKNOWN', ctx.lang),
    });
  }
  let collaboratorId: string | null = null;
  if (actor?.role === 'collaborator') collaboratorId = actor.collaboratorId;
  else if (input.collaboratorId) {
    if (!(await collaboratorExists(svc, input.collaboratorId))) {
      errors.push({
        path: 'collaboratorId',
        code: 'COLLABORATOR_UNKNOWN',
        message: fieldMessage('COLLABORATOR_UNKNOWN', ctx.lang),
      });
    } else collaboratorId = input.collaboratorId;
  }
  if (errors.length) throw invalid(errors);
  // Officers and mentors register within their own area only.
  if (actor && (actor.role === 'officer' || actor.role === 'mentor')) {
    if (!actor.areas.some((a) => n.villageCode.startsWith(a))) {
      throw forbidden('OUTSIDE_AREA', {
        id: 'Kelurahan ini di luar wilayah tugas Anda.',
        en: 'This village lies outside your area.',
      });
    }
  }
  const now = nowIso();
  const nikHash = svc.vault.hmac('nik', n.nik);
  try {
    const created = await withTx(svc.db, async (tx) => {
      const dup = await tx
        .selectFrom('nik_index')
        .select('participant_id')
        .where('nik_hash', '=', nikHash)
        .executeTakeFirst();
      if (dup) throw await duplicateError(svc, ctx, tx, dup.participant_id);
      if (n.id) {
        const clash = await tx
          .selectFrom('participants')
          .select('id')
          .where('id', '=', n.id)
          .executeTakeFirst();
        if (clash)
          throw conflict('ID_EXISTS', { id: 'ID ini sudah dipakai.', en: 'This id is already in use.' });
      }
      const regNo = await nextRegistrationNumber(tx, registrationYear(n, now));
      const rows = buildParticipantRows(
        svc,
        n,
        {
          channel,
          enteredBy: actor?.id ?? null,
          collaboratorId,
          importJobId: null,
          defaultAgency: DEFAULT_AGENCY,
          now,
        },
        regNo,
      );
      const device = deviceHash(svc, ctx);
      if (device) rows.participant.device_hash = device;
      await insertRows(tx, rows);
      const delta = new RollupDelta();
      addRegistrationFacts(delta, rows);
      await applyRollup(tx, delta);
      await audit(svc, tx, ctx, {
        action: 'participant.create',
        entityType: 'participant',
        entityId: rows.participant.id,
        participantId: rows.participant.id,
        after: snapshot(n),
        dataKey: rows.dataKey,
      });
      // a likely duplicate is flagged for review, never dropped or merged
      await flagLikelyDuplicates(svc, tx, [personOf(rows.participant, n)]);
      return rows.participant.id;
    });
    return await loadFull(svc, created, { nik: n.nik, phone: n.phone, email: n.email, street: n.street });
  } catch (err) {
    if (uniqueViolation(err)) {
      const dup = await svc.db.kysely
        .selectFrom('nik_index')
        .select('participant_id')
        .where('nik_hash', '=', nikHash)
        .executeTakeFirst();
      if (dup) throw await duplicateError(svc, ctx, svc.db.kysely, dup.participant_id);
      throw conflict('CONFLICT', { id: 'Data bentrok, coba lagi.', en: 'Conflicting write, try again.' });
    }
    throw err;
  }
}

async function duplicateError(
  _svc: Services,
  ctx: Ctx,
  tx: Transaction<DB> | Services['db']['kysely'],
  id: string,
) {
  const existing = await tx
    .selectFrom('participants')
    .select(['id', 'registration_number'])
    .where('id', '=', id)
    .executeTakeFirst();
  let visible = false;
  if (ctx.actor && existing) {
    visible = !!(await scopeParticipants(
      tx.selectFrom('participants').select('id').where('id', '=', id),
      ctx,
    ).executeTakeFirst());
  }
  return duplicateNik(ctx, existing ?? null, visible);
}

/** The audit snapshot of a record's fields (encrypted with the person's key in the log). */
function snapshot(n: NormalizedParticipant) {
  return {
    nik: n.nik,
    fullName: n.fullName,
    birthDate: n.birthDate,
    sex: n.sex,
    phone: n.phone,
    email: n.email,
    agency: n.agency,
    domicile: {
      villageCode: n.villageCode,
      street: n.street,
      rt: n.rt,
      rw: n.rw,
      postalCode: n.postalCode,
    },
    business: n.business,
    consent: n.consent,
  };
}

async function dataKeyOf(svc: Services, participantId: string): Promise<DataKey | null> {
  const k = await svc.db.kysely
    .selectFrom('person_keys')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  if (!k?.wrapped_key) return null;
  return svc.vault.unwrap(k.key_id, k.wrapped_key);
}

function decryptAll(svc: Services, key: DataKey | null, p: P) {
  const dec = (v: string | null) => (v && key ? svc.vault.decrypt(key, v) : null);
  return { nik: dec(p.nik_enc), phone: dec(p.phone_enc), email: dec(p.email_enc), street: dec(p.street_enc) };
}

async function loadFull(svc: Services, id: string, decrypted?: ReturnType<typeof decryptAll>) {
  const p = await svc.db.kysely
    .selectFrom('participants')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const businesses = await svc.db.kysely
    .selectFrom('businesses')
    .selectAll()
    .where('participant_id', '=', id)
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .execute();
  const enrolments = await svc.db.kysely
    .selectFrom('enrolments')
    .selectAll()
    .where('participant_id', '=', id)
    .orderBy('enrolled_at')
    .execute();
  const consents = await svc.db.kysely
    .selectFrom('consents')
    .selectAll()
    .where('participant_id', '=', id)
    .orderBy('given_at', 'desc')
    .execute();
  const d = decrypted ?? decryptAll(svc, await dataKeyOf(svc, id), p);
  return presentFull(p, businesses, d, {
    ...(await mergeView(svc, p)),
    enrolments: enrolments.map(presentEnrolment),
    consents: consents.map((c) => ({
      version: c.version,
      purpose: c.purpose,
      channel: c.channel,
      given: c.given === 1,
      givenAt: c.given_at,
      withdrawnAt: c.withdrawn_at,
    })),
  });
}

const presentEnrolment = (e: Selectable<EnrolmentsTable>) => ({
  id: e.id,
  agency: e.agency,
  channel: e.channel,
  enrolledAt: e.enrolled_at,
  collaboratorId: e.collaborator_id,
});

/**
 * Merges seen from the record: its own 7P milestones; the record it was merged into; and the records merged into
 * it as duplicates, with when, and their enrolments and milestones (their rows stay theirs, so a merge can be
 * undone; the kept record shows them read-only). No personal data of the merged records beyond their number.
 */
async function mergeView(svc: Services, p: P) {
  const k = svc.db.kysely;
  const milestonesOf = async (ids: string[]) =>
    ids.length
      ? await k
          .selectFrom('milestones')
          .select(['participant_id', 'stage', 'kind', 'occurred_at', 'source_module'])
          .where('participant_id', 'in', ids)
          .orderBy('occurred_at')
          .orderBy('stage')
          .execute()
      : [];
  const presentMilestone = (m: Awaited<ReturnType<typeof milestonesOf>>[number]) => ({
    stage: m.stage,
    kind: m.kind,
    occurredAt: m.occurred_at,
    source: m.source_module,
  });
  const merged = await k
    .selectFrom('participants')
    .select(['id', 'registration_number', 'erased_at'])
    .where('merged_into', '=', p.id)
    .orderBy('registration_number')
    .execute();
  const ids = merged.map((m) => m.id);
  const when = new Map<string, string>();
  if (ids.length)
    for (const a of await k
      .selectFrom('audit_log')
      .select(['entity_id', 'occurred_at'])
      .where('action', '=', 'participant.merge')
      .where('entity_id', 'in', ids)
      .orderBy('occurred_at')
      .execute())
      when.set(a.entity_id, a.occurred_at);
  const enrolments = ids.length
    ? await k
        .selectFrom('enrolments')
        .selectAll()
        .where('participant_id', 'in', ids)
        .orderBy('enrolled_at')
        .execute()
    : [];
  const milestones = await milestonesOf([p.id, ...ids]);
  const into = p.merged_into
    ? await k
        .selectFrom('participants')
        .select(['id', 'registration_number'])
        .where('id', '=', p.merged_into)
        .executeTakeFirst()
    : undefined;
  return {
    milestones: milestones.filter((m) => m.participant_id === p.id).map(presentMilestone),
    mergedIntoRecord: into ? { id: into.id, registrationNumber: into.registration_number } : null,
    mergedRecords: merged.map((m) => ({
      id: m.id,
      registrationNumber: m.registration_number,
      mergedAt: when.get(m.id) ?? null,
      erased: m.erased_at != null,
      enrolments: enrolments.filter((e) => e.participant_id === m.id).map(presentEnrolment),
      milestones: milestones.filter((x) => x.participant_id === m.id).map(presentMilestone),
    })),
  };
}

/** Finds a participant the caller may see (by UUID or registration number), else 404. */
export async function findVisible(svc: Services, ctx: Ctx, idOrRegNo: string): Promise<P> {
  let qb = svc.db.kysely.selectFrom('participants').selectAll();
  if (isUuid(idOrRegNo)) qb = qb.where('id', '=', idOrRegNo.toLowerCase());
  else if (/^JKP-\d{4}-\d{6,}$/i.test(idOrRegNo))
    qb = qb.where('registration_number', '=', idOrRegNo.toUpperCase());
  else throw notFound();
  const p = await scopeParticipants(qb, ctx).executeTakeFirst();
  if (!p) throw notFound();
  return p;
}

/** The full record; every full view is audited. */
export async function getParticipant(svc: Services, ctx: Ctx, id: string) {
  requirePermission(ctx, 'participant.read');
  const p = await findVisible(svc, ctx, id);
  await audit(svc, svc.db.kysely, ctx, {
    action: 'participant.view',
    entityType: 'participant',
    entityId: p.id,
    participantId: p.id,
  });
  return loadFull(svc, p.id);
}

export function etagOf(p: { id: string; version: number }): string {
  return `"${p.id.slice(0, 8)}-v${p.version}"`;
}

function encodeCursor(r: { registered_at: string; id: string }): string {
  return Buffer.from(`${r.registered_at}|${r.id}`).toString('base64url');
}
function decodeCursor(c: string): { at: string; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !isUuid(id)) {
    throw invalid([{ path: 'cursor', code: 'CURSOR_INVALID', message: 'cursor is not valid' }]);
  }
  return { at, id };
}

function regionFilter(path: string, code: string, level: string) {
  const r = normalizeRegionCode(code);
  if (!r || r.level !== level) {
    throw invalid([{ path, code: 'REGION_CODE_INVALID', message: `not a ${level} code: ${code}` }]);
  }
  return r.dotted;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** The last day of a month as YYYY-MM-DD. */
const monthEnd = (y: number, m: number) =>
  `${y}-${pad2(m)}-${pad2(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;

/** YYYY-MM-DD plus n days (the day strings of registered_date). */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The list query's keys a rollup cell can stand for (with paging, and windows that only a quality check uses). */
const ROLLUP_FILTERS = new Set([
  'status',
  'stage',
  'agency',
  'villageCode',
  'qris',
  'sector',
  'registeredFrom',
  'registeredTo',
  'regencyCode',
  'districtCode',
  'limit',
  'cursor',
  'pendingDays',
  'inactiveMonths',
]);

/**
 * The rollup cell (metric, key) that counts exactly the records a list query matches, when there is one: no
 * search, at most one filter that the rollups keep (status, sector, stage, agency, kelurahan, a whole year or
 * month, QRIS declared, optionally by sector), narrowed by city/kecamatan and the actor's area. These are the
 * dashboard's own figures and links, so the list's total is the figure (test/stats-traceable.test.ts).
 */
function rollupCell(q: ListQuery, ctx: Ctx): { metric: string; key: string | null; areas: string[] } | null {
  const a = ctx.actor;
  let areas: string[];
  if (!a || a.role === 'admin') areas = [];
  else if (
    (a.role === 'officer' || a.role === 'mentor') &&
    a.areas.length > 0 &&
    a.areas.every((c) => c.length <= 8)
  )
    areas = a.areas;
  else return null;
  // any filter the rollups do not keep (a search, a collaborator, a review flag, a quality check, merged records,
  // one added later) means counting the records: an allowlist, so a new filter can never be counted wrongly
  for (const [k, v] of Object.entries(q))
    if (
      (typeof v === 'string' ? v.trim() !== '' : v !== undefined) &&
      !ROLLUP_FILTERS.has(k) &&
      !(k === 'merged' && v === 'exclude')
    )
      return null;
  const cells: { metric: string; key: string | null }[] = [];
  if (q.status) cells.push({ metric: 'status', key: q.status });
  if (q.stage) cells.push({ metric: 'stage', key: q.stage });
  if (q.agency) cells.push({ metric: 'agency', key: q.agency });
  if (q.villageCode)
    cells.push({ metric: 'village', key: regionFilter('villageCode', q.villageCode, 'village') });
  if (q.qris === 'declared') cells.push({ metric: 'qris_declared', key: q.sector ?? null });
  else if (q.qris) return null;
  else if (q.sector) cells.push({ metric: 'sector', key: q.sector });
  if (q.registeredFrom || q.registeredTo) {
    const from = q.registeredFrom ?? '';
    const to = q.registeredTo ?? '';
    const y = Number(from.slice(0, 4));
    const m = Number(from.slice(5, 7));
    if (from === `${y}-01-01` && to === `${y}-12-31`) cells.push({ metric: 'year', key: String(y) });
    else if (from.endsWith('-01') && to === monthEnd(y, m))
      cells.push({ metric: 'month', key: from.slice(0, 7) });
    else return null;
  }
  if (cells.length > 1) return null;
  const cell = cells[0] ?? { metric: 'registered', key: 'all' };
  // city and kecamatan filters narrow the districts summed, like the actor's areas
  for (const [code, path, level] of [
    [q.regencyCode, 'regencyCode', 'regency'],
    [q.districtCode, 'districtCode', 'district'],
  ] as const) {
    if (!code) continue;
    const dotted = regionFilter(path, code, level);
    if (areas.length === 0) areas = [dotted];
    else {
      // the intersection of two prefix lists of dotted codes
      areas = areas.flatMap((x) => (dotted.startsWith(x) ? [dotted] : x.startsWith(dotted) ? [x] : []));
      if (areas.length === 0) areas = ['-'];
    }
  }
  return { ...cell, areas };
}

async function rollupCount(
  svc: Services,
  cell: { metric: string; key: string | null; areas: string[] },
): Promise<number> {
  let r = svc.db.kysely
    .selectFrom('stat_rollup')
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .where('metric', '=', cell.metric);
  if (cell.key !== null) r = r.where('key', '=', cell.key);
  if (cell.areas.length > 0)
    r = r.where((eb) => eb.or(cell.areas.map((x) => eb('district_code', 'like', `${x}%`))));
  return Number((await r.executeTakeFirst())?.n ?? 0);
}

/**
 * The scoped, filtered, keyset-paginated list (newest registration first). The total is exact when the rollups
 * keep it (see rollupCell) or when at most LIST_COUNT_CAP (10,000) records match; otherwise it is that cap with
 * totalExact false (the console shows "10,000+"). See docs/decisions.md, "List speed".
 */
export async function listParticipants(svc: Services, ctx: Ctx, q: ListQuery) {
  requirePermission(ctx, 'participant.read');
  const k = svc.db.kysely;
  let base = scopeParticipants(k.selectFrom('participants'), ctx);
  // like every figure, the list leaves out records merged into another as duplicates, unless asked, or unless
  // searching for one record by its number, NIK or phone
  const merged = q.merged ?? (q.q?.trim() ? 'include' : 'exclude');
  if (merged !== 'include') base = base.where('merged_into', merged === 'only' ? 'is not' : 'is', null);
  if (q.regencyCode)
    base = base.where('regency_code', '=', regionFilter('regencyCode', q.regencyCode, 'regency'));
  if (q.districtCode)
    base = base.where('district_code', '=', regionFilter('districtCode', q.districtCode, 'district'));
  if (q.villageCode)
    base = base.where('village_code', '=', regionFilter('villageCode', q.villageCode, 'village'));
  if (q.sector) base = base.where('sector', '=', q.sector);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.collaboratorId) base = base.where('collaborator_id', '=', q.collaboratorId.toLowerCase());
  // EXISTS, not IN: the list walks the newest registrations and checks each, instead of first collecting every
  // enrolment, milestone or business of the kind (a third of the registry or more) and sorting
  if (q.agency) {
    const agency = q.agency;
    base = base.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrolments')
          .select('enrolments.participant_id')
          .whereRef('enrolments.participant_id', '=', 'participants.id')
          .where('enrolments.agency', '=', agency),
      ),
    );
  }
  if (q.stage) {
    const stage = q.stage;
    base = base.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('milestones')
          .select('milestones.participant_id')
          .whereRef('milestones.participant_id', '=', 'participants.id')
          .where('milestones.stage', '=', stage),
      ),
    );
  }
  if (q.qris === 'declared') {
    base = base.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('businesses')
          .select('businesses.participant_id')
          .whereRef('businesses.participant_id', '=', 'participants.id')
          .where('businesses.is_primary', '=', 1)
          .where('businesses.has_qris', '=', 1),
      ),
    );
  } else if (q.qris) {
    // a module's records (QRIS profiles), named through the hooks so the registry does not know its tables
    const subset = participantSubset(`qris:${q.qris}`);
    base = subset ? base.where('id', 'in', subset(k)) : base.where(({ lit }) => lit(false));
  }
  if (q.reviewFlag) base = base.where('review_flags', 'like', `%"${q.reviewFlag}"%`);
  if (q.registeredFrom) base = base.where('registered_date', '>=', q.registeredFrom);
  if (q.registeredTo) base = base.where('registered_date', '<=', q.registeredTo);
  // registered_date is the WIB day of registered_at (UTC ISO); a bound on registered_at a day wider on each
  // side selects a superset, which lets the (registered_at, id) index seek to the range
  if (q.registeredFrom) base = base.where('registered_at', '>=', addDays(q.registeredFrom, -1));
  if (q.registeredTo) base = base.where('registered_at', '<', addDays(q.registeredTo, 2));
  if (q.quality) {
    const filter = await qualityFilter(k, q.quality, {
      pendingDays: q.pendingDays ?? svc.config.qualityPendingDays,
      inactiveMonths: q.inactiveMonths ?? svc.config.qualityInactiveMonths,
    });
    base = base.where(filter);
  }
  const term = q.q?.trim();
  if (term) {
    const digits = term.replace(/[\s.-]/g, '');
    const nik = /^\d{16}$/.test(digits) ? parseNik(digits) : null;
    const phone = /^\+?\d{9,15}$/.test(digits) ? normalizePhone(digits) : null;
    const like = `%${searchText(term).replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    // the matching ids first (names from narrow indexes, numbers and hashes by equality), then their rows:
    // a search reads a few small indexes, not every record
    // ESCAPE makes \% and \_ literal on SQLite too (PostgreSQL escapes with a backslash by default)
    let ids = k
      .selectFrom('participants as s')
      .select('s.id')
      .where(sql<boolean>`s.name_search like ${like} escape '\\'`)
      .unionAll(
        k
          .selectFrom('businesses')
          .select('businesses.participant_id as id')
          .where(sql<boolean>`businesses.name_search like ${like} escape '\\'`),
      )
      .unionAll(
        k
          .selectFrom('participants as r')
          .select('r.id')
          .where('r.registration_number', '=', term.toUpperCase()),
      );
    if (nik && nik.nik.length === 16) {
      const h = svc.vault.hmac('nik', nik.nik);
      ids = ids.unionAll(k.selectFrom('participants as n').select('n.id').where('n.nik_hash', '=', h));
    }
    if (phone?.ok) {
      const h = svc.vault.hmac('phone', phone.e164);
      ids = ids.unionAll(k.selectFrom('participants as t').select('t.id').where('t.phone_hash', '=', h));
    }
    base = base.where('participants.id', 'in', ids);
  }
  let page = base
    .select([
      'participants.id',
      'registration_number',
      'nik_masked',
      'phone_masked',
      'full_name',
      'village_code',
      'district_code',
      'regency_code',
      'sector',
      'status',
      'agency',
      'channel',
      'collaborator_id',
      'registered_at',
      'erased_at',
      'consent_given',
      'is_demo',
    ])
    .select((eb) =>
      eb
        .selectFrom('businesses')
        .select('businesses.name')
        .whereRef('businesses.participant_id', '=', 'participants.id')
        .where('businesses.is_primary', '=', 1)
        .limit(1)
        .as('business_name'),
    );
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    page = page.where((eb) =>
      eb.or([
        eb('registered_at', '<', c.at),
        eb.and([eb('registered_at', '=', c.at), eb('participants.id', '<', c.id)]),
      ]),
    );
  }
  const rows = await page
    .orderBy('registered_at', 'desc')
    .orderBy('participants.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const cell = rollupCell(q, ctx);
  let total: number;
  let totalExact = true;
  if (cell) total = await rollupCount(svc, cell);
  else if (!q.cursor && !more)
    total = items.length; // the first page holds every match: no count needed
  else {
    const cap = svc.config.listCountCap;
    const capped = await k
      .selectFrom(
        base
          .select(sql<number>`1`.as('one'))
          .limit(cap + 1)
          .as('m'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    total = Number(capped?.n ?? 0);
    if (total > cap) {
      total = cap;
      totalExact = false;
    }
  }
  return {
    items: items.map(presentListItem),
    total,
    totalExact,
    nextCursor: more ? encodeCursor(items[items.length - 1]) : null,
  };
}

function mergeInput(current: ReturnType<typeof presentFull>, patch: ParticipantPatch): ParticipantInput {
  const b = current.business!;
  const base: ParticipantInput = {
    nik: current.nik,
    fullName: current.fullName,
    birthDate: current.birthDate,
    sex: (current.sex as 'M' | 'F' | null) ?? null,
    phone: current.phone ?? '',
    email: current.email,
    domicile: {
      villageCode: current.domicile.villageCode,
      street: current.domicile.street,
      rt: current.domicile.rt,
      rw: current.domicile.rw,
      postalCode: current.domicile.postalCode,
    },
    business: {
      name: b.name,
      sector: b.sector,
      kbli: b.kbli,
      kbliVersion: b.kbliVersion,
      products: b.products,
      startedYear: b.startedYear,
      annualRevenue: b.annualRevenue,
      capital: b.capital,
      employees: b.employees,
      nib: b.nib,
      npwp: b.npwp,
      hasQris: b.hasQris,
    },
    consent: { version: 'unchanged', given: current.consentGiven },
  };
  const merged = structuredClone(base) as Record<string, any>;
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'civilStatus') continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) {
        if (v2 !== undefined) merged[k][k2] = v2;
      }
    } else if (v !== undefined) merged[k] = v;
  }
  return participantInput.parse(merged);
}

/** JSON merge patch with optimistic concurrency: ifMatch must be the current ETag. */
export async function patchParticipant(
  svc: Services,
  ctx: Ctx,
  id: string,
  patch: ParticipantPatch,
  ifMatch: string | null,
) {
  requirePermission(ctx, 'participant.update');
  const p = await findVisible(svc, ctx, id);
  if (p.erased_at) throw erasedError();
  if (p.merged_into) throw mergedError();
  if (!ifMatch) {
    throw new AppError(428, 'PRECONDITION_REQUIRED', {
      id: 'Sertakan header If-Match berisi ETag terakhir.',
      en: 'Send an If-Match header with the last ETag.',
    });
  }
  if (ifMatch !== etagOf(p) && ifMatch !== '*') {
    throw preconditionFailed({
      id: 'Data sudah diubah orang lain. Muat ulang lalu ulangi perubahan Anda.',
      en: 'Someone else changed this record. Reload it and apply your change again.',
    });
  }
  if (patch.civilStatus && !can(ctx.actor, 'participant.civil-status') && ctx.via === 'http') {
    throw forbidden('FORBIDDEN', {
      id: 'Hanya petugas yang dapat mengubah status Dukcapil.',
      en: 'Only officers can change the civil-registry status.',
    });
  }
  const key = await dataKeyOf(svc, p.id);
  const current = await loadFull(svc, p.id, decryptAll(svc, key, p));
  const merged = mergeInput(current, patch);
  const v = validateParticipant(merged, {
    lang: ctx.lang,
    programArea: svc.config.programArea,
    canOverrideNik: true, // the NIK itself cannot change through PATCH
    requireConsent: false,
  });
  if (!v.ok) throw invalid(v.errors.filter((e) => e.path !== 'nik'));
  const n = v.value;
  const a = ctx.actor;
  // Officers and mentors keep records within their own area, as when registering.
  if (
    a &&
    (a.role === 'officer' || a.role === 'mentor') &&
    !a.areas.some((x) => n.villageCode.startsWith(x))
  ) {
    throw forbidden('OUTSIDE_AREA', {
      id: 'Kelurahan baru berada di luar wilayah tugas Anda.',
      en: 'The new village lies outside your area.',
    });
  }
  const now = nowIso();
  // before and after in the same shape, so the audit entry lists exactly the fields that changed
  const cd = current.domicile;
  const cb = current.business!;
  const before = {
    fullName: current.fullName,
    birthDate: current.birthDate,
    sex: current.sex,
    phone: current.phone,
    email: current.email,
    domicile: {
      villageCode: cd.villageCode,
      street: cd.street,
      rt: cd.rt,
      rw: cd.rw,
      postalCode: cd.postalCode,
    },
    business: {
      name: cb.name,
      sector: cb.sector,
      kbli: cb.kbli,
      kbliVersion: cb.kbliVersion,
      products: cb.products,
      startedYear: cb.startedYear,
      annualRevenue: cb.annualRevenue,
      capital: cb.capital,
      employees: cb.employees,
      nib: cb.nib,
      npwp: cb.npwp,
      hasQris: cb.hasQris,
      sizeClass: cb.sizeClass,
    },
    civilStatus: current.civilStatus,
  };
  await withTx(svc.db, async (tx) => {
    const res = await tx
      .updateTable('participants')
      .set({
        full_name: n.fullName,
        name_search: searchText(n.fullName),
        birth_date: n.birthDate,
        sex: n.sex,
        phone_hash: svc.vault.hmac('phone', n.phone),
        phone_enc: svc.vault.encrypt(key!, n.phone),
        phone_masked: maskPhone(n.phone),
        email_enc: n.email ? svc.vault.encrypt(key!, n.email) : null,
        street_enc: n.street ? svc.vault.encrypt(key!, n.street) : null,
        province_code: n.provinceCode,
        regency_code: n.regencyCode,
        district_code: n.districtCode,
        village_code: n.villageCode,
        rt: n.rt,
        rw: n.rw,
        postal_code: n.postalCode,
        sector: n.business.sector,
        civil_status: patch.civilStatus ?? p.civil_status,
        version: p.version + 1,
        updated_at: now,
      })
      .where('id', '=', p.id)
      .where('version', '=', p.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw preconditionFailed({
        id: 'Data sudah diubah orang lain. Muat ulang lalu ulangi perubahan Anda.',
        en: 'Someone else changed this record. Reload it and apply your change again.',
      });
    }
    const b = n.business;
    await tx
      .updateTable('businesses')
      .set({
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
        updated_at: now,
      })
      .where('id', '=', current.business!.id)
      .execute();
    await moveFacts(
      tx,
      p,
      { ...p, district_code: n.districtCode, village_code: n.villageCode, sector: n.business.sector },
      {
        before: cb.hasQris == null ? null : cb.hasQris ? 1 : 0,
        after: b.hasQris == null ? null : b.hasQris ? 1 : 0,
      },
    );
    // an officer's civil-registry result is kept with its source, like an imported match file's
    if (patch.civilStatus && patch.civilStatus !== p.civil_status)
      await tx
        .insertInto('civil_checks')
        .values({
          id: newId(),
          participant_id: p.id,
          status: patch.civilStatus,
          previous_status: p.civil_status,
          checked_on: todayWib(),
          source: 'officer',
          file_name: null,
          note: null,
          created_by: ctx.actor?.id ?? null,
          created_at: now,
        })
        .execute();
    // the NIK, agency and consent do not change through PATCH
    const { nik: _nik, agency: _agency, consent: _consent, ...changeable } = snapshot(n);
    const after = { ...changeable, civilStatus: patch.civilStatus ?? p.civil_status };
    await audit(svc, tx, ctx, {
      action: 'participant.update',
      entityType: 'participant',
      entityId: p.id,
      participantId: p.id,
      before: diffBefore(before, after),
      after: diffAfter(before, after),
      dataKey: key,
    });
  });
  return loadFull(svc, p.id);
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(b).filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
}
function diffBefore(a: Record<string, unknown>, b: Record<string, unknown>) {
  return Object.fromEntries(changedKeys(a, b).map((k) => [k, a[k] ?? null]));
}
function diffAfter(a: Record<string, unknown>, b: Record<string, unknown>) {
  return Object.fromEntries(changedKeys(a, b).map((k) => [k, b[k] ?? null]));
}

/** Moves a record's rollup contributions when its region, sector, status or declared QRIS changes. */
async function moveFacts(
  tx: Transaction<DB>,
  before: P,
  after: P,
  hasQris: { before: number | null; after: number | null },
) {
  const delta = new RollupDelta();
  addParticipantFacts(delta, before, -1);
  addParticipantFacts(delta, after, 1);
  addDeclaredQris(delta, { ...before, has_qris: hasQris.before }, -1);
  addDeclaredQris(delta, { ...after, has_qris: hasQris.after }, 1);
  if (before.district_code !== after.district_code) {
    await addDistrictMoves(
      tx,
      new Map([[before.id, { from: before.district_code, to: after.district_code }]]),
      delta,
    );
  }
  await participantMoved(tx, before.id, before, after, delta);
  await applyRollup(tx, delta);
}

function erasedError() {
  return new AppError(410, 'ERASED', {
    id: 'Data pribadi peserta ini sudah dihapus.',
    en: "This participant's personal data has been erased.",
  });
}

type Transition = 'verify' | 'validate' | 'reject' | 'reopen';

const SOD = {
  registrar: {
    id: 'Anda yang mendaftarkan atau mengimpor data ini, jadi tidak dapat memverifikasinya. Minta pendamping lain.',
    en: 'You registered or imported this record, so you cannot verify it. Ask another mentor.',
  },
  verifier: {
    id: 'Anda yang memverifikasi data ini, jadi tidak dapat memvalidasinya. Minta petugas lain.',
    en: 'You verified this record, so you cannot validate it. Ask another officer.',
  },
};

/** Status changes: registered -> verified -> validated, or rejected (an officer can reopen). */
export async function transition(
  svc: Services,
  ctx: Ctx,
  id: string,
  action: Transition,
  body: {
    evidence?: { ktpSeen: boolean; businessSeen: boolean; photo?: string | null; note?: string | null };
    reason?: string;
  },
) {
  const perm = `participant.${action}` as const;
  const actor = requirePermission(ctx, perm);
  const p = await findVisible(svc, ctx, id);
  if (p.erased_at) throw erasedError();
  if (p.merged_into) throw mergedError();
  const from: Record<Transition, string[]> = {
    verify: ['registered'],
    validate: ['verified'],
    reject: ['registered', 'verified'],
    reopen: ['rejected'],
  };
  if (!from[action].includes(p.status)) {
    throw conflict('INVALID_TRANSITION', {
      id: `Status saat ini "${p.status}" tidak dapat diubah dengan tindakan ini.`,
      en: `The current status "${p.status}" does not allow this action.`,
    });
  }
  const actorId = actor?.id ?? null;
  if (action === 'verify') {
    if (actorId && p.entered_by === actorId) throw forbidden('SOD_REGISTRAR_CANNOT_VERIFY', SOD.registrar);
    if (!body.evidence?.ktpSeen) {
      throw invalid([
        {
          path: 'evidence.ktpSeen',
          code: 'KTP_NOT_SEEN',
          message:
            ctx.lang === 'en'
              ? 'Verification needs the KTP to have been seen.'
              : 'Verifikasi memerlukan KTP yang sudah dilihat langsung.',
        },
      ]);
    }
  }
  if (action === 'validate' && actorId && p.verified_by === actorId) {
    throw forbidden('SOD_VERIFIER_CANNOT_VALIDATE', SOD.verifier);
  }
  // the reason and the evidence (notes, a photo) are personal data: encrypted with the person's key in the log
  const key = await dataKeyOf(svc, p.id);
  const now = nowIso();
  const next: Record<Transition, string> = {
    verify: 'verified',
    validate: 'validated',
    reject: 'rejected',
    reopen: 'registered',
  };
  const set: Partial<P> = { status: next[action], version: p.version + 1, updated_at: now };
  if (action === 'verify') {
    set.verified_by = actorId;
    set.verified_at = now;
    set.verification_evidence = JSON.stringify(body.evidence ?? null);
    set.status_reason = null;
  } else if (action === 'validate') {
    set.validated_by = actorId;
    set.validated_at = now;
  } else if (action === 'reject') set.status_reason = body.reason ?? null;
  else if (action === 'reopen') {
    set.status_reason = body.reason ?? null;
    set.verified_by = null;
    set.verified_at = null;
    set.validated_by = null;
    set.validated_at = null;
  }
  await withTx(svc.db, async (tx) => {
    const res = await tx
      .updateTable('participants')
      .set(set)
      .where('id', '=', p.id)
      .where('version', '=', p.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw conflict('CONCURRENT_CHANGE', {
        id: 'Data baru saja diubah orang lain. Muat ulang.',
        en: 'The record was just changed by someone else. Reload.',
      });
    }
    const delta = new RollupDelta();
    addParticipantFacts(delta, p, -1);
    addParticipantFacts(delta, { ...p, status: set.status! }, 1);
    if (action === 'verify' || action === 'validate') {
      await recordMilestone(
        tx,
        {
          participantId: p.id,
          districtCode: p.district_code,
          stage: 'P1',
          kind: next[action],
          occurredAt: now,
          sourceModule: 'participants',
          sourceId: p.id,
          actorId,
        },
        delta,
      );
    }
    await applyRollup(tx, delta);
    await audit(svc, tx, ctx, {
      action: `participant.${action}`,
      entityType: 'participant',
      entityId: p.id,
      participantId: p.id,
      before: { status: p.status },
      after: { status: set.status, reason: body.reason ?? null, evidence: body.evidence ?? null },
      dataKey: key,
    });
  });
  return loadFull(svc, p.id);
}

/**
 * Erasure under UU PDP: personal fields are cleared and the person's data key destroyed, which makes every
 * encrypted copy (audit values, backups) unreadable. Aggregate counts stay. A record under a legal duty to keep
 * (aid or a loan received) is restricted instead until its retention period ends.
 */
export async function eraseParticipant(svc: Services, ctx: Ctx, id: string, reason: string | null) {
  requirePermission(ctx, 'participant.erase');
  const p = await findVisible(svc, ctx, id);
  if (p.erased_at) throw erasedError();
  const now = nowIso();
  const legal = await svc.db.kysely
    .selectFrom('milestones')
    .select(['kind', 'occurred_at'])
    .where('participant_id', '=', p.id)
    .where('stage', '=', 'P7')
    .execute();
  if (legal.length > 0) {
    const until = new Date(Date.parse(legal[legal.length - 1].occurred_at));
    until.setUTCFullYear(until.getUTCFullYear() + 10);
    await withTx(svc.db, async (tx) => {
      await tx
        .updateTable('participants')
        .set({ restricted_until: until.toISOString(), version: p.version + 1, updated_at: now })
        .where('id', '=', p.id)
        .execute();
      await audit(svc, tx, ctx, {
        action: 'participant.restrict',
        entityType: 'participant',
        entityId: p.id,
        participantId: p.id,
        after: { restrictedUntil: until.toISOString(), reason },
      });
    });
    return { erased: false, restrictedUntil: until.toISOString() };
  }
  await withTx(svc.db, async (tx) => {
    await tx.deleteFrom('nik_index').where('participant_id', '=', p.id).execute();
    await tx
      .updateTable('participants')
      .set({
        nik_hash: `erased:${p.id}`,
        nik_enc: null,
        nik_masked: '****************',
        phone_hash: null,
        phone_enc: null,
        phone_masked: null,
        email_enc: null,
        street_enc: null,
        full_name: '[dihapus]',
        name_search: '',
        birth_date: null,
        sex: null,
        rt: null,
        rw: null,
        postal_code: null,
        status_reason: null,
        verification_evidence: null,
        nik_override_reason: null,
        device_hash: null,
        erased_at: now,
        version: p.version + 1,
        updated_at: now,
      })
      .where('id', '=', p.id)
      .execute();
    await tx
      .updateTable('businesses')
      .set({ name: '[dihapus]', name_search: '', products: null, nib: null, npwp: null, updated_at: now })
      .where('participant_id', '=', p.id)
      .execute();
    await tx
      .updateTable('consents')
      .set({ withdrawn_at: now })
      .where('participant_id', '=', p.id)
      .where('withdrawn_at', 'is', null)
      .execute();
    await participantErased(tx, p.id);
    await tx
      .updateTable('person_keys')
      .set({ wrapped_key: null, destroyed_at: now })
      .where('participant_id', '=', p.id)
      .execute();
    await tx
      .deleteFrom('sessions')
      .where(
        'user_id',
        'in',
        tx
          .selectFrom('user_grants')
          .select('user_id')
          .where('kind', '=', 'participant')
          .where('value', '=', p.id),
      )
      .execute();
    await audit(svc, tx, ctx, {
      action: 'participant.erase',
      entityType: 'participant',
      entityId: p.id,
      participantId: p.id,
      after: { erasedAt: now, reason },
    });
  });
  return { erased: true, restrictedUntil: null };
}

/** Another agency enrols an already registered person (the program total still counts the person once). */
export async function enrol(svc: Services, ctx: Ctx, id: string, agency: string) {
  const actor = requirePermission(ctx, 'participant.enrol');
  const p = await findVisible(svc, ctx, id);
  if (p.erased_at) throw erasedError();
  if (p.merged_into) throw mergedError();
  if (!(await agencyExists(svc, agency))) {
    throw invalid([
      { path: 'agency', code: 'AGENCY_UNKNOWN', message: fieldMessage('AGENCY_UNKNOWN', ctx.lang) },
    ]);
  }
  const now = nowIso();
  try {
    await withTx(svc.db, async (tx) => {
      const enrolId = newId();
      await tx
        .insertInto('enrolments')
        .values({
          id: enrolId,
          participant_id: p.id,
          agency,
          channel: ctx.via === 'cli' ? 'api' : 'officer',
          enrolled_at: now,
          collaborator_id: null,
          entered_by: actor?.id ?? null,
        })
        .execute();
      const delta = new RollupDelta().add(p.district_code, 'agency', agency);
      await applyRollup(tx, delta);
      await audit(svc, tx, ctx, {
        action: 'participant.enrol',
        entityType: 'participant',
        entityId: p.id,
        participantId: p.id,
        after: { agency },
      });
    });
  } catch (err) {
    if (uniqueViolation(err)) {
      throw conflict('ALREADY_ENROLLED', {
        id: `Peserta ini sudah terdaftar di instansi ${agency}.`,
        en: `This participant is already enrolled with ${agency}.`,
      });
    }
    throw err;
  }
  return loadFull(svc, p.id);
}
