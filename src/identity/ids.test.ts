import { describe, expect, it } from 'vitest';
import type { CheckResult } from './codes.ts';
import { checkEmail, checkNib, checkNpwp, checkPostalCode, checkRtRw } from './ids.ts';

const value = (r: CheckResult) => (r.ok ? r.value : r.issue.code);

describe('checkNpwp', () => {
  it('accepts 15 and 16 digits, with or without punctuation', () => {
    expect(value(checkNpwp('01.234.567.8-901.000'))).toBe('012345678901000');
    expect(value(checkNpwp('012345678901000'))).toBe('012345678901000');
    expect(value(checkNpwp('0012345678901000'))).toBe('0012345678901000');
    expect(value(checkNpwp(' 3171 0141 0190 0001 '))).toBe('3171014101900001');
  });

  it.each(['', '01.234.567.8-901.00', '01234567890100000', '01.234.567.8/901.000', 'NPWP 012345678901000'])(
    'rejects %j',
    (input) => {
      expect(value(checkNpwp(input))).toBe('NPWP_INVALID');
    },
  );
});

describe('checkNib', () => {
  it('accepts 13 digits', () => {
    expect(value(checkNib('9120001234567'))).toBe('9120001234567');
    expect(value(checkNib(' 912 000 123 4567 '))).toBe('9120001234567');
  });

  it.each(['', '912000123456', '91200012345678', '912000123456X'])('rejects %j', (input) => {
    expect(value(checkNib(input))).toBe('NIB_INVALID');
  });
});

describe('checkPostalCode', () => {
  it('accepts 5 digits not starting with 0', () => {
    expect(value(checkPostalCode('10110'))).toBe('10110');
    expect(value(checkPostalCode(' 12810 '))).toBe('12810');
  });

  it.each(['', '01011', '1011', '101100', '10 110', '1011a'])('rejects %j', (input) => {
    expect(value(checkPostalCode(input))).toBe('POSTAL_CODE_INVALID');
  });
});

describe('checkEmail', () => {
  it('accepts ordinary addresses and lower-cases the domain', () => {
    expect(value(checkEmail('budi.santoso@gmail.com'))).toBe('budi.santoso@gmail.com');
    expect(value(checkEmail(' Siti+umkm@Jakarta.GO.ID '))).toBe('Siti+umkm@jakarta.go.id');
    expect(value(checkEmail('a_b-c@sub-domain.example.co.id'))).toBe('a_b-c@sub-domain.example.co.id');
  });

  it.each([
    '',
    'budi',
    'budi@',
    '@gmail.com',
    'budi@gmail',
    'budi@@gmail.com',
    'budi santoso@gmail.com',
    'budi..santoso@gmail.com',
    '.budi@gmail.com',
    'budi.@gmail.com',
    'budi@gmail..com',
    'budi@-gmail.com',
    'budi@gmail.c',
    'budi@gmail.123',
    `${'a'.repeat(65)}@gmail.com`,
  ])('rejects %j', (input) => {
    expect(value(checkEmail(input))).toBe('EMAIL_INVALID');
  });
});

describe('checkRtRw', () => {
  it('pads to 3 digits', () => {
    expect(value(checkRtRw('1'))).toBe('001');
    expect(value(checkRtRw('12'))).toBe('012');
    expect(value(checkRtRw(' 005 '))).toBe('005');
    expect(value(checkRtRw('999'))).toBe('999');
    expect(value(checkRtRw(7))).toBe('007');
  });

  it.each(['', '0', '000', '1000', '0001', 'RT 01', '1/2', '-1', '1.5'])('rejects %j', (input) => {
    expect(value(checkRtRw(input))).toBe('RT_RW_INVALID');
  });
});
