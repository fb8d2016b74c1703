/**
 * Duplicate detection in the registry: the batch scan, the check at registration, the review queue and its
 * decisions (merge, reversible; not a duplicate, remembered; later).
 */
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import { audit } from '../../core/audit.ts';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { conflict, notFound } from '../../core/errors.ts';
import { participantCounted } from '../../core/hooks.ts';
import { isUuid, newId } from '../../core/ids.ts';
import { addDeclaredQris, addParticipantFacts, applyRollup, RollupDelta } from '../../core/rollup.ts';
import type { DB } from '../../db/types.ts';
import {
  isCommonName,
  type Level,
  type MatchRecord,
  nameCountKey,
  nikSkeleton,
  REVIEW_AT,
  scorePair,
} from '../../dedupe/match.ts';
import { Interner } from '../../dedupe/prescore.ts';
import { markCommonNames, scanRecords } from '../../dedupe/scan.ts';
import { freshNameKey, nameKey } from '../../identity/names.ts';
import { maskNik } from '../../identity/nik.ts';
import { requirePermission, scopeExpr } from '../participants/policy.ts';
import { addDistrictMoves, searchText } from '../participants/store.ts';
import { runScanInWorker } from './run.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type FoundPair = {
  aId: string;
  bId: string;
  a: string;
  b: string;
  aNik: string;
  bNik: string;
  score: number;
  level: Level;
  evidence: ReturnType<typeof scorePair>['evidence'];
};

type Row = {
  id: string;
  registration_number: string;
  nik_masked: string;
  birth_date: string | null;
  sex: string | null;
  full_name: string;
  district_code: string;
  village_code: string;
  rt: string | null;
  rw: string | null;
  phone_hash: string | null;
  business_name: string | null;
};

function toRecord(r: Row, names?: Map<string, string[]>, name?: string[]): MatchRecord {
  const sex = r.sex === 'M' || r.sex === 'F' ? r.sex : null;
  return {
    regno: r.registration_number,
    nik: null,
    skeleton: nikSkeleton(r.nik_masked, r.birth_date, sex),
    name: name ?? nameKey(r.full_name, names),
    birthDate: r.birth_date,
    sex,
    districtCode: r.district_code,
    villageCode: r.village_code,
    rt: r.rt,
    rw: r.rw,
    phoneHash: r.phone_hash,
    business: r.business_name ? nameKey(r.business_name, names) : [],
  };
}

const SELECT = [
  'p.id',
  'p.registration_number',
  'p.nik_masked',
  'p.birth_date',
  'p.sex',
  'p.full_name',
  'p.district_code',
  'p.village_code',
  'p.rt',
  'p.rw',
  'p.phone_hash',
  'b.name as business_name',
] as const;
/** the names of the columns selected, in their order */
const ROW_COLUMNS = SELECT.map((c) =>
  c
    .split(' as ')
    .pop()!
    .replace(/^\w+\./, ''),
);

/** Active records: not erased, not merged into another. */
function activeRecords(db: Db) {
  return db
    .selectFrom('participants as p')
    .leftJoin('businesses as b', (j) => j.onRef('b.participant_id', '=', 'p.id').on('b.is_primary', '=', 1))
    .select(SELECT)
    .where('p.erased_at', 'is', null)
    .where('p.merged_into', 'is', null);
}

/** Decrypts the NIKs of the given participants (erased ones give null). */
async function decryptNiks(svc: Services, db: Db, ids: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db
      .selectFrom('participants as p')
      .innerJoin('person_keys as k', 'k.participant_id', 'p.id')
      .select(['p.id', 'p.nik_enc', 'k.key_id', 'k.wrapped_key'])
      .where('p.id', 'in', chunk)
      .execute();
    for (const r of rows) {
      if (!r.wrapped_key || !r.nik_enc) {
        out.set(r.id, null);
        continue;
      }
      const key = svc.vault.unwrap(r.key_id, r.wrapped_key);
      out.set(r.id, svc.vault.decrypt(key, r.nik_enc));
    }
  }
  return out;
}

export type ScanProgress = (phase: 'load' | 'scan' | 'save', done: number, total: number) => void;

/**
 * Every active record as the scan compares it, with its id; names many bear are marked common. Each distinct full
 * name is normalised once, with the id of its count key (nameCountKey), so that common names are counted by id.
 */
