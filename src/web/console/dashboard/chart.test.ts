import { describe, expect, it } from 'vitest';
import { labelEvery, niceTicks } from './chart.ts';

describe('trend chart geometry', () => {
  it('makes round, whole ticks that cover the largest value', () => {
    expect(niceTicks(1599)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(180)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
    expect(niceTicks(281_812)).toEqual([0, 100_000, 200_000, 300_000]);
    for (const max of [2, 9, 11, 99, 101, 12_345, 999_999]) {
      const t = niceTicks(max);
      expect(t[0]).toBe(0);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(max);
      expect(t.every(Number.isInteger)).toBe(true);
      expect(t.length).toBeLessThanOrEqual(7);
    }
  });
  it('thins category labels so they never overlap', () => {
    expect(labelEvery(6, 600, 40)).toBe(1);
    expect(labelEvery(62, 500, 56)).toBe(7);
    expect(labelEvery(0, 500, 56)).toBe(1);
  });
});
