/**
 * Is this pair of registrations the same person? A score from the evidence per field, and two levels:
 * "sure" (a duplicate, to merge) and "review" (a person decides). Pure, no I/O.
 *
 * The NIK is stored encrypted; what is in clear is enough for blocking and a first score: its first four digits
 * and serial (the masked NIK), and its birth-date digits (birth date and sex). The two kecamatan digits (5-6)
 * are only known once decrypted, so a pair is scored first with a skeleton ("3171??4101900001") and the best
 * case for the unknown digits, and only pairs that could reach "review" are decrypted and scored again.
 */
import { compareNames, type NameComparison } from '../identity/names.ts';

export type MatchRecord = {
  /** registration number */
  regno: string;
  /** the full NIK when known, else null (then `skeleton` is used) */
  nik: string | null;
  /** 16 characters: the NIK with unknown digits as '?' */
  skeleton: string;
  /** canonical phonetic name parts (nameKey) */
  name: readonly string[];
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  districtCode: string;
  villageCode: string;
  /** RT and RW as stored (a neighbourhood of some dozens of households) */
  rt: string | null;
  rw: string | null;
  phoneHash: string | null;
  /** canonical phonetic parts of the primary business's name */
  business: readonly string[];
  /**
   * Whether this exact name (canonical parts, any order) is common in the registry ("Siti Aminah",
   * "Muhammad Rizki"): then sharing it says as little as sharing one name part. See isCommonName.
   */
  commonName?: boolean;
};

/** A name borne by more than 0.2 % of the registry (and at least 20 people) is common. */
export function isCommonName(count: number, registrySize: number): boolean {
  return count >= Math.max(20, registrySize * 0.002);
}

/** The key under which names are counted: canonical parts in alphabetical order. */
export const nameCountKey = (parts: readonly string[]) => [...parts].sort().join(' ');

export type NikEvidence =
  | { kind: 'unknown' }
  | { kind: 'same' }
  | { kind: 'one_digit'; position: number; serial: boolean; ownAddress?: true }
  | { kind: 'transposed'; position: number; serial: boolean; ownAddress?: true }
  | { kind: 'two_digits'; positions: number[]; serial: boolean }
  | { kind: 'different'; digits: number };

export type Evidence = {
  nik: NikEvidence;
  name: Pick<NameComparison, 'similarity' | 'matched' | 'unmatchedA' | 'unmatchedB' | 'distinctiveParts'> & {
    /** a name many people bear */
    common: boolean;
  };
  birthDate: 'same' | 'explained' | 'different' | 'missing';
  sex: 'same' | 'explained' | 'different' | 'missing';
  phone: 'same' | 'different' | 'missing';
  /** 'rt': same kelurahan, RW and RT */
  place: 'rt' | 'village' | 'district' | 'different';
  business: number;
};

export type Level = 'sure' | 'review';

export type PairScore = { score: number; level: Level | null; evidence: Evidence };

/** Scores at or above these are "review" / may be "sure" (see `levelOf` for the other conditions of "sure"). */
export const REVIEW_AT = 5;
export const SURE_AT = 9;

/** NIK digits 13-16 (index 12-15) are the serial: a difference there alone is what twins and siblings show. */
export const SERIAL_FROM = 12;

/** The masked NIK's clear digits with the birth-date digits: what is known without decrypting. */
export function nikSkeleton(nikMasked: string, birthDate: string | null, sex: 'M' | 'F' | null): string {
  const head = nikMasked.slice(0, 4).padEnd(4, '?');
  const serial = nikMasked.slice(-4).padStart(4, '?');
  let dob = '??????';
  if (birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) && sex) {
    const day = Number(birthDate.slice(8, 10)) + (sex === 'F' ? 40 : 0);
    dob = `${String(day).padStart(2, '0')}${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}`;
  }
  return `${head}??${dob}${serial}`;
}

/**
 * How two NIKs differ. With a skeleton ('?' digits), `optimistic` says what the unknown digits could at best add:
 * when every known digit agrees, the unknown ones differ in one digit at most (two NIKs are never equal).
 */
