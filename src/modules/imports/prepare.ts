/**
 * The CPU-heavy half of an import, for a chunk of sheet rows: value parsing, the shared participant
 * validation, keyed hashes and encryption (the rows to insert, without registration numbers). Runs in a worker
 * thread for large files so that reading and inserting overlap with it on the second core, or inline.
 */
import { nowIso } from '../../core/clock.ts';
import type { Services } from '../../core/context.ts';
import type { ImportKey } from '../../spreadsheet/headers.ts';
import {
  parseDate,
  parseIntStrict,
  parseMoney,
  parseSex,
  parseYesNo,
  VALUE_MESSAGES,
} from '../../spreadsheet/values.ts';
import type { ParticipantInput } from '../participants/schema.ts';
import {
  type BuildMeta,
  buildParticipantRows,
  type ParticipantRows,
  registrationYear,
} from '../participants/store.ts';
import {
  fieldMessage,
  type NormalizedParticipant,
  registerMessages,
  validateParticipant,
} from '../participants/validate.ts';
import { uuidv7 } from './uuid7.ts';

registerMessages(VALUE_MESSAGES);

export type RawRow = { rowNumber: number; values: string[]; numeric?: boolean[] };
export type BuiltRows = Omit<ParticipantRows, 'dataKey'>;
export type PreparedRow = {
  rowNumber: number;
  /** the validated input: kept for upserts only (a stored participant is updated from it) */
  n?: NormalizedParticipant;
  nikHash: string;
  year: number;
  rows?: BuiltRows;
  /** who a new record is (for the likely-duplicate check): built rows hold the NIK and name encrypted only */
  who?: { nik: string; fullName: string; business: { name: string } | null };
};
export type ChunkSpec = {
  lang: 'id' | 'en';
  programArea: string;
  columns: [ImportKey, number][];
  headers: string[];
  meta: BuildMeta;
  /** build the rows to insert too (not for dry runs) */
  build: boolean;
  /** keep each row's validated input (upsert mode); otherwise it is not sent back, which saves copying */
  keepInput: boolean;
};
export type ChunkResult = {
  prepared: PreparedRow[];
  errors: { rowNumber: number; column: string; code: string; message: string }[];
  invalid: number;
};

/** API path -> import column key, so a field error names the column an officer sees in the file. */
export const PATH_TO_KEY: Record<string, ImportKey> = {
  nik: 'nik',
  nikOverride: 'nik',
  fullName: 'fullName',
  birthDate: 'birthDate',
  sex: 'sex',
  phone: 'phone',
  email: 'email',
  'domicile.villageCode': 'villageCode',
  'domicile.street': 'street',
  'domicile.rt': 'rt',
  'domicile.rw': 'rw',
  'domicile.postalCode': 'postalCode',
  'business.name': 'businessName',
  'business.sector': 'sector',
  'business.kbli': 'kbli',
  'business.products': 'products',
  'business.startedYear': 'startedYear',
  'business.annualRevenue': 'annualRevenue',
  'business.capital': 'capital',
  'business.employees': 'employees',
  'business.nib': 'nib',
  'business.npwp': 'npwp',
  registeredAt: 'registeredAt',
  'consent.given': 'consent',
};

export type RowError = { column: string; code: string; message: string };

