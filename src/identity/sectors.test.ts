import { describe, expect, it } from 'vitest';
import { parseSector, SECTOR_KEYS, SECTORS, sectorFromKbli } from './sectors.ts';

describe('parseSector', () => {
  it.each([
    ['kuliner', 'kuliner'],
    ['Kuliner', 'kuliner'],
    ['culinary', 'kuliner'],
    ['  CULINARY ', 'kuliner'],
    ['Fashion', 'fashion'],
    ['fesyen', 'fashion'],
    ['Kriya', 'kriya'],
    ['craft', 'kriya'],
    ['Jasa', 'jasa'],
    ['Services', 'jasa'],
    ['PERDAGANGAN', 'perdagangan'],
    ['trade', 'perdagangan'],
    ['Budidaya', 'budidaya'],
    ['Farming', 'budidaya'],
    ['lainnya', 'lainnya'],
    ['Other', 'lainnya'],
  ])('reads %j as %s', (input, key) => {
    expect(parseSector(input)).toEqual({ ok: true, value: key });
  });

  it.each(['', ' ', 'makanan', 'food', 'kuliner fashion', 'toString'])('rejects %j', (input) => {
    const r = parseSector(input);
    expect(r.ok ? null : r.issue.code).toBe('SECTOR_INVALID');
  });

  it('has both labels for every sector', () => {
    expect(Object.keys(SECTORS)).toEqual([...SECTOR_KEYS]);
    expect(Object.values(SECTORS).map((s) => s.en)).toEqual([
      'Culinary',
      'Fashion',
      'Craft',
      'Services',
      'Trade',
      'Farming',
      'Other',
    ]);
    for (const key of SECTOR_KEYS) expect(SECTORS[key].id.length).toBeGreaterThan(2);
  });
});

describe('sectorFromKbli', () => {
  it.each([
    ['56101', 'kuliner'],
    ['10792', 'kuliner'],
    ['11040', 'kuliner'],
    ['13121', 'fashion'],
    ['14111', 'fashion'],
    ['15201', 'fashion'],
    ['16299', 'kriya'],
    ['31001', 'kriya'],
    ['32111', 'kriya'],
    ['45401', 'perdagangan'],
    ['46100', 'perdagangan'],
    ['47111', 'perdagangan'],
    ['01111', 'budidaya'],
    ['02200', 'budidaya'],
    ['03221', 'budidaya'],
    ['33121', 'jasa'],
    ['49421', 'jasa'],
    ['55130', 'jasa'],
    ['62010', 'jasa'],
    ['74201', 'jasa'],
    ['85499', 'jasa'],
    ['95230', 'jasa'],
    ['96111', 'jasa'],
    ['12011', 'lainnya'],
    ['20231', 'lainnya'],
    ['41011', 'lainnya'],
    ['84111', 'lainnya'],
    ['97000', 'lainnya'],
    ['99000', 'lainnya'],
    ['56', 'kuliner'],
  ])('maps %s to %s', (kbli, sector) => {
    expect(sectorFromKbli(kbli)).toBe(sector);
  });

  it('returns null for input that is not a KBLI code', () => {
    expect(sectorFromKbli('')).toBeNull();
    expect(sectorFromKbli('5')).toBeNull();
    expect(sectorFromKbli('abcde')).toBeNull();
    expect(sectorFromKbli('561011')).toBeNull();
  });
});
