import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crc16Hex, crcToHex } from './index.ts';

/** Bit-by-bit CRC-16/CCITT-FALSE over UTF-8 bytes, straight from the definition. */
function reference(s: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(s)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16 (CRC-16/CCITT-FALSE)', () => {
  it('gives the published check value for "123456789"', () => {
    expect(crc16('123456789')).toBe(0x29b1);
    expect(crc16Hex('123456789')).toBe('29B1');
  });

  it('gives the initial value for the empty string', () => {
    expect(crc16('')).toBe(0xffff);
  });

  it('writes four upper-case hex digits', () => {
    expect(crcToHex(0x0a)).toBe('000A');
    expect(crcToHex(0xbeef)).toBe('BEEF');
  });

  it('runs over the UTF-8 bytes, not UTF-16 units', () => {
    // 'é' is C3 A9 in UTF-8; '😀' is F0 9F 98 80.
    expect(crc16('é')).toBe(reference('é'));
    expect(crc16('é')).not.toBe(crc16('\u00e9'.normalize('NFD')));
    expect(crc16('Kopi 😀 Café')).toBe(reference('Kopi 😀 Café'));
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    expect(crc16('a\ud800b')).toBe(reference('a\ufffdb'));
  });

  it('matches the reference on a QRIS prefix', () => {
    const p =
      '00020101021126670016COM.NOBUBANK.WWW01189360050300000879140214703239147837910303UMI51440014ID.CO.QRIS.WWW0215ID20232709941630303UMI5204481253033605802ID5923GRANOOL STORE OK12295776006KEDIRI61056421262070703A016304';
    expect(crc16Hex(p)).toBe('7127');
  });

  it('matches the reference on arbitrary strings, every length and alignment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => crc16(s) === reference(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (s) => crc16(s) === reference(s)),
      { numRuns: 1000 },
    );
  });

  it('handles strings longer than its buffer', () => {
    const long = 'QRIS é 😀 '.repeat(10_000);
    expect(crc16(long)).toBe(reference(long));
  });
});
