import { describe, expect, it } from 'vitest';
import {
  excelSerialToIsoDate,
  parseDate,
  parseIntStrict,
  parseMoney,
  parseSex,
  parseYesNo,
  VALUE_MESSAGES,
  type ValueErrorCode,
} from './values.ts';

function ok<T>(r: { ok: true; value: T } | { ok: false }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
}

function code(r: { ok: boolean; code?: ValueErrorCode }): ValueErrorCode | undefined {
  return r.ok ? undefined : r.code;
}

describe('parseDate', () => {
  it('accepts ISO, DD/MM/YYYY and DD-MM-YYYY', () => {
    expect(ok(parseDate('1990-01-01'))).toBe('1990-01-01');
    expect(ok(parseDate(' 2024-2-9 '))).toBe('2024-02-09');
    expect(ok(parseDate('17/08/1945'))).toBe('1945-08-17');
    expect(ok(parseDate('1/2/2000'))).toBe('2000-02-01');
    expect(ok(parseDate('31-12-1999'))).toBe('1999-12-31');
    expect(ok(parseDate('29/02/2000'))).toBe('2000-02-29');
  });

  it('rejects impossible dates and other formats', () => {
    for (const s of ['2023-02-29', '31/04/2020', '00/01/2020', '1900-02-29', '2020-13-01', '0000-01-01']) {
      expect(code(parseDate(s)), s).toBe('DATE_INVALID');
    }
    for (const s of [
      '',
      '1990/01/01',
      '01.01.1990',
      '1-1-90',
      '19900101',
      'kemarin',
      '12/31/2020',
      '01/01-2020',
    ]) {
      expect(code(parseDate(s)), s).toBe('DATE_INVALID');
    }
  });

  it('converts Excel serial day numbers (1900 date system)', () => {
    expect(ok(parseDate('1'))).toBe('1900-01-01');
    expect(ok(parseDate('59'))).toBe('1900-02-28');
    // 60 is Excel's fake 1900-02-29
    const r60 = parseDate('60');
    expect(code(r60)).toBe('DATE_INVALID');
    expect(r60.ok ? '' : r60.message).toMatch(/1900-02-29/);
    expect(ok(parseDate('61'))).toBe('1900-03-01');
    expect(ok(parseDate('32874'))).toBe('1990-01-01');
    expect(ok(parseDate('45292'))).toBe('2024-01-01');
    expect(ok(parseDate('45292.75'))).toBe('2024-01-01');
    expect(ok(parseDate('2958465'))).toBe('9999-12-31');
    expect(code(parseDate('0'))).toBe('DATE_INVALID');
    expect(code(parseDate('2958466'))).toBe('DATE_INVALID');
  });

  it('excelSerialToIsoDate matches parseDate', () => {
    expect(excelSerialToIsoDate(60)).toBeNull();
    expect(excelSerialToIsoDate(61)).toBe('1900-03-01');
    expect(excelSerialToIsoDate(44197)).toBe('2021-01-01');
  });
});

describe('parseMoney', () => {
  it('accepts common rupiah notations', () => {
    const cases: [string, number][] = [
      ['1500000', 1500000],
      ['0', 0],
      ['Rp 1.500.000', 1500000],
      ['Rp1.500.000,00', 1500000],
      ['rp. 2.000', 2000],
      ['IDR 750.000', 750000],
      ['1,500,000', 1500000],
      ['1,500,000.00', 1500000],
      ['1.500.000,-', 1500000],
      ['Rp 50.000,-', 50000],
      ['1000.00', 1000],
      ['1000,0', 1000],
      ['  12.345.678  ', 12345678],
    ];
    for (const [s, v] of cases) expect(ok(parseMoney(s)), s).toBe(v);
  });

  it('rejects negative, fractional and malformed amounts', () => {
    for (const s of [
      '',
      '-5000',
      'Rp -5.000',
      '(5.000)',
      '1.5',
      '1,50',
      '1.500.000,50',
      '1.50.000',
      '1.500,000',
      '1.000.00',
      '1,000,00',
      '12.34.567',
      '1 500 000',
      'lima juta',
      'Rp',
      '1e6',
      '99999999999999999999',
    ]) {
      expect(code(parseMoney(s)), s).toBe('MONEY_INVALID');
    }
  });
});

describe('parseIntStrict', () => {
  it('accepts plain whole numbers', () => {
    expect(ok(parseIntStrict('12'))).toBe(12);
    expect(ok(parseIntStrict(' -3 '))).toBe(-3);
    expect(ok(parseIntStrict('+4'))).toBe(4);
    expect(ok(parseIntStrict('-0'))).toBe(0);
    expect(ok(parseIntStrict('007'))).toBe(7);
  });
  it('rejects anything else and enforces bounds', () => {
    for (const s of ['', '1.0', '1,000', '1e3', 'abc', '12a', '9007199254740993']) {
      expect(code(parseIntStrict(s)), s).toBe('INTEGER_INVALID');
    }
    expect(code(parseIntStrict('1899', { min: 1900 }))).toBe('INTEGER_INVALID');
    expect(code(parseIntStrict('2101', { max: 2100 }))).toBe('INTEGER_INVALID');
    expect(ok(parseIntStrict('2000', { min: 1900, max: 2100 }))).toBe(2000);
  });
});

describe('parseYesNo', () => {
  it('maps Indonesian and English forms', () => {
    for (const s of ['Y', 'ya', 'YES', '1', 'true', 'TRUE']) expect(ok(parseYesNo(s)), s).toBe(true);
    for (const s of ['N', 'Tidak', 'no', '0', 'false', 'FALSE']) expect(ok(parseYesNo(s)), s).toBe(false);
    for (const s of ['', 'maybe', 'yy', '2']) expect(code(parseYesNo(s)), s).toBe('YES_NO_INVALID');
  });
});

describe('parseSex', () => {
  it('maps L/P/M/F and words', () => {
    for (const s of ['L', 'l', 'M', 'Laki-laki', 'LAKI LAKI', 'Male', 'pria'])
      expect(ok(parseSex(s)), s).toBe('M');
    for (const s of ['P', 'F', 'Perempuan', 'female', 'Wanita']) expect(ok(parseSex(s)), s).toBe('F');
    for (const s of ['', 'X', 'Lelaki?', 'unknown']) expect(code(parseSex(s)), s).toBe('SEX_INVALID');
  });
});

describe('VALUE_MESSAGES', () => {
  it('has Indonesian and English texts for every code', () => {
    const codes: ValueErrorCode[] = [
      'DATE_INVALID',
      'MONEY_INVALID',
      'INTEGER_INVALID',
      'YES_NO_INVALID',
      'SEX_INVALID',
    ];
    for (const c of codes) {
      expect(VALUE_MESSAGES[c].id.length).toBeGreaterThan(5);
      expect(VALUE_MESSAGES[c].en.length).toBeGreaterThan(5);
    }
  });
});
