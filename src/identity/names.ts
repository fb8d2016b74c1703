/**
 * Indonesian personal names for matching: one canonical form per way of writing a name, and a similarity that
 * copes with the ways the same person's name is written on different forms: abbreviations (Muhammad / Muhamad /
 * Moh. / M., Siti / St., Abdul / Abd.), the pre-1972 spelling (oe/u, dj/j, tj/c, j/y, ch/kh, sj/sy, nj/ny),
 * titles and degrees (H., Hj., Drs., ", S.E."), a missing or extra name part, parts in another order, typos.
 *
 * Pure functions, no I/O. The matching itself (which pairs are the same person) is in src/dedupe.
 */

/** Titles and honorifics written before a name; dropped. Degrees come after a comma and are cut with it. */
const TITLES = new Set([
  'h',
  'hj',
  'haji',
  'hajjah',
  'hajah',
  'dr',
  'drs',
  'dra',
  'ir',
  'prof',
  'kh',
  'ny',
  'nyonya',
  'tn',
  'tuan',
  'bpk',
  'bapak',
  'ibu',
  'sdr',
  'sdri',
  'almarhum',
  'alm',
]);

/** Written forms of one name part, mapped to its canonical spelling (after lower-casing, before phonetics). */
const ALIASES: Record<string, string> = {};
for (const [canonical, forms] of [
  [
    'muhammad',
    'm mu muh moh mohd mhd md mochamad mochammad mohamad mohammad mohamed muhamad muhamed muchammad muchamad mukhammad mukhamad mokhamad mokhammad muhammed',
  ],
  ['siti', 'st sitti'],
  ['abdul', 'abd abdoel'],
  ['nur', 'noor noer nurul'],
  ['achmad', 'ahmad akhmad ahmat achmat ach'],
  ['sri', 'sry'],
] as const) {
  for (const f of forms.split(' ')) ALIASES[f] = canonical;
  ALIASES[canonical] = canonical;
}

/**
 * Name parts so common that sharing them says little: they weigh less in the similarity and are not used alone
 * as a blocking key.
 */
export const GENERIC_PARTS = new Set(
  ['muhammad', 'siti', 'nur', 'sri', 'abdul', 'ahmad', 'dewi', 'putri', 'putra', 'binti', 'bin'].map(
    phonetic,
  ),
);

/**
 * The sound of a name part, so that spellings of one name meet: the old spelling (oe -> u, dj -> j, tj -> c,
 * sj -> sy, nj -> ny, ch -> kh), then j and y as one sound, kh/h, dh/d, th/t, ph/f, v/f, q/k, z/s, final y -> i,
 * ie/i, ae/ai, doubled letters once, a final h dropped (Fatimah / Fatima).
 */
export function phonetic(part: string): string {
  let s = part;
  s = s.replace(/oe/g, 'u').replace(/dj/g, 'j').replace(/tj/g, 'c').replace(/sj/g, 'sy').replace(/nj/g, 'ny');
  s = s.replace(/ch/g, 'kh').replace(/kh/g, 'h').replace(/dh/g, 'd').replace(/th/g, 't').replace(/ph/g, 'f');
  s = s.replace(/j/g, 'y').replace(/v/g, 'f').replace(/q/g, 'k').replace(/z/g, 's').replace(/x/g, 'ks');
  s = s.replace(/ie/g, 'i').replace(/ae/g, 'ai').replace(/ey$/, 'i').replace(/y$/, 'i');
  s = s.replace(/(.)\1+/g, '$1');
  if (s.length > 3) s = s.replace(/h$/, '');
  return s;
}

/** The parts of a name as written (lower case, letters only), titles and trailing degrees removed. */
export function nameParts(fullName: string): string[] {
  const parts = asciiParts(fullName) ?? writtenParts(fullName);
  const out: string[] = [];
  for (const p of parts) {
    if (TITLES.has(p) && parts.length > 1) continue;
    out.push(ALIASES[p] ?? p);
  }
  return out.length ? out : parts;
}

