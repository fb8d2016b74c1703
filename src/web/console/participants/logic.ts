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

/** The i18n key of a changed field's label (`domicile.villageCode` -> `domicile_villageCode`). */
export const fieldKey = (field: string) => field.replaceAll('.', '_');

/** The i18n key of an audit action's title (`participant.merge` -> `merge`, `duplicate.reopen` -> `duplicate_reopen`). */
export const actionKey = (action: string) =>
  action.startsWith('participant.') ? action.slice('participant.'.length) : action.replaceAll('.', '_');

/** A duplicate decision in a record's history, told from that record's side. */
export type DuplicateEvent = {
  /** the sentence: console.participants.dup.<kind> */
  kind: 'mergedInto' | 'absorbed' | 'unmergedFrom' | 'unmergedOther' | 'notDuplicate' | 'later' | 'reopened';
  /** the other record of the pair (null when an older entry did not name it) */
  otherId: string | null;
  /** the reviewer's note */
  note: string | null;
  /** this record lost the flag possible_duplicate (true) or got it back (false); null: unchanged */
  unflagged: boolean | null;
};

/**
 * Reads a merge, unmerge or duplicate decision entry of the audit log (its note names the pair and the records:
 * {pair, kept, merged} / {pair, kept, restored} / {pair, other}) from the side of record `self`; null for any
 * other entry.
 */
export function duplicateEventOf(action: string, data: unknown, self: string): DuplicateEvent | null {
  const n = ((data as { note?: unknown } | null)?.note ?? null) as Record<string, unknown> | null;
  if (!n || typeof n !== 'object') return null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  const base = {
    note: str(n.note),
    unflagged: list(n.unflagged).includes(self) ? true : list(n.flagged).includes(self) ? false : null,
  };
  switch (action) {
    case 'participant.merge':
      return n.merged === self
        ? { kind: 'mergedInto', otherId: str(n.kept), ...base }
        : { kind: 'absorbed', otherId: str(n.merged), ...base };
    case 'participant.unmerge':
      return n.restored === self
        ? { kind: 'unmergedFrom', otherId: str(n.kept), ...base }
        : { kind: 'unmergedOther', otherId: str(n.restored), ...base };
    case 'duplicate.not_duplicate':
      return { kind: 'notDuplicate', otherId: str(n.other), ...base };
    case 'duplicate.later':
      return { kind: 'later', otherId: str(n.other), ...base };
    case 'duplicate.reopen':
      return { kind: 'reopened', otherId: str(n.other), ...base };
    default:
      return null;
  }
}

/** Kemendagri village codes (31.71.01.1001) among the changed values, to show their names. */
export const VILLAGE_CODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/;
