import { wibDate } from '../../core/clock.ts';
import type { FieldError, Lang, Text } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import {
  checkEmail,
  checkKbli,
  checkNib,
  checkNikAgrees,
  checkNpwp,
  checkPostalCode,
  checkRtRw,
  getRegion,
  MESSAGES as IDENTITY_MESSAGES,
  message as identityMessage,
  isWithin,
  normalizePhone,
  normalizeRegionCode,
  parseNik,
  parseSector,
  sectorFromKbli,
  sizeClass,
} from '../../identity/index.ts';
import { PARTICIPANT_MESSAGES } from './messages.ts';
import type { ParticipantInput } from './schema.ts';

export type NormalizedBusiness = {
  name: string;
  sector: string;
  kbli: string | null;
  kbliVersion: string | null;
  products: string | null;
  startedYear: number | null;
  annualRevenue: number | null;
  capital: number | null;
  employees: number | null;
  nib: string | null;
  npwp: string | null;
  hasQris: boolean | null;
  sizeClass: string | null;
};

export type NormalizedParticipant = {
  id: string | null;
  nik: string;
  fullName: string;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  phone: string; // E.164
  email: string | null;
  agency: string | null;
  provinceCode: string;
  regencyCode: string;
  districtCode: string;
  villageCode: string;
  street: string | null;
  rt: string | null;
  rw: string | null;
  postalCode: string | null;
  business: NormalizedBusiness;
  consent: { version: string; given: boolean; purpose: string };
  registeredAt: string | null;
  nikOverrideReason: string | null;
  reviewFlags: string[];
};

const EXTRA_MESSAGES: Record<string, Text> = {};
export function registerMessages(m: Record<string, Text>): void {
  Object.assign(EXTRA_MESSAGES, m);
}

export function fieldMessage(
  code: string,
  lang: Lang,
  fallback?: string,
  params?: Record<string, unknown>,
): string {
  if (Object.hasOwn(IDENTITY_MESSAGES, code)) return identityMessage(code as any, lang, params as any);
  const t = PARTICIPANT_MESSAGES[code] ?? EXTRA_MESSAGES[code];
  if (t) return lang === 'en' ? t.en : t.id;
  return fallback ?? code;
}

export type ValidateOptions = {
  lang: Lang;
  programArea: string; // undotted, e.g. "31"
  canOverrideNik: boolean;
  requireConsent: boolean;
  today?: Date;
};

/** NIK codes that an officer may override with a recorded reason (a region code retired after a split). */
const OVERRIDABLE_NIK = new Set(['NIK_REGENCY_UNKNOWN', 'NIK_DISTRICT_UNKNOWN', 'NIK_REGION_RETIRED']);

