import { useResource } from './lib/resource.ts';
import type { RegionList } from './types.ts';

/** Title-cases region names that come upper-case from the region data ("KOTA ADM. JAKARTA SELATAN"). */
export function regionLabel(name: string) {
  if (name !== name.toUpperCase()) return name;
  return name
    .toLowerCase()
    .replace(/(^|[\s.(/-])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase());
}

/** A shorter name for charts: "Kota Administrasi Jakarta Selatan" -> "Jakarta Selatan". */
export function shortRegionLabel(name: string) {
  return regionLabel(name).replace(/^(Kota|Kabupaten)( Administrasi| Adm\.)? /i, '');
}

/** Children of a region (city -> kecamatan -> kelurahan); cached for a day like the API says. */
export function useRegions(parent: string | null) {
  return useResource<RegionList>(parent ? `/regions?parent=${encodeURIComponent(parent)}` : null, {
    staleMs: 24 * 3600_000,
  });
}
