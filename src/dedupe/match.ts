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
  phoneHash: string | null;
  /** canonical phonetic parts of the primary business's name */
  business: readonly string[];
};

export type NikEvidence =
  | { kind: 'unknown' }
  | { kind: 'same' }
  | { kind: 'one_digit'; position: number; serial: boolean }
  | { kind: 'transposed'; position: number; serial: boolean }
  | { kind: 'two_digits'; positions: number[]; serial: boolean }
  | { kind: 'different'; digits: number };

export type Evidence = {
  nik: NikEvidence;
  name: Pick<NameComparison, 'similarity' | 'matched' | 'unmatchedA' | 'unmatchedB'>;
  birthDate: 'same' | 'explained' | 'different' | 'missing';
  sex: 'same' | 'explained' | 'different' | 'missing';
  phone: 'same' | 'different' | 'missing';
  place: 'village' | 'district' | 'different';
  business: number;
};

export type Level = 'sure' | 'review';

export type PairScore = { score: number; level: Level | null; evidence: Evidence };

/** Scores at or above these are "review" / may be "sure" (see `levelOf` for the other conditions of "sure"). */
export const REVIEW_AT = 6;
export const SURE_AT = 9;

/** NIK digits 13-16 (index 12-15) are the serial: a difference there alone is what twins and siblings show. */
const SERIAL_FROM = 12;

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
  if (diff.length === 0) return unknown ? { kind: 'one_digit', position: 4, serial: false } : { kind: 'same' };
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
  if (n.kind === 'two_digits') return n.positions.some((p) => p >= 6 && p <= 11);
  return false;
}

const strongNik = (n: NikEvidence) =>
  (n.kind === 'one_digit' && !n.serial) || (n.kind === 'transposed' && !n.serial);

function nikPoints(n: NikEvidence): number {
  switch (n.kind) {
    case 'same':
      return 8;
    case 'one_digit':
      return n.serial ? 1.5 : 4;
    case 'transposed':
      return n.serial ? 3 : 4;
    case 'two_digits':
      return 0.5;
    case 'different':
      return -1;
    default:
      return 0;
  }
}

function namePoints(s: number): number {
  if (s >= 0.97) return 5;
  if (s >= 0.9) return 4;
  if (s >= 0.8) return 2;
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
  if (strongNik(e.nik)) return 'sure';
  if (e.name.similarity >= 0.97 && e.phone === 'same' && e.birthDate === 'same' && e.nik.kind !== 'one_digit')
    return 'sure';
  return 'review';
}

export function scorePair(a: MatchRecord, b: MatchRecord): PairScore {
  const nik = compareNik(a.nik ?? a.skeleton, b.nik ?? b.skeleton);
  const nameCmp = compareNames(a.name, b.name);
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
    a.villageCode === b.villageCode ? 'village' : a.districtCode === b.districtCode ? 'district' : 'different';
  const biz = a.business.length && b.business.length ? compareNames(a.business, b.business).similarity : 0;
  let score = nikPoints(nik) + namePoints(nameCmp.similarity);
  score += birthDate === 'same' ? 1.5 : birthDate === 'different' ? -2 : 0;
  score += sex === 'different' ? -3 : 0;
  score += phone === 'same' ? 2.5 : phone === 'different' ? -0.5 : 0;
  score += place === 'village' ? 1 : place === 'district' ? 0.5 : 0;
  score += biz >= 0.9 ? 1 : 0;
  const evidence: Evidence = {
    nik,
    name: {
      similarity: nameCmp.similarity,
      matched: nameCmp.matched,
      unmatchedA: nameCmp.unmatchedA,
      unmatchedB: nameCmp.unmatchedB,
    },
    birthDate,
    sex,
    phone,
    place,
    business: biz,
  };
  score = Math.round(score * 10) / 10;
  return { score, level: levelOf(score, evidence), evidence };
}
