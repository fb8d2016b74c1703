/**
 * The participant list's filters, kept in the page's URL under the API's own names, so a link (from a dashboard
 * figure, say) is a list query: `/console/participants?status=verified` lists what
 * `GET /api/v1/participants?status=verified` answers. Pure, tested without a browser.
 */
export const LIST_FILTERS = [
  'regencyCode',
  'districtCode',
  'villageCode',
  'sector',
  'status',
  'agency',
  'stage',
  'qris',
  'registeredFrom',
  'registeredTo',
  'collaboratorId',
  // from the data-quality page: records failing one check, with the check's window
  'quality',
  'pendingDays',
  'inactiveMonths',
] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];
export type ListFilters = Partial<Record<ListFilter, string>>;

/** The filters of a page URL's search part (unknown parameters left out, empty values dropped). */
export function filtersOf(params: URLSearchParams): Record<ListFilter, string> {
  return Object.fromEntries(LIST_FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<ListFilter, string>;
}

/** The query string of the list (empty values left out). */
export function listQuery(params: Record<string, string | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  return u.toString();
}

/** The console URL of the participants list with these filters. */
export function participantsLink(f: ListFilters): string {
  const q = listQuery(Object.fromEntries(LIST_FILTERS.map((k) => [k, f[k]])));
  return q ? `/console/participants?${q}` : '/console/participants';
}
