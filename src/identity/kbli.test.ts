import { describe, expect, it } from 'vitest';
import { checkKbli, getKbliCategory, getKbliDivision, KBLI_2020, SUPPORTED_KBLI_VERSIONS } from './kbli.ts';

describe('checkKbli', () => {
  it('accepts 56101 (restaurants) with its division and category', () => {
    expect(checkKbli('56101')).toEqual({
      ok: true,
      value: {
        code: '56101',
        division: '56',
        category: 'I',
        divisionName: 'Penyediaan Makanan dan Minuman',
        categoryName: 'Penyediaan Akomodasi dan Penyediaan Makan Minum',
        version: '2020',
      },
    });
  });

  it.each([
    ['10792', '10', 'C', 'Industri Makanan'],
    ['11040', '11', 'C', 'Industri Minuman'],
    ['14111', '14', 'C', 'Industri Pakaian Jadi'],
    ['47111', '47', 'G', 'Perdagangan Eceran, Bukan Mobil dan Motor'],
    ['01111', '01', 'A', 'Pertanian Tanaman, Peternakan, Perburuan dan Kegiatan YBDI'],
    ['96111', '96', 'S', 'Aktivitas Jasa Perorangan Lainnya'],
    ['99000', '99', 'U', 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya'],
    ['99999', '99', 'U', 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya'],
  ])('accepts %s', (code, division, category, divisionName) => {
    const r = checkKbli(code, '2020');
    expect(r.ok && r.value).toMatchObject({ code, division, category, divisionName });
  });

  it('trims whitespace', () => {
    expect(checkKbli(' 56101 ').ok).toBe(true);
  });

  it.each([
    '04123',
    '00000',
    '34000',
    '40000',
    '44000',
    '48000',
    '54000',
    '57000',
    '67000',
    '76000',
    '83000',
    '89000',
  ])('rejects %s: no such division', (code) => {
    const r = checkKbli(code);
    expect(r.ok ? null : r.issue.code).toBe('KBLI_DIVISION_UNKNOWN');
    if (!r.ok) expect(r.issue.params).toMatchObject({ code, division: code.slice(0, 2), version: '2020' });
  });

  it.each(['', '5610', '561011', '5610a', '56 101', '56.101'])('rejects %j: not 5 digits', (code) => {
    const r = checkKbli(code);
    expect(r.ok ? null : r.issue.code).toBe('KBLI_INVALID');
  });

  it('supports only KBLI 2020 for now', () => {
    expect(SUPPORTED_KBLI_VERSIONS).toEqual(['2020']);
    for (const version of ['2025', '2015', '']) {
      const r = checkKbli('56101', version);
      expect(r.ok ? null : r.issue.code).toBe('KBLI_VERSION_UNSUPPORTED');
    }
  });
});

describe('KBLI 2020 table', () => {
  it('has the 21 categories A-U', () => {
    expect([...KBLI_2020.categories.keys()].join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    for (const c of KBLI_2020.categories.values()) {
      expect(c.nameId.length).toBeGreaterThan(3);
      expect(c.nameEn.length).toBeGreaterThan(3);
    }
  });

  it('has the 88 divisions, each in a known category, with categories in code order', () => {
    const divisions = [...KBLI_2020.divisions.values()];
    expect(divisions).toHaveLength(88);
    const codes = divisions.map((d) => d.code);
    expect(codes).toEqual([...codes].sort());
    const letters = divisions.map((d) => d.category);
    expect(letters).toEqual([...letters].sort());
    expect(new Set(letters).size).toBe(21);
    for (const d of divisions) expect(KBLI_2020.categories.has(d.category)).toBe(true);
  });

  it('groups the divisions into the official category ranges', () => {
    const ranges: Record<string, [number, number]> = {
      A: [1, 3],
      B: [5, 9],
      C: [10, 33],
      D: [35, 35],
      E: [36, 39],
      F: [41, 43],
      G: [45, 47],
      H: [49, 53],
      I: [55, 56],
      J: [58, 63],
      K: [64, 66],
      L: [68, 68],
      M: [69, 75],
      N: [77, 82],
      O: [84, 84],
      P: [85, 85],
      Q: [86, 88],
      R: [90, 93],
      S: [94, 96],
      T: [97, 98],
      U: [99, 99],
    };
    for (const [letter, [from, to]] of Object.entries(ranges)) {
      for (let n = from; n <= to; n++) {
        expect(getKbliDivision(String(n).padStart(2, '0'))?.category, String(n)).toBe(letter);
      }
    }
  });

  it('looks up divisions and categories', () => {
    expect(getKbliDivision('10')?.nameId).toBe('Industri Makanan');
    expect(getKbliDivision('04')).toBeUndefined();
    expect(getKbliCategory('c')?.nameEn).toBe('Manufacturing');
  });
});
