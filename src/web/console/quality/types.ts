/** GET /quality/report (see docs/quality.md). */
export const QUALITY_CHECKS = [
  'nik_confirmed',
  'legacy_rules',
  'civil_mismatch',
  'civil_deceased',
  'nik_outside_area',
  'consent_missing',
  'fields_missing',
  'inactive',
  'pending_verification',
] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

export type Bucket = { key: string; name: string; count: number };
export type CollaboratorBucket = { key: string | null; name: string | null; count: number };
export type Who = { id: string; name: string; role: string | null; count: number };

export type CheckResult = {
  key: QualityCheck;
  count: number;
  byRegency: Bucket[];
  byDistrict: Bucket[];
  byCollaborator: CollaboratorBucket[];
  details?: Record<string, number>;
};

export type QualityOptions = {
  pendingDays: number;
  inactiveMonths: number;
  dailyMin: number;
  burstDays: number;
  burstMin: number;
  burstFactor: number;
  sameSourceMin: number;
  sharedPhoneMin: number;
};

export type DailyPeak = {
  kind: 'user' | 'collaborator';
  id: string;
  name: string;
  role: string | null;
  peakDate: string;
  peakCount: number;
  days: number;
  total: number;
  averagePerDay: number;
};
export type DeadlineBurst = {
  kind: 'user' | 'collaborator';
  id: string;
  name: string;
  role: string | null;
  deadline: string;
  windowStart: string;
  windowCount: number;
  yearCount: number;
  ratio: number;
};
export type SourceRow = {
  ref: string;
  label: string;
  records: number;
  users: number;
  selfRegistrations: number;
  topUser: Who | null;
  topCollaborator: Who | null;
  firstAt: string;
  lastAt: string;
};
export type SharedPhoneRow = {
  phone: string;
  records: number;
  districts: number;
  users: number;
  topUser: Who | null;
  topCollaborator: Who | null;
  firstAt: string;
  lastAt: string;
};

export type QualityReport = {
  generatedAt: string;
  scope: string[] | null;
  options: QualityOptions;
  total: number;
  /** records merged into another as duplicates, left out of every check */
  mergedExcluded?: number;
  checks: CheckResult[];
  anomalies: {
    deadlines: string[];
    dailyPeaks: DailyPeak[];
    deadlineBursts: DeadlineBurst[];
    ips: SourceRow[];
    devices: SourceRow[];
    sharedPhones: SharedPhoneRow[];
  };
};

/** The participant list filtered to one check (and optionally an area or a collaborator). */
export function listLink(
  check: QualityCheck,
  o: Pick<QualityOptions, 'pendingDays' | 'inactiveMonths'>,
  extra: Record<string, string> = {},
): string {
  const q = new URLSearchParams({ quality: check });
  if (check === 'pending_verification') q.set('pendingDays', String(o.pendingDays));
  if (check === 'inactive') q.set('inactiveMonths', String(o.inactiveMonths));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `/console/participants?${q}`;
}
