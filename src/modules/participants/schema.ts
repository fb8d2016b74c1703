import { z } from 'zod';
import { QUALITY_CHECKS } from '../quality/checks.ts';

/** One request schema for the API, the CLI and (after column mapping) the import. Field rules live in validate.ts. */
const optText = (max: number) => z.string().max(max).nullish();
const money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish();

export const businessInput = z
  .object({
    name: z.string().max(200),
    sector: z.string().max(40).nullish(),
    kbli: z.string().max(10).nullish(),
    kbliVersion: z.string().max(10).nullish(),
    products: optText(500),
    startedYear: z.number().int().nullish(),
    annualRevenue: money,
    capital: money,
    employees: z.number().int().min(0).max(1_000_000).nullish(),
    nib: optText(20),
    npwp: optText(30),
    hasQris: z.boolean().nullish(),
  })
  .strict();

export const domicileInput = z
  .object({
    villageCode: z.string().max(20),
    street: optText(300),
    rt: optText(5),
    rw: optText(5),
    postalCode: optText(10),
  })
  .strict();

export const consentInput = z
  .object({
    version: z.string().min(1).max(40),
    given: z.boolean(),
    purpose: z.string().max(200).nullish(),
  })
  .strict();

export const participantInput = z
  .object({
    id: z.uuid().optional(),
    nik: z.string().max(40),
    fullName: z.string().max(150),
    birthDate: z.string().max(20).nullish(),
    sex: z.enum(['M', 'F']).nullish(),
    phone: z.string().max(30),
    email: z.string().max(200).nullish(),
    agency: z.string().max(40).nullish(),
    domicile: domicileInput,
    business: businessInput,
    consent: consentInput,
    collaboratorId: z.uuid().nullish(),
    registeredAt: z.string().max(40).nullish(),
    /** an officer's confirmation of a NIK whose region code no longer exists (split regions) */
    nikOverride: z
      .object({ reason: z.string().min(5).max(500) })
      .strict()
      .nullish(),
  })
  .strict();
export type ParticipantInput = z.infer<typeof participantInput>;

/** JSON merge patch (RFC 7396) body: every field optional, null clears an optional field. */
export const participantPatch = z
  .object({
    fullName: z.string().max(150).optional(),
    birthDate: z.string().max(20).nullish(),
    sex: z.enum(['M', 'F']).nullish(),
    phone: z.string().max(30).optional(),
    email: z.string().max(200).nullish(),
    domicile: domicileInput.partial().strict().optional(),
    business: businessInput.partial().strict().optional(),
    civilStatus: z.enum(['unchecked', 'matched', 'mismatch', 'deceased']).optional(),
  })
  .strict();
export type ParticipantPatch = z.infer<typeof participantPatch>;

export const publicRegistrationInput = participantInput
  .omit({ id: true, agency: true, collaboratorId: true, registeredAt: true, nikOverride: true })
  .strict();

export const verifyInput = z
  .object({
    evidence: z
      .object({
        ktpSeen: z.boolean(),
        businessSeen: z.boolean(),
        photo: z.string().max(2_000_000).nullish(),
        note: z.string().max(1000).nullish(),
      })
      .strict(),
  })
  .strict();
export const rejectInput = z.object({ reason: z.string().trim().min(3).max(1000) }).strict();
export const reopenInput = z.object({ reason: z.string().trim().min(3).max(1000) }).strict();
export const enrolInput = z.object({ agency: z.string().min(1).max(40) }).strict();

export const listQuery = z
  .object({
    q: z.string().max(100).optional(),
    regencyCode: z.string().max(20).optional(),
    districtCode: z.string().max(20).optional(),
    villageCode: z.string().max(20).optional(),
    sector: z.string().max(40).optional(),
    status: z.enum(['registered', 'verified', 'validated', 'rejected']).optional(),
    collaboratorId: z.uuid().optional(),
    agency: z.string().max(40).optional(),
    registeredFrom: z.iso.date().optional(),
    registeredTo: z.iso.date().optional(),
    /** reached a 7P stage (has a milestone of it): the funnel's figure */
    stage: z
      .string()
      .regex(/^P[1-9]$/)
      .optional(),
    /** QRIS: declared by the business (has_qris), or a verified QRIS profile */
    qris: z.enum(['declared', 'verified']).optional(),
    /** records merged into another as duplicates: left out like in every figure (default), included, or only them */
    merged: z.enum(['exclude', 'include', 'only']).optional(),
    /** records carrying a review flag (possible_duplicate: in a duplicate pair not decided yet) */
    reviewFlag: z.enum(['possible_duplicate', 'consent_missing', 'nik_region_confirmed']).optional(),
    /** records failing one data-quality check (the same predicate as the quality report's count) */
    quality: z.enum(QUALITY_CHECKS).optional(),
    /** the windows of the pending_verification and inactive checks (defaults from the configuration) */
    pendingDays: z.coerce.number().int().min(1).max(3650).optional(),
    inactiveMonths: z.coerce.number().int().min(1).max(240).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuery>;

export const STATUSES = ['registered', 'verified', 'validated', 'rejected'] as const;
export const CHANNELS = ['self', 'officer', 'import', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
