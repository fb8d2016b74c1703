import { describe, expect, it } from 'vitest';
import { sizeClass } from './size.ts';

const B = 1_000_000_000;

describe('sizeClass', () => {
  it.each([
    [0, 'micro'],
    [B, 'micro'],
    [B + 1, 'small'],
    [5 * B, 'small'],
    [5 * B + 1, 'medium'],
    [10 * B, 'medium'],
    [10 * B + 1, 'large'],
  ])('classifies capital %d as %s', (capital, expected) => {
    expect(sizeClass({ capital })).toBe(expected);
  });

  it.each([
    [0, 'micro'],
    [2 * B, 'micro'],
    [2 * B + 1, 'small'],
    [15 * B, 'small'],
    [15 * B + 1, 'medium'],
    [50 * B, 'medium'],
    [50 * B + 1, 'large'],
  ])('classifies annual sales %d as %s when capital is unknown', (annualRevenue, expected) => {
    expect(sizeClass({ annualRevenue })).toBe(expected);
    expect(sizeClass({ capital: null, annualRevenue })).toBe(expected);
  });

  it('lets capital decide when both are known', () => {
    expect(sizeClass({ capital: 500_000_000, annualRevenue: 40 * B })).toBe('micro');
    expect(sizeClass({ capital: 6 * B, annualRevenue: 100_000_000 })).toBe('medium');
  });

  it('returns null when both are missing', () => {
    expect(sizeClass({})).toBeNull();
    expect(sizeClass({ capital: null, annualRevenue: undefined })).toBeNull();
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws for the amount %d', (amount) => {
    expect(() => sizeClass({ capital: amount })).toThrow(RangeError);
    expect(() => sizeClass({ annualRevenue: amount })).toThrow(RangeError);
  });
});