async function readActiveRecords(
  svc: Services,
  onProgress?: (done: number, total: number) => void,
): Promise<{ ids: string[]; records: MatchRecord[] }> {
  const k = svc.db.kysely;
  // every record, erased and merged ones too: the progress bar's total, an upper bound counted from an index
  // (counting only the active ones reads the whole table: 1.4 s at a million)
  const total = Number(
    (
      await k
        .selectFrom('participants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const ids: string[] = [];
  const records: MatchRecord[] = [];
  // business names' keys for this scan (the shared cache holds 500,000: a million would empty it again and again)
  const names = new Map<string, string[]>();
  // per distinct full name (its id in fullNames): its parts and the id of its count key
  const fullNames = new Interner();
  const countKeys = new Interner();
  const partsOf: string[][] = [];
  const countIdOf: number[] = [];
  const countIds: number[] = [];
  const take = (r: Row) => {
    const x = fullNames.id(r.full_name);
    if (x === partsOf.length) {
      const parts = freshNameKey(r.full_name);
      partsOf.push(parts);
      countIdOf.push(countKeys.id(nameCountKey(parts)));
    }
    countIds.push(countIdOf[x]);
    ids.push(r.id);
    records.push(toRecord(r, names, partsOf[x]));
    if ((records.length & 0x3fff) === 0) onProgress?.(records.length, total);
  };
  if (svc.db.sqlite) {
    // better-sqlite3 directly: a million rows read 7x faster than through the query builder's stream
    // rows as arrays (faster than objects), in the order of the select list
    const q = activeRecords(k).compile();
    const row = {} as Row;
    const columns = ROW_COLUMNS;
    const st = svc.db.sqlite.prepare(q.sql).raw(true);
    for (const values of st.iterate(...(q.parameters as unknown[])) as Iterable<unknown[]>) {
      for (let c = 0; c < columns.length; c++) (row as Record<string, unknown>)[columns[c]] = values[c];
      take(row);
    }
  } else {
    // PostgreSQL: pages in id order (keyset), no server-side cursor needed
    let last = '';
    for (;;) {
      const page = (await activeRecords(k)
        .where('p.id', '>', last)
        .orderBy('p.id')
        .limit(10_000)
        .execute()) as Row[];
      for (const r of page) take(r);
      if (page.length < 10_000) break;
      last = page[page.length - 1].id;
    }
  }
  onProgress?.(records.length, records.length);
  markCommonNames(records, countIds);
  return { ids, records };
}

/**
 * Scans the whole registry: loads the clear fields of every active record, finds candidate pairs by blocking
 * (in a worker thread, so a server keeps answering), decrypts the NIKs of the pairs that could be duplicates,
 * scores them again and stores them in the review queue. Pairs already decided stay decided.
 */
export async function scanRegistry(
  svc: Services,
  opts: {
    onProgress?: ScanProgress;
    store?: boolean;
    /** false: match on this thread (the CLI, with no requests to answer meanwhile), saving the copy to a worker */
    worker?: boolean;
  } = {},
): Promise<{ records: number; pairs: FoundPair[]; timings: Record<string, number> }> {
  const k = svc.db.kysely;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  const { ids, records } = await readActiveRecords(svc, (done, total) =>
    opts.onProgress?.('load', done, total),
  );
  lap('readMs');
  const onScan = (done: number, t: number) => opts.onProgress?.('scan', done, t);
  const candidates =
    opts.worker === false
      ? scanRecords(records, { onProgress: onScan }).pairs
      : await runScanInWorker(records, onScan);
  lap('matchMs');
  const involved = new Set<number>();
  for (const c of candidates) {
    involved.add(c.a);
    involved.add(c.b);
  }
  const niks = await decryptNiks(
    svc,
    k,
    [...involved].map((i) => ids[i]),
  );
  const pairs: FoundPair[] = [];
  for (const c of candidates) {
    const na = niks.get(ids[c.a]);
    const nb = niks.get(ids[c.b]);
    if (!na || !nb) continue;
    const s = scorePair({ ...records[c.a], nik: na }, { ...records[c.b], nik: nb });
    if (!s.level) continue;
    const [x, y] = records[c.a].regno < records[c.b].regno ? [c.a, c.b] : [c.b, c.a];
    pairs.push({
      aId: ids[x],
      bId: ids[y],
      a: records[x].regno,
      b: records[y].regno,
      aNik: niks.get(ids[x])!,
      bNik: niks.get(ids[y])!,
      score: s.score,
      level: s.level,
      evidence: x === c.a ? s.evidence : swapEvidence(s.evidence),
    });
  }
  pairs.sort((p, q) => q.score - p.score || p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
  lap('resolveMs');
  if (opts.store !== false) {
    const decided = await storePairs(svc, k, pairs, 'scan', (done) =>
      opts.onProgress?.('save', done, pairs.length),
    );
    lap('saveMs');
    return {
      records: records.length,
      pairs: pairs.filter((p) => !decided.has(`${p.aId}|${p.bId}`)),
      timings,
    };
  }
  return { records: records.length, pairs, timings };
}

function swapEvidence(e: FoundPair['evidence']): FoundPair['evidence'] {
  return { ...e, name: { ...e.name, unmatchedA: e.name.unmatchedB, unmatchedB: e.name.unmatchedA } };
}

/**
 * Stores found pairs in the queue. A pair already there keeps its decision; an open one gets the new score.
 * Returns the pairs already decided "not a duplicate" or merged (left out of what is reported).
 */
async function storePairs(
  svc: Services,
  db: Db,
  pairs: Omit<FoundPair, 'a' | 'b' | 'aNik' | 'bNik'>[],
  source: 'scan' | 'registration' | 'import',
  onProgress?: (done: number) => void,
): Promise<Set<string>> {
  const decided = new Set<string>();
  const now = nowIso();
  for (let i = 0; i < pairs.length; i += 200) {
    const chunk = pairs.slice(i, i + 200);
    const existing = await db
      .selectFrom('duplicate_pairs')
      .select(['id', 'a_id', 'b_id', 'status'])
      .where((eb) => eb.or(chunk.map((p) => eb.and([eb('a_id', '=', p.aId), eb('b_id', '=', p.bId)]))))
      .execute();
    const byKey = new Map(existing.map((e) => [`${e.a_id}|${e.b_id}`, e]));
    const districts = new Map(
      (
        await db
          .selectFrom('participants')
          .select(['id', 'district_code'])
          .where(
            'id',
            'in',
            chunk.map((p) => p.aId),
          )
          .execute()
      ).map((r) => [r.id, r.district_code]),
    );
    const fresh = [];
    for (const p of chunk) {
      const key = `${p.aId}|${p.bId}`;
      const e = byKey.get(key);
      if (e) {
        if (e.status === 'not_duplicate' || e.status === 'merged') decided.add(key);
        else
          await db
            .updateTable('duplicate_pairs')
            .set({ score: p.score, level: p.level, evidence: JSON.stringify(p.evidence) })
            .where('id', '=', e.id)
            .execute();
        continue;
      }
      fresh.push({
        id: newId(),
        a_id: p.aId,
        b_id: p.bId,
        score: p.score,
        level: p.level,
        evidence: JSON.stringify(p.evidence),
        source,
        status: 'open' as const,
        district_code: districts.get(p.aId) ?? '',
        found_at: now,
        decided_by: null,
        decided_at: null,
        note: null,
        kept_id: null,
      });
    }
    if (fresh.length) await db.insertInto('duplicate_pairs').values(fresh).execute();
    onProgress?.(Math.min(pairs.length, i + chunk.length));
  }
  void svc;
  return decided;
}

// ---------------------------------------------------------------------------------------------------------------
// At registration

export type NewPerson = {
  id: string;
  registrationNumber: string;
  nik: string;
  fullName: string;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  districtCode: string;
  villageCode: string;
  rt: string | null;
  rw: string | null;
  phoneHash: string | null;
  businessName: string | null;
};

/** The new person from the rows just written and the validated input. */
export function personOf(
  p: {
    id: string;
    registration_number: string;
    birth_date?: string | null;
    sex?: string | null;
    district_code: string;
    village_code: string;
    rt?: string | null;
    rw?: string | null;
    phone_hash?: string | null;
  },
  n: { nik: string; fullName: string; business?: { name: string } | null },
): NewPerson {
  return {
    id: p.id,
    registrationNumber: p.registration_number,
    nik: n.nik,
    fullName: n.fullName,
    birthDate: p.birth_date ?? null,
    sex: p.sex === 'M' || p.sex === 'F' ? p.sex : null,
    districtCode: p.district_code,
    villageCode: p.village_code,
    rt: p.rt ?? null,
    rw: p.rw ?? null,
    phoneHash: p.phone_hash ?? null,
    businessName: n.business?.name ?? null,
  };
}

/** Birth dates one NIK typo away (a digit changed or two neighbours swapped in DDMMYY, same century). */
export function birthDateNeighbours(birthDate: string, sex: 'M' | 'F'): string[] {
  const day = Number(birthDate.slice(8, 10)) + (sex === 'F' ? 40 : 0);
  const digits = `${String(day).padStart(2, '0')}${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}`;
  const century = birthDate.slice(0, 2);
  const out = new Set<string>();
  const add = (d: string) => {
    let dd = Number(d.slice(0, 2));
    if (dd > 40) dd -= 40;
    const mm = Number(d.slice(2, 4));
    if (dd < 1 || dd > 31 || mm < 1 || mm > 12) return;
    const iso = `${century}${d.slice(4, 6)}-${d.slice(2, 4)}-${String(dd).padStart(2, '0')}`;
    const t = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) return;
    if (iso !== birthDate) out.add(iso);
  };
  for (let i = 0; i < 6; i++) {
    for (let c = 0; c <= 9; c++) add(digits.slice(0, i) + c + digits.slice(i + 1));
    if (i < 5) add(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2));
  }
  return [...out];
}

/** Who a likely-duplicate check looks up stored records for (before or after their own rows are written). */
export type LookupPerson = Pick<NewPerson, 'id' | 'nik' | 'birthDate' | 'sex' | 'districtCode' | 'phoneHash'>;

/** Stored records that some people could be duplicates of, and how they were looked up. */
export type DuplicateCandidates = { rows: Row[]; single: boolean };

/**
 * The stored records people could be duplicates of (see flagLikelyDuplicates): the same phone; one person at a
 * time, born the same day or on a date one NIK typo away with the same masked NIK; a batch, born the same day in
 * the same kecamatan. An import looks them up before writing the batch: after, every query would also read the
 * batch's own rows, only to drop them (177,000 rows read for 100,000 imported; the look-ups took 7.3 s of a
 * 100k import on PostgreSQL, 3.6-5.1 s since).
 */
export async function duplicateCandidates(
  svc: Services,
  tx: Db,
  people: readonly LookupPerson[],
): Promise<DuplicateCandidates> {
  const single = people.length === 1;
  const rows: Row[] = [];
  if (!people.length) return { rows, single };
  const phones = [...new Set(people.map((p) => p.phoneHash).filter((x): x is string => !!x))];
  const p0 = people[0];
  const neighbours = single && p0.birthDate && p0.sex ? birthDateNeighbours(p0.birthDate, p0.sex) : [];
  const take = async (
    where: (eb: ExpressionBuilder<DB & { p: DB['participants'] }, 'p'>) => Expression<SqlBool>,
  ) => {
    for (const r of (await activeRecords(tx).where(where).limit(50_000).execute()) as Row[]) rows.push(r);
  };
  const pg = svc.db.engine === 'postgres';
  // the same phone; one person at a time: born the same day, or a NIK typo's day with the same masked NIK
  if (phones.length || single)
    await take((eb) => {
      const ors = [];
      // PostgreSQL: one array parameter rather than a list of a thousand
      if (phones.length)
        ors.push(
          pg
            ? sql<SqlBool>`${sql.ref('p.phone_hash')} = any(${phones}::text[])`
            : eb('p.phone_hash', 'in', phones),
        );
      if (single && p0.birthDate) ors.push(eb('p.birth_date', '=', p0.birthDate));
      if (neighbours.length)
        ors.push(eb.and([eb('p.birth_date', 'in', neighbours), eb('p.nik_masked', '=', maskNik(p0.nik))]));
      return ors.length ? eb.or(ors) : eb.lit(false);
    });
  // a batch: born the same day in the same kecamatan, each (day, kecamatan) one index lookup. PostgreSQL joins
  // the pairs as two arrays; SQLite takes them as ORs in slices (it bounds an expression's depth: an OR of a
  // thousand terms is too deep), which PostgreSQL would plan slowly (a third of its time in an import)
  const blocks = new Map<string, [string, string]>();
  if (!single)
    for (const p of people)
      if (p.birthDate) blocks.set(`${p.birthDate}|${p.districtCode}`, [p.birthDate, p.districtCode]);
  const blockPairs = [...blocks.values()];
  if (blockPairs.length && pg)
    await take(
      () =>
        sql<SqlBool>`(${sql.ref('p.birth_date')}, ${sql.ref('p.district_code')}) in (select d, c from unnest(${blockPairs.map((x) => x[0])}::text[], ${blockPairs.map((x) => x[1])}::text[]) as k(d, c))`,
    );
  else
    for (let i = 0; i < blockPairs.length; i += 200) {
      const slice = blockPairs.slice(i, i + 200);
      await take((eb) =>
        eb.or(slice.map(([d, k]) => eb.and([eb('p.birth_date', '=', d), eb('p.district_code', '=', k)]))),
      );
    }
  return { rows, single };
}

/**
 * Looks for likely duplicates of people just written (same transaction) among the candidates (looked up now, or
 * by the caller before it wrote them): each candidate is scored with the same rules as the scan; pairs at
 * "review" or above are stored as open pairs and the new record gets the review flag `possible_duplicate`. Never
 * drops or merges anything. An import checks a whole batch with a few queries; people born the same day are then
 * looked up within the same kecamatan (one index lookup per day and kecamatan), and a birth-date typo is left to
 * the scan.
 */
export async function flagLikelyDuplicates(
  svc: Services,
  tx: Db,
  people: NewPerson[],
  source: 'registration' | 'import' = 'registration',
  candidates?: DuplicateCandidates,
): Promise<FoundPair[]> {
  if (!people.length) return [];
  const { rows, single } = candidates ?? (await duplicateCandidates(svc, tx, people));
  const mine = new Set(people.map((p) => p.id));
  // the birth-date block: the day alone for one person, the day within the kecamatan for a batch
  const dateKey = (birthDate: string, districtCode: string) =>
    single ? birthDate : `${birthDate}|${districtCode}`;
  const taken = new Set<string>();
  const others = rows.filter((r) => !mine.has(r.id) && !taken.has(r.id) && taken.add(r.id));
  if (!others.length) return [];
  const byPhone = new Map<string, Row[]>();
  const byDate = new Map<string, Row[]>();
  for (const r of others) {
    if (r.phone_hash) byPhone.set(r.phone_hash, [...(byPhone.get(r.phone_hash) ?? []), r]);
    if (r.birth_date) {
      const k = dateKey(r.birth_date, r.district_code);
      byDate.set(k, [...(byDate.get(k) ?? []), r]);
    }
  }
  // first pass on clear data: who could be a duplicate of whom
  const shortlist: { p: NewPerson; me: MatchRecord; r: Row }[] = [];
  for (const p of people) {
    const masked = maskNik(p.nik);
    const me: MatchRecord = {
      ...toRecord({
        id: p.id,
        registration_number: p.registrationNumber,
        nik_masked: masked,
        birth_date: p.birthDate,
        sex: p.sex,
        full_name: p.fullName,
        district_code: p.districtCode,
        village_code: p.villageCode,
        rt: p.rt,
        rw: p.rw,
        phone_hash: p.phoneHash,
        business_name: p.businessName,
      }),
      nik: p.nik,
    };
    const seen = new Set<string>();
    const candidates = [
      ...(p.phoneHash ? (byPhone.get(p.phoneHash) ?? []) : []),
      ...(p.birthDate ? (byDate.get(dateKey(p.birthDate, p.districtCode)) ?? []) : []),
      ...(single ? others.filter((r) => r.nik_masked === masked && r.birth_date !== p.birthDate) : []),
    ];
    for (const r of candidates) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      if (scorePair(me, toRecord(r)).score >= REVIEW_AT) shortlist.push({ p, me, r });
    }
  }
  if (!shortlist.length) return [];
  const niks = await decryptNiks(svc, tx, [...new Set(shortlist.map((s) => s.r.id))]);
  const commonCache = new Map<string, boolean>();
  const found: FoundPair[] = [];
  for (const { p, me, r } of shortlist) {
    const nik = niks.get(r.id);
    if (!nik) continue;
    let common = commonCache.get(p.fullName);
    if (common === undefined) {
      common = await isCommonInRegistry(tx, p.fullName);
      commonCache.set(p.fullName, common);
    }
    const a = { ...me, commonName: common };
    const other = { ...toRecord(r), nik, commonName: common };
    const mineFirst = p.registrationNumber < r.registration_number;
    const s = mineFirst ? scorePair(a, other) : scorePair(other, a);
    if (!s.level) continue;
    found.push({
      aId: mineFirst ? p.id : r.id,
      bId: mineFirst ? r.id : p.id,
      a: mineFirst ? p.registrationNumber : r.registration_number,
      b: mineFirst ? r.registration_number : p.registrationNumber,
      aNik: mineFirst ? p.nik : nik,
      bNik: mineFirst ? nik : p.nik,
      score: s.score,
      level: s.level,
      evidence: s.evidence,
    });
  }
  if (!found.length) return [];
  await storePairs(svc, tx, found, source);
  const flagged = [...new Set(found.flatMap((f) => [f.aId, f.bId]).filter((id) => mine.has(id)))];
  for (const cur of await tx
    .selectFrom('participants')
    .select(['id', 'review_flags'])
    .where('id', 'in', flagged)
    .execute()) {
    const flags: string[] = cur.review_flags ? JSON.parse(cur.review_flags) : [];
    if (flags.includes('possible_duplicate')) continue;
    flags.push('possible_duplicate');
    await tx
      .updateTable('participants')
      .set({ review_flags: JSON.stringify(flags) })
      .where('id', '=', cur.id)
      .execute();
  }
  return found;
}

/**
 * Whether a name is common in the registry (isCommonName): people with the same name as written (search text,
 * indexed), against the registry's size from the rollups. Spelling variants of a common name are not counted:
 * the scan, which sees every record, counts canonical names.
 */
async function isCommonInRegistry(tx: Db, fullName: string): Promise<boolean> {
  const total = Number(
    (
      await tx
        .selectFrom('stat_rollup')
        .select((eb) => eb.fn.sum<number>('count').as('n'))
        .where('metric', '=', 'registered')
        .where('key', '=', 'all')
        .executeTakeFirst()
    )?.n ?? 0,
  );
  if (total < 20) return false;
  const same = Number(
    (
      await tx
        .selectFrom('participants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name_search', '=', searchText(fullName))
        .executeTakeFirstOrThrow()
    ).n,
  );
  return isCommonName(same, total);
}

// ---------------------------------------------------------------------------------------------------------------
// Review queue and decisions

type QueueQuery = {
  status?: 'open' | 'later' | 'merged' | 'not_duplicate';
  level?: Level;
  limit?: number;
  offset?: number;
};

function scopedPairs(ctx: Ctx, db: Db) {
  let q = db.selectFrom('duplicate_pairs as d');
  const a = ctx.actor;
  if (a && a.role !== 'admin') {
    q = q
      .where(
        'd.a_id',
        'in',
        db
          .selectFrom('participants')
          .select('id')
          .where((eb) => scopeExpr(eb, a)),
      )
      .where(
        'd.b_id',
        'in',
        db
          .selectFrom('participants')
          .select('id')
          .where((eb) => scopeExpr(eb, a)),
      );
  }
  return q;
}

export async function listPairs(svc: Services, ctx: Ctx, q: QueueQuery) {
  requirePermission(ctx, 'dedupe.review');
  const k = svc.db.kysely;
  const status = q.status ?? 'open';
  let base = scopedPairs(ctx, k).where('d.status', '=', status);
  if (q.level) base = base.where('d.level', '=', q.level);
  if (status === 'open' || status === 'later') {
    // a pair whose record was merged away in another decision has nothing left to decide
    base = base
      .where(
        'd.a_id',
        'not in',
        k.selectFrom('participants').select('id').where('merged_into', 'is not', null),
      )
      .where(
        'd.b_id',
        'not in',
        k.selectFrom('participants').select('id').where('merged_into', 'is not', null),
      );
  }
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .innerJoin('participants as pa', 'pa.id', 'd.a_id')
    .innerJoin('participants as pb', 'pb.id', 'd.b_id')
    .select([
      'd.id',
      'd.score',
      'd.level',
      'd.status',
      'd.source',
      'd.found_at',
      'd.decided_at',
      'd.kept_id',
      'pa.registration_number as a_regno',
      'pa.full_name as a_name',
      'pa.nik_masked as a_nik',
      'pb.registration_number as b_regno',
      'pb.full_name as b_name',
      'pb.nik_masked as b_nik',
    ])
    .orderBy('d.score', 'desc')
    .orderBy('d.id')
    .limit(Math.min(q.limit ?? 50, 200))
    .offset(q.offset ?? 0)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      score: r.score,
      level: r.level,
      status: r.status,
      source: r.source,
      foundAt: r.found_at,
      decidedAt: r.decided_at,
      keptId: r.kept_id,
      a: { registrationNumber: r.a_regno, fullName: r.a_name, nikMasked: r.a_nik },
      b: { registrationNumber: r.b_regno, fullName: r.b_name, nikMasked: r.b_nik },
    })),
  };
}

