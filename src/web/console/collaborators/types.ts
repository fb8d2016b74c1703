export const COLLABORATOR_TYPES = [
  'community',
  'university',
  'company',
  'bank',
  'bumd',
  'ngo',
  'government',
] as const;
export const STAGES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'] as const;

export type Collaborator = {
  id: string;
  name: string;
  type: string;
  mouNumber: string | null;
  mouStart: string | null;
  mouEnd: string | null;
  stages: string[];
  contact: { name: string | null; email: string | null; phone: string | null };
  areaCode: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type CollaboratorDetail = Collaborator & {
  figures: { total: number; registered: number; verified: number; validated: number; rejected: number };
};

export type CollaboratorValues = {
  name: string;
  type: string;
  mouNumber: string;
  mouStart: string;
  mouEnd: string;
  stages: string[];
  contactName: string;
  contactEmail: string;
  contactPhone: string;
};

export function toValues(c?: Collaborator | null): CollaboratorValues {
  return {
    name: c?.name ?? '',
    type: c?.type ?? '',
    mouNumber: c?.mouNumber ?? '',
    mouStart: c?.mouStart ?? '',
    mouEnd: c?.mouEnd ?? '',
    stages: c?.stages ?? [],
    contactName: c?.contact.name ?? '',
    contactEmail: c?.contact.email ?? '',
    contactPhone: c?.contact.phone ?? '',
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The API body (POST, or PATCH: the same full set of fields). */
export function toBody(v: CollaboratorValues) {
  return {
    name: v.name.trim(),
    type: v.type,
    mouNumber: orNull(v.mouNumber),
    mouStart: orNull(v.mouStart),
    mouEnd: orNull(v.mouEnd),
    stages: v.stages,
    contact: { name: orNull(v.contactName), email: orNull(v.contactEmail), phone: orNull(v.contactPhone) },
  };
}

/** API field path -> form field. */
export const PATH_TO_FIELD: Record<string, keyof CollaboratorValues> = {
  name: 'name',
  type: 'type',
  mouNumber: 'mouNumber',
  mouStart: 'mouStart',
  mouEnd: 'mouEnd',
  stages: 'stages',
  'contact.name': 'contactName',
  'contact.email': 'contactEmail',
  'contact.phone': 'contactPhone',
};
