import { describe, expect, it } from 'vitest';
import { headerKey, IMPORT_COLUMNS, IMPORT_REQUIRED_ONE_OF, mapHeaders, normalizeHeader } from './headers.ts';

describe('normalizeHeader', () => {
  it('lower-cases and drops brackets, spaces and punctuation', () => {
    expect(normalizeHeader('Jenis Kelamin (L/P)')).toBe('jeniskelamin');
    expect(normalizeHeader('NO. HP')).toBe('nohp');
    expect(normalizeHeader('full name')).toBe('fullname');
    expect(normalizeHeader('Email [opsional]')).toBe('email');
    expect(normalizeHeader(' E-mail* ')).toBe('email');
    expect(normalizeHeader('Kode_Pos')).toBe('kodepos');
    expect(normalizeHeader('\uFEFFNIK')).toBe('nik');
  });
});

describe('IMPORT_COLUMNS', () => {
  it('marks the required columns and the sector/kbli group', () => {
    expect(IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.key)).toEqual([
      'nik',
      'fullName',
      'phone',
      'villageCode',
      'businessName',
    ]);
    expect(IMPORT_REQUIRED_ONE_OF).toEqual([['sector', 'kbli']]);
    expect(new Set(IMPORT_COLUMNS.map((c) => c.key)).size).toBe(IMPORT_COLUMNS.length);
  });

  it('maps its own Indonesian and English headers back to their keys', () => {
    for (const c of IMPORT_COLUMNS) {
      expect(headerKey(c.id)).toBe(c.key);
      expect(headerKey(c.en)).toBe(c.key);
      for (const a of c.aliases) expect(headerKey(a)).toBe(c.key);
    }
  });
});

describe('mapHeaders', () => {
  it('matches header variants', () => {
    const m = mapHeaders([
      'NIK',
      'full name',
      'Jenis Kelamin (L/P)',
      'NO. HP',
      'kode kelurahan',
      'Nama Usaha',
      'KBLI',
      'Omzet Tahunan (Rp)',
      'Consent (Y/N)',
      'Tanggal lahir',
    ]);
    expect(Object.fromEntries(m.columns)).toEqual({
      nik: 0,
      fullName: 1,
      sex: 2,
      phone: 3,
      villageCode: 4,
      businessName: 5,
      kbli: 6,
      annualRevenue: 7,
      consent: 8,
      birthDate: 9,
    });
    expect(m.unknown).toEqual([]);
    expect(m.duplicates).toEqual([]);
    expect(m.missingRequired).toEqual([]);
  });

  it('accepts the listed aliases', () => {
    const m = mapHeaders(['Nama', 'Telepon', 'Mobile', 'Address', 'Sector', 'Phone Number']);
    expect(m.columns.get('fullName')).toBe(0);
    expect(m.columns.get('phone')).toBe(1);
    expect(m.columns.get('street')).toBe(3);
    expect(m.columns.get('sector')).toBe(4);
    expect(m.duplicates).toEqual(['Mobile', 'Phone Number']);
  });

  it('reports unknown, duplicate and missing columns', () => {
    const m = mapHeaders(['Nik', 'Hobi', 'NIK ', '', 'Nama Lengkap', 'Name']);
    expect(m.columns.get('nik')).toBe(0);
    expect(m.columns.get('fullName')).toBe(4);
    expect(m.unknown).toEqual(['Hobi']);
    expect(m.duplicates).toEqual(['NIK ', 'Name']);
    expect(m.missingRequired).toEqual(['phone', 'villageCode', 'businessName', 'sector']);
  });

  it('is satisfied by either sector or kbli', () => {
    const base = ['NIK', 'Nama Lengkap', 'No HP', 'Kode Kelurahan', 'Nama Usaha'];
    expect(mapHeaders([...base, 'Sektor']).missingRequired).toEqual([]);
    expect(mapHeaders([...base, 'KBLI']).missingRequired).toEqual([]);
    expect(mapHeaders(base).missingRequired).toEqual(['sector']);
  });
});