export function compareNik(a: string, b: string): NikEvidence {
  const diff: number[] = [];
  let unknown = false;
  for (let i = 0; i < 16; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === 63 || y === 63) {
      unknown = true;
      continue;
    }
    if (x !== y) {
      diff.push(i);
      if (diff.length > 2) break;
    }
  }
  if (diff.length === 0)
    return unknown ? { kind: 'one_digit', position: 4, serial: false } : { kind: 'same' };
  const serial = diff.every((p) => p >= SERIAL_FROM);
  if (diff.length === 1) return { kind: 'one_digit', position: diff[0], serial };
  if (diff.length === 2) {
    const [p, q] = diff;
    if (q === p + 1 && a[p] === b[q] && a[q] === b[p]) return { kind: 'transposed', position: p, serial };
    return { kind: 'two_digits', positions: diff, serial };
  }
  let digits = 0;
  for (let i = 0; i < 16; i++) if (a[i] !== b[i] && a[i] !== '?' && b[i] !== '?') digits++;
  return { kind: 'different', digits };
}

/** NIK positions 7-12 (index 6-11) hold the birth date (day + 40 for women). */
function touchesBirthDigits(n: NikEvidence): boolean {
  if (n.kind === 'one_digit') return n.position >= 6 && n.position <= 11;
  if (n.kind === 'transposed') return n.position >= 5 && n.position <= 11;
  // two separate typos are rare: two NIKs two digits apart in the birth date are two birth dates
  return false;
}

/**
 * A typo is a strong sign outside the serial, unless the NIKs differ in the kecamatan digits and each is the one
 * its holder's own address gives (two people from neighbouring kecamatan, not a typo).
 */
const strongNik = (n: NikEvidence) =>
  (n.kind === 'one_digit' || n.kind === 'transposed') && !n.serial && !n.ownAddress;

/** Near birth dates are common among people with one name in one kecamatan: a typo there weighs a little less. */
export const inBirthDigits = (position: number) => position >= 6 && position <= 11;

function nikPoints(n: NikEvidence): number {
  switch (n.kind) {
    case 'same':
      return 8;
    case 'one_digit':
      return n.serial || n.ownAddress ? 1.5 : inBirthDigits(n.position) ? 3 : 4;
    case 'transposed':
      return n.serial || n.ownAddress ? 3 : inBirthDigits(n.position) ? 3.5 : 4;
    case 'two_digits':
      return 0.5;
    case 'different':
      return -1;
    default:
      return 0;
  }
}

/**
 * A name agreeing on two distinctive parts is strong evidence; agreeing on one part only (one-part names like
 * "Ridwan" or "Ayu" are common) is weak: then the phone, the address or the business must add to it.
 */
export function namePoints(s: number, distinctiveParts: number, common: boolean): number {
  const full = distinctiveParts >= 2 && !common;
  if (s >= 0.97) return full ? 5 : 1.5;
  if (s >= 0.9) return full ? 4 : 1;
  if (s >= 0.8) return full ? 2 : 0;
  if (s >= 0.6) return 0;
  return -4;
}

/**
 * "Sure" needs a high score, a close name, and either a NIK one typo away outside the serial, or everything
 * else agreeing (same name, birth date, phone). A NIK differing only in its serial with a same-looking name is
 * what twins and two people with a common name born on one day in one kecamatan look like: never "sure".
 */
function levelOf(score: number, e: Evidence): Level | null {
  if (score < REVIEW_AT) return null;
  if (score < SURE_AT || e.name.similarity < 0.9) return 'review';
  if (
    strongNik(e.nik) &&
    (e.name.distinctiveParts >= 2 || e.name.common) &&
    (e.phone === 'same' || e.place === 'village' || e.place === 'rt') &&
    e.sex !== 'explained'
  )
    return 'sure';
  if (e.name.similarity >= 0.97 && e.phone === 'same' && e.birthDate === 'same' && e.nik.kind !== 'one_digit')
    return 'sure';
  return 'review';
}

const undotted = (code: string) => code.replaceAll('.', '');

type ClearEvidence = Pick<Evidence, 'nik' | 'birthDate' | 'sex' | 'phone' | 'place'> & { points: number };

