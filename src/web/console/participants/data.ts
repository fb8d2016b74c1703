import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { API_BASE, get, toApiError } from '../../api.ts';
import i18n from '../../i18n/index.ts';
import { regionLabel } from '../../regions.ts';
import type { RegionList } from '../../types.ts';

export const SECTORS = ['kuliner', 'fashion', 'kriya', 'jasa', 'perdagangan', 'budidaya', 'lainnya'] as const;
export const STATUSES = ['registered', 'verified', 'validated', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];

export type ListItem = {
  id: string;
  registrationNumber: string;
  nik: string | null;
  fullName: string;
  phone: string | null;
  villageName: string | null;
  districtName: string | null;
  regencyName: string | null;
  businessName: string | null;
  sector: string | null;
  status: Status;
  /** civil-registry (Dukcapil) check: unchecked, matched, mismatch, deceased */
  civilStatus?: string;
  erased: boolean;
  isDemo: boolean;
  registeredAt: string;
};
export type ListPage = {
  items: ListItem[];
  /** exact when totalExact; otherwise the API's count cap (more records match) */
  total: number;
  totalExact?: boolean;
  nextCursor: string | null;
};

export type Business = {
  name: string;
  sector: string | null;
  products: string | null;
  startedYear: number | null;
  employees: number | null;
  nib: string | null;
  hasQris: boolean | null;
};

export type Participant = {
  id: string;
  registrationNumber: string;
  nik: string | null;
  fullName: string;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  phone: string | null;
  email: string | null;
  agency: string | null;
  domicile: {
    regencyCode: string | null;
    regencyName: string | null;
    districtCode: string | null;
    districtName: string | null;
    villageCode: string | null;
    villageName: string | null;
    street: string | null;
    rt: string | null;
    rw: string | null;
    postalCode: string | null;
  };
  business: Business | null;
  status: Status;
  /** civil-registry (Dukcapil) check: unchecked, matched, mismatch, deceased */
  civilStatus?: string;
  statusReason: string | null;
  channel: string;
  enteredBy: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  validatedBy: string | null;
  validatedAt: string | null;
  registeredAt: string;
  erasedAt: string | null;
  isDemo: boolean;
  version: number;
  updatedAt: string;
  reviewFlags?: string[];
  /** the record this one was merged into as a duplicate */
  mergedIntoRecord?: { id: string; registrationNumber: string } | null;
  /** records merged into this one as duplicates: theirs, read-only (a merge moves nothing, so it can be undone) */
  mergedRecords?: MergedRecord[];
};

export type Milestone = { stage: string; kind: string; occurredAt: string; source: string };
export type Enrolment = { id: string; agency: string; channel: string; enrolledAt: string };
export type MergedRecord = {
  id: string;
  registrationNumber: string;
  mergedAt: string | null;
  erased: boolean;
  enrolments: Enrolment[];
  milestones: Milestone[];
};

export type AuditItem = {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actor: string | null;
  action: string;
  data: unknown;
};

/** GET /participants/{id} with its ETag (needed for PATCH If-Match); the fetch wrapper does not expose headers. */
export async function getRecord(
  id: string,
  signal?: AbortSignal,
): Promise<{ record: Participant; etag: string }> {
  const res = await fetch(`${API_BASE}/participants/${encodeURIComponent(id)}`, {
    headers: { Accept: 'application/json, application/problem+json', 'Accept-Language': i18n.language },
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body, res.statusText || `HTTP ${res.status}`);
  return { record: body as Participant, etag: res.headers.get('etag') ?? '' };
}

/** Children of a region as select options (city -> kecamatan -> kelurahan), cached for a day. */
export function useRegionOptions(parent: string | null) {
  const q = useQuery({
    queryKey: ['regions', parent],
    queryFn: ({ signal }) => get<RegionList>(`/regions?parent=${encodeURIComponent(parent!)}`, signal),
    enabled: !!parent,
    staleTime: 24 * 3600_000,
  });
  // the same array while the answer is the same, so that a memoised select of these options does not render again
  const options = useMemo(
    () => (q.data?.items ?? []).map((r) => ({ value: r.code, label: regionLabel(r.name) })),
    [q.data],
  );
  return { loading: q.isFetching, options };
}

export const statusColor: Record<Status, string> = {
  registered: 'gray',
  verified: 'blue',
  validated: 'green',
  rejected: 'red',
};
