/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor),
 * the checksum of EMVCo Merchant-Presented Mode data object '63'.
 *
 * The CRC is defined over bytes; QR payload strings are encoded as UTF-8. The
 * functions here encode on the fly (no intermediate buffer) with an ASCII fast path.
 */

const TABLE = /* @__PURE__ */ (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/**
 * Slice-by-4 tables: T_k[b] is the CRC (from state 0) of byte b followed by k-1 zero bytes.
 * Four ASCII characters then cost four look-ups: the CRC is linear, so the contributions of
 * the state (folded into the first two bytes) and of each byte can be xored together.
 */
const T2 = new Uint16Array(256);
const T3 = new Uint16Array(256);
const T4 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = TABLE[i];
  c = ((c << 8) ^ TABLE[c >>> 8]) & 0xffff;
  T2[i] = c;
  c = ((c << 8) ^ TABLE[c >>> 8]) & 0xffff;
  T3[i] = c;
  c = ((c << 8) ^ TABLE[c >>> 8]) & 0xffff;
  T4[i] = c;
}

const HEX = '0123456789ABCDEF';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const encoder = new TextEncoder();
/** Strings up to this many UTF-16 units are encoded into a reused buffer; longer ones are read char by char. */
const MAX_BUFFERED = 1 << 16;
let buf = new Uint8Array(2048);
let words = new Uint32Array(buf.buffer);

/** UTF-8 encodes `s` into the shared buffer; returns the byte count, or -1 if `s` is too long for it. */
function encode(s: string): number {
  const need = s.length * 3;
  if (need > buf.length) {
    if (s.length > MAX_BUFFERED) return -1;
    let size = buf.length;
    while (size < need) size *= 2;
    buf = new Uint8Array(size);
    words = new Uint32Array(buf.buffer);
  }
  return encoder.encodeInto(s, buf).written;
}

/** Set by {@link scanPayload}. */
export const payloadScan = {
  /** Every byte is printable ASCII (0x20-0x7E). */
  printable: false,
  /** The string holds a surrogate pair (a code point above U+FFFF); may also be set for a lone surrogate. */
  surrogate: false,
};

/**
 * CRC over the first `len` bytes of the shared buffer, four bytes per step, noting whether
 * all of them are printable ASCII.
 */
function crcBuffer(len: number): number {
  let crc = 0xffff;
  let i = 0;
  let flags = 0;
  if (LITTLE_ENDIAN) {
    const w32 = words;
    for (; i + 3 < len; i += 4) {
      const w = w32[i >>> 2];
      // SWAR: a byte below 0x20, or above 0x7E, sets that byte's top bit.
      flags |= ((w - 0x20202020) & ~w) | ((w + 0x01010101) | w);
      crc =
        T4[(crc >>> 8) ^ (w & 0xff)] ^
        T3[(crc & 0xff) ^ ((w >>> 8) & 0xff)] ^
        T2[(w >>> 16) & 0xff] ^
        TABLE[w >>> 24];
    }
  }
  const b = buf;
  for (; i < len; i++) {
    const c = b[i];
    if (c < 0x20 || c > 0x7e) flags |= 0x80;
    crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ c) & 0xff]) & 0xffff;
  }
  payloadScan.printable = (flags & 0x80808080) === 0;
  return crc;
}

/**
 * Whether the first `len` bytes of the buffer hold a four-byte UTF-8 sequence (lead byte
 * 0xF0 or above), i.e. the string held a surrogate pair. Lone surrogates, encoded as
 * U+FFFD, count as one character either way and do not matter to the caller.
 */
function hasFourByteSequence(len: number): boolean {
  const b = buf;
  for (let i = 0; i < len; i++) if (b[i] >= 0xf0) return true;
  return false;
}

function hasSurrogate(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * For the parser: the CRC of every byte of `s` but those of its last four characters (where
 * a well-formed payload ends with "6304" and the CRC), and {@link payloadScan} flags for
 * the whole string.
 */
export function scanPayload(s: string): number {
  const n = s.length;
  const written = encode(s);
  if (written < 0) {
    const crc = crc16Range(s, 0, n >= 4 ? n - 4 : 0);
    payloadScan.surrogate = hasSurrogate(s, 0, n);
    payloadScan.printable = false;
    return crc;
  }
  payloadScan.surrogate = written !== n && hasFourByteSequence(written);
  let tail = 0;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const c = s.charCodeAt(i);
    tail += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  if (tail > written) tail = written;
  const crc = crcBuffer(written - tail);
  if (payloadScan.printable) {
    for (let i = written - tail; i < written; i++) {
      const c = buf[i];
      if (c < 0x20 || c > 0x7e) payloadScan.printable = false;
    }
  }
  return crc;
}

function step(crc: number, byte: number): number {
  return ((crc << 8) ^ TABLE[((crc >>> 8) ^ byte) & 0xff]) & 0xffff;
}

/**
 * CRC of the UTF-8 encoding of `s.slice(start, end)`, computed without slicing.
 * Lone surrogates are encoded as U+FFFD, like `TextEncoder` does.
 */
export function crc16Range(s: string, start: number, end: number): number {
  let crc = 0xffff;
  let i = start;
  while (i < end) {
    // ASCII fast path, four characters at a time.
    while (i + 3 < end) {
      const c0 = s.charCodeAt(i);
      const c1 = s.charCodeAt(i + 1);
      const c2 = s.charCodeAt(i + 2);
      const c3 = s.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) >= 0x80) break;
      crc = T4[(crc >>> 8) ^ c0] ^ T3[(crc & 0xff) ^ c1] ^ T2[c2] ^ TABLE[c3];
      i += 4;
    }
    if (i >= end) break;
    // One character at a time: the tail, or a run that holds a non-ASCII character.
    let c = s.charCodeAt(i++);
    if (c < 0x80) {
      crc = step(crc, c);
      continue;
    }
    if (c < 0x800) {
      crc = step(crc, 0xc0 | (c >>> 6));
      crc = step(crc, 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i < end ? s.charCodeAt(i) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        crc = step(crc, 0xf0 | (cp >>> 18));
        crc = step(crc, 0x80 | ((cp >>> 12) & 0x3f));
        crc = step(crc, 0x80 | ((cp >>> 6) & 0x3f));
        crc = step(crc, 0x80 | (cp & 0x3f));
        i++;
        continue;
      }
      c = 0xfffd;
    }
    crc = step(crc, 0xe0 | (c >>> 12));
    crc = step(crc, 0x80 | ((c >>> 6) & 0x3f));
    crc = step(crc, 0x80 | (c & 0x3f));
  }
  return crc;
}

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `input`. `crc16('123456789') === 0x29b1`. */
export function crc16(input: string): number {
  const written = encode(input);
  return written < 0 ? crc16Range(input, 0, input.length) : crcBuffer(written);
}

/** A CRC as the four upper-case hex digits that EMVCo tag '63' carries. */
export function crcToHex(crc: number): string {
  return HEX[(crc >>> 12) & 15] + HEX[(crc >>> 8) & 15] + HEX[(crc >>> 4) & 15] + HEX[crc & 15];
}

/** {@link crc16} written as four upper-case hex digits, e.g. `'29B1'`. */
export function crc16Hex(input: string): string {
  return crcToHex(crc16(input));
}