/** The parts as written, by regular expressions (any name). */
export function writtenParts(fullName: string): string[] {
  const base = fullName.split(',')[0]; // ", S.E.", ", M.Pd." ...
  const ascii = /^[\x20-\x7e]*$/.test(base) ? base : base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii
    .toLowerCase()
    .replace(/[^a-z\s.'-]/g, ' ')
    .replace(/['-]/g, '')
    .split(/[\s.]+/)
    .filter((p) => p.length > 0);
}

/**
 * writtenParts in one pass over the characters, for a name written in printable ASCII (almost all): letters
 * make parts, ' and - are dropped, anything else separates. Undefined for any other name.
 */
export function asciiParts(fullName: string): string[] | undefined {
  const end = fullName.indexOf(',');
  const base = end < 0 ? fullName : fullName.slice(0, end);
  const lower = base.toLowerCase();
  const out: string[] = [];
  let part = '';
  let from = -1; // start of the letters not yet added to part
  for (let i = 0; i <= lower.length; i++) {
    const o = i < base.length ? base.charCodeAt(i) : 32;
    if (o < 0x20 || o > 0x7e) return undefined;
    const c = lower.charCodeAt(i) || 32;
    if (c >= 97 && c <= 122) {
      if (from < 0) from = i;
      continue;
    }
    if (from >= 0) part += lower.slice(from, i);
    from = -1;
    if (c === 39 || c === 45) continue; // ' and - join
    if (part.length > 0) out.push(part);
    part = '';
  }
  return out;
}

const phoneticCache = new Map<string, string>();
const keyCache = new Map<string, string[]>();

/**
 * Canonical phonetic parts of a name: what duplicate detection compares. Do not modify the array returned.
 * `cache`: a map of one's own to remember the keys in (a whole-registry scan: half a million names would
 * overflow the shared cache, which is emptied past 500,000 entries).
 */
export function nameKey(fullName: string, cache: Map<string, string[]> = keyCache): string[] {
  const hit = cache.get(fullName);
  if (hit) return hit;
  if (cache === keyCache && keyCache.size > 500_000) keyCache.clear();
  const key = freshNameKey(fullName);
  cache.set(fullName, key);
  return key;
}

/** nameKey without looking in or filling a cache of whole names (for a caller that keeps its own). */
export function freshNameKey(fullName: string): string[] {
  return nameParts(fullName).map((p) => {
    let v = phoneticCache.get(p);
    if (v === undefined) {
      if (phoneticCache.size > 200_000) phoneticCache.clear(); // name parts are few; typos are not
      v = phonetic(p);
      phoneticCache.set(p, v);
    }
    return v;
  });
}

/** Jaro-Winkler similarity (prefix scale 0.1, at most 4 prefix characters), 0..1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  let matchedA = 0; // bit sets: names are short, but fall back to arrays past 31 characters
  let matchedB = 0;
  const longA = la > 31 || lb > 31;
  const flagsA = longA ? new Uint8Array(la) : null;
  const flagsB = longA ? new Uint8Array(lb) : null;
  let m = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      const used = flagsB ? flagsB[j] === 1 : (matchedB & (1 << j)) !== 0;
      if (used || b.charCodeAt(j) !== c) continue;
      if (flagsA && flagsB) {
        flagsA[i] = 1;
        flagsB[j] = 1;
      } else {
        matchedA |= 1 << i;
        matchedB |= 1 << j;
      }
      m++;
      break;
    }
  }
  if (m === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    const inA = flagsA ? flagsA[i] === 1 : (matchedA & (1 << i)) !== 0;
    if (!inA) continue;
    while (!(flagsB ? flagsB[k] === 1 : (matchedB & (1 << k)) !== 0)) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Two name parts are taken as the same part from this Jaro-Winkler similarity on. */
export const PART_MATCH = 0.9;

/**
 * Whether two strings are at most one edit apart (a letter changed, left out, added, or two neighbours swapped):
 * Jaro-Winkler punishes a typo near the start of a word, so a long part one typo away counts as matched too.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one letter changed
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swapped
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Similarity of two name parts: 1 when equal, 0.9 for an initial or a typo in a long part, else Jaro-Winkler. */
/** The characters of a string as a bit set (a character always gets the same bit; several may share one). */
export function letterBits(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) m |= 1 << (s.charCodeAt(i) % 31);
  return m;
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * False when two parts (their lengths and letterBits) cannot reach PART_MATCH in partSimilarity, from their
 * letters alone; true when they may. Jaro-Winkler is at most 0.4 + 0.6 * jaro (four prefix characters), so
 * 0.9 needs jaro >= 5/6, hence m/|a| + m/|b| >= 1.5 for the m characters matched; and m is at most each part's
 * length less its characters whose letter the other part lacks. One edit between parts of five letters or more
 * (also 0.9) passes this too; a one-letter part (an initial) always may.
 */
export function mayBeAlike(la: number, lettersA: number, lb: number, lettersB: number): boolean {
  if (la < 2 || lb < 2) return true;
  const m = Math.min(la - popcount(lettersA & ~lettersB), lb - popcount(lettersB & ~lettersA));
  return m / la + m / lb >= 1.5 - 1e-9;
}

export function partSimilarity(x: string, y: string): number {
  if (x === y) return 1;
  if ((x.length === 1 && y.startsWith(x)) || (y.length === 1 && x.startsWith(y))) return 0.9;
  const jw = jaroWinkler(x, y);
  if (jw < PART_MATCH && x.length >= 5 && y.length >= 5 && withinOneEdit(x, y)) return 0.9;
  return jw;
}

export type NameComparison = {
  /** 0..1: 1 when every part of the shorter name is in the longer one, spelled the same way */
  similarity: number;
  /** parts matched between the two names, with their similarity */
  matched: { a: string; b: string; similarity: number }[];
  /** parts of either name with no counterpart (a missing or extra name part) */
  unmatchedA: string[];
  unmatchedB: string[];
  /** whether a part that is not generic (not Muhammad, Siti, Nur...) was matched */
  distinctiveMatch: boolean;
  /** how many such parts were matched: one shared part (a one-part name) says less than two */
  distinctiveParts: number;
};

const weight = (p: string) => (GENERIC_PARTS.has(p) ? 0.3 : 1);

/**
 * Compares two names given as canonical phonetic parts (nameKey). Order does not matter; a one-letter part (an
 * initial) matches a part starting with that letter at 0.9 (see partSimilarity). The similarity is the weighted share of the shorter
 * name found in the longer one, lowered a little for each extra part, and held at 0.6 when only generic parts
 * (Muhammad, Siti, Nur...) were matched.
 */
export function compareNames(a: readonly string[], b: readonly string[]): NameComparison {
  const usedB = new Array<boolean>(b.length).fill(false);
  const matched: NameComparison['matched'] = [];
  const unmatchedA: string[] = [];
  // best pair first: exact matches, then the most similar remaining pairs
  const pairs: { i: number; j: number; s: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = partSimilarity(a[i], b[j]);
      if (s >= PART_MATCH) pairs.push({ i, j, s });
    }
  }
  pairs.sort((p, q) => q.s - p.s);
  const usedA = new Array<boolean>(a.length).fill(false);
  let m = 0;
  let distinctiveParts = 0;
  for (const p of pairs) {
    if (usedA[p.i] || usedB[p.j]) continue;
    usedA[p.i] = true;
    usedB[p.j] = true;
    const w = (weight(a[p.i]) + weight(b[p.j])) / 2;
    m += p.s * w;
    if (w >= 1 && a[p.i].length > 1 && b[p.j].length > 1) distinctiveParts++;
    matched.push({ a: a[p.i], b: b[p.j], similarity: Math.round(p.s * 1000) / 1000 });
  }
  for (let i = 0; i < a.length; i++) if (!usedA[i]) unmatchedA.push(a[i]);
  const unmatchedB = b.filter((_, j) => !usedB[j]);
  const wa = a.reduce((s, p) => s + weight(p), 0);
  const wb = b.reduce((s, p) => s + weight(p), 0);
  const distinctiveMatch = distinctiveParts > 0;
  let similarity = 0;
  if (wa > 0 && wb > 0 && m > 0) {
    const containment = m / Math.min(wa, wb);
    similarity = containment * (0.85 + 0.15 * (m / Math.max(wa, wb)));
    if (!distinctiveMatch) similarity = Math.min(similarity, 0.6);
  }
  return {
    similarity: Math.round(Math.min(1, similarity) * 1000) / 1000,
    matched,
    unmatchedA,
    unmatchedB,
    distinctiveMatch,
    distinctiveParts,
  };
}