async function findPair(_svc: Services, ctx: Ctx, db: Db, id: string) {
  if (!isUuid(id)) throw notFound();
  const pair = await scopedPairs(ctx, db).selectAll('d').where('d.id', '=', id).executeTakeFirst();
  if (!pair) throw notFound();
  return pair;
}

export async function getPair(svc: Services, ctx: Ctx, id: string) {
  requirePermission(ctx, 'dedupe.review');
  const k = svc.db.kysely;
  const pair = await findPair(svc, ctx, k, id);
  const side = async (pid: string) => {
    const p = await k
      .selectFrom('participants as p')
      .leftJoin('businesses as b', (j) => j.onRef('b.participant_id', '=', 'p.id').on('b.is_primary', '=', 1))
      .select([
        'p.id',
        'p.registration_number',
        'p.full_name',
        'p.nik_masked',
        'p.phone_masked',
        'p.birth_date',
        'p.sex',
        'p.district_code',
        'p.village_code',
        'p.rt',
        'p.rw',
        'p.status',
        'p.channel',
        'p.registered_at',
        'p.collaborator_id',
        'p.merged_into',
        'b.name as business_name',
        'b.sector as business_sector',
      ])
      .where('p.id', '=', pid)
      .executeTakeFirstOrThrow();
    const stages = await k
      .selectFrom('milestones')
      .select('stage')
      .distinct()
      .where('participant_id', '=', pid)
      .orderBy('stage')
      .execute();
    return {
      id: p.id,
      registrationNumber: p.registration_number,
      fullName: p.full_name,
      nikMasked: p.nik_masked,
      phoneMasked: p.phone_masked,
      birthDate: p.birth_date,
      sex: p.sex,
      districtCode: p.district_code,
      villageCode: p.village_code,
      rt: p.rt,
      rw: p.rw,
      status: p.status,
      channel: p.channel,
      registeredAt: p.registered_at,
      collaboratorId: p.collaborator_id,
      mergedInto: p.merged_into,
      business: p.business_name ? { name: p.business_name, sector: p.business_sector } : null,
      stages: stages.map((s) => s.stage),
    };
  };
  return {
    id: pair.id,
    score: pair.score,
    level: pair.level,
    status: pair.status,
    source: pair.source,
    foundAt: pair.found_at,
    decidedBy: pair.decided_by,
    decidedAt: pair.decided_at,
    note: pair.note,
    keptId: pair.kept_id,
    evidence: JSON.parse(pair.evidence),
    a: await side(pair.a_id),
    b: await side(pair.b_id),
  };
}

