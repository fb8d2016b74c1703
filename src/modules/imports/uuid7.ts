import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered ids (RFC 9562 UUID version 7) for the rows an import writes: 48 bits of Unix milliseconds, then a
 * 12-bit counter that keeps ids made in the same millisecond in order, then 62 random bits. Consecutive rows get
 * neighbouring keys, so primary keys and `participant_id` indexes grow at their end instead of scattering each
 * batch over the whole B-tree (random UUIDs make SQLite touch a different page per row once the database
 * outgrows its page cache). Valid UUIDs like the version 4 ids elsewhere (`isUuid`, zod's `z.uuid()`).
 */
const pool = Buffer.alloc(8 * 1024);
let poolPos = pool.length;
let lastMs = -1;
let seq = 0;
let prefix = '';
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const SEQ = Array.from({ length: 4096 }, (_, i) => `-7${i.toString(16).padStart(3, '0')}-`);

export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    // more than 4,096 ids in one millisecond: borrow the next one (ids stay unique and ordered)
    lastMs++;
    seq = 0;
  }
  if (seq === 0) {
    const ts = lastMs.toString(16).padStart(12, '0');
    prefix = `${ts.slice(0, 8)}-${ts.slice(8)}`;
  }
  if (poolPos + 8 > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const b = pool;
  const i = poolPos;
  poolPos += 8;
  return (
    prefix +
    SEQ[seq] +
    HEX[0x80 | (b[i] & 0x3f)] +
    HEX[b[i + 1]] +
    '-' +
    HEX[b[i + 2]] +
    HEX[b[i + 3]] +
    HEX[b[i + 4]] +
    HEX[b[i + 5]] +
    HEX[b[i + 6]] +
    HEX[b[i + 7]]
  );
}
