/**
 * Indonesian phone numbers, using libphonenumber-js with the "max" metadata
 * (the only one that tells mobile from fixed-line numbers).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type Issue, issue } from './codes.ts';

export type PhoneResult = { ok: true; e164: string; national: string } | { ok: false; issue: Issue };

export interface NormalizePhoneOptions {
  /** Reject landlines (default true). Numbers must be Indonesian either way. */
  mobileOnly?: boolean;
}

/** Characters a person may type in a phone number besides digits. */
const ALLOWED = /^[\d\s\-.()+\u2010-\u2015]+$/;
const STRIP = /[\s\-.()\u2010-\u2015]/g;

/**
 * Accepts "0812-3456-7890", "62812...", "+62 812 ...", "+62 (0)812 ...",
 * "0062 812 ..." and "812..." (without the leading 0). Returns E.164
 * ("+6281234567890") and the national form ("0812-3456-7890").
 *
 * Note: "62812345678901" is read as +62 812-3456-78901, which libphonenumber
 * accepts as a (13-digit) Indonesian mobile number.
 */
export function normalizePhone(input: string, opts: NormalizePhoneOptions = {}): PhoneResult {
  const mobileOnly = opts.mobileOnly ?? true;
  const raw = typeof input === 'string' ? input.trim() : '';
  if (raw === '') return { ok: false, issue: issue('PHONE_REQUIRED') };
  if (!ALLOWED.test(raw)) return { ok: false, issue: issue('PHONE_INVALID') };

  let s = raw.replace(STRIP, '');
  if (s.indexOf('+') > 0 || (s.match(/\+/g)?.length ?? 0) > 1)
    return { ok: false, issue: issue('PHONE_INVALID') };
  if (s.startsWith('00'))
    s = `+${s.slice(2)}`; // international prefix written as 00
  else if (s.startsWith('62'))
    s = `+${s}`; // country code without "+"
  else if (s.startsWith('8')) s = `0${s}`; // mobile number without the trunk 0
  if (s.startsWith('+620')) s = `+62${s.slice(4)}`; // "+62 (0)812..."

  const parsed = parsePhoneNumberFromString(s, 'ID');
  // with the "max" metadata a number is valid exactly when it has a type (libphonenumber-js's isValid is
  // getType() !== undefined): one matching of the number types instead of two
  const type = parsed?.getType();
  if (!parsed || type === undefined) return { ok: false, issue: issue('PHONE_INVALID') };
  if (parsed.country !== 'ID') return { ok: false, issue: issue('PHONE_NOT_INDONESIAN') };
  if (mobileOnly && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    return { ok: false, issue: issue('PHONE_NOT_MOBILE') };
  }
  return { ok: true, e164: parsed.number, national: parsed.formatNational() };
}

/**
 * Masks an E.164 number for display: keeps the country code, the next 3 digits
 * and the last 4 ("+6281234567890" -> "+62812****7890").
 */
export function maskPhone(e164: string): string {
  const digits = String(e164 ?? '').replace(/\D/g, '');
  if (digits === '') return '';
  // country calling codes are prefix-free (ITU-T E.164): a number starting 62 is Indonesian, no parse needed
  // (it cost a second libphonenumber parse per imported row)
  const cc = digits.startsWith('62')
    ? '62'
    : (parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode ?? '');
  const national = digits.slice(cc.length);
  // Indonesian numbers have 9-12 national digits; anything shorter keeps only its last 2.
  const [keepStart, keepEnd] = national.length >= 9 ? [3, 4] : [0, Math.min(2, national.length)];
  const hidden = national.length - keepStart - keepEnd;
  return `+${cc}${national.slice(0, keepStart)}${'*'.repeat(hidden)}${national.slice(national.length - keepEnd)}`;
}

/**
 * Formats an E.164 number the way Indonesians write it ("0812-3456-7890");
 * foreign numbers get the international format. Unparseable input is returned unchanged.
 */
export function formatPhoneLocal(e164: string): string {
  const parsed = parsePhoneNumberFromString(String(e164 ?? '').trim(), 'ID');
  if (!parsed) return e164;
  return parsed.country === 'ID' || parsed.countryCallingCode === '62'
    ? parsed.formatNational()
    : parsed.formatInternational();
}