const decided = (status: string) =>
  conflict('PAIR_DECIDED', {
    id: `Pasangan ini sudah diputuskan (${status}).`,
    en: `This pair has already been decided (${status}).`,
  });

/**
 * The records among `ids` that still have an undecided pair (open or later) whose two records are both active
 * (a pair whose other record was merged away or erased has nothing left to decide; the queue hides it too).
 */
async function withUndecidedPairs(tx: Db, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const inactive = tx
    .selectFrom('participants')
    .select('id')
    .where((eb) => eb.or([eb('merged_into', 'is not', null), eb('erased_at', 'is not', null)]));
  const rows = await tx
    .selectFrom('duplicate_pairs')
    .select(['a_id', 'b_id'])
    .where('status', 'in', ['open', 'later'])
    .where((eb) => eb.or([eb('a_id', 'in', ids), eb('b_id', 'in', ids)]))
    .where('a_id', 'not in', inactive)
    .where('b_id', 'not in', inactive)
    .execute();
  const out = new Set<string>();
  for (const r of rows) for (const id of [r.a_id, r.b_id]) if (ids.includes(id)) out.add(id);
  return out;
}

/** Adds or removes the review flag `possible_duplicate` on the given records; returns those changed. */
async function setDuplicateFlag(tx: Db, ids: string[], on: boolean): Promise<string[]> {
  if (!ids.length) return [];
  const changed: string[] = [];
  for (const cur of await tx
    .selectFrom('participants')
    .select(['id', 'review_flags'])
    .where('id', 'in', ids)
    .where('erased_at', 'is', null)
    .execute()) {
    const flags: string[] = cur.review_flags ? JSON.parse(cur.review_flags) : [];
    if (flags.includes('possible_duplicate') === on) continue;
    const next = on ? [...flags, 'possible_duplicate'] : flags.filter((f) => f !== 'possible_duplicate');
    await tx
      .updateTable('participants')
      .set({ review_flags: next.length ? JSON.stringify(next) : null })
      .where('id', '=', cur.id)
      .execute();
    changed.push(cur.id);
  }
  return changed;
}

