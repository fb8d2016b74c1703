import { useQueries } from '@tanstack/react-query';
import { get } from '../api.ts';
import { regionLabel } from '../regions.ts';
import type { RegionList } from '../types.ts';

/** Names of dotted region codes ("31.74" -> "Kota Adm. Jakarta Selatan"), read from their parent's children. */
export function useAreaNames(codes: string[]): string[] {
  const parents = codes.map((c) => c.split('.').slice(0, -1).join('.'));
  const results = useQueries({
    queries: parents.map((p) => ({
      queryKey: ['regions', p],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        get<RegionList>(`/regions?parent=${encodeURIComponent(p)}`, signal),
      enabled: p !== '',
      staleTime: 24 * 3600_000,
    })),
  });
  return codes.map((c, i) => {
    const hit = results[i]?.data?.items.find((r) => r.code === c);
    return hit ? regionLabel(hit.name) : c;
  });
}
