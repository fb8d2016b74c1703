import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wibDate } from '../core/clock.ts';
import { message } from './codes.ts';
import { checkNikAgrees, jakartaToday, maskNik, parseNik } from './nik.ts';

/** Noon in Jakarta on the given date. */
const at = (date: string) => new Date(`${date}T12:00:00+07:00`);
const today = at('2025-06-01');
const codes = (nik: string, t = today) => parseNik(nik, { today: t }).errors.map((e) => e.code);

describe('parseNik: valid NIKs', () => {
  it('reads a woman born 1990-01-01 registered in Gambir, Jakarta Pusat', () => {
    expect(parseNik('3171014101900001', { today })).toEqual({
      valid: true,
      nik: '3171014101900001',
      provinceCode: '31',
      regencyCode: '3171',
      districtCode: '317101',
      provinceName: 'Daerah Khusus Ibukota Jakarta',
      regencyName: 'Kota Administrasi Jakarta Pusat',
      districtName: 'Gambir',
      sex: 'F',
      birthDate: '1990-01-01',
      birthDateCandidates: ['1990-01-01'],
      serial: '0001',
      errors: [],
    });
  });

  it('reads a man born 1985-05-15 registered in Tebet, Jakarta Selatan', () => {
    const r = parseNik('3174011505850002', { today });
    expect(r.valid).toBe(true);
    expect(r.sex).toBe('M');
    expect(r.birthDate).toBe('1985-05-15');
    expect(r.regencyName).toBe('Kota Administrasi Jakarta Selatan');
    expect(r.districtName).toBe('Tebet');
    expect(r.serial).toBe('0002');
  });

  it('strips the spaces, dots and dashes people type', () => {
    for (const input of [
      '3171 0141 0190 0001',
      ' 3171-0141-0190-0001 ',
      '31.71.01.410190.0001',
      '3171\u00a00141\u00a00190\u00a00001',
      "'3171014101900001",
    ]) {
      const r = parseNik(input, { today });
      expect(r.valid, input).toBe(true);
      expect(r.nik).toBe('3171014101900001');
    }
  });
});

describe('parseNik: birth date readings', () => {
  it('lists both centuries, newest first, when both are in the past', () => {
    const r = parseNik('3171010101050001', { today });
    expect(r.birthDateCandidates).toEqual(['2005-01-01', '1905-01-01']);
    expect(r.birthDate).toBe('2005-01-01');
  });

  it('drops the 20xx reading when it is in the future', () => {
    const r = parseNik('3171010112250001', { today }); // 1 December (20)25
    expect(r.valid).toBe(true);
    expect(r.birthDateCandidates).toEqual(['1925-12-01']);
    expect(r.birthDate).toBe('1925-12-01');
    expect(parseNik('3171010112250001', { today: at('2026-01-01') }).birthDateCandidates).toEqual([
      '2025-12-01',
      '1925-12-01',
    ]);
  });

  it('gives the Jakarta date of any instant, in any order (the last day is remembered)', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', dateStyle: 'short' });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), { minLength: 1 }),
        fc.integer({ min: -2, max: 2 }),
        (instants, near) => {
          // the instant, and a few milliseconds around the start of its Jakarta day
          for (const t of instants)
            for (const u of [t, t - ((t + 7 * 3600_000) % 86_400_000) + near]) {
              const d = new Date(u);
              expect(jakartaToday(d)).toBe(intl.format(d));
              // WIB is UTC+7, which Jakarta has kept since 1964
              if (u < Date.UTC(1964, 0, 1)) continue;
              expect(wibDate(d)).toBe(intl.format(d));
              expect(wibDate(d.toISOString())).toBe(intl.format(d));
            }
        },
      ),
    );
  });

  it('judges "future" by the date in Asia/Jakarta, not UTC', () => {
    const lateEveningUtc = new Date('2025-11-30T18:00:00Z'); // 2025-12-01 01:00 in Jakarta
    expect(jakartaToday(lateEveningUtc)).toBe('2025-12-01');
    expect(parseNik('3171010112250001', { today: lateEveningUtc }).birthDate).toBe('2025-12-01');
    expect(parseNik('3171010112250001', { today: new Date('2025-11-30T16:00:00Z') }).birthDate).toBe(
      '1925-12-01',
    );
  });

  it('accepts 29 February only in leap years', () => {
    // YY=00: 2000 is a leap year, 1900 is not.
    expect(parseNik('3171012902000001', { today }).birthDateCandidates).toEqual(['2000-02-29']);
    // Women: day + 40.
    const woman = parseNik('3171016902000001', { today });
    expect(woman.sex).toBe('F');
    expect(woman.birthDateCandidates).toEqual(['2000-02-29']);
    // YY=04: both 2004 and 1904 are leap years.
    expect(parseNik('3171012902040001', { today }).birthDateCandidates).toEqual(['2004-02-29', '1904-02-29']);
    // YY=01: neither 2001 nor 1901 is.
    const r = parseNik('3171012902010001', { today });
    expect(r.valid).toBe(false);
    expect(r.birthDate).toBeNull();
    expect(r.errors.map((e) => e.code)).toEqual(['NIK_DATE_INVALID']);
  });

  it.each([
    ['3171010001900001', 'day 00'],
    ['3171013201900001', 'day 32'],
    ['3171014001900001', 'day 40'],
    ['3171017201900001', 'day 72 (woman 32)'],
    ['3171010100900001', 'month 00'],
    ['3171010113900001', 'month 13'],
    ['3171013104900001', '31 April'],
    ['3171017104900001', '31 April, woman'],
    ['3171013002900001', '30 February'],
  ])('rejects %s (%s)', (nik) => {
    expect(codes(nik)).toEqual(['NIK_DATE_INVALID']);
  });

  it('keeps the sex when only the month is wrong, and drops it when the day is out of range', () => {
    expect(parseNik('3171014113900001', { today }).sex).toBe('F');
    expect(parseNik('3171013501900001', { today }).sex).toBeNull();
  });

  it('reports a birth date that is only possible in the future', () => {
    // 29-02-00 before 2000: 1900 is no leap year, and 2000-02-29 has not come yet.
    expect(codes('3171012902000001', at('1999-06-01'))).toEqual(['NIK_DATE_FUTURE']);
    // YY=99 seen from 1995: 1999 is in the future (18xx is not a reading).
    const r = parseNik('3171010101990001', { today: at('1995-01-01') });
    expect(r.errors.map((e) => e.code)).toEqual(['NIK_DATE_FUTURE']);
    expect(r.birthDate).toBeNull();
    expect(r.errors[0].message).toContain('010199');
  });
});

