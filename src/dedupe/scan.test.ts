import { describe, expect, it } from 'vitest';
import { asMatchRecords, generatePopulation, measure } from '../testing/people.ts';
import { type MatchRecord, nikSkeleton, scorePair } from './match.ts';
import { Prescorer } from './prescore.ts';
import { scanRecords } from './scan.ts';

const pop = generatePopulation(6000, 11);
const records = asMatchRecords(pop);

describe("Prescorer (the scan's first score on numbers)", () => {
  // pairs of every kind: injected duplicates, twins, spouses, and records picked at random
  const pairs: [number, number][] = [...pop.duplicates, ...pop.twins, ...pop.spouses];
  for (let k = 0; k < 3000; k++)
    pairs.push([(k * 7919) % records.length, (k * 104729 + 13) % records.length]);

  it("gives scorePair's score on the clear data: a pair is kept at a threshold exactly when scorePair reaches it", () => {
    const pre = new Prescorer(records);
    for (const [x, y] of pairs) {
      if (x === y) continue;
      const [a, b] = x < y ? [x, y] : [y, x];
      const score = scorePair(records[a], records[b]).score;
      expect(pre.bound(a, b, score)).toBeGreaterThanOrEqual(score);
      expect(pre.bound(a, b, score + 0.5)).toBeLessThan(score + 0.5);
    }
  });

  it("never falls below scorePair's score with full NIKs (a kecamatan typo at the own address weighs less)", () => {
    const full: MatchRecord[] = records.map((r, i) => ({ ...r, nik: pop.people[i].nik }));
    const pre = new Prescorer(full);
    for (const [x, y] of pairs) {
      if (x === y) continue;
      const [a, b] = x < y ? [x, y] : [y, x];
      const score = scorePair(full[a], full[b]).score;
      expect(pre.bound(a, b, score)).toBeGreaterThanOrEqual(score);
    }
  });
});

describe('scanRecords', () => {
  it('compares a record whose sex is not recorded with records of either sex born the same day', () => {
    const a = records[pop.duplicates[0][0]];
    const b: MatchRecord = {
      ...a,
      regno: `${a.regno}-b`,
      sex: null,
      skeleton: nikSkeleton(
        a.skeleton.slice(0, 4) + a.skeleton.slice(-4).padStart(12, '*'),
        a.birthDate,
        null,
      ),
      phoneHash: 'another-phone',
    };
    const other = records.find((r) => r.sex !== a.sex && r.birthDate !== a.birthDate)!;
    const { pairs } = scanRecords([a, other, b]);
    expect(pairs.map((p) => [p.a, p.b])).toContainEqual([0, 2]);
  });

  it('finds the injected duplicates, and no twin or spouse as "sure"', () => {
    const { pairs, stats } = scanRecords(records, { resolveNik: (i) => pop.people[i].nik });
    const q = measure(pop, pairs);
    expect(q.recall).toBeGreaterThanOrEqual(0.95);
    expect(q.precision).toBeGreaterThanOrEqual(0.95);
    expect(q.surePrecision).toBeGreaterThanOrEqual(0.99);
    expect(q.twinsFlagged.sure + q.spousesFlagged.sure).toBe(0);
    // compared a few neighbours per record, not all pairs
    expect(stats.compared).toBeLessThan(records.length * 20);
  });
});
