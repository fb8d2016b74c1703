import type { TFunction } from 'i18next';
import { nameKey } from '../../../identity/names.ts';
import type { Evidence, NikEvidence, PairSide, Verdict } from './data.ts';

/**
 * The evidence of a pair in plain words, one field at a time: a verdict (same, close, different, unknown) and the
 * sentences that explain it. Pure: the page (PairPage.tsx) lays it out.
 */

/** Which part of the NIK a 1-based position is in (PP KK CC DDMMYY SSSS). */
export function nikPart(position: number): 'province' | 'regency' | 'district' | 'birth' | 'serial' {
  if (position <= 2) return 'province';
  if (position <= 4) return 'regency';
  if (position <= 6) return 'district';
  if (position <= 12) return 'birth';
  return 'serial';
}

export function nikVerdict(n: NikEvidence): Verdict {
  switch (n.kind) {
    case 'same':
      return 'same';
    case 'one_digit':
    case 'transposed':
    case 'two_digits':
      return 'close';
    case 'different':
      return 'different';
    default:
      return 'unknown';
  }
}

/** The API counts NIK positions from 0; people count from 1. */
export function nikSentences(n: NikEvidence, t: TFunction): string[] {
  const e = 'console.duplicates.evidence.nik';
  const part = (pos: number) => t(`${e}.partOf`, { part: t(`${e}.parts.${nikPart(pos)}`) });
  const out: string[] = [];
  switch (n.kind) {
    case 'same':
      out.push(t(`${e}.same`));
      break;
    case 'one_digit':
      out.push(t(`${e}.one_digit`, { pos: n.position + 1 }));
      // a serial digit gets the sentence about serials below
      if (!n.serial) out.push(part(n.position + 1));
      break;
    case 'transposed':
      out.push(t(`${e}.transposed`, { pos: n.position + 1, next: n.position + 2 }));
      if (nikPart(n.position + 1) === nikPart(n.position + 2))
        out.push(t(`${e}.bothPartOf`, { part: t(`${e}.parts.${nikPart(n.position + 1)}`) }));
      break;
    case 'two_digits':
      out.push(t(`${e}.two_digits`, { list: n.positions.map((p) => p + 1).join(', ') }));
      break;
    case 'different':
      out.push(t(`${e}.different`, { count: n.digits }));
      break;
    default:
      out.push(t(`${e}.unknown`));
  }
  if ('serial' in n && n.serial) out.push(t(`${e}.serial`));
  if ('ownAddress' in n && n.ownAddress) out.push(t(`${e}.ownAddress`));
  return out;
}

const plain = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();

/**
 * The parts of a name as written ("M.", "Rizky"), by their canonical form ("muhamad", "riski"), so the matched
 * parts the API reports in canonical form can be shown as people wrote them. Same rules as the server's matching.
 */
export function writtenParts(fullName: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const word of fullName.split(',')[0].split(/[\s.]+/)) {
    if (!word) continue;
    for (const key of nameKey(word)) if (!out.has(key)) out.set(key, word);
  }
  return out;
}

export type NameView = {
  verdict: Verdict;
  sentences: string[];
  /** matched parts as written: "M. = Muhammad", "Rizky = Rizki", "Saputra" */
  matched: string[];
  onlyA: string[];
  onlyB: string[];
};

export function nameView(
  ev: Evidence['name'],
  a: string,
  b: string,
  t: TFunction,
  pct: (x: number) => string,
) {
  const e = 'console.duplicates.evidence.name';
  const wa = writtenParts(a);
  const wb = writtenParts(b);
  const shown = (m: Map<string, string>, k: string) => m.get(k) ?? k;
  const extra = ev.unmatchedA.length + ev.unmatchedB.length > 0;
  let verdict: Verdict;
  let first: string;
  if (plain(a) === plain(b)) {
    verdict = 'same';
    first = t(`${e}.same`);
  } else if (ev.similarity >= 0.999 && !extra) {
    verdict = 'close';
    first = t(`${e}.normalised`);
  } else if (ev.similarity >= 0.999) {
    verdict = 'close';
    first = t(`${e}.extra`);
  } else if (ev.similarity >= 0.85) {
    verdict = 'close';
    first = t(`${e}.similar`, { pct: pct(ev.similarity * 100) });
  } else {
    verdict = 'different';
    first = t(`${e}.different`, { pct: pct(ev.similarity * 100) });
  }
  const sentences = [first];
  if (ev.common) sentences.push(t(`${e}.common`));
  const matched = ev.matched.map((m) => {
    const x = shown(wa, m.a);
    const y = shown(wb, m.b);
    if (plain(x) === plain(y)) return x;
    return m.similarity >= 0.999 ? `${x} = ${y}` : `${x} ≈ ${y} (${pct(m.similarity * 100)})`;
  });
  return {
    verdict,
    sentences,
    matched,
    onlyA: ev.unmatchedA.map((k) => shown(wa, k)),
    onlyB: ev.unmatchedB.map((k) => shown(wb, k)),
  } satisfies NameView;
}

const four: Record<'same' | 'explained' | 'different' | 'missing', Verdict> = {
  same: 'same',
  explained: 'close',
  different: 'different',
  missing: 'unknown',
};

export const birthVerdict = (v: Evidence['birthDate']) => four[v];
export const sexVerdict = (v: Evidence['sex']) => four[v];
export const phoneVerdict = (v: Evidence['phone']): Verdict =>
  v === 'same' ? 'same' : v === 'different' ? 'different' : 'unknown';
export const placeVerdict = (v: Evidence['place']): Verdict =>
  v === 'rt' ? 'same' : v === 'village' ? 'close' : 'different';

/** The business names compared (the API's similarity 0..1; 0 when one record has none). */
export function businessView(sim: number, a: PairSide, b: PairSide, t: TFunction) {
  const e = 'console.duplicates.evidence.business';
  if (!a.business || !b.business) return { verdict: 'unknown' as Verdict, sentence: t(`${e}.missing`) };
  if (plain(a.business.name) === plain(b.business.name))
    return { verdict: 'same' as Verdict, sentence: t(`${e}.same`) };
  if (sim >= 0.9) return { verdict: 'close' as Verdict, sentence: t(`${e}.similar`) };
  return { verdict: 'different' as Verdict, sentence: t(`${e}.different`) };
}
