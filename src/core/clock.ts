/** Time helpers: timestamps are ISO-8601 UTC strings; calendar buckets use WIB (Asia/Jakarta, UTC+7, no DST). */
const WIB_OFFSET_MS = 7 * 3600 * 1000;

export function nowIso(): string {
  return new Date().toISOString();
}

let lastDay = { from: 0, to: -1, date: '' };

/** The WIB calendar date (YYYY-MM-DD) of an instant (the day found last is remembered: imports ask per row). */
export function wibDate(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (t >= lastDay.from && t < lastDay.to) return lastDay.date;
  const date = new Date(t + WIB_OFFSET_MS).toISOString().slice(0, 10);
  const from = Date.parse(`${date}T00:00:00.000Z`) - WIB_OFFSET_MS;
  lastDay = { from, to: from + 86_400_000, date };
  return date;
}

/** The instant at which a WIB calendar date begins. */
export function wibStartOfDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - WIB_OFFSET_MS).toISOString();
}

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3600_000).toISOString();
}

export function todayWib(): string {
  return wibDate(new Date());
}