/**
 * After a decision (not a duplicate, merge): the flag `possible_duplicate` is cleared on those of `ids` that
 * have no undecided pair left. Never sets it (a record found only by a scan was never flagged).
 */
async function clearDecidedFlags(tx: Db, ids: string[]): Promise<string[]> {
  const still = await withUndecidedPairs(tx, ids);
  return setDuplicateFlag(
    tx,
    ids.filter((id) => !still.has(id)),
    false,
  );
}

/**
 * After a decision is undone (reopened, merge undone): the records of every pair that is undecided again get
 * the flag `possible_duplicate` back (both records of such a pair: each may be the duplicate of the other).
 */
async function flagReopened(tx: Db, ids: string[]): Promise<string[]> {
  const live = await withUndecidedPairs(tx, ids);
  return setDuplicateFlag(tx, [...live], true);
}

/** The open pairs' other records of `id` (their pairs become decidable again, or stale, when `id` changes). */
async function partnersOf(tx: Db, id: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('duplicate_pairs')
    .select(['a_id', 'b_id'])
    .where('status', 'in', ['open', 'later'])
    .where((eb) => eb.or([eb('a_id', '=', id), eb('b_id', '=', id)]))
    .execute();
  return rows.map((r) => (r.a_id === id ? r.b_id : r.a_id));
}

