import type { Selectable } from 'kysely';
import type { BusinessesTable, ParticipantsTable } from '../../db/types.ts';
import { getRegion } from '../../identity/index.ts';

const regionName = (code: string | null) => (code ? (getRegion(code)?.name ?? null) : null);

export type Decrypted = {
  nik: string | null;
  phone: string | null;
  email: string | null;
  street: string | null;
};

export function presentBusiness(b: Selectable<BusinessesTable>) {
  return {
    id: b.id,
    name: b.name,
    sector: b.sector,
    kbli: b.kbli,
    kbliVersion: b.kbli_version,
    products: b.products,
    startedYear: b.started_year,
    annualRevenue: b.annual_revenue,
    capital: b.capital,
    employees: b.employees,
    nib: b.nib,
    npwp: b.npwp,
    hasQris: b.has_qris == null ? null : b.has_qris === 1,
    sizeClass: b.size_class,
    isPrimary: b.is_primary === 1,
  };
}

/** The full record, for those allowed to see it (each such view is audited by the caller). */
export function presentFull(
  p: Selectable<ParticipantsTable>,
  businesses: Selectable<BusinessesTable>[],
  d: Decrypted,
  extra: {
    enrolments: unknown[];
    consents: unknown[];
    milestones?: unknown[];
    mergedIntoRecord?: unknown;
    mergedRecords?: unknown[];
  },
) {
  const primary = businesses.find((b) => b.is_primary === 1) ?? businesses[0];
  return {
    id: p.id,
    registrationNumber: p.registration_number,
    nik: d.nik ?? p.nik_masked,
    fullName: p.full_name,
    birthDate: p.birth_date,
    sex: p.sex,
    phone: d.phone ?? p.phone_masked,
    email: d.email,
    agency: p.agency,
    domicile: {
      provinceCode: p.province_code,
      regencyCode: p.regency_code,
      regencyName: regionName(p.regency_code),
      districtCode: p.district_code,
      districtName: regionName(p.district_code),
      villageCode: p.village_code,
      villageName: regionName(p.village_code),
      street: d.street,
      rt: p.rt,
      rw: p.rw,
      postalCode: p.postal_code,
    },
    business: primary ? presentBusiness(primary) : null,
    businesses: businesses.map(presentBusiness),
    consent: extra.consents[0] ?? null,
    consents: extra.consents,
    enrolments: extra.enrolments,
    /** this record's 7P milestones */
    milestones: extra.milestones ?? [],
    status: p.status,
    statusReason: p.status_reason,
    sizeClass: primary?.size_class ?? null,
    channel: p.channel,
    enteredBy: p.entered_by,
    collaboratorId: p.collaborator_id,
    importJobId: p.import_job_id,
    civilStatus: p.civil_status,
    reviewFlags: p.review_flags ? (JSON.parse(p.review_flags) as string[]) : [],
    /** the record this one was merged into as a duplicate (then it counts in no figure) */
    mergedInto: p.merged_into ?? null,
    /** the record it was merged into: id and registration number */
    mergedIntoRecord: extra.mergedIntoRecord ?? null,
    /** records merged into this one as duplicates, with their enrolments and milestones (read-only) */
    mergedRecords: extra.mergedRecords ?? [],
    nikOverrideReason: p.nik_override_reason,
    consentGiven: p.consent_given === 1,
    verifiedBy: p.verified_by,
    verifiedAt: p.verified_at,
    validatedBy: p.validated_by,
    validatedAt: p.validated_at,
    registeredAt: p.registered_at,
    erasedAt: p.erased_at,
    restrictedUntil: p.restricted_until,
    isDemo: p.is_demo === 1,
    version: p.version,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export type ListRow = Pick<
  Selectable<ParticipantsTable>,
  | 'id'
  | 'registration_number'
  | 'nik_masked'
  | 'phone_masked'
  | 'full_name'
  | 'village_code'
  | 'district_code'
  | 'regency_code'
  | 'sector'
  | 'status'
  | 'agency'
  | 'channel'
  | 'collaborator_id'
  | 'registered_at'
  | 'erased_at'
  | 'consent_given'
  | 'is_demo'
> & { business_name: string | null };

/** A list item: NIK and phone masked, the kelurahan instead of the street. */
export function presentListItem(r: ListRow) {
  return {
    id: r.id,
    registrationNumber: r.registration_number,
    nik: r.nik_masked,
    fullName: r.full_name,
    phone: r.phone_masked,
    villageCode: r.village_code,
    villageName: regionName(r.village_code),
    districtName: regionName(r.district_code),
    regencyName: regionName(r.regency_code),
    businessName: r.business_name,
    sector: r.sector,
    status: r.status,
    agency: r.agency,
    channel: r.channel,
    collaboratorId: r.collaborator_id,
    consentGiven: r.consent_given === 1,
    erased: r.erased_at != null,
    isDemo: r.is_demo === 1,
    registeredAt: r.registered_at,
  };
}
