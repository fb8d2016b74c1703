/** Time helpers: timestamps are ISO-8601 UTC strings; calendar buckets use WIB (Asia/Jakarta, UTC+7, no DST). */
const WIB_OFFSET_MS = 7 * 3600 * 1000;

export function nowIso(): string {
  return new Date().toISOString();
}

/** The WIB calendar date (YYYY-MM-DD) of an instant. */
export function wibDate(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + WIB_OFFSET_MS).toISOString().slice(0, 10);
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
