/**
 * A light reading of a NIK in the browser, only to fill birth date and sex as the person types
 * (PP KK CC DD MM YY SSSS; women add 40 to the day). The server checks the NIK fully and has the last word.
 */
export type NikHint = { birthDate: string; sex: 'M' | 'F' };

const pad = (n: number) => String(n).padStart(2, '0');

function isRealDate(y: number, m: number, d: number) {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Today in Asia/Jakarta as YYYY-MM-DD (the server judges "future" the same way). */
export function jakartaToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Jakarta',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Digits only: people paste NIKs with spaces, dots or dashes. */
export const nikDigits = (s: string) => s.replace(/\D/g, '').slice(0, 16);

/**
 * Birth date and sex from a 16-digit NIK, or null. The century is not in the NIK: like the server, take the
 * newest reading (20YY, else 19YY) that is not in the future.
 */
export function nikHint(input: string, now = new Date()): NikHint | null {
  const nik = nikDigits(input);
  if (nik.length !== 16) return null;
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex = day > 40 ? 'F' : 'M';
  if (day > 40) day -= 40;
  const today = jakartaToday(now);
  for (const century of [2000, 1900]) {
    const y = century + yy;
    if (!isRealDate(y, month, day)) continue;
    const iso = `${y}-${pad(month)}-${pad(day)}`;
    if (iso <= today) return { birthDate: iso, sex };
  }
  return null;
}