describe('parseNik: other checks', () => {
  it('rejects serial 0000', () => {
    const r = parseNik('3171014101900000', { today });
    expect(r.valid).toBe(false);
    expect(r.serial).toBe('0000');
    expect(r.birthDate).toBe('1990-01-01');
    expect(r.errors.map((e) => e.code)).toEqual(['NIK_SERIAL_ZERO']);
  });

  it('requires a value', () => {
    for (const input of ['', '   ', "'"]) expect(codes(input)).toEqual(['NIK_REQUIRED']);
    expect(codes(undefined as unknown as string)).toEqual(['NIK_REQUIRED']);
  });

  it('rejects other characters', () => {
    expect(codes('3171O14101900001')).toEqual(['NIK_NOT_DIGITS']);
    expect(codes('NIK 3171014101900001')).toEqual(['NIK_NOT_DIGITS']);
    expect(codes('3171/0141/0190/0001')).toEqual(['NIK_NOT_DIGITS']);
  });

  it('checks the length after removing separators', () => {
    const short = parseNik('3171 0141 0190 001', { today });
    expect(short.errors.map((e) => e.code)).toEqual(['NIK_LENGTH']);
    expect(short.errors[0].params).toEqual({ length: 15 });
    expect(short.errors[0].message).toContain('15');
    expect(short.provinceCode).toBeNull();
    expect(codes('31710141019000011')).toEqual(['NIK_LENGTH']);
  });

  it.each([
    '3.17101E+15',
    '3,17101E+15',
    '3.17101e+15',
    '3.171014101900E15',
    '3171014101900001.0',
    '317101410190000.0',
    '3171014101900000,00',
    '3,171,014,101,900,000',
    '3.171.014.101.900.000',
  ])('recognizes the spreadsheet-mangled form %j', (input) => {
    const r = parseNik(input, { today });
    expect(r.errors.map((e) => e.code)).toEqual(['NIK_LIKELY_EXCEL_NUMBER']);
    expect(r.errors[0].message).toMatch(/Text/);
    expect(message('NIK_LIKELY_EXCEL_NUMBER', 'id', r.errors[0].params)).toContain(input);
  });

  it('treats a JS number too large to be exact like a spreadsheet number', () => {
    expect(codes(Number('9171014101900001') as unknown as string)).toEqual(['NIK_LIKELY_EXCEL_NUMBER']);
  });

  it('reports an unknown province and still checks date and serial', () => {
    const r = parseNik('9971013201900000', { today });
    expect(r.errors.map((e) => e.code)).toEqual([
      'NIK_PROVINCE_UNKNOWN',
      'NIK_DATE_INVALID',
      'NIK_SERIAL_ZERO',
    ]);
    expect(r.provinceCode).toBe('99');
    expect(r.provinceName).toBeNull();
    expect(r.regencyName).toBeNull();
  });

  it('reports an unknown regency and an unknown district', () => {
    const regency = parseNik('3199014101900001', { today });
    expect(regency.errors.map((e) => e.code)).toEqual(['NIK_REGENCY_UNKNOWN']);
    expect(regency.errors[0].params).toEqual({ code: '3199' });
    expect(regency.provinceName).toBe('Daerah Khusus Ibukota Jakarta');
    const district = parseNik('3171994101900001', { today });
    expect(district.errors.map((e) => e.code)).toEqual(['NIK_DISTRICT_UNKNOWN']);
    expect(district.regencyName).toBe('Kota Administrasi Jakarta Pusat');
    expect(district.districtName).toBeNull();
  });

  it('flags a regency code retired by the 2022 Papua split with its own code', () => {
    const r = parseNik('9101011505850003', { today }); // old Kabupaten Merauke code
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['NIK_REGION_RETIRED']);
    expect(r.errors[0].params).toEqual({
      code: '91.01',
      name: 'Kabupaten Merauke',
      successorCode: '93.01',
      successorName: 'Kabupaten Merauke',
    });
    expect(r.provinceName).toBe('Papua');
    expect(r.regencyName).toBe('Kabupaten Merauke');
    expect(r.districtName).toBeNull();
    expect(r.birthDate).toBe('1985-05-15');
  });

  it('flags an old Tarakan (Kalimantan Timur) NIK from before Kalimantan Utara', () => {
    expect(codes('6473014101900001')).toEqual(['NIK_REGION_RETIRED']);
  });

  it('gives English messages that match message(code, "en", params)', () => {
    for (const nik of ['', '12', '9971013201900000', '9101011505850003']) {
      for (const e of parseNik(nik, { today }).errors) {
        expect(e.message).toBe(message(e.code, 'en', e.params));
        expect(e.message).not.toMatch(/\{\w+\}/);
      }
    }
  });
});

