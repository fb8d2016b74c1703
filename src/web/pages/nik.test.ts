import { describe, expect, it } from 'vitest';
import { nikDigits, nikHint } from './nik.ts';

const now = new Date('2025-06-01T03:00:00Z');

describe('nikHint (browser-side NIK reading)', () => {
  it('reads a man born in the 1900s', () => {
    expect(nikHint('3171011705900001', now)).toEqual({ birthDate: '1990-05-17', sex: 'M' });
  });
  it('reads a woman (day + 40) and the newest century that is not in the future', () => {
    expect(nikHint('3174055703020002', now)).toEqual({ birthDate: '2002-03-17', sex: 'F' });
    expect(nikHint('3174055703300002', now)).toEqual({ birthDate: '1930-03-17', sex: 'F' });
  });
  it('ignores separators and gives nothing for a short or impossible NIK', () => {
    expect(nikHint('3171 0117 0590 0001', now)?.birthDate).toBe('1990-05-17');
    expect(nikHint('317101170590', now)).toBeNull();
    expect(nikHint('3171013102900001', now)).toBeNull();
    expect(nikDigits('31.71-01 x')).toBe('317101');
  });
});