/** Audits a decision on a pair in both records' histories (with the other record, to link to it). */
async function auditBoth(
  svc: Services,
  tx: Db,
  ctx: Ctx,
  action: string,
  pair: { id: string; a_id: string; b_id: string },
  note: Record<string, unknown>,
) {
  for (const pid of [pair.a_id, pair.b_id])
    await audit(svc, tx as Transaction<DB>, ctx, {
      action,
      entityType: 'participant',
      entityId: pid,
      participantId: pid,
      note: { pair: pair.id, other: pid === pair.a_id ? pair.b_id : pair.a_id, ...note },
    });
}

/**
 * "Not a duplicate" (remembered: a later scan never asks again) or "later" (stays in the queue, at the end).
 * "Not a duplicate" clears the flag `possible_duplicate` of a record with no undecided pair left.
 */
export async function decidePair(
  svc: Services,
  ctx: Ctx,
  id: string,
  decision: 'not_duplicate' | 'later',
  note: string | null,
) {
  const actor = requirePermission(ctx, 'dedupe.review');
  await svc.db.kysely.transaction().execute(async (tx) => {
    const pair = await findPair(svc, ctx, tx, id);
    if (pair.status === 'merged' || pair.status === 'not_duplicate') throw decided(pair.status);
    await tx
      .updateTable('duplicate_pairs')
      .set({ status: decision, decided_by: actor?.id ?? null, decided_at: nowIso(), note })
      .where('id', '=', id)
      .execute();
    const unflagged = decision === 'not_duplicate' ? await clearDecidedFlags(tx, [pair.a_id, pair.b_id]) : [];
    await audit(svc, tx, ctx, {
      action: decision === 'later' ? 'duplicate.later' : 'duplicate.not_duplicate',
      entityType: 'duplicate_pair',
      entityId: id,
      note: { a: pair.a_id, b: pair.b_id, note },
    });
    await auditBoth(svc, tx, ctx, `duplicate.${decision}`, pair, { note, unflagged });
  });
  return getPair(svc, ctx, id);
}