const NAME_RE = /^[\p{L}][\p{L}\p{M} .,'`’-]*$/u;

function clean(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

/**
 * The one validation of a participant record, shared by the API, the CLI and the import.
 * Returns the normalized record, or every field error at once (paths like `nik`, `domicile.villageCode`).
 */
export function validateParticipant(
  input: ParticipantInput,
  opts: ValidateOptions,
): { ok: true; value: NormalizedParticipant } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (path: string, code: string, fallback?: string, params?: Record<string, unknown>) =>
    errors.push({ path, code, message: fieldMessage(code, opts.lang, fallback, params) });
  const flags: string[] = [];
  const today = opts.today ?? new Date();

  // A client-supplied key (offline capture): one spelling, and only ids that can be read back by id.
  const id = input.id != null ? input.id.toLowerCase() : null;
  if (id != null && !isUuid(id)) err('id', 'ID_INVALID');

  // NIK
  const nikRes = parseNik(input.nik ?? '', { today });
  let nikOverrideReason: string | null = null;
  if (!nikRes.valid) {
    const blocking = nikRes.errors.filter((e) => !OVERRIDABLE_NIK.has(e.code));
    const overridable = nikRes.errors.filter((e) => OVERRIDABLE_NIK.has(e.code));
    for (const e of blocking) err('nik', e.code, e.message, (e as any).params);
    if (overridable.length > 0) {
      if (input.nikOverride && opts.canOverrideNik) {
        nikOverrideReason = input.nikOverride.reason;
        flags.push('nik_region_confirmed');
      } else if (input.nikOverride) {
        err('nikOverride', 'NIK_OVERRIDE_FORBIDDEN');
      } else {
        for (const e of overridable) err('nik', e.code, e.message, (e as any).params);
      }
    }
  }
  const nik = nikRes.nik;

  // Name
  const fullName = clean(input.fullName);
  if (!fullName) err('fullName', 'REQUIRED');
  else if (fullName.length < 2 || !NAME_RE.test(fullName)) err('fullName', 'NAME_INVALID');

  // Birth date and sex must agree with the NIK when given; otherwise they come from it.
  let birthDate = clean(input.birthDate);
  let sex = input.sex ?? null;
  if (birthDate && !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    err('birthDate', 'BIRTH_DATE_INVALID');
    birthDate = null;
  }
  if (nikRes.birthDateCandidates.length > 0 || nikRes.sex) {
    for (const issue of checkNikAgrees(
      nik,
      { birthDate: birthDate ?? undefined, sex: sex ?? undefined },
      { today },
    )) {
      err(issue.code === 'NIK_SEX_MISMATCH' ? 'sex' : 'birthDate', issue.code, issue.message, issue.params);
    }
    birthDate = birthDate ?? nikRes.birthDate;
    sex = sex ?? nikRes.sex;
  }

  // Phone
  let phone = '';
  const ph = normalizePhone(input.phone ?? '');
  if (ph.ok) phone = ph.e164;
  else err('phone', ph.issue.code, ph.issue.message, ph.issue.params);

  // Email
  let email = clean(input.email)?.toLowerCase() ?? null;
  if (email) {
    const r = checkEmail(email);
    if (!r.ok) err('email', r.issue.code, r.issue.message, r.issue.params);
    else email = r.value;
  }

  // Domicile
  let villageCode = '';
  let districtCode = '';
  let regencyCode = '';
  let provinceCode = '';
  const vc = normalizeRegionCode(input.domicile?.villageCode ?? '');
  if (!clean(input.domicile?.villageCode)) err('domicile.villageCode', 'REQUIRED');
  else if (!vc) err('domicile.villageCode', 'VILLAGE_INVALID');
  else if (vc.level !== 'village') err('domicile.villageCode', 'VILLAGE_NOT_VILLAGE');
  else if (!getRegion(vc.dotted)) err('domicile.villageCode', 'VILLAGE_INVALID');
  else if (!isWithin(vc.dotted, opts.programArea)) err('domicile.villageCode', 'VILLAGE_OUTSIDE_PROGRAM');
  else {
    villageCode = vc.dotted;
    districtCode = villageCode.slice(0, 8);
    regencyCode = villageCode.slice(0, 5);
    provinceCode = villageCode.slice(0, 2);
  }
  let rt = clean(input.domicile?.rt);
  if (rt) {
    const r = checkRtRw(rt);
    if (!r.ok) err('domicile.rt', r.issue.code, r.issue.message, r.issue.params);
    else rt = r.value;
  }
  let rw = clean(input.domicile?.rw);
  if (rw) {
    const r = checkRtRw(rw);
    if (!r.ok) err('domicile.rw', r.issue.code, r.issue.message, r.issue.params);
    else rw = r.value;
  }
  let postalCode = clean(input.domicile?.postalCode);
  if (postalCode) {
    const r = checkPostalCode(postalCode);
    if (!r.ok) err('domicile.postalCode', r.issue.code, r.issue.message, r.issue.params);
    else postalCode = r.value;
  }

  // Business
  const b = input.business ?? ({} as ParticipantInput['business']);
  const businessName = clean(b.name);
  if (!businessName) err('business.name', 'REQUIRED');
  else if (businessName.length < 2) err('business.name', 'BUSINESS_NAME_INVALID');
  let kbli: string | null = clean(b.kbli);
  const kbliVersion = kbli ? (clean(b.kbliVersion) ?? '2020') : null;
  if (kbli) {
    const r = checkKbli(kbli, kbliVersion ?? '2020');
    if (!r.ok) err('business.kbli', r.issue.code, r.issue.message, r.issue.params);
    else kbli = r.value.code;
  }
  let sector: string | null = null;
  const sectorIn = clean(b.sector);
  if (sectorIn) {
    const r = parseSector(sectorIn);
    if (!r.ok) err('business.sector', r.issue.code, r.issue.message, r.issue.params);
    else sector = r.value;
  } else if (kbli && !errors.some((e) => e.path === 'business.kbli')) {
    sector = sectorFromKbli(kbli) ?? 'lainnya';
  } else if (!kbli) {
    err('business.sector', 'SECTOR_OR_KBLI_REQUIRED');
  }
  const year = today.getUTCFullYear();
  if (b.startedYear != null && (b.startedYear < 1900 || b.startedYear > year)) {
    err('business.startedYear', 'STARTED_YEAR_INVALID');
  }
  let nib = clean(b.nib);
  if (nib) {
    const r = checkNib(nib);
    if (!r.ok) err('business.nib', r.issue.code, r.issue.message, r.issue.params);
    else nib = r.value;
  }
  let npwp = clean(b.npwp);
  if (npwp) {
    const r = checkNpwp(npwp);
    if (!r.ok) err('business.npwp', r.issue.code, r.issue.message, r.issue.params);
    else npwp = r.value;
  }

  // Consent
  if (opts.requireConsent && input.consent?.given !== true) err('consent.given', 'CONSENT_REQUIRED');
  if (input.consent && !input.consent.given) flags.push('consent_missing');

  // Registration date (migrated records keep theirs)
  let registeredAt: string | null = null;
  const ra = clean(input.registeredAt);
  if (ra) {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(ra) ? `${ra}T00:00:00+07:00` : ra);
    if (Number.isNaN(t) || t > today.getTime() + 60_000 || t < Date.parse('1990-01-01')) {
      err('registeredAt', 'REGISTERED_AT_INVALID');
    } else registeredAt = new Date(t).toISOString();
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id,
      nik,
      fullName: fullName!,
      birthDate,
      sex,
      phone,
      email,
      agency: clean(input.agency),
      provinceCode,
      regencyCode,
      districtCode,
      villageCode,
      street: clean(input.domicile.street),
      rt,
      rw,
      postalCode,
      business: {
        name: businessName!,
        sector: sector!,
        kbli,
        kbliVersion,
        products: clean(b.products),
        startedYear: b.startedYear ?? null,
        annualRevenue: b.annualRevenue ?? null,
        capital: b.capital ?? null,
        employees: b.employees ?? null,
        nib,
        npwp,
        hasQris: b.hasQris ?? null,
        sizeClass: sizeClass({
          capital: b.capital ?? undefined,
          annualRevenue: b.annualRevenue ?? undefined,
        }),
      },
      consent: {
        version: input.consent.version,
        given: input.consent.given,
        purpose: input.consent.purpose ?? 'registration',
      },
      registeredAt,
      nikOverrideReason,
      reviewFlags: flags,
    },
  };
}

export const registeredDateOf = (iso: string): string => wibDate(iso);
