import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiParts,
  compareNames,
  jaroWinkler,
  letterBits,
  mayBeAlike,
  nameKey,
  nameParts,
  PART_MATCH,
  partSimilarity,
  phonetic,
  writtenParts,
} from './names.ts';

describe('mayBeAlike (the letters filter before partSimilarity)', () => {
  const may = (a: string, b: string) => mayBeAlike(a.length, letterBits(a), b.length, letterBits(b));

  it('never rules out two parts partSimilarity takes as the same part', () => {
    const part = fc.string({
      unit: fc.constantFrom(...'aaiiuueeoonrstmdkhbgwyjlcpx'),
      minLength: 1,
      maxLength: 12,
    });
    // a part and the same part with a few edits (typos, spellings), and unrelated parts
    const edited = part.chain((a) =>
      fc
        .array(
          fc.tuple(
            fc.nat(12),
            fc.constantFrom(...'aiuenrstmdkh-'),
            fc.constantFrom('swap', 'del', 'ins', 'sub'),
          ),
          {
            maxLength: 3,
          },
        )
        .map((edits) => {
          let b = a;
          for (const [at, c, op] of edits) {
            const i = at % (b.length + 1);
            if (op === 'del') b = b.slice(0, i) + b.slice(i + 1);
            else if (op === 'ins') b = b.slice(0, i) + (c === '-' ? '' : c) + b.slice(i);
            else if (op === 'sub') b = b.slice(0, i) + (c === '-' ? '' : c) + b.slice(i + 1);
            else if (i + 1 < b.length) b = b.slice(0, i) + b[i + 1] + b[i] + b.slice(i + 2);
          }
          return [a, b || a] as const;
        }),
    );
    fc.assert(
      fc.property(fc.oneof(edited, fc.tuple(part, part)), ([a, b]) => {
        if (partSimilarity(a, b) >= PART_MATCH) expect(may(a, b)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('rules out different names without comparing them', () => {
    expect(may('dewi', 'sri')).toBe(false);
    expect(may('ahmad', 'budi')).toBe(false);
    expect(may('ahmad', 'achmad')).toBe(true);
    expect(may('setiawan', 'setiyawan')).toBe(true);
    expect(may('m', 'muhamad')).toBe(true); // an initial
  });
});

describe('jaroWinkler', () => {
  // published vectors (Winkler 1990; the values quoted with the common implementations)
  it.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.813],
    ['JELLYFISH', 'SMELLYFISH', 0.896],
  ])('%s / %s = %f', (a, b, want) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(want, 3);
  });
  it('is 1 for equal strings, 0 for nothing in common or an empty string', () => {
    expect(jaroWinkler('siti', 'siti')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });
  it('handles strings longer than 31 characters', () => {
    const a = 'abcdefghijklmnopqrstuvwxyzabcdefghij';
    expect(jaroWinkler(a, `${a}k`)).toBeGreaterThan(0.99);
    // two neighbours swapped in 36 characters: m = 36, t = 1 transposition, prefix 4
    const swapped = `${a.slice(0, 10)}${a[11]}${a[10]}${a.slice(12)}`;
    const jaro = (1 + 1 + 35 / 36) / 3;
    expect(jaroWinkler(a, swapped)).toBeCloseTo(jaro + 0.4 * (1 - jaro), 12);
  });
  it('is symmetric', () => {
    for (const [a, b] of [
      ['rahmawati', 'rahmawaty'],
      ['susanto', 'santoso'],
      ['ab', 'ba'],
    ])
      expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 12);
  });
});

describe('phonetic and nameKey', () => {
  it('brings the old and new spellings together', () => {
    for (const [old, now] of [
      ['soekarno', 'sukarno'],
      ['djoko', 'joko'],
      ['tjahjono', 'cahyono'],
      ['jusuf', 'yusuf'],
      ['chairul', 'khairul'],
      ['sjahrir', 'syahrir'],
      ['njoman', 'nyoman'],
      ['fatimah', 'fatima'],
      ['rizky', 'rizki'],
      ['zainal', 'zaenal'],
      ['ramadhan', 'ramadan'],
    ])
      expect(phonetic(old)).toBe(phonetic(now));
  });
  it('expands abbreviations and drops titles and degrees', () => {
    expect(nameKey('M. Rizki')).toEqual(nameKey('Muhammad Rizki'));
    expect(nameKey('Moh Rizki')).toEqual(nameKey('Muhamad Rizky'));
    expect(nameKey('St. Aminah')).toEqual(nameKey('Siti Aminah'));
    expect(nameKey('Hj. Siti Aminah, S.E.')).toEqual(nameKey('Siti Aminah'));
    expect(nameKey('Drs. H. Abd. Rahman')).toEqual(nameKey('Abdul Rahman'));
    expect(nameParts("Ma'ruf Al-Amin")).toEqual(['maruf', 'alamin']);
  });
  it('splits a printable ASCII name in one pass exactly as the regular expressions do', () => {
    const alphabet = "abcxyzABCXYZ  ..''--,,09!?/()_\t\u00e9\u00c9\u212a\u0130";
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 20_000; k++) {
      let s = '';
      const len = Math.floor(next() * 14);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      const fast = asciiParts(s);
      if (fast) expect(fast, JSON.stringify(s)).toEqual(writtenParts(s));
    }
    for (const s of ["Ma'ruf Al-Amin", 'Hj. Siti Aminah, S.E.', 'M.Rizki', ' ', '', 'A.B.C'])
      expect(asciiParts(s)).toEqual(writtenParts(s));
  });
  it('keeps a one-part name even when it looks like a title', () => {
    expect(nameParts('Ibu')).toEqual(['ibu']);
  });
});

describe('compareNames', () => {
  const sim = (a: string, b: string) => compareNames(nameKey(a), nameKey(b)).similarity;
  it('gives 1 to the same name written differently or in another order', () => {
    expect(sim('Muhammad Rizki Saputra', 'M. Rizky Saputra')).toBe(1);
    expect(sim('Siti Aminah', 'Aminah Siti')).toBe(1);
    expect(sim('Soekarno Djojodihardjo', 'Sukarno Joyodiharjo')).toBe(1);
  });
  it('stays high for a missing or extra part and for a typo', () => {
    expect(sim('Siti Aminah', 'Siti Aminah Putri')).toBeGreaterThan(0.95);
    expect(sim('Budi Santoso', 'Budi Santoso Wibowo')).toBeGreaterThan(0.9);
    expect(sim('Bambang Susanto', 'Bambang Susantp')).toBeGreaterThan(0.9);
  });
  it('is low for different given names with the same family name (siblings, twins)', () => {
    expect(sim('Andi Saputra', 'Budi Saputra')).toBeLessThan(0.6);
    expect(sim('Muhammad Hasan', 'Muhammad Husain')).toBeLessThan(0.6);
  });
  it('does not call names alike on generic parts alone', () => {
    expect(sim('Siti', 'Siti Aminah')).toBeLessThanOrEqual(0.6);
    expect(sim('Muhammad Nur', 'Nur Muhammad Hidayat')).toBeLessThanOrEqual(0.6);
  });
  it('reports the evidence', () => {
    const c = compareNames(nameKey('Siti Aminah'), nameKey('Siti Aminah Putri'));
    expect(c.unmatchedB).toEqual(['putri']);
    expect(c.matched.map((m) => m.a).sort()).toEqual(['amina', 'siti']);
    expect(c.distinctiveMatch).toBe(true);
  });
});
