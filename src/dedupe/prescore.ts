/**
 * The first score of the scan's pair loop without allocating: every field a pair is scored on is turned once per
 * record into numbers in typed arrays (NIK digits, interned birth date, phone, kelurahan, kecamatan, RT/RW, name
 * and business parts as interned ids), and a pair's score is computed from those with the same rules as
 * scorePair (match.ts), the similarity of two name parts being remembered per pair of parts.
 *
 * What it returns is an upper bound of scorePair's score on the clear data: the same score, except that it leaves
 * out the one rule that needs two full NIKs (a typo in the kecamatan digits where each NIK is its holder's own
 * address weighs less). The scan keeps a pair only when this bound reaches the threshold, and then scores it with
 * scorePair itself, so the pairs found and their scores are exactly those of scorePair; the bound only spares
 * the millions of pairs a blocking key brings together the objects and strings of a full comparison.
 */
import { GENERIC_PARTS, letterBits, mayBeAlike, PART_MATCH, partSimilarity } from '../identity/names.ts';
import { inBirthDigits, type MatchRecord, namePoints, SERIAL_FROM } from './match.ts';

/** Interned strings: one small integer per distinct value. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(s: string): number {
    let v = this.ids.get(s);
    if (v === undefined) {
      v = this.values.length;
      this.ids.set(s, v);
      this.values.push(s);
    }
    return v;
  }
  get size() {
    return this.values.length;
  }
}

/**
 * Remembers a number per ordered pair of small integers: open addressing in one Float64Array, each slot the key
 * ((x + 1) * 2^26 + y; 0: empty) next to its value, so that a look-up touches one cache line. Grows to 4M
 * slots, then starts again (name parts are few; typos are not).
 */
class PairMemo {
  private bits: number;
  private table: Float64Array;
  private used = 0;
  constructor(bits = 16) {
    this.bits = bits;
    this.table = new Float64Array(2 << bits);
  }
  private slot(key: number, x: number, y: number): number {
    const mask = (1 << this.bits) - 1;
    let h = Math.imul(x ^ Math.imul(y, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let s = h & mask;
    for (;;) {
      const k = this.table[2 * s];
      if (k === 0 || k === key) return s;
      s = (s + 1) & mask;
    }
  }
  get(x: number, y: number, compute: (x: number, y: number) => number): number {
    if (x >= 2 ** 26 || y >= 2 ** 26) return compute(x, y);
    const key = (x + 1) * 2 ** 26 + y;
    let s = this.slot(key, x, y);
    if (this.table[2 * s] !== 0) return this.table[2 * s + 1];
    const v = compute(x, y);
    if (this.used * 10 > (1 << this.bits) * 7) {
      const old = this.table;
      if (this.bits < 22) {
        this.bits++;
        this.table = new Float64Array(2 << this.bits);
        for (let i = 0; i < old.length; i += 2)
          if (old[i] !== 0) {
            const ox = Math.floor(old[i] / 2 ** 26) - 1;
            const oy = old[i] % 2 ** 26;
            const t = this.slot(old[i], ox, oy);
            this.table[2 * t] = old[i];
            this.table[2 * t + 1] = old[i + 1];
          }
      } else {
        this.table.fill(0);
        this.used = 0;
      }
      s = this.slot(key, x, y);
    }
    this.table[2 * s] = key;
    this.table[2 * s + 1] = v;
    this.used++;
    return v;
  }
}

/** FNV-1a, never 0 (0 stands for a missing value) */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 1;
}

/** "YYYY-MM-DD" as the number YYYYMMDD, else undefined */
function isoDate(s: string): number | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  let v = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return v;
}

// a record's slots: NIK characters in bytes 0-15; then 32-bit slots 4-10; rt and rw as 64-bit slots 6 and 7
const STRIDE = 16; // 32-bit slots per record
const BIRTH = 4;
const PHONE = 5;
const VILLAGE = 6;
const DISTRICT = 7;
const FLAGS = 8; // sex (1 M, 2 F, 0 unknown) | rt and rw given << 2 | common name << 3 | name counts in full << 4
const NAME_FROM = 9;
const NAME_TO = 10;
const RT = 6;
const RW = 7;

