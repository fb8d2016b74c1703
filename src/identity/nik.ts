/**
 * NIK (Nomor Induk Kependudukan), the 16-digit national identity number on the
 * KTP and family card:
 *
 *   PP KK CC DD MM YY SSSS
 *   PP KK CC  province, regency/city, district (kecamatan) of first registration
 *   DD MM YY  birth date; women add 40 to the day (41-71)
 *   SSSS      serial number, never 0000
 *
 * The region is where the NIK was first issued, not where the person lives now.
 */
import { wibDate } from '../core/clock.ts';
import { type Issue, issue } from './codes.ts';
import { getRegion, getRetiredRegion } from './regions.ts';

export type Sex = 'M' | 'F';

export interface NikResult {
  valid: boolean;
  /** The NIK with spaces, dots and dashes removed (or the trimmed input when it is not a NIK at all). */
  nik: string;
  /** Undotted codes as in the NIK: "31", "3171", "317101"; null when the input has no 16 digits. */
  provinceCode: string | null;
  regencyCode: string | null;
  districtCode: string | null;
  /** Names from the region tables (or the retired table); null when unknown. */
  provinceName: string | null;
  regencyName: string | null;
  districtName: string | null;
  sex: Sex | null;
  /** The newest candidate birth date (YYYY-MM-DD), or null. */
  birthDate: string | null;
  /** Every real date among the 19YY and 20YY readings that is not in the future (Asia/Jakarta), newest first. */
  birthDateCandidates: string[];
  serial: string | null;
  errors: Issue[];
}

export interface ParseNikOptions {
  /** The current instant; defaults to now. "Future" is judged by the calendar date in Asia/Jakarta. */
  today?: Date;
}

const jakartaDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Jakarta',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Since 1964 Jakarta keeps UTC+7 all year (before: +07:20, +07:30, +09:00). */
const JAKARTA_PLUS_7_SINCE = Date.UTC(1964, 0, 1);

/**
 * The calendar date of `instant` in Asia/Jakarta as YYYY-MM-DD: WIB's date (wibDate, which remembers the day
 * found last: an import asks for every row, and formatting a date with a time zone costs tens of microseconds),
 * or the time-zone database's before 1964.
 */
export function jakartaToday(instant: Date = new Date()): string {
  return instant.getTime() >= JAKARTA_PLUS_7_SINCE ? wibDate(instant) : jakartaDate.format(instant);
}

/** Separators a person may type inside a NIK: whitespace, dots, hyphens and dashes. */
const SEPARATORS = /[\s.\-\u2010-\u2015]/g;

/**
 * Shapes that show the NIK went through a spreadsheet as a number: scientific
 * notation ("3.17101E+15", "3,17101E+15"), a decimal tail ("3171014101900001.0"),
 * or thousands grouping ("3,171,014,101,900,000" / "3.171.014.101.900.000").
 * Either way digits are (or may be) lost, so the NIK must be typed again.
 */
const EXCEL_PATTERNS: readonly RegExp[] = [
  /^\d+(?:[.,]\d+)?[eE][+]?\d+$/,
  /^\d{14,17}[.,]0+$/,
  /^\d{1,3}(?:,\d{3}){4,5}(?:\.0+)?$/,
  /^\d{1,3}(?:\.\d{3}){4,5}(?:,0+)?$/,
];

function looksLikeExcelNumber(s: string): boolean {
  return EXCEL_PATTERNS.some((re) => re.test(s));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const max = m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1];
  return d <= max;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function emptyResult(nik: string, errors: Issue[]): NikResult {
  return {
    valid: false,
    nik,
    provinceCode: null,
    regencyCode: null,
    districtCode: null,
    provinceName: null,
    regencyName: null,
    districtName: null,
    sex: null,
    birthDate: null,
    birthDateCandidates: [],
    serial: null,
    errors,
  };
}

/**
 * Parses and checks a NIK. Never throws; every problem found is listed in
 * `errors` (`valid` is true only when there are none) and the fields are filled
 * as far as the input allows.
 *
 * NIK_REGION_RETIRED is an error like the others, but it marks a NIK that can
 * be genuine (issued before its region was split): let an officer confirm it.
 */