/**
 * Reopens a pair decided "not a duplicate": it goes back to the queue as open, and its records get the flag
 * `possible_duplicate` back. Audited on the pair and in both records' histories.
 */
export async function reopenPair(svc: Services, ctx: Ctx, id: string, note: string | null) {
  requirePermission(ctx, 'dedupe.review');
  await svc.db.kysely.transaction().execute(async (tx) => {
    const pair = await findPair(svc, ctx, tx, id);
    if (pair.status !== 'not_duplicate')
      throw conflict('PAIR_NOT_REOPENABLE', {
        id: 'Hanya keputusan "bukan duplikat" yang dapat dibuka kembali.',
        en: 'Only a "not a duplicate" decision can be reopened.',
      });
    await tx
      .updateTable('duplicate_pairs')
      .set({ status: 'open', decided_by: null, decided_at: null, note })
      .where('id', '=', id)
      .execute();
    const flagged = await flagReopened(tx, [pair.a_id, pair.b_id]);
    await audit(svc, tx, ctx, {
      action: 'duplicate.reopen',
      entityType: 'duplicate_pair',
      entityId: id,
      note: {
        a: pair.a_id,
        b: pair.b_id,
        note,
        previous: { decidedBy: pair.decided_by, decidedAt: pair.decided_at, note: pair.note },
      },
    });
    await auditBoth(svc, tx, ctx, 'duplicate.reopen', pair, { note, flagged });
  });
  return getPair(svc, ctx, id);
}

/** What a record contributes to every figure, added (+1) or taken away (-1). */
async function addPersonFigures(tx: Db, id: string, sign: 1 | -1, delta: RollupDelta) {
  const p = await tx
    .selectFrom('participants as p')
    .leftJoin('businesses as b', (j) => j.onRef('b.participant_id', '=', 'p.id').on('b.is_primary', '=', 1))
    .select([
      'p.district_code',
      'p.village_code',
      'p.registered_date',
      'p.sector',
      'p.status',
      'p.consent_given',
      'b.has_qris',
    ])
    .where('p.id', '=', id)
    .executeTakeFirstOrThrow();
  addParticipantFacts(delta, p, sign);
  addDeclaredQris(
    delta,
    { district_code: p.district_code, sector: p.sector, has_qris: p.has_qris ?? null },
    sign,
  );
  await addDistrictMoves(
    tx as Transaction<DB>,
    new Map([[id, sign === -1 ? { from: p.district_code, to: null } : { from: null, to: p.district_code }]]),
    delta,
  );
  await participantCounted(tx, id, { district_code: p.district_code, sector: p.sector }, sign, delta);
  delta.add(p.district_code, 'merged', 'all', -sign);
}

/**
 * Merges a pair: the record kept stays as it is; the other one is marked as merged into it and leaves every
 * figure (counted as "duplicates left out"). Nothing is deleted: both histories stay and the merge can be undone.
 */
export async function mergePair(svc: Services, ctx: Ctx, id: string, keep: 'a' | 'b', note: string | null) {
  const actor = requirePermission(ctx, 'dedupe.merge');
  await svc.db.kysely.transaction().execute(async (tx) => {
    const pair = await findPair(svc, ctx, tx, id);
    if (pair.status === 'merged' || pair.status === 'not_duplicate') throw decided(pair.status);
    const keptId = keep === 'a' ? pair.a_id : pair.b_id;
    const mergedId = keep === 'a' ? pair.b_id : pair.a_id;
    const both = await tx
      .selectFrom('participants')
      .select(['id', 'merged_into', 'erased_at'])
      .where('id', 'in', [keptId, mergedId])
      .execute();
    if (both.some((p) => p.merged_into || p.erased_at))
      throw conflict('PAIR_STALE', {
        id: 'Salah satu catatan sudah digabung ke catatan lain atau dihapus.',
        en: 'One of the records has already been merged into another or erased.',
      });
    const delta = new RollupDelta();
    await addPersonFigures(tx, mergedId, -1, delta);
    await applyRollup(tx, delta);
    const now = nowIso();
    await tx
      .updateTable('participants')
      .set({ merged_into: keptId, updated_at: now, version: sql`version + 1` })
      .where('id', '=', mergedId)
      .execute();
    await tx
      .updateTable('duplicate_pairs')
      .set({ status: 'merged', kept_id: keptId, decided_by: actor?.id ?? null, decided_at: now, note })
      .where('id', '=', id)
      .execute();
    // the merged record's other pairs have nothing left to decide: their records may lose the flag too
    const unflagged = await clearDecidedFlags(tx, [keptId, mergedId, ...(await partnersOf(tx, mergedId))]);
    for (const pid of [keptId, mergedId])
      await audit(svc, tx, ctx, {
        action: 'participant.merge',
        entityType: 'participant',
        entityId: pid,
        participantId: pid,
        note: { pair: id, kept: keptId, merged: mergedId, note, unflagged },
      });
  });
  return getPair(svc, ctx, id);
}

