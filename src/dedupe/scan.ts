/**
 * Finds candidate duplicate pairs in a whole registry without comparing all pairs. Each record gets blocking
 * keys; only records sharing a key are compared:
 * - its birth date and sex with each distinctive name part and its first three sounds (a NIK typo outside the
 *   birth-date digits, or another NIK with the same person behind it: a typo outside those digits keeps the
 *   sex, which the NIK's day carries);
 * - its phone (the same person with another NIK; blocks larger than a family are left to the other keys);
 * - the masked NIK's clear digits (regency, serial) + a distinctive name part + two of day, month and year of
 *   birth (a NIK typo inside the birth-date digits), the regency + part + day and month + the serial's last
 *   three digits (a swap across the year and the serial), and for two neighbours swapped across day and month
 *   or across month and year: the other birth-date digits with the two swapped ones in either order.
 * Keys are hashed to 32 bits from small integers (interned name parts, digits; no string is built) and put in
 * order with the record index by a radix sort: linear time, eight bytes per key, no string map of millions of
 * entries. A hash collision only adds a comparison. Blocks larger than the window are sorted by name and walked
 * with a window (sorted neighbourhood), so the comparisons per key are bounded.
 *
 * A pair is compared only when the names share a distinctive part (or its first three sounds) or the phone;
 * it is scored first on numbers prepared once per record (prescore.ts: no object per pair), only pairs that
 * could reach "review" are scored with scorePair, and only those have their NIKs resolved (decrypted, by the
 * caller) and are scored again.
 */
import { GENERIC_PARTS } from '../identity/names.ts';
import {
  isCommonName,
  type MatchRecord,
  nameCountKey,
  type PairScore,
  REVIEW_AT,
  scorePair,
  scorePairIfPossible,
} from './match.ts';
import { Interner, Prescorer } from './prescore.ts';

export type ScanPair = { a: number; b: number } & PairScore;

export type ScanOptions = {
  /** the full NIK of record i (decrypted); null when it cannot be read (erased) */
  resolveNik?: (i: number) => string | null;
  onProgress?: (done: number, total: number) => void;
  /** blocks larger than these are split by name part (birth date) or skipped (phone, a shared office phone) */
  maxDateBlock?: number;
  maxPhoneBlock?: number;
  maxNameBlock?: number;
  /** records compared with each other in a block before it is sorted by name and walked with a window (6) */
  window?: number;
  /** keep pairs scoring at least this (default REVIEW_AT); lower only to study the threshold */
  minScore?: number;
};

export type ScanStats = { records: number; keys: number; compared: number; scored: number; resolved: number };

/**
 * Sets commonName on every record whose name many others in the same set bear. `countIds`: per record, an id of
 * its name's count key (nameCountKey) when the caller has them already (a registry scan makes them once per
 * distinct name); else each name's count key is made once per name array (records read with one name-key cache
 * share their arrays).
 */
export function markCommonNames<T extends MatchRecord>(records: T[], countIds?: ArrayLike<number>): T[] {
  const ids = countIds ?? nameCountIds(records);
  let max = -1;
  for (let i = 0; i < records.length; i++) if (ids[i] > max) max = ids[i];
  const counts = new Int32Array(max + 1);
  for (let i = 0; i < records.length; i++) counts[ids[i]]++;
  for (let i = 0; i < records.length; i++)
    if (isCommonName(counts[ids[i]], records.length)) records[i].commonName = true;
  return records;
}

function nameCountIds(records: readonly MatchRecord[]): Int32Array {
  const idOfName = new Map<readonly string[], number>();
  const keys = new Interner();
  const ids = new Int32Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const name = records[i].name;
    let id = idOfName.get(name);
    if (id === undefined) {
      id = keys.id(nameCountKey(name));
      idOfName.set(name, id);
    }
    ids[i] = id;
  }
  return ids;
}

