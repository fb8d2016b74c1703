/** The pure parts of the participant pages (tested without a browser). */
import type { Participant } from './data.ts';

export type Values = {
  nik: string;
  fullName: string;
  birthDate: string;
  sex: '' | 'M' | 'F';
  phone: string;
  email: string;
  regencyCode: string;
  districtCode: string;
  domicile: { villageCode: string; street: string };
  business: { name: string; sector: string };
  consentGiven: boolean;
};

export function valuesOf(p: Participant | null): Values {
  return {
    nik: '',
    fullName: p?.fullName ?? '',
    birthDate: p?.birthDate ?? '',
    sex: p?.sex ?? '',
    phone: p?.phone ?? '',
    email: p?.email ?? '',
    regencyCode: p?.domicile.regencyCode ?? '',
    districtCode: p?.domicile.districtCode ?? '',
    domicile: { villageCode: p?.domicile.villageCode ?? '', street: p?.domicile.street ?? '' },
    business: { name: p?.business?.name ?? '', sector: p?.business?.sector ?? '' },
    consentGiven: false,
  };
}

export const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The merge patch between the loaded record and the form: only what changed (null clears). */
export function patchOf(before: Values, after: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['fullName', 'phone'] as const) if (before[k] !== after[k]) out[k] = after[k].trim();
  for (const k of ['birthDate', 'sex', 'email'] as const)
    if (before[k] !== after[k]) out[k] = orNull(after[k]);
  const dom: Record<string, unknown> = {};
  if (before.domicile.villageCode !== after.domicile.villageCode)
    dom.villageCode = after.domicile.villageCode;
  if (before.domicile.street !== after.domicile.street) dom.street = orNull(after.domicile.street);
  if (Object.keys(dom).length) out.domicile = dom;
  const bus: Record<string, unknown> = {};
  if (before.business.name !== after.business.name) bus.name = after.business.name.trim();
  if (before.business.sector !== after.business.sector) bus.sector = orNull(after.business.sector);
  if (Object.keys(bus).length) out.business = bus;
  return out;
}

type Change = { field: string; before: string; after: string };

const show = (v: unknown): string =>
  v == null ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** The data changes of an audit entry ({before, after, note}), one line per field that differs. */
export function changesOf(data: unknown): { changes: Change[]; note: string | null } {
  if (!data || typeof data !== 'object') return { changes: [], note: null };
  const d = data as { before?: unknown; after?: unknown; note?: unknown };
  const flat = (o: unknown, prefix = '', out: Record<string, unknown> = {}) => {
    if (o && typeof o === 'object' && !Array.isArray(o)) {
      for (const [k, v] of Object.entries(o)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (v && typeof v === 'object' && !Array.isArray(v) && prefix.split('.').length < 2)
          flat(v, key, out);
        else out[key] = v;
      }
    }
    return out;
  };
  const before = flat(d.before);
  const after = flat(d.after);
  const changes: Change[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = show(before[field]);
    const a = show(after[field]);
    if (b !== a) changes.push({ field, before: b, after: a });
  }
  return { changes, note: d.note == null ? null : show(d.note) };
}
