/** Shapes of the API answers the web app reads (see docs/api.md and /api/openapi.json). */

export type Bucket = { key: string; name: string; count: number };

export type PublicStats = {
  program: { name: string; periodStart: string | null; periodEnd: string | null };
  target: number | null;
  registered: number;
  verified: number;
  validated: number;
  rejected: number;
  pending: number;
  achievementPct: number | null;
  byYear: Bucket[];
  byMonth: Bucket[];
  byRegency: Bucket[];
  bySector: Bucket[];
  byStatus: Bucket[];
  byAgency: (Bucket & { target: number | null })[];
  funnel: Bucket[];
};

/** GET /stats/summary: the public figures plus the scoped extras. */
export type Summary = PublicStats & {
  consentMissing: number;
  byDistrict: Bucket[];
  milestones: Bucket[];
  /** records merged into another (duplicates) and left out of every count; absent on servers without merging */
  duplicatesExcluded?: number;
};

/** One row of GET /stats/qris: verified QRIS profiles and self-declared QRIS over registered participants. */
export type QrisShare = {
  key: string;
  name: string;
  registered: number;
  verified: number;
  verifiedPct: number | null;
  declared: number;
  declaredPct: number | null;
};

/** GET /stats/qris */
export type QrisStats = {
  registered: number;
  profiles: number;
  verified: number;
  verifiedPct: number | null;
  declared: number;
  declaredPct: number | null;
  byRegency: (QrisShare & { profiles: number })[];
  bySector: QrisShare[];
};

export type Role = 'admin' | 'officer' | 'mentor' | 'collaborator' | 'participant';

export type User = {
  id: string;
  email: string | null;
  phone: string | null;
  displayName: string | null;
  role: Role;
  /** dotted region codes (regency or district); empty = the whole program area */
  areas: string[];
  agency: string | null;
  collaboratorId: string | null;
  participantId: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: string;
};

export type LoginResult = { token: string; csrfToken: string; user: User };

export type Region = { code: string; name: string };
export type RegionList = { items: Region[]; source: { name: string; version: string; license: string } };

export type RegistrationResult = {
  registrationNumber: string;
  status: string;
  registeredAt: string;
  fullName: string;
};
