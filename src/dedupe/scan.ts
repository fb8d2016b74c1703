/**
 * Finds candidate duplicate pairs in a whole registry without comparing all pairs. Each record gets blocking
 * keys; only records sharing a key are compared:
 * - its birth date with each distinctive name part and its first three sounds (a NIK typo outside the
 *   birth-date digits, or another NIK with the same person behind it);
 * - its phone (the same person with another NIK; blocks larger than a family are left to the other keys);
 * - the masked NIK's clear digits (regency, serial) + a distinctive name part + two of day, month and year of
 *   birth (a NIK typo inside the birth-date digits), one of them with the sex (two digits swapped across
 *   day/month or month/year), and the regency + part + day and month (a swap across the year and the serial).
 * Keys are hashed to 32 bits and sorted with the record index in one Float64Array: O(n log n) time, a few
 * bytes per key, no string map of millions of entries. A hash collision only adds a comparison.
 *
 * A pair is compared only when the names share a distinctive part (or its first three sounds) or the phone;
 * it is scored on the clear data, and only pairs that could reach "review" have their NIKs resolved (decrypted,
 * by the caller) and are scored again.
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

/** Sets commonName on every record whose name many others in the same set bear. */
export function markCommonNames<T extends MatchRecord>(records: T[]): T[] {
  const counts = new Map<string, number>();
  const keys = records.map((r) => nameCountKey(r.name));
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (let i = 0; i < records.length; i++)
    if (isCommonName(counts.get(keys[i])!, records.length)) records[i].commonName = true;
  return records;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class KeyList {
  private buf: Float64Array;
  length = 0;
  private readonly idxBits: number;
  constructor(capacity: number, idxBits: number) {
    this.idxBits = idxBits;
    this.buf = new Float64Array(Math.max(16, Math.floor(capacity)));
  }
  add(key: string, idx: number) {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    const hashBits = 52 - this.idxBits;
    const h = fnv1a(key) >>> Math.max(0, 32 - hashBits);
    this.buf[this.length++] = h * 2 ** this.idxBits + idx;
  }
  /** Calls fn with each group (indexes of records sharing a key hash) of two or more. */
  groups(fn: (members: number[]) => void) {
    const a = this.buf.subarray(0, this.length).sort();
    const scale = 2 ** this.idxBits;
    let i = 0;
    while (i < a.length) {
      const h = Math.floor(a[i] / scale);
      let j = i + 1;
      while (j < a.length && Math.floor(a[j] / scale) === h) j++;
      if (j - i > 1) {
        const members: number[] = [];
        for (let k = i; k < j; k++) members.push(a[k] - h * scale);
        fn(members);
      }
      i = j;
    }
  }
}

export function scanRecords(
  records: readonly MatchRecord[],
  opts: ScanOptions = {},
): { pairs: ScanPair[]; stats: ScanStats } {
  const n = records.length;
  const idxBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  if (idxBits > 26) throw new Error('the scan handles at most 67 million records at a time');
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

  // name parts and their first three sounds as small integers, sorted per record, for a quick overlap test
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let v = ids.get(s);
    if (v === undefined) {
      v = ids.size;
      ids.set(s, v);
    }
    return v;
  };
  const parts: Int32Array[] = new Array(n);
  const distinctive: string[][] = new Array(n);
  const dates = new KeyList(n * 4, idxBits);
  const phones = new KeyList(n / 2, idxBits);
  const names = new KeyList(n * 10, idxBits);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const set = new Set<number>();
    const dist: string[] = [];
    for (const p of r.name) {
      // generic parts (Muhammad, Siti...) alone cannot make two names alike: they do not count as overlap
      if (GENERIC_PARTS.has(p) || p.length < 2) continue;
      set.add(intern(p));
      if (p.length >= 3) set.add(intern(`~${p.slice(0, 3)}`));
      if (!dist.includes(p)) dist.push(p);
    }
    parts[i] = Int32Array.from(set).sort();
    distinctive[i] = dist;
    if (r.phoneHash) phones.add(r.phoneHash, i);
    // born the same day, sharing a distinctive name part or its first three sounds: a NIK typo outside the
    // birth-date digits (kecamatan, serial), or another NIK altogether
    if (r.birthDate)
      for (const p of dist) {
        dates.add(`${r.birthDate}|${p}`, i);
        if (p.length > 3) dates.add(`${r.birthDate}|~${p.slice(0, 3)}`, i);
      }
    const sk = r.skeleton;
    const regency = sk.slice(0, 4);
    const serial = sk.slice(12);
    if (!regency.includes('?') && !sk.slice(6, 12).includes('?')) {
      // a NIK typo inside the birth-date digits keeps the regency and serial and two of day, month and year;
      // the day without the +40 of women's NIKs, as a typo there changes the recorded sex too
      const day = String(Number(sk.slice(6, 8)) % 40);
      const month = sk.slice(8, 10);
      const year = sk.slice(10, 12);
      const sex = r.sex ?? '?';
      for (const p of dist) {
        const rs = `${regency}${serial}|${p}`;
        names.add(`${rs}|my${month}${year}`, i);
        names.add(`${rs}|dy${day}.${year}`, i);
        names.add(`${regency}|${p}|dm${day}.${month}`, i); // no serial: also a swap of the year and serial
        // two neighbours swapped across day and month, or month and year
        names.add(`${rs}|${sex}|y${year}`, i);
        names.add(`${rs}|${sex}|d${day}`, i);
      }
    }
  }

  const stats: ScanStats = {
    records: n,
    keys: dates.length + phones.length + names.length,
    compared: 0,
    scored: 0,
    resolved: 0,
  };
  const seen = new Set<number>();
  const scale = 2 ** idxBits;
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
  const overlap = (x: Int32Array, y: Int32Array) => {
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      if (x[i] === y[j]) return true;
      if (x[i] < y[j]) i++;
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
    const ra = records[a];
    const rb = records[b];
    if (!overlap(parts[a], parts[b]) && (!ra.phoneHash || ra.phoneHash !== rb.phoneHash)) return;
    let s = scorePairIfPossible(ra, rb, minScore);
    if (!s) return;
    stats.scored++;
    if (s.score < minScore) return;
    // a pair sharing several keys is scored once per key (cheaper than remembering every pair compared)
    const key = a * scale + b;
    if (seen.has(key)) return;
    seen.add(key);
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
    const sub = new Map<string, number[]>();
    for (const i of m)
      for (const p of distinctive[i]) {
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