/** Turns one sheet row into the API's input shape; value-format errors are collected per column. */
export function rowToInput(
  values: string[],
  numeric: boolean[] | undefined,
  cols: Map<ImportKey, number>,
  lang: 'id' | 'en',
  headerOf: (k: ImportKey) => string,
): { input: ParticipantInput; errors: RowError[] } {
  const errors: RowError[] = [];
  const get = (k: ImportKey): string => {
    const i = cols.get(k);
    return i === undefined ? '' : (values[i] ?? '');
  };
  const fail = (k: ImportKey, code: string, fallback?: string) =>
    errors.push({ column: headerOf(k), code, message: fieldMessage(code, lang, fallback) });
  const opt = <T>(
    k: ImportKey,
    parse: (s: string) => { ok: true; value: T } | { ok: false; code: string; message: string },
  ) => {
    const s = get(k);
    if (s === '') return null;
    const r = parse(s);
    if (!r.ok) {
      fail(k, r.code, r.message);
      return null;
    }
    return r.value;
  };
  let nik = get('nik');
  const nikCol = cols.get('nik');
  if (nikCol !== undefined && numeric?.[nikCol]) {
    fail('nik', 'NIK_EXCEL_NUMBER');
    nik = '';
  }
  const birthDate = opt('birthDate', parseDate);
  const sex = opt('sex', parseSex);
  const startedYear = opt('startedYear', (s) => parseIntStrict(s));
  const annualRevenue = opt('annualRevenue', parseMoney);
  const capital = opt('capital', parseMoney);
  const employees = opt('employees', (s) => parseIntStrict(s, { min: 0 }));
  const consent = opt('consent', parseYesNo);
  const registeredAt = opt('registeredAt', parseDate);
  const input = {
    nik,
    fullName: get('fullName'),
    birthDate,
    sex,
    phone: get('phone'),
    email: get('email') || null,
    domicile: {
      villageCode: get('villageCode'),
      street: get('street') || null,
      rt: get('rt') || null,
      rw: get('rw') || null,
      postalCode: get('postalCode') || null,
    },
    business: {
      name: get('businessName'),
      sector: get('sector') || null,
      kbli: get('kbli') || null,
      products: get('products') || null,
      startedYear,
      annualRevenue,
      capital,
      employees,
      nib: get('nib') || null,
      npwp: get('npwp') || null,
    },
    consent: { version: 'import', given: consent === true },
    registeredAt,
  } as ParticipantInput;
  return { input, errors };
}

/**
 * The rows of one imported participant: `buildParticipantRows` (the one builder of API, CLI and import), with
 * time-ordered ids (UUIDv7) for the person and its business, enrolment, consent and milestone rows.
 */
export function buildImportRows(
  svc: Pick<Services, 'vault'>,
  n: NormalizedParticipant,
  meta: BuildMeta,
  registrationNumber: string,
): ParticipantRows {
  // JKP_IMPORT_RANDOM_IDS=1: random (version 4) ids as elsewhere, only to measure the difference (bench)
  if (process.env.JKP_IMPORT_RANDOM_IDS === '1')
    return buildParticipantRows(svc as Services, n, meta, registrationNumber);
  const rows = buildParticipantRows(
    svc as Services,
    { ...n, id: n.id ?? uuidv7() },
    meta,
    registrationNumber,
  );
  rows.business.id = uuidv7();
  rows.enrolment.id = uuidv7();
  rows.consent.id = uuidv7();
  rows.milestone.id = uuidv7();
  return rows;
}

export function prepareChunk(svc: Pick<Services, 'vault'>, spec: ChunkSpec, rows: RawRow[]): ChunkResult {
  const cols = new Map(spec.columns);
  const headerOf = (key: ImportKey) => {
    const i = cols.get(key);
    return i === undefined ? key : spec.headers[i];
  };
  const today = new Date();
  const out: ChunkResult = { prepared: [], errors: [], invalid: 0 };
  const now = spec.meta.now || nowIso();
  for (const row of rows) {
    const { input, errors } = rowToInput(row.values, row.numeric, cols, spec.lang, headerOf);
    const v = validateParticipant(input, {
      lang: spec.lang,
      programArea: spec.programArea,
      canOverrideNik: false,
      requireConsent: false,
      today,
    });
    const rowErrors: RowError[] = [...errors];
    if (!v.ok) {
      for (const e of v.errors) {
        const key = PATH_TO_KEY[e.path];
        // a value-format error already reported for this column wins
        if (key && rowErrors.some((x) => x.column === headerOf(key))) continue;
        rowErrors.push({ column: key ? headerOf(key) : e.path, code: e.code, message: e.message });
      }
    }
    if (rowErrors.length > 0 || !v.ok) {
      out.invalid++;
      for (const e of rowErrors) out.errors.push({ rowNumber: row.rowNumber, ...e });
      continue;
    }
    const n = v.value;
    const p: PreparedRow = { rowNumber: row.rowNumber, nikHash: '', year: 0 };
    if (spec.keepInput) p.n = n;
    if (spec.build) {
      const { dataKey: _k, ...built } = buildImportRows(svc, n, { ...spec.meta, now }, '');
      p.rows = built;
      p.nikHash = built.participant.nik_hash; // the same keyed hash, computed once
      p.who = { nik: n.nik, fullName: n.fullName, business: n.business ? { name: n.business.name } : null };
      p.year = Number(built.participant.registered_date.slice(0, 4));
    } else {
      p.nikHash = svc.vault.hmac('nik', n.nik);
      p.year = registrationYear(n, now);
    }
    out.prepared.push(p);
  }
  return out;
}