function mix(h: number, v: number): number {
  let k = Math.imul(v | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A 32-bit hash of a few small integers (a blocking key): murmur3's mixing, no string built. */
function hashKey(tag: number, a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = mix(mix(mix(mix(mix(Math.imul(tag + 1, 0x9e3779b1), a), b), c), d), e);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class KeyList {
  private hashes: Uint32Array;
  private idx: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    const c = Math.max(16, Math.floor(capacity));
    this.hashes = new Uint32Array(c);
    this.idx = new Uint32Array(c);
  }
  /** adds a 32-bit key hash for record idx */
  add(hash: number, idx: number) {
    if (this.length === this.hashes.length) {
      const h = new Uint32Array(this.length * 2);
      h.set(this.hashes);
      this.hashes = h;
      const x = new Uint32Array(this.length * 2);
      x.set(this.idx);
      this.idx = x;
    }
    this.hashes[this.length] = hash;
    this.idx[this.length++] = idx;
  }
  /**
   * Calls fn with each group (indexes of records sharing a key hash, in the order added) of two or more. The
   * keys are put in order with a radix sort (stable, linear time: a comparison sort of ten million keys took
   * seconds). The array is reused for the next group (no allocation per group):
   * fn must not keep it.
   */
  groups(fn: (members: number[]) => void) {
    const n = this.length;
    let h: Uint32Array = this.hashes.subarray(0, n);
    let x: Uint32Array = this.idx.subarray(0, n);
    let h2: Uint32Array = new Uint32Array(n);
    let x2: Uint32Array = new Uint32Array(n);
    // four passes of 8 bits: the 256 places written to stay in the caches (two passes of 16 bits were slower)
    const count = new Uint32Array(256);
    for (let shift = 0; shift < 32; shift += 8) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[(h[i] >>> shift) & 0xff]++;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = count[b];
        count[b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const at = count[(h[i] >>> shift) & 0xff]++;
        h2[at] = h[i];
        x2[at] = x[i];
      }
      [h, h2] = [h2, h];
      [x, x2] = [x2, x];
    }
    const members: number[] = [];
    let i = 0;
    while (i < n) {
      const v = h[i];
      let j = i + 1;
      while (j < n && h[j] === v) j++;
      if (j - i > 1) {
        members.length = 0;
        for (let k = i; k < j; k++) members.push(x[k]);
        fn(members);
      }
      i = j;
    }
  }
}

/** The birth-date blocks of a record by its sex (0 not recorded, 1 M, 2 F): one not recorded goes into both. */
const BLOCK_SEXES: readonly (readonly number[])[] = [[1, 2], [1], [2]];

/** Two digits of a string as a number (NaN-free: a non-digit gives a value no digits give). */
function twoDigits(s: string, at: number): number {
  const x = s.charCodeAt(at) - 48;
  const y = s.charCodeAt(at + 1) - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9
    ? x * 10 + y
    : 1000 + s.charCodeAt(at) * 128 + s.charCodeAt(at + 1);
}

/** Four characters of a string as one integer (each below 128: digits and '?'). */
const fourChars = (s: string, at: number) =>
  ((s.charCodeAt(at) & 127) << 21) |
  ((s.charCodeAt(at + 1) & 127) << 14) |
  ((s.charCodeAt(at + 2) & 127) << 7) |
  (s.charCodeAt(at + 3) & 127);

export function scanRecords(
  records: readonly MatchRecord[],
  opts: ScanOptions = {},
): { pairs: ScanPair[]; stats: ScanStats } {
  const n = records.length;
  if (n > 2 ** 26) throw new Error('the scan handles at most 67 million records at a time');
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  const maxDate = opts.maxDateBlock ?? 400;
  const maxPhone = opts.maxPhoneBlock ?? 30;
  const maxName = opts.maxNameBlock ?? 300;
  const minScore = opts.minScore ?? REVIEW_AT;
  const window = opts.window ?? 6;
  const sortKeys: (string | undefined)[] = new Array(n);
  const sortKey = (i: number) => {
    let k = sortKeys[i];
    if (k === undefined) {
      k = nameCountKey(records[i].name);
      sortKeys[i] = k;
    }
    return k;
  };

  // every field as numbers once (prescore.ts); name parts and their first three sounds as interned ids
  const pre = new Prescorer(records);
  const partIds = pre.parts;
  const nameIds = pre.nameIds;
  const nameFrom = pre.nameFrom;
  const partCount = partIds.size;
  // per name part: whether it counts (not generic, two letters or more), and the id of its first three sounds
  const counts = new Uint8Array(partCount);
  const prefix = new Int32Array(partCount).fill(-1);
  for (let p = 0; p < partCount; p++) {
    const s = partIds.values[p];
    if (GENERIC_PARTS.has(s) || s.length < 2) continue;
    counts[p] = 1;
    if (s.length >= 3) prefix[p] = partIds.id(`~${s.slice(0, 3)}`);
  }
  pre.partsChanged();
  const partLength = (p: number) => partIds.values[p].length;
  // per record: its distinctive parts (distinct, in order) and its sorted set of parts and first sounds
  const distFrom = new Int32Array(n + 1);
  const dist = new Int32Array(nameIds.length);
  const setFrom = new Int32Array(n + 1);
  const set = new Int32Array(nameIds.length * 2);
  let nd = 0;
  let ns = 0;
  const birthIds = pre.birthIds;
  const phoneIds = pre.phoneIds;
  const dates = new KeyList(n * 4);
  const phones = new KeyList(n / 2);
  const names = new KeyList(n * 12);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    distFrom[i] = nd;
    setFrom[i] = ns;
    for (let k = nameFrom[i]; k < nameFrom[i + 1]; k++) {
      const p = nameIds[k];
      // generic parts (Muhammad, Siti...) alone cannot make two names alike: they do not count as overlap
      if (counts[p] === 0) continue;
      let seen = false;
      for (let x = distFrom[i]; x < nd; x++) if (dist[x] === p) seen = true;
      if (seen) continue;
      dist[nd++] = p;
      set[ns++] = p;
      if (prefix[p] >= 0) {
        let has = false;
        for (let x = setFrom[i]; x < ns; x++) if (set[x] === prefix[p]) has = true;
        if (!has) set[ns++] = prefix[p];
      }
    }
    set.subarray(setFrom[i], ns).sort();
    if (phoneIds[i] !== 0) phones.add(hashKey(0, phoneIds[i]), i);
    // born the same day, sharing a distinctive name part or its first three sounds: a NIK typo outside the
    // birth-date digits (kecamatan, serial), or another NIK altogether
    const birth = birthIds[i];
    const sex = pre.sexOf(i);
    if (birth !== 0)
      for (const s of BLOCK_SEXES[sex])
        for (let x = distFrom[i]; x < nd; x++) {
          const p = dist[x];
          dates.add(hashKey(1, birth, p, s), i);
          if (partLength(p) > 3) dates.add(hashKey(1, birth, prefix[p], s), i);
        }
    const sk = r.skeleton;
    let known = true;
    for (const at of [0, 1, 2, 3, 6, 7, 8, 9, 10, 11]) if (sk.charCodeAt(at) === 63) known = false;
    if (known) {
      // a NIK typo inside the birth-date digits keeps the regency and serial and two of day, month and year;
      // the day without the +40 of women's NIKs, as a typo there changes the recorded sex too
      const regency = fourChars(sk, 0);
      const serial = fourChars(sk, 12);
      const day = twoDigits(sk, 6) % 40;
      const month = twoDigits(sk, 8);
      const year = twoDigits(sk, 10);
      const c = (at: number) => sk.charCodeAt(at) & 127;
      const acrossDayMonth = (c(6) << 21) | (Math.min(c(7), c(8)) << 14) | (Math.max(c(7), c(8)) << 7) | c(9);
      const acrossMonthYear = (c(6) << 21) | (c(7) << 14) | (c(8) << 7) | c(11);
      const swappedMonthYear = (Math.min(c(9), c(10)) << 14) | (Math.max(c(9), c(10)) << 7) | sex;
      for (let x = distFrom[i]; x < nd; x++) {
        const p = dist[x];
        names.add(hashKey(2, regency, serial, p, month, year), i);
        names.add(hashKey(3, regency, serial, p, day, year), i);
        // the serial's last three digits only: also a swap of the year's last digit and the serial's first
        names.add(hashKey(4, regency, p, day, month, serial & 0x1fffff), i);
        // two neighbours swapped across day and month, or month and year: the other digits, and the two
        // swapped ones in either order
        names.add(hashKey(5, regency, serial, p, acrossDayMonth, year), i);
        names.add(hashKey(6, regency, serial, p, acrossMonthYear, swappedMonthYear), i);
      }
    }
  }
  distFrom[n] = nd;
  setFrom[n] = ns;

  const stats: ScanStats = {
    records: n,
    keys: dates.length + phones.length + names.length,
    compared: 0,
    scored: 0,
    resolved: 0,
  };
  const seen = new Set<number>();
  const nik = new Map<number, string | null>();
  const resolve = (i: number) => {
    if (!opts.resolveNik) return null;
    let v = nik.get(i);
    if (v === undefined) {
      v = opts.resolveNik(i);
      nik.set(i, v);
      stats.resolved++;
    }
    return v;
  };
  /** whether records a and b share a distinctive name part or its first three sounds (sorted sets) */
  const overlap = (a: number, b: number) => {
    let i = setFrom[a];
    let j = setFrom[b];
    const ei = setFrom[a + 1];
    const ej = setFrom[b + 1];
    while (i < ei && j < ej) {
      const x = set[i];
      const y = set[j];
      if (x === y) return true;
      if (x < y) i++;
      else j++;
    }
    return false;
  };
  const pairs: ScanPair[] = [];
  const compare = (i: number, j: number) => {
    if (i === j) return;
    stats.compared++;
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    // most pairs end here: the score computed on numbers, no object made (an upper bound, see prescore.ts)
    if (pre.bound(a, b, minScore) < minScore) return;
    if (!overlap(a, b) && (phoneIds[a] === 0 || phoneIds[a] !== phoneIds[b])) return;
    // a pair sharing several keys is scored in full once (the few that come this far are remembered)
    const key = a * scale + b;
    if (seen.has(key)) return;
    seen.add(key);
    const ra = records[a];
    const rb = records[b];
    let s = scorePairIfPossible(ra, rb, minScore);
    if (!s) return;
    stats.scored++;
    if (s.score < minScore) return;
    if (opts.resolveNik && (ra.nik === null || rb.nik === null)) {
      const na = ra.nik ?? resolve(a);
      const nb = rb.nik ?? resolve(b);
      if (na && nb) s = scorePair({ ...ra, nik: na }, { ...rb, nik: nb });
    }
    if (s.level || s.score >= minScore) pairs.push({ a, b, ...s });
  };
  /**
   * A block is compared pair by pair up to `window` records; a larger one (blocks grow with the registry) is
   * sorted by name and each record compared with its `window` neighbours (sorted neighbourhood), so the work
   * per record stays bounded and the scan grows as n log n (the sorts), not n².
   */
  const allPairs = (m: number[]) => {
    if (m.length > window + 1)
      m.sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : x - y));
    for (let x = 0; x < m.length; x++) {
      const end = Math.min(m.length, x + 1 + window);
      for (let y = x + 1; y < end; y++) compare(m[x], m[y]);
    }
  };
  /** An oversized block is compared only between records sharing a distinctive name part. */
  const byPart = (m: number[]) => {
    const sub = new Map<number, number[]>();
    for (const i of m)
      for (let x = distFrom[i]; x < distFrom[i + 1]; x++) {
        const p = dist[x];
        const l = sub.get(p);
        if (l) l.push(i);
        else sub.set(p, [i]);
      }
    for (const l of sub.values()) if (l.length <= maxName) allPairs(l);
  };

  const total = dates.length + phones.length + names.length;
  let done = 0;
  const step = (m: number[]) => {
    done += m.length;
    if (opts.onProgress && (done & 0xffff) < m.length) opts.onProgress(done, total);
  };
  dates.groups((m) => {
    if (m.length <= maxDate) allPairs(m);
    else byPart(m);
    step(m);
  });
  phones.groups((m) => {
    if (m.length <= maxPhone) allPairs(m);
    step(m);
  });
  names.groups((m) => {
    if (m.length <= maxName) allPairs(m);
    else byPart(m);
    step(m);
  });
  opts.onProgress?.(total, total);
  pairs.sort((p, q) => q.score - p.score || p.a - q.a || p.b - q.b);
  return { pairs, stats };
}
