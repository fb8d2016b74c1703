/**
 * Format checks for other identifiers on a registration form. Each returns the
 * normalized value or an issue; none of them contacts the issuing agency.
 */
import { type CheckResult, issue } from './codes.ts';

function text(input: unknown): string {
  if (typeof input === 'string') return input.trim();
  if (typeof input === 'number' && Number.isFinite(input)) return String(input);
  return '';
}

/**
 * NPWP (tax number): 15 digits (old format, written 01.234.567.8-901.000) or
 * 16 digits (new format since 2024: the NIK for residents, or 0 + the old
 * number for entities). Dots, dashes and spaces are removed; the value is the
 * digits only.
 */
export function checkNpwp(input: string): CheckResult {
  const s = text(input);
  if (!/^[\d\s.-]+$/.test(s)) return { ok: false, issue: issue('NPWP_INVALID') };
  const digits = s.replace(/[\s.-]/g, '');
  if (digits.length !== 15 && digits.length !== 16) return { ok: false, issue: issue('NPWP_INVALID') };
  return { ok: true, value: digits };
}

/** NIB (Nomor Induk Berusaha, issued by OSS): 13 digits; spaces are removed. */
export function checkNib(input: string): CheckResult {
  const digits = text(input).replace(/\s/g, '');
  if (!/^\d{13}$/.test(digits)) return { ok: false, issue: issue('NIB_INVALID') };
  return { ok: true, value: digits };
}

/** Indonesian postal code: 5 digits, not starting with 0 (Jakarta: 10xxx-14xxx). */
export function checkPostalCode(input: string): CheckResult {
  const s = text(input);
  if (!/^[1-9]\d{4}$/.test(s)) return { ok: false, issue: issue('POSTAL_CODE_INVALID') };
  return { ok: true, value: s };
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * A sane email check (not full RFC 5322): local@domain with a dotted domain,
 * letters-only top-level domain, no spaces or consecutive dots, at most 254
 * characters. The domain is lower-cased; the local part is kept as typed.
 */
export function checkEmail(input: string): CheckResult {
  const s = text(input);
  const at = s.lastIndexOf('@');
  if (s.length > 254 || at < 1) return { ok: false, issue: issue('EMAIL_INVALID') };
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const ok =
    local.length <= 64 &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => EMAIL_LABEL.test(label)) &&
    /^[a-z]{2,}$/.test(labels[labels.length - 1]);
  if (!ok) return { ok: false, issue: issue('EMAIL_INVALID') };
  return { ok: true, value: `${local}@${domain}` };
}

/** RT or RW number: 1 to 3 digits, not zero; normalized to 3 digits ("1" -> "001"). */
export function checkRtRw(input: string | number): CheckResult {
  const s = text(input);
  if (!/^\d{1,3}$/.test(s) || Number(s) === 0) return { ok: false, issue: issue('RT_RW_INVALID') };
  return { ok: true, value: s.padStart(3, '0') };
}
