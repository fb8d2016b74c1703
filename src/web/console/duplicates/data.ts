import { get, post } from '../../api.ts';

/** Shapes of the duplicates API (src/modules/dedupe/routes.ts). */
export const PAIR_STATUSES = ['open', 'later', 'merged', 'not_duplicate'] as const;
export type PairStatus = (typeof PAIR_STATUSES)[number];
export const LEVELS = ['sure', 'review'] as const;
export type Level = (typeof LEVELS)[number];

export type PairListItem = {
  id: string;
  score: number;
  level: Level;
  status: PairStatus;
  source: 'scan' | 'registration' | 'import' | string;
  foundAt: string;
  decidedAt: string | null;
  keptId: string | null;
  a: { registrationNumber: string; fullName: string; nikMasked: string };
  b: { registrationNumber: string; fullName: string; nikMasked: string };
};
export type PairList = { total: number; items: PairListItem[] };

export type PairSide = {
  id: string;
  registrationNumber: string;
  fullName: string;
  nikMasked: string;
  phoneMasked: string | null;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  districtCode: string;
  villageCode: string;
  rt: string | null;
  rw: string | null;
  status: 'registered' | 'verified' | 'validated' | 'rejected';
  channel: string;
  registeredAt: string;
  mergedInto: string | null;
  business: { name: string; sector: string | null } | null;
  stages: string[];
};

export type NikEvidence =
  | { kind: 'unknown' }
  | { kind: 'same' }
  | { kind: 'one_digit'; position: number; serial: boolean; ownAddress?: boolean }
  | { kind: 'transposed'; position: number; serial: boolean; ownAddress?: boolean }
  | { kind: 'two_digits'; positions: number[]; serial: boolean }
  | { kind: 'different'; digits: number };

export type Evidence = {
  nik: NikEvidence;
  name: {
    similarity: number;
    matched: { a: string; b: string; similarity: number }[];
    unmatchedA: string[];
    unmatchedB: string[];
    distinctiveParts: number;
    common: boolean;
  };
  birthDate: 'same' | 'explained' | 'different' | 'missing';
  sex: 'same' | 'explained' | 'different' | 'missing';
  phone: 'same' | 'different' | 'missing';
  place: 'rt' | 'village' | 'district' | 'different';
  business: number;
};

export type PairDetail = {
  id: string;
  score: number;
  level: Level;
  status: PairStatus;
  source: string;
  foundAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  keptId: string | null;
  evidence: Evidence;
  a: PairSide;
  b: PairSide;
};

export type ScanJob = {
  id: string;
  status: 'running' | 'done' | 'failed' | string;
  /** 0..1 */
  progress: number;
  records: number;
  pairs: number;
  sure: number;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
};

export const getPair = (id: string, signal?: AbortSignal) =>
  get<PairDetail>(`/duplicates/${encodeURIComponent(id)}`, signal);

export const getLatestScan = (signal?: AbortSignal) =>
  get<{ job: ScanJob | null }>('/duplicates/scans/latest', signal);

export const startScan = () => post<ScanJob>('/duplicates/scans');

export type Decision = 'merge_a' | 'merge_b' | 'not_duplicate' | 'later' | 'unmerge' | 'reopen';

/** Sends one decision on a pair; every one answers with the pair as it is now. */
export function decide(id: string, decision: Decision, note: string | null) {
  const path = `/duplicates/${encodeURIComponent(id)}`;
  const n = note?.trim() ? { note: note.trim() } : {};
  switch (decision) {
    case 'merge_a':
      return post<PairDetail>(`${path}/merge`, { keep: 'a', ...n });
    case 'merge_b':
      return post<PairDetail>(`${path}/merge`, { keep: 'b', ...n });
    case 'unmerge':
      return post<PairDetail>(`${path}/unmerge`, n);
    case 'reopen':
      return post<PairDetail>(`${path}/reopen`, n);
    default:
      return post<PairDetail>(`${path}/decision`, { decision, ...n });
  }
}

/** How one field compares: the same, close (a typo, a spelling), different, or not known. */
export type Verdict = 'same' | 'close' | 'different' | 'unknown';

export const levelColor: Record<Level, string> = { sure: 'red.9', review: 'yellow.3' };
