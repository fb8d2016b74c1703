import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  childrenOf,
  getRegion,
  getRetiredRegion,
  isRetiredRegion,
  isWithin,
  normalizeRegionCode,
  parseCsv,
  preloadRegions,
  RETIRED_REGION_CODES,
  regionSourceVersion,
} from './regions.ts';

describe('normalizeRegionCode', () => {
  it.each([
    ['31', '31', '31', 'province'],
    ['31.74', '31.74', '3174', 'regency'],
    ['3174', '31.74', '3174', 'regency'],
    ['317401', '31.74.01', '317401', 'district'],
    ['31.74.01', '31.74.01', '317401', 'district'],
    ['3174011001', '31.74.01.1001', '3174011001', 'village'],
    ['31.74.01.1001', '31.74.01.1001', '3174011001', 'village'],
    ['  31.74 \n', '31.74', '3174', 'regency'],
  ])('accepts %j', (input, dotted, undotted, level) => {
    expect(normalizeRegionCode(input)).toEqual({ dotted, undotted, level });
  });

  it.each([
    '',
    '  ',
    '3',
    '317',
    '31741',
    '31740110',
    '31740110011',
    '31.7',
    '31.74.1',
    '3174.01',
    '31.7401',
    '31.74.01.100',
    '31.74.01.10011',
    '31-74',
    '31 74',
    '31.74.',
    '.31',
    'ab',
  ])('rejects %j', (input) => {
    expect(normalizeRegionCode(input)).toBeNull();
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas in fields, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFcode,name\r\n1,"a ""b"", c"\r\n2,plain\n')).toEqual([
      ['code', 'name'],
      ['1', 'a "b", c'],
      ['2', 'plain'],
    ]);
  });

  it('keeps a last line without newline', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('getRegion', () => {
  it('finds Jakarta and its parts at every level', () => {
    expect(getRegion('31')).toEqual({
      code: '31',
      undotted: '31',
      name: 'Daerah Khusus Ibukota Jakarta',
      level: 'province',
      parentCode: null,
    });
    expect(getRegion('3171')).toEqual({
      code: '31.71',
      undotted: '3171',
      name: 'Kota Administrasi Jakarta Pusat',
      level: 'regency',
      parentCode: '31',
    });
    expect(getRegion('31.71.01')?.name).toBe('Gambir');
    expect(getRegion('31.74.01')?.name).toBe('Tebet');
    expect(getRegion('3171011001')).toEqual({
      code: '31.71.01.1001',
      undotted: '3171011001',
      name: 'Gambir',
      level: 'village',
      parentCode: '31.71.01',
    });
  });

  it('reads quoted names from the CSV', () => {
    expect(getRegion('35.29.22')?.name).toBe('Ra"as');
    expect(getRegion('12.07.28.1007')?.name).toBe('Lubuk Pakam I,II');
  });

  it('returns undefined for unknown or malformed codes', () => {
    expect(getRegion('99')).toBeUndefined();
    expect(getRegion('31.99')).toBeUndefined();
    expect(getRegion('3171')).toBeDefined();
    expect(getRegion('317')).toBeUndefined();
    expect(getRegion('')).toBeUndefined();
  });
});

describe('childrenOf', () => {
  it('lists the 38 provinces, sorted', () => {
    const provinces = childrenOf(null);
    expect(provinces).toHaveLength(38);
    expect(provinces[0]).toMatchObject({ code: '11', name: 'Aceh' });
    expect(provinces.map((p) => p.code)).toEqual(provinces.map((p) => p.code).sort());
    expect(provinces.map((p) => p.code)).toContain('96');
  });

  it('lists the regencies of Jakarta and the districts of Jakarta Pusat', () => {
    expect(childrenOf('31').map((r) => r.code)).toEqual([
      '31.01',
      '31.71',
      '31.72',
      '31.73',
      '31.74',
      '31.75',
    ]);
    const districts = childrenOf('3171');
    expect(districts).toHaveLength(8);
    expect(districts[0]).toMatchObject({ code: '31.71.01', name: 'Gambir', parentCode: '31.71' });
  });

  it('lists villages of a district', () => {
    const villages = childrenOf('31.71.01');
    expect(villages.map((v) => v.name)).toContain('Cideng');
    expect(villages.every((v) => v.level === 'village' && v.parentCode === '31.71.01')).toBe(true);
  });

  it('returns [] for villages, unknown and malformed codes', () => {
    expect(childrenOf('31.71.01.1001')).toEqual([]);
    expect(childrenOf('31.99')).toEqual([]);
    expect(childrenOf('x')).toEqual([]);
  });

  it('returns a copy', () => {
    childrenOf('31').pop();
    expect(childrenOf('31')).toHaveLength(6);
  });
});

describe('ancestorsOf', () => {
  it('lists province to parent', () => {
    expect(ancestorsOf('3171011001').map((r) => r.code)).toEqual(['31', '31.71', '31.71.01']);
    expect(ancestorsOf('31.71').map((r) => r.name)).toEqual(['Daerah Khusus Ibukota Jakarta']);
    expect(ancestorsOf('31')).toEqual([]);
    expect(ancestorsOf('nope')).toEqual([]);
  });

  it('returns the known ancestors of an unknown code', () => {
    expect(ancestorsOf('31.71.99').map((r) => r.code)).toEqual(['31', '31.71']);
  });
});

describe('isWithin', () => {
  it('compares codes structurally, dotted or not', () => {
    expect(isWithin('3171011001', '31')).toBe(true);
    expect(isWithin('31.71.01.1001', '3171')).toBe(true);
    expect(isWithin('31.71', '31.71')).toBe(true);
    expect(isWithin('3171', '31.71')).toBe(true);
    expect(isWithin('31.72.01', '31.71')).toBe(false);
    expect(isWithin('31', '31.71')).toBe(false);
    expect(isWithin('32.71', '31')).toBe(false);
    expect(isWithin('3171', '317')).toBe(false);
    expect(isWithin('', '31')).toBe(false);
  });
});

describe('regionSourceVersion', () => {
  it('is the installed idn-area-data version', () => {
    const pkg = createRequire(import.meta.url)('idn-area-data/package.json') as { version: string };
    expect(regionSourceVersion).toBe(pkg.version);
    expect(regionSourceVersion).toMatch(/^4\./);
  });
});

describe('retired region codes', () => {
  const entries = Object.values(RETIRED_REGION_CODES);

  it('has entries keyed by their own dotted code', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, entry] of Object.entries(RETIRED_REGION_CODES)) {
      expect(entry.code).toBe(key);
      expect(normalizeRegionCode(key)?.level).toBe(entry.level);
    }
  });

  it('lists only codes absent from the current tables, with an existing successor of the same name', () => {
    for (const entry of entries) {
      expect(getRegion(entry.code), entry.code).toBeUndefined();
      expect(getRegion(entry.successorCode)?.name, entry.code).toBe(entry.name);
      expect(normalizeRegionCode(entry.successorCode)?.level).toBe(entry.level);
    }
  });

  it('is checked dotted or undotted', () => {
    expect(isRetiredRegion('91.01')).toBe(true);
    expect(isRetiredRegion('9101')).toBe(true);
    expect(isRetiredRegion('6473')).toBe(true);
    expect(getRetiredRegion('9101')?.successorCode).toBe('93.01');
    expect(isRetiredRegion('3171')).toBe(false);
    expect(isRetiredRegion('constructor')).toBe(false);
  });
});

describe('loading all villages', () => {
  it('loads 80k+ villages and looks them up', () => {
    const started = performance.now();
    preloadRegions();
    const elapsed = performance.now() - started;
    expect(getRegion('96.71.01.1001')).toBeDefined();
    const districts = childrenOf('31.74');
    const villages = districts.flatMap((d) => childrenOf(d.code));
    expect(villages.length).toBeGreaterThan(50);
    // The budget is "well under a second"; the bound leaves room for slow CI machines.
    expect(elapsed).toBeLessThan(3000);
  });
});