describe('maskNik', () => {
  it('keeps the first and last 4 digits', () => {
    expect(maskNik('3171014101900001')).toBe('3171********0001');
    expect(maskNik('3171 0141 0190 0001')).toBe('3171********0001');
  });

  it('masks short input completely', () => {
    expect(maskNik('12345678')).toBe('********');
    expect(maskNik('')).toBe('');
  });
});

describe('checkNikAgrees', () => {
  const nik = '3171014101900001'; // woman, 1990-01-01

  it('accepts matching claims', () => {
    expect(checkNikAgrees(nik, { birthDate: '1990-01-01', sex: 'F' }, { today })).toEqual([]);
    expect(checkNikAgrees(nik, {}, { today })).toEqual([]);
  });

  it('reports a different birth date and sex', () => {
    const issues = checkNikAgrees(nik, { birthDate: '1990-01-02', sex: 'M' }, { today });
    expect(issues.map((i) => i.code)).toEqual(['NIK_BIRTHDATE_MISMATCH', 'NIK_SEX_MISMATCH']);
    expect(issues[0].params).toEqual({ birthDate: '1990-01-02', nikDates: '1990-01-01' });
  });

  it('accepts any century reading', () => {
    const ambiguous = '3174010101050001';
    expect(checkNikAgrees(ambiguous, { birthDate: '1905-01-01' }, { today })).toEqual([]);
    expect(checkNikAgrees(ambiguous, { birthDate: '2005-01-01', sex: 'M' }, { today })).toEqual([]);
    expect(checkNikAgrees(ambiguous, { birthDate: '1950-01-01' }, { today })[0].params?.nikDates).toBe(
      '2005-01-01 / 1905-01-01',
    );
  });

  it('compares nothing when the NIK has no usable date or sex', () => {
    expect(checkNikAgrees('123', { birthDate: '1990-01-01', sex: 'F' }, { today })).toEqual([]);
  });
});
