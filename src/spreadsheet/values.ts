/**
 * Pure parsers for cell values of the participant import.
 *
 * Every parser takes the raw (string) cell value and returns either
 * `{ ok: true, value }` or `{ ok: false, code, message }`. Messages are English;
 * `VALUE_MESSAGES` has generic Bahasa Indonesia and English texts per code for UIs.
 * Empty input is rejected with the parser's code: whether a field may be empty is
 * the caller's decision.
 */

export type ValueErrorCode =
  | 'DATE_INVALID'
  | 'MONEY_INVALID'
  | 'INTEGER_INVALID'
  | 'YES_NO_INVALID'
  | 'SEX_INVALID';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: ValueErrorCode; message: string };

export const VALUE_MESSAGES: Record<ValueErrorCode, { id: string; en: string }> = {
  DATE_INVALID: {
    id: 'Tanggal tidak valid. Gunakan format YYYY-MM-DD atau DD/MM/YYYY.',
    en: 'Invalid date. Use the format YYYY-MM-DD or DD/MM/YYYY.',
  },
  MONEY_INVALID: {
    id: 'Nilai uang tidak valid. Tulis jumlah rupiah tanpa desimal, misalnya 1500000 atau Rp 1.500.000.',
    en: 'Invalid amount of money. Write whole rupiah, for example 1500000 or Rp 1.500.000.',
  },
  INTEGER_INVALID: {
    id: 'Bilangan bulat tidak valid.',
    en: 'Invalid whole number.',
  },
  YES_NO_INVALID: {
    id: 'Isi dengan Y (ya) atau N (tidak).',
    en: 'Use Y (yes) or N (no).',
  },
  SEX_INVALID: {
    id: 'Jenis kelamin tidak valid. Isi dengan L (laki-laki) atau P (perempuan).',
    en: 'Invalid sex. Use M (male) or F (female); L/P are accepted too.',
  },
};

function fail(code: ValueErrorCode, message: string): { ok: false; code: ValueErrorCode; message: string } {
  return { ok: false, code, message };
}

function show(s: string): string {
  const t = s.length > 40 ? s.slice(0, 40) + '…' : s;
  return JSON.stringify(t);
}

// ---------------------------------------------------------------------------
// Dates

/** Largest Excel serial day number (9999-12-31). */
export const EXCEL_MAX_SERIAL = 2958465;

const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function isoDate(y: number, m: number, d: number): string {
  return String(y).padStart(4, '0') + '-' + pad2(m) + '-' + pad2(d);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function checkedDate(y: number, m: number, d: number, raw: string): ParseResult<string> {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    return fail('DATE_INVALID', `Date ${show(raw)} does not exist`);
  }
  return { ok: true, value: isoDate(y, m, d) };
}

/**
 * Converts an Excel serial day number (1900 date system) to 'YYYY-MM-DD'.
 * The fractional part (time of day) is ignored. Excel counts a non-existent
 * 1900-02-29 as serial 60; that serial returns null, as does anything outside
 * 1..2958465.
 */
export function excelSerialToIsoDate(serial: number): string | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial);
  if (day < 1 || day > EXCEL_MAX_SERIAL || day === 60) return null;
  // Serials 1..59 are 1900-01-01..1900-02-28 (epoch 1899-12-31); from 61 on,
  // Excel's fake leap day shifts everything by one (epoch 1899-12-30).
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + day * DAY_MS);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const RE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const RE_DMY = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})$/;
const RE_SERIAL = /^\d{1,7}(?:\.\d+)?$/;

/**
 * Accepts YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY (day and month may have one digit)
 * and Excel serial day numbers (1..2958465, 1900 date system, e.g. 45292 =
 * 2024-01-01). Returns 'YYYY-MM-DD'.
 */
export function parseDate(input: string): ParseResult<string> {
  const s = input.trim();
  if (s === '') return fail('DATE_INVALID', 'Date is empty');
  let m = RE_ISO.exec(s);
  if (m) return checkedDate(Number(m[1]), Number(m[2]), Number(m[3]), s);
  m = RE_DMY.exec(s);
  if (m) return checkedDate(Number(m[4]), Number(m[3]), Number(m[1]), s);
  if (RE_SERIAL.test(s)) {
    const serial = Number(s);
    if (Math.floor(serial) === 60) {
      return fail('DATE_INVALID', 'Excel serial date 60 is 1900-02-29, a day that does not exist');
    }
    const iso = excelSerialToIsoDate(serial);
    if (iso === null) {
      return fail('DATE_INVALID', `Excel serial date ${show(s)} is outside 1..${EXCEL_MAX_SERIAL}`);
    }
    return { ok: true, value: iso };
  }
  return fail('DATE_INVALID', `Date ${show(s)} is not in the format YYYY-MM-DD or DD/MM/YYYY`);
}