export function parseNik(input: string, opts: ParseNikOptions = {}): NikResult {
  if (typeof input === 'number') {
    // A JS number cannot hold every 16-digit NIK exactly (> 2^53), like Excel.
    const n = input as number;
    if (!Number.isSafeInteger(n)) {
      return emptyResult(String(n), [issue('NIK_LIKELY_EXCEL_NUMBER', { value: String(n) })]);
    }
  }
  const raw = input === null || input === undefined ? '' : String(input);
  // A leading apostrophe is Excel's "store as text" marker.
  const trimmed = raw.trim().replace(/^'/, '').trim();
  if (trimmed === '') return emptyResult('', [issue('NIK_REQUIRED')]);
  if (looksLikeExcelNumber(trimmed)) {
    return emptyResult(trimmed, [issue('NIK_LIKELY_EXCEL_NUMBER', { value: trimmed })]);
  }
  const nik = trimmed.replace(SEPARATORS, '');
  if (!/^\d+$/.test(nik)) return emptyResult(trimmed, [issue('NIK_NOT_DIGITS')]);
  if (nik.length !== 16) return emptyResult(nik, [issue('NIK_LENGTH', { length: nik.length })]);

  const errors: Issue[] = [];
  const provinceCode = nik.slice(0, 2);
  const regencyCode = nik.slice(0, 4);
  const districtCode = nik.slice(0, 6);
  let provinceName: string | null = null;
  let regencyName: string | null = null;
  let districtName: string | null = null;

  // Region of first registration.
  const province = getRegion(provinceCode);
  if (!province) {
    errors.push(issue('NIK_PROVINCE_UNKNOWN', { code: provinceCode }));
  } else {
    provinceName = province.name;
    const regency = getRegion(regencyCode);
    if (regency) {
      regencyName = regency.name;
      const district = getRegion(districtCode);
      if (district) {
        districtName = district.name;
      } else {
        const old = getRetiredRegion(districtCode);
        if (old) {
          districtName = old.name;
          errors.push(retiredIssue(old.code, old.name, old.successorCode));
        } else {
          errors.push(issue('NIK_DISTRICT_UNKNOWN', { code: districtCode }));
        }
      }
    } else {
      const old = getRetiredRegion(regencyCode);
      if (old) {
        // The districts of a retired regency cannot be checked against today's tables.
        regencyName = old.name;
        errors.push(retiredIssue(old.code, old.name, old.successorCode));
      } else {
        errors.push(issue('NIK_REGENCY_UNKNOWN', { code: regencyCode }));
      }
    }
  }

  // Birth date and sex.
  const dd = Number(nik.slice(6, 8));
  const mm = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  let sex: Sex | null = null;
  let day = dd;
  if (dd >= 41 && dd <= 71) {
    sex = 'F';
    day = dd - 40;
  } else if (dd >= 1 && dd <= 31) {
    sex = 'M';
  }
  const today = jakartaToday(opts.today);
  const candidates: string[] = [];
  let realDates = 0;
  if (sex !== null) {
    for (const century of [2000, 1900]) {
      const year = century + yy;
      if (!isRealDate(year, mm, day)) continue;
      realDates++;
      const iso = `${year}-${pad2(mm)}-${pad2(day)}`;
      if (iso <= today) candidates.push(iso);
    }
  }
  const dateDigits = nik.slice(6, 12);
  if (realDates === 0) errors.push(issue('NIK_DATE_INVALID', { value: dateDigits }));
  else if (candidates.length === 0) errors.push(issue('NIK_DATE_FUTURE', { value: dateDigits }));

  const serial = nik.slice(12);
  if (serial === '0000') errors.push(issue('NIK_SERIAL_ZERO'));

  return {
    valid: errors.length === 0,
    nik,
    provinceCode,
    regencyCode,
    districtCode,
    provinceName,
    regencyName,
    districtName,
    sex,
    birthDate: candidates[0] ?? null,
    birthDateCandidates: candidates,
    serial,
    errors,
  };
}

function retiredIssue(code: string, name: string, successorCode: string): Issue {
  return issue('NIK_REGION_RETIRED', {
    code,
    name,
    successorCode,
    successorName: getRegion(successorCode)?.name ?? successorCode,
  });
}

/** "3171014101900001" -> "3171********0001". Separators are removed first; short input is fully masked. */
export function maskNik(nik: string): string {
  const s = String(nik ?? '')
    .trim()
    .replace(SEPARATORS, '');
  if (s.length <= 8) return '*'.repeat(s.length);
  return s.slice(0, 4) + '*'.repeat(s.length - 8) + s.slice(-4);
}

export interface NikClaims {
  /** YYYY-MM-DD */
  birthDate?: string | null;
  sex?: Sex | null;
}

/**
 * Checks that a declared birth date and sex agree with what the NIK encodes.
 * The birth date agrees when it equals any of the NIK's candidate dates. A
 * claim is only compared when the NIK yields the corresponding value; check the
 * NIK itself with `parseNik`.
 */
export function checkNikAgrees(nik: string, claims: NikClaims, opts: ParseNikOptions = {}): Issue[] {
  const parsed = parseNik(nik, opts);
  const issues: Issue[] = [];
  const birthDate = claims.birthDate?.trim();
  if (birthDate && parsed.birthDateCandidates.length > 0 && !parsed.birthDateCandidates.includes(birthDate)) {
    issues.push(
      issue('NIK_BIRTHDATE_MISMATCH', { birthDate, nikDates: parsed.birthDateCandidates.join(' / ') }),
    );
  }
  if (claims.sex && parsed.sex && claims.sex !== parsed.sex) issues.push(issue('NIK_SEX_MISMATCH'));
  return issues;
}