/** The evidence of everything but the names and businesses: a few comparisons, no string similarity. */
function clearEvidence(a: MatchRecord, b: MatchRecord): ClearEvidence {
  let nik = compareNik(a.nik ?? a.skeleton, b.nik ?? b.skeleton);
  if (
    (nik.kind === 'one_digit' || nik.kind === 'transposed') &&
    nik.position <= 5 &&
    a.nik &&
    b.nik &&
    a.nik.slice(0, 6) === undotted(a.districtCode) &&
    b.nik.slice(0, 6) === undotted(b.districtCode)
  )
    nik = { ...nik, ownAddress: true };
  const explained = touchesBirthDigits(nik);
  const birthDate: Evidence['birthDate'] =
    !a.birthDate || !b.birthDate
      ? 'missing'
      : a.birthDate === b.birthDate
        ? 'same'
        : explained
          ? 'explained'
          : 'different';
  const sex: Evidence['sex'] =
    !a.sex || !b.sex
      ? 'missing'
      : a.sex === b.sex
        ? 'same'
        : nik.kind !== 'different' && nik.kind !== 'two_digits' && explained
          ? 'explained'
          : 'different';
  const phone: Evidence['phone'] =
    !a.phoneHash || !b.phoneHash ? 'missing' : a.phoneHash === b.phoneHash ? 'same' : 'different';
  const place: Evidence['place'] =
    a.villageCode === b.villageCode
      ? a.rt && a.rw && Number(a.rt) === Number(b.rt) && Number(a.rw) === Number(b.rw)
        ? 'rt'
        : 'village'
      : a.districtCode === b.districtCode
        ? 'district'
        : 'different';
  let points = nikPoints(nik);
  points += birthDate === 'same' ? 1.5 : birthDate === 'different' ? -2 : 0;
  points += sex === 'different' ? -3 : sex === 'explained' ? -1.5 : 0;
  points += phone === 'same' ? 2.5 : phone === 'different' ? -0.5 : 0;
  points += place === 'rt' ? 2 : place === 'village' ? 1 : place === 'district' ? 0.5 : -1;
  return { nik, birthDate, sex, phone, place, points };
}

/** The most the names and businesses can add to a score. */
const MAX_NAME_POINTS = 5 + 1.5;

/**
 * Scores a pair. Returns null without comparing names when the rest of the evidence is so much against it that
 * even identical names could not bring it to "review" (most pairs a blocking key brings together).
 */
export function scorePairIfPossible(a: MatchRecord, b: MatchRecord, atLeast = REVIEW_AT): PairScore | null {
  const clear = clearEvidence(a, b);
  if (clear.points + MAX_NAME_POINTS < atLeast) return null;
  return withNames(a, b, clear);
}

export function scorePair(a: MatchRecord, b: MatchRecord): PairScore {
  return withNames(a, b, clearEvidence(a, b));
}

function withNames(a: MatchRecord, b: MatchRecord, clear: ClearEvidence): PairScore {
  const nameCmp = compareNames(a.name, b.name);
  const biz = a.business.length && b.business.length ? compareNames(a.business, b.business).similarity : 0;
  const common = Boolean(a.commonName || b.commonName);
  let score = clear.points + namePoints(nameCmp.similarity, nameCmp.distinctiveParts, common);
  // the same business (two or more words alike: "Warung Bu Siti", not just "Warung") is good evidence
  score += biz >= 0.9 ? (Math.min(a.business.length, b.business.length) >= 2 ? 1.5 : 1) : 0;
  const evidence: Evidence = {
    nik: clear.nik,
    name: {
      similarity: nameCmp.similarity,
      matched: nameCmp.matched,
      unmatchedA: nameCmp.unmatchedA,
      unmatchedB: nameCmp.unmatchedB,
      distinctiveParts: nameCmp.distinctiveParts,
      common,
    },
    birthDate: clear.birthDate,
    sex: clear.sex,
    phone: clear.phone,
    place: clear.place,
    business: biz,
  };
  score = Math.round(score * 10) / 10;
  return { score, level: levelOf(score, evidence), evidence };
}