export class Prescorer {
  readonly parts = new Interner();
  /** per record: offsets into nameIds / bizIds (n + 1 entries each) */
  readonly nameFrom: Int32Array;
  readonly nameIds: Int32Array;
  private readonly bizFrom: Int32Array;
  private readonly bizIds: Int32Array;
  /**
   * Per record, 64 bytes (a cache line): everything the first score reads before the names' parts, so that a
   * pair costs two cache misses rather than one per field (the blocks bring records together from all over a
   * registry that no longer fits the caches at a million). Three views of one buffer; see the slots below.
   */
  private readonly u8: Uint8Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  /** per part id: weight in a name (generic parts weigh less) and length */
  private partWeight = new Float64Array(0);
  private partLength = new Int32Array(0);
  /** per part id: its letters as a bit set (letterBits) */
  private partLetters = new Int32Array(0);
  private readonly memo = new PairMemo();
  // scratch space of compareNames
  private readonly pi = new Int32Array(64);
  private readonly pj = new Int32Array(64);
  private readonly ps = new Float64Array(64);
  private readonly usedA = new Uint8Array(32);
  private readonly usedB = new Uint8Array(32);
  /** birth dates (YYYYMMDD, or interned) and phones (hashed); 0: missing */
  readonly birthIds: Int32Array;
  readonly phoneIds: Int32Array;

  constructor(records: readonly MatchRecord[]) {
    const n = records.length;
    const dates = new Interner();
    this.nameFrom = new Int32Array(n + 1);
    this.bizFrom = new Int32Array(n + 1);
    let names = 0;
    let biz = 0;
    for (let i = 0; i < n; i++) {
      names += records[i].name.length;
      biz += records[i].business.length;
    }
    this.nameIds = new Int32Array(names);
    this.bizIds = new Int32Array(biz);
    const block = new ArrayBuffer(n * STRIDE * 4);
    this.u8 = new Uint8Array(block);
    this.i32 = new Int32Array(block);
    this.f64 = new Float64Array(block);
    const birth = new Int32Array(n);
    const phone = new Int32Array(n);
    names = 0;
    biz = 0;
    for (let i = 0; i < n; i++) {
      const r = records[i];
      this.nameFrom[i] = names;
      for (const p of r.name) this.nameIds[names++] = this.parts.id(p);
      this.bizFrom[i] = biz;
      for (const p of r.business) this.bizIds[biz++] = this.parts.id(p);
      const nik = r.nik ?? r.skeleton;
      const o = i * STRIDE;
      for (let d = 0; d < 16; d++) this.u8[o * 4 + d] = nik.charCodeAt(d);
      birth[i] = r.birthDate ? (isoDate(r.birthDate) ?? 100_000_000 + dates.id(r.birthDate)) : 0;
      this.i32[o + BIRTH] = birth[i];
      // phones and places as 32-bit hashes: two different ones hashed alike would only count as the same
      // (more points), so the score stays an upper bound; no map of a million phones
      phone[i] = r.phoneHash ? hash32(r.phoneHash) : 0;
      this.i32[o + PHONE] = phone[i];
      this.i32[o + VILLAGE] = hash32(r.villageCode);
      this.i32[o + DISTRICT] = hash32(r.districtCode);
      this.f64[i * (STRIDE / 2) + RT] = Number(r.rt);
      this.f64[i * (STRIDE / 2) + RW] = Number(r.rw);
      this.i32[o + FLAGS] =
        (r.sex === 'M' ? 1 : r.sex === 'F' ? 2 : 0) | (r.rt && r.rw ? 4 : 0) | (r.commonName ? 8 : 0);
    }
    this.nameFrom[n] = names;
    this.bizFrom[n] = biz;
    // whether a name can count in full: two distinctive parts (not generic, two letters or more), not common
    const distinctive = this.parts.values.map((p) => !GENERIC_PARTS.has(p) && p.length > 1);
    for (let i = 0; i < n; i++) {
      const o = i * STRIDE;
      this.i32[o + NAME_FROM] = this.nameFrom[i];
      this.i32[o + NAME_TO] = this.nameFrom[i + 1];
      let k = 0;
      for (let x = this.nameFrom[i]; x < this.nameFrom[i + 1]; x++) if (distinctive[this.nameIds[x]]) k++;
      if (k >= 2 && (this.i32[o + FLAGS] & 8) === 0) this.i32[o + FLAGS] |= 16;
    }
    this.birthIds = birth;
    this.phoneIds = phone;
    this.partsChanged();
  }