/** Undoes a merge: the merged record counts again and the pair goes back to the queue. */
export async function unmergePair(svc: Services, ctx: Ctx, id: string, note: string | null) {
  requirePermission(ctx, 'dedupe.merge');
  await svc.db.kysely.transaction().execute(async (tx) => {
    const pair = await findPair(svc, ctx, tx, id);
    if (pair.status !== 'merged' || !pair.kept_id)
      throw conflict('PAIR_NOT_MERGED', {
        id: 'Pasangan ini tidak digabung, tidak ada yang dibatalkan.',
        en: 'This pair was not merged; there is nothing to undo.',
      });
    const mergedId = pair.kept_id === pair.a_id ? pair.b_id : pair.a_id;
    const delta = new RollupDelta();
    await tx
      .updateTable('participants')
      .set({ merged_into: null, updated_at: nowIso(), version: sql`version + 1` })
      .where('id', '=', mergedId)
      .execute();
    await addPersonFigures(tx, mergedId, 1, delta);
    await applyRollup(tx, delta);
    await tx
      .updateTable('duplicate_pairs')
      .set({ status: 'open', kept_id: null, decided_by: null, decided_at: null, note })
      .where('id', '=', id)
      .execute();
    // this pair and the restored record's other undecided pairs can be decided again: flag their records
    const flagged = await flagReopened(tx, [pair.a_id, pair.b_id, ...(await partnersOf(tx, mergedId))]);
    for (const pid of [pair.a_id, pair.b_id])
      await audit(svc, tx, ctx, {
        action: 'participant.unmerge',
        entityType: 'participant',
        entityId: pid,
        participantId: pid,
        note: { pair: id, kept: pair.kept_id, restored: mergedId, note, flagged },
      });
  });
  return getPair(svc, ctx, id);
}

// ---------------------------------------------------------------------------------------------------------------
// Background scans

const running = new Map<string, Promise<void>>();

export async function startScanJob(svc: Services, ctx: Ctx) {
  const actor = requirePermission(ctx, 'dedupe.scan');
  const k = svc.db.kysely;
  const busy = await k
    .selectFrom('dedupe_jobs')
    .select('id')
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (busy && running.has(busy.id))
    throw conflict(
      'SCAN_RUNNING',
      {
        id: 'Pemindaian duplikat sedang berjalan.',
        en: 'A duplicate scan is already running.',
      },
      { jobId: busy.id },
    );
  if (busy)
    await k
      .updateTable('dedupe_jobs')
      .set({ status: 'failed', error: 'interrupted', finished_at: nowIso() })
      .where('id', '=', busy.id)
      .execute();
  const id = newId();
  await k
    .insertInto('dedupe_jobs')
    .values({
      id,
      status: 'running',
      done: 0,
      total: 0,
      records: 0,
      pairs: 0,
      sure: 0,
      created_by: actor?.id ?? null,
      created_at: nowIso(),
      finished_at: null,
      error: null,
    })
    .execute();
  let last = 0;
  const weights = { load: [0, 40], scan: [40, 90], save: [90, 100] } as const;
  const job = scanRegistry(svc, {
    onProgress: (phase, done, total) => {
      const now = Date.now();
      if (now - last < 500 && done < total) return;
      last = now;
      const [lo, hi] = weights[phase];
      const pct = Math.round(lo + ((hi - lo) * done) / Math.max(1, total));
      void k.updateTable('dedupe_jobs').set({ done: pct, total: 100 }).where('id', '=', id).execute();
    },
  })
    .then(async (res) => {
      await k
        .updateTable('dedupe_jobs')
        .set({
          status: 'done',
          done: 100,
          total: 100,
          records: res.records,
          pairs: res.pairs.length,
          sure: res.pairs.filter((p) => p.level === 'sure').length,
          finished_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
    })
    .catch(async (err) => {
      await k
        .updateTable('dedupe_jobs')
        .set({ status: 'failed', error: String(err?.message ?? err), finished_at: nowIso() })
        .where('id', '=', id)
        .execute();
    })
    .finally(() => running.delete(id));
  running.set(id, job);
  return getScanJob(svc, ctx, id);
}

export async function waitForScanJobs() {
  await Promise.all(running.values());
}

export async function getScanJob(svc: Services, ctx: Ctx, id: string) {
  requirePermission(ctx, 'dedupe.review');
  if (!isUuid(id)) throw notFound();
  const j = await svc.db.kysely.selectFrom('dedupe_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!j) throw notFound();
  return presentJob(j);
}

export async function latestScanJob(svc: Services, ctx: Ctx) {
  requirePermission(ctx, 'dedupe.review');
  const j = await svc.db.kysely
    .selectFrom('dedupe_jobs')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return j ? presentJob(j) : null;
}

function presentJob(j: DB['dedupe_jobs']) {
  return {
    id: j.id,
    status: j.status,
    progress: j.total ? j.done / j.total : 0,
    records: j.records,
    pairs: j.pairs,
    sure: j.sure,
    createdAt: j.created_at,
    finishedAt: j.finished_at,
    error: j.error,
  };
}
