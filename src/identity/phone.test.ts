import { describe, expect, it } from 'vitest';
import { formatPhoneLocal, maskPhone, normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    '081234567890',
    '0812-3456-7890',
    '0812 3456 7890',
    '0812.3456.7890',
    '(0812) 3456-7890',
    '6281234567890',
    '62 812 3456 7890',
    '+6281234567890',
    '+62 812-3456-7890',
    '+62 (0)812 3456 7890',
    '+62-0812-3456-7890',
    '0062 812 3456 7890',
    '81234567890',
    '  0812 3456 7890  ',
  ])('accepts %j', (input) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164: '+6281234567890', national: '0812-3456-7890' });
  });

  it('reads "62812345678901" as +62 with a 12-digit national number', () => {
    expect(normalizePhone('62812345678901')).toEqual({
      ok: true,
      e164: '+62812345678901',
      national: '0812-3456-78901',
    });
  });

  it('accepts short (10-digit) mobile numbers', () => {
    expect(normalizePhone('0811-234-567')).toEqual({
      ok: true,
      e164: '+62811234567',
      national: '0811-234-567',
    });
  });

  it('rejects landlines unless mobileOnly is false', () => {
    const r = normalizePhone('021-5551234');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.code).toBe('PHONE_NOT_MOBILE');
    expect(normalizePhone('(021) 555-1234', { mobileOnly: false })).toEqual({
      ok: true,
      e164: '+62215551234',
      national: '(021) 5551234',
    });
  });

  it.each([
    ['', 'PHONE_REQUIRED'],
    ['   ', 'PHONE_REQUIRED'],
    ['abc', 'PHONE_INVALID'],
    ['0812-3456-789O', 'PHONE_INVALID'],
    ['0812345', 'PHONE_INVALID'],
    ['081234567890123', 'PHONE_INVALID'],
    ['0812+3456', 'PHONE_INVALID'],
    ['++6281234567890', 'PHONE_INVALID'],
    ['+65 8123 4567', 'PHONE_NOT_INDONESIAN'],
    ['+1 202 555 0123', 'PHONE_NOT_INDONESIAN'],
  ])('rejects %j with %s', (input, code) => {
    const r = normalizePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issue.code).toBe(code);
      expect(r.issue.message.length).toBeGreaterThan(10);
    }
  });

  it('treats a missing value as required', () => {
    const r = normalizePhone(undefined as unknown as string);
    expect(r.ok ? null : r.issue.code).toBe('PHONE_REQUIRED');
  });
});

describe('maskPhone', () => {
  it('keeps the country code, 3 digits and the last 4', () => {
    expect(maskPhone('+6281234567890')).toBe('+62812****7890');
    expect(maskPhone('+62812345678901')).toBe('+62812*****8901');
    expect(maskPhone('+62811234567')).toBe('+62811**4567');
  });

  it('handles odd input without leaking it', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone('+621234')).toBe('+62**34');
  });
});

describe('formatPhoneLocal', () => {
  it('formats Indonesian numbers nationally and others internationally', () => {
    expect(formatPhoneLocal('+6281234567890')).toBe('0812-3456-7890');
    expect(formatPhoneLocal('+62215551234')).toBe('(021) 5551234');
    expect(formatPhoneLocal('+6581234567')).toBe('+65 8123 4567');
    expect(formatPhoneLocal('not a number')).toBe('not a number');
  });
});