  /** The sex of record i: 1 M, 2 F, 0 not recorded. */
  sexOf(i: number): number {
    return this.i32[i * STRIDE + FLAGS] & 3;
  }

  /** Call after interning more parts (the scan interns first sounds too). */
  partsChanged() {
    const v = this.parts.values;
    const w = new Float64Array(v.length);
    const l = new Int32Array(v.length);
    const m = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      w[i] = GENERIC_PARTS.has(v[i]) ? 0.3 : 1;
      l[i] = v[i].length;
      m[i] = letterBits(v[i]);
    }
    this.partWeight = w;
    this.partLength = l;
    this.partLetters = m;
  }

  /** The points of everything but names and businesses (clearEvidence of match.ts, without ownAddress). */
  clearPoints(a: number, b: number): number {
    const d = this.u8;
    const oa = a * STRIDE * 4;
    const ob = b * STRIDE * 4;
    let unknown = false;
    let diffs = 0;
    let p = -1;
    let q = -1;
    for (let i = 0; i < 16; i++) {
      const x = d[oa + i];
      const y = d[ob + i];
      if (x === 63 || y === 63) {
        unknown = true;
        continue;
      }
      if (x !== y) {
        diffs++;
        if (diffs === 1) p = i;
        else if (diffs === 2) q = i;
        else break;
      }
    }
    // kind: 0 same, 1 one digit, 2 transposed, 3 two digits, 4 different
    let kind: number;
    let points: number;
    let explained = false;
    if (diffs === 0) {
      kind = unknown ? 1 : 0;
      points = unknown ? 4 : 8; // unknown digits: one typo at best, at position 4
    } else if (diffs === 1) {
      kind = 1;
      points = p >= SERIAL_FROM ? 1.5 : inBirthDigits(p) ? 3 : 4;
      explained = p >= 6 && p <= 11;
    } else if (diffs === 2) {
      if (q === p + 1 && d[oa + p] === d[ob + q] && d[oa + q] === d[ob + p]) {
        kind = 2;
        points = p >= SERIAL_FROM ? 3 : inBirthDigits(p) ? 3.5 : 4;
        explained = p >= 5 && p <= 11;
      } else {
        kind = 3;
        points = 0.5;
      }
    } else {
      kind = 4;
      points = -1;
    }
    const v = this.i32;
    const ia = a * STRIDE;
    const ib = b * STRIDE;
    const ba = v[ia + BIRTH];
    const bb = v[ib + BIRTH];
    if (ba !== 0 && bb !== 0) points += ba === bb ? 1.5 : explained ? 0 : -2;
    const sa = v[ia + FLAGS] & 3;
    const sb = v[ib + FLAGS] & 3;
    if (sa !== 0 && sb !== 0 && sa !== sb) points += kind !== 4 && kind !== 3 && explained ? -1.5 : -3;
    const pa = v[ia + PHONE];
    const pb = v[ib + PHONE];
    if (pa !== 0 && pb !== 0) points += pa === pb ? 2.5 : -0.5;
    if (v[ia + VILLAGE] === v[ib + VILLAGE]) {
      const f = this.f64;
      const fa = a * (STRIDE / 2);
      const fb = b * (STRIDE / 2);
      points += (v[ia + FLAGS] & 4) !== 0 && f[fa + RT] === f[fb + RT] && f[fa + RW] === f[fb + RW] ? 2 : 1;
    } else points += v[ia + DISTRICT] === v[ib + DISTRICT] ? 0.5 : -1;
    return points;
  }

  private readonly partSim = (x: number, y: number): number =>
    partSimilarity(this.parts.values[x], this.parts.values[y]);

  /**
   * partSimilarity of names.ts, by part id; 0 for two parts whose letters alone rule out PART_MATCH (most
   * pairs of parts a scan compares are two different names: told apart without a look-up in the memo, a
   * table of millions of pairs where each look-up is a cache miss).
   */
  private similarity(x: number, y: number): number {
    if (x === y) return 1;
    const l = this.partLength;
    const m = this.partLetters;
    return mayBeAlike(l[x], m[x], l[y], m[y]) ? this.memo.get(x, y, this.partSim) : 0;
  }

  /**
   * compareNames(...).similarity of names.ts on ids[af..at) and ids[bf..bt); the number of distinctive parts
   * matched is left in this.distinctive.
   */
  private distinctive = 0;
  private compare(ids: Int32Array, af: number, at: number, bf: number, bt: number): number {
    const la = at - af;
    const lb = bt - bf;
    let np = 0;
    if (la > 32 || lb > 32 || la * lb > 64) return this.slowCompare(ids, af, at, bf, bt);
    for (let i = 0; i < la; i++)
      for (let j = 0; j < lb; j++) {
        const s = this.similarity(ids[af + i], ids[bf + j]);
        if (s >= PART_MATCH) {
          // stable insertion by descending similarity (as Array.prototype.sort of compareNames)
          let k = np++;
          while (k > 0 && this.ps[k - 1] < s) {
            this.pi[k] = this.pi[k - 1];
            this.pj[k] = this.pj[k - 1];
            this.ps[k] = this.ps[k - 1];
            k--;
          }
          this.pi[k] = i;
          this.pj[k] = j;
          this.ps[k] = s;
        }
      }
    this.usedA.fill(0, 0, la);
    this.usedB.fill(0, 0, lb);
    const w = this.partWeight;
    const len = this.partLength;
    let m = 0;
    let distinctiveParts = 0;
    for (let k = 0; k < np; k++) {
      const i = this.pi[k];
      const j = this.pj[k];
      if (this.usedA[i] || this.usedB[j]) continue;
      this.usedA[i] = 1;
      this.usedB[j] = 1;
      const x = ids[af + i];
      const y = ids[bf + j];
      const wt = (w[x] + w[y]) / 2;
      m += this.ps[k] * wt;
      if (wt >= 1 && len[x] > 1 && len[y] > 1) distinctiveParts++;
    }
    let wa = 0;
    for (let i = af; i < at; i++) wa += w[ids[i]];
    let wb = 0;
    for (let j = bf; j < bt; j++) wb += w[ids[j]];
    this.distinctive = distinctiveParts;
    let similarity = 0;
    if (wa > 0 && wb > 0 && m > 0) {
      const containment = m / Math.min(wa, wb);
      similarity = containment * (0.85 + 0.15 * (m / Math.max(wa, wb)));
      if (distinctiveParts === 0) similarity = Math.min(similarity, 0.6);
    }
    return Math.round(Math.min(1, similarity) * 1000) / 1000;
  }

  /** Names with very many parts (never in practice): a similarity of 1 and two distinctive parts, the most. */
  private slowCompare(_ids: Int32Array, _af: number, _at: number, _bf: number, _bt: number): number {
    this.distinctive = 2;
    return 1;
  }

  /**
   * An upper bound of scorePair(records[a], records[b]).score: the same score but for the kecamatan-digit rule
   * of two full NIKs (which can only lower it). Returns as soon as the bound is below `atLeast`.
   */
  bound(a: number, b: number, atLeast: number): number {
    const clear = this.clearPoints(a, b);
    if (clear + 6.5 < atLeast) return clear + 6.5;
    // names that cannot agree in full (a single distinctive part, a common name) add 1.5 at most
    const v = this.i32;
    const fa = v[a * STRIDE + FLAGS];
    const fb = v[b * STRIDE + FLAGS];
    if (clear + 3 < atLeast && ((fa & 16) === 0 || (fb & 16) === 0)) return clear + 3;
    const ia = a * STRIDE;
    const ib = b * STRIDE;
    const sim = this.compare(
      this.nameIds,
      v[ia + NAME_FROM],
      v[ia + NAME_TO],
      v[ib + NAME_FROM],
      v[ib + NAME_TO],
    );
    const common = (fa & 8) !== 0 || (fb & 8) !== 0;
    const score = clear + namePoints(sim, this.distinctive, common);
    if (score + 1.5 < atLeast || score >= atLeast) return score + 1.5;
    const bf = this.bizFrom;
    const la = bf[a + 1] - bf[a];
    const lb = bf[b + 1] - bf[b];
    if (la === 0 || lb === 0) return score;
    const biz = this.compare(this.bizIds, bf[a], bf[a + 1], bf[b], bf[b + 1]);
    return score + (biz >= 0.9 ? (Math.min(la, lb) >= 2 ? 1.5 : 1) : 0);
  }
}