// ---------------------------------------------------------------------------
// Money

const RE_CURRENCY = /^(?:rp\.?|idr)\s*/i;
const RE_ZERO_DECIMALS = /^(.*?)([.,])(0{1,2}|-)$/;
const RE_GROUPED = /^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$/;

/**
 * Parses an amount of whole rupiah: '1500000', 'Rp 1.500.000', 'Rp1.500.000,00',
 * '1,500,000', '1.500.000,-', 'IDR 2.000'. '.' and ',' are thousands separators
 * only in groups of exactly 3 digits (one separator kind per number); a
 * trailing ',00' / '.00' / ',-' is allowed. Negative or fractional amounts are
 * rejected.
 */
export function parseMoney(input: string): ParseResult<number> {
  const raw = input.trim();
  if (raw === '') return fail('MONEY_INVALID', 'Amount is empty');
  let s = raw;
  if (s.startsWith('-') || (s.startsWith('(') && s.endsWith(')'))) {
    return fail('MONEY_INVALID', `Amount ${show(raw)} is negative`);
  }
  s = s.replace(RE_CURRENCY, '');
  if (s.startsWith('-')) return fail('MONEY_INVALID', `Amount ${show(raw)} is negative`);
  const dec = RE_ZERO_DECIMALS.exec(s);
  let decimalSep: string | null = null;
  if (dec) {
    s = dec[1];
    decimalSep = dec[2];
  }
  let digits: string;
  if (/^\d+$/.test(s)) {
    digits = s;
  } else {
    const g = RE_GROUPED.exec(s);
    if (!g || g[1] === decimalSep) {
      return fail('MONEY_INVALID', `Amount ${show(raw)} is not a whole number of rupiah`);
    }
    digits = s.replaceAll(g[1], '');
  }
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return fail('MONEY_INVALID', `Amount ${show(raw)} is too large`);
  return { ok: true, value };
}

// ---------------------------------------------------------------------------
// Integers

/**
 * Parses a whole number written as plain digits with an optional sign
 * ('12', '-3', '+4'); no separators, decimals or exponents.
 */
export function parseIntStrict(
  input: string,
  opts: { min?: number; max?: number } = {},
): ParseResult<number> {
  const s = input.trim();
  if (s === '') return fail('INTEGER_INVALID', 'Number is empty');
  if (!/^[+-]?\d+$/.test(s)) return fail('INTEGER_INVALID', `${show(s)} is not a whole number`);
  const value = Number(s) + 0; // + 0 turns -0 into 0
  if (!Number.isSafeInteger(value)) return fail('INTEGER_INVALID', `${show(s)} is too large`);
  if (opts.min !== undefined && value < opts.min) {
    return fail('INTEGER_INVALID', `${value} is less than ${opts.min}`);
  }
  if (opts.max !== undefined && value > opts.max) {
    return fail('INTEGER_INVALID', `${value} is greater than ${opts.max}`);
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------
// Yes / no

const YES = new Set(['y', 'ya', 'yes', '1', 'true']);
const NO = new Set(['n', 'tidak', 'no', '0', 'false']);

/** Y/Ya/Yes/1/true -> true, N/Tidak/No/0/false -> false (case-insensitive). */
export function parseYesNo(input: string): ParseResult<boolean> {
  const s = input.trim().toLowerCase();
  if (YES.has(s)) return { ok: true, value: true };
  if (NO.has(s)) return { ok: true, value: false };
  return fail('YES_NO_INVALID', s === '' ? 'Yes/no value is empty' : `${show(input.trim())} is not Y or N`);
}

// ---------------------------------------------------------------------------
// Sex

const MALE = new Set(['l', 'm', 'lakilaki', 'laki', 'pria', 'male']);
const FEMALE = new Set(['p', 'f', 'perempuan', 'wanita', 'female']);

/** L/M/Laki-laki/Pria/Male -> 'M'; P/F/Perempuan/Wanita/Female -> 'F' (case-insensitive). */
export function parseSex(input: string): ParseResult<'M' | 'F'> {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/[\s\-_.]+/g, '');
  if (MALE.has(s)) return { ok: true, value: 'M' };
  if (FEMALE.has(s)) return { ok: true, value: 'F' };
  return fail('SEX_INVALID', s === '' ? 'Sex is empty' : `${show(input.trim())} is not L/P or M/F`);
}
