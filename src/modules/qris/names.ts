/**
 * Does a QRIS merchant name (59) belong to a registered business name? Used against swapped stickers:
 * a change to a verified profile is accepted only when the new code's merchant name matches one of the
 * participant's business names.
 *
 * The rule (also in docs/api.md):
 * 1. Normalise both names: accents removed (é -> e), lower case, "&" read as "dan", every other
 *    character that is not a letter or digit becomes a space.
 * 2. Drop the words that say what kind of business or person it is rather than which one: business
 *    types (warung, warkop, toko, kedai, depot, kios, lapak, gerai, rumah makan, rm, resto, store, shop,
 *    official), legal forms (pt, cv, ud, tbk) and honorifics (ibu, bu, bapak, pak, mbak, mas, bang, kak).
 *    When nothing is left, the words are kept as they were.
 * 3. The names match when, after that, the letters and digits without spaces are equal; or one is the
 *    beginning of the other and is at least 4 characters long (QRIS names are cut at 25 characters and
 *    acquirers shorten them); or every word of the shorter name appears in the other (word order and
 *    extra words such as a branch name are tolerated) and those words hold at least 4 characters.
 * Anything else is a mismatch.
 */
const STOP_WORDS = new Set([
  'warung',
  'warkop',
  'toko',
  'kedai',
  'depot',
  'kios',
  'lapak',
  'gerai',
  'rm',
  'resto',
  'store',
  'shop',
  'official',
  'pt',
  'cv',
  'ud',
  'tbk',
  'ibu',
  'bu',
  'bapak',
  'pak',
  'mbak',
  'mas',
  'bang',
  'kak',
]);

/** The words of a name that identify it (see the rule above). */
export function nameTokens(name: string): string[] {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' dan ')
    .replace(/rumah\s+makan/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const all = plain === '' ? [] : plain.split(' ');
  const kept = all.filter((w) => !STOP_WORDS.has(w));
  if (kept.length > 0) return kept;
  // the name was only such words ("Warung", "Rumah Makan"): keep what there is
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

export function namesMatch(merchantName: string, businessName: string): boolean {
  const a = nameTokens(merchantName);
  const b = nameTokens(businessName);
  const ca = a.join('');
  const cb = b.join('');
  if (ca === '' || cb === '') return false;
  if (ca === cb) return true;
  const [short, long] = ca.length <= cb.length ? [ca, cb] : [cb, ca];
  if (short.length >= 4 && long.startsWith(short)) return true;
  const [sw, lw] = ca.length <= cb.length ? [a, b] : [b, a];
  const set = new Set(lw);
  return sw.join('').length >= 4 && sw.every((w) => set.has(w));
}
