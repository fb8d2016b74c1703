/**
 * The business sectors used by the Jakpreneur program to group participants.
 * These are program categories, not an official classification; `sectorFromKbli`
 * suggests one from a KBLI code.
 */
import { type CheckResult, issue } from './codes.ts';

export const SECTOR_KEYS = [
  'kuliner',
  'fashion',
  'kriya',
  'jasa',
  'perdagangan',
  'budidaya',
  'lainnya',
] as const;

export type SectorKey = (typeof SECTOR_KEYS)[number];

export const SECTORS: Readonly<Record<SectorKey, { readonly id: string; readonly en: string }>> = {
  kuliner: { id: 'Kuliner', en: 'Culinary' },
  fashion: { id: 'Fashion', en: 'Fashion' },
  kriya: { id: 'Kriya', en: 'Craft' },
  jasa: { id: 'Jasa', en: 'Services' },
  perdagangan: { id: 'Perdagangan', en: 'Trade' },
  budidaya: { id: 'Budidaya', en: 'Farming' },
  lainnya: { id: 'Lainnya', en: 'Other' },
};

/** Common variants people type, besides the keys and the labels above. */
const ALIASES: Readonly<Record<string, SectorKey>> = {
  fesyen: 'fashion',
  kerajinan: 'kriya',
  crafts: 'kriya',
  service: 'jasa',
  others: 'lainnya',
  'lain-lain': 'lainnya',
};

function normalizeLabel(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

const LOOKUP: ReadonlyMap<string, SectorKey> = new Map<string, SectorKey>([
  ...SECTOR_KEYS.flatMap((key): [string, SectorKey][] => [
    [key, key],
    [normalizeLabel(SECTORS[key].id), key],
    [normalizeLabel(SECTORS[key].en), key],
  ]),
  ...Object.entries(ALIASES),
]);

/** Reads a sector given as key, Indonesian or English label (case-insensitive, trimmed). */
export function parseSector(input: string): CheckResult<SectorKey> {
  const key = typeof input === 'string' ? LOOKUP.get(normalizeLabel(input)) : undefined;
  return key ? { ok: true, value: key } : { ok: false, issue: issue('SECTOR_INVALID') };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** KBLI division -> sector. Divisions not listed map to 'lainnya'. */
const DIVISION_SECTOR: ReadonlyMap<number, SectorKey> = new Map<number, SectorKey>([
  // Food and drink: 10 food industry, 11 beverages, 56 food and beverage service.
  ...[10, 11, 56].map((d): [number, SectorKey] => [d, 'kuliner']),
  // 13 textiles, 14 wearing apparel, 15 leather and footwear.
  ...[13, 14, 15].map((d): [number, SectorKey] => [d, 'fashion']),
  // 16 wood, bamboo and rattan goods, 31 furniture, 32 other manufacturing (jewellery, toys, ...).
  ...[16, 31, 32].map((d): [number, SectorKey] => [d, 'kriya']),
  // 45 motor vehicle trade and repair, 46 wholesale, 47 retail.
  ...[45, 46, 47].map((d): [number, SectorKey] => [d, 'perdagangan']),
  // 01 crops and livestock, 02 forestry, 03 fisheries and aquaculture.
  ...[1, 2, 3].map((d): [number, SectorKey] => [d, 'budidaya']),
  // Services: 33 repair of machinery, H transport (49-53), 55 accommodation,
  // J information (58-63), K finance (64-66), L real estate (68), M professional (69-75),
  // N support services (77-82), P education (85), Q health and social (86-88),
  // R arts and recreation (90-93), S other services (94-96: repair, laundry, salons, ...).
  ...[
    33,
    ...range(49, 53),
    55,
    ...range(58, 66),
    68,
    ...range(69, 75),
    ...range(77, 82),
    85,
    ...range(86, 88),
    ...range(90, 96),
  ].map((d): [number, SectorKey] => [d, 'jasa']),
]);

/**
 * Best-effort program sector for a KBLI code (5 digits, or just its 2-digit
 * division). Only the division is used. Returns null when the input does not
 * start with two digits; use `checkKbli` to validate the code itself.
 */
export function sectorFromKbli(kbli: string): SectorKey | null {
  const s = typeof kbli === 'string' ? kbli.trim() : '';
  if (!/^\d{2,5}$/.test(s)) return null;
  return DIVISION_SECTOR.get(Number(s.slice(0, 2))) ?? 'lainnya';
}
