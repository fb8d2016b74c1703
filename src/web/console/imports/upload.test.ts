import { describe, expect, it } from 'vitest';
import { validAmount } from '../qris/amount.ts';
import { progressPct } from './upload.ts';

describe('progressPct', () => {
  it('is the share of bytes read, clamped to 0-100', () => {
    expect(progressPct(0, 0)).toBe(0);
    expect(progressPct(50, 200)).toBe(25);
    expect(progressPct(300, 200)).toBe(100);
    expect(progressPct(-1, 200)).toBe(0);
  });
});

describe('validAmount', () => {
  it('accepts digits with up to two decimals, above zero', () => {
    expect(validAmount('15000')).toBe(true);
    expect(validAmount('1234.5')).toBe(true);
    expect(validAmount('0.01')).toBe(true);
    expect(validAmount('0')).toBe(false);
    expect(validAmount('1.234')).toBe(false);
    expect(validAmount('1,5')).toBe(false);
    expect(validAmount('-5')).toBe(false);
    expect(validAmount('')).toBe(false);
  });
});
