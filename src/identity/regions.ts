/**
 * Indonesian administrative regions (Kemendagri codes) from the npm package
 * `idn-area-data`.
 *
 * Codes are dotted (`31`, `31.71`, `31.71.01`, `31.71.01.1001`) or undotted
 * (`31`, `3171`, `317101`, `3171011001`). Each level's CSV is read once, on
 * first use, and kept in Maps, so every lookup afterwards is O(1).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type RegionLevel = 'province' | 'regency' | 'district' | 'village';

export interface Region {
  /** Dotted code, e.g. `31.71.01`. */
  readonly code: string;
  /** Code without dots, e.g. `317101` (as used in the NIK). */
  readonly undotted: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** Dotted code of the parent region; null for provinces. */
  readonly parentCode: string | null;
}

export interface NormalizedRegionCode {
  dotted: string;
  undotted: string;
  level: RegionLevel;
}

const LEVELS: readonly RegionLevel[] = ['province', 'regency', 'district', 'village'];

/** Lengths of the code segments per level: 2 / 2 / 2 / 4 digits. */
const SEGMENT_LENGTHS = [2, 2, 2, 4] as const;
/** Undotted code length per level. */
const UNDOTTED_LENGTH: Readonly<Record<number, RegionLevel>> = {
  2: 'province',
  4: 'regency',
  6: 'district',
  10: 'village',
};

const DOTTED_RE = /^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$/;
const UNDOTTED_RE = /^\d+$/;
/** Exact dotted shape per level, used when loading the CSVs. */
const LEVEL_RE: Readonly<Record<RegionLevel, RegExp>> = {
  province: /^\d{2}$/,
  regency: /^\d{2}\.\d{2}$/,
  district: /^\d{2}\.\d{2}\.\d{2}$/,
  village: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
};

const require = createRequire(import.meta.url);
const packageJsonPath = require.resolve('idn-area-data/package.json');
const dataDir = join(dirname(packageJsonPath), 'data');

/** Version of `idn-area-data` the region tables come from (record it next to stored codes). */
export const regionSourceVersion: string = (require('idn-area-data/package.json') as { version: string })
  .version;

function splitUndotted(undotted: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const len of SEGMENT_LENGTHS) {
    if (at >= undotted.length) break;
    parts.push(undotted.slice(at, at + len));
    at += len;
  }
  return parts.join('.');
}

/**
 * Accepts a region code in dotted or undotted form (surrounding whitespace is
 * ignored) and returns both forms and the level, or null when the input is not
 * shaped like a region code. Does not check that the region exists.
 */
export function normalizeRegionCode(input: string): NormalizedRegionCode | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (DOTTED_RE.test(s)) {
    const undotted = s.replaceAll('.', '');
    return { dotted: s, undotted, level: UNDOTTED_LENGTH[undotted.length] };
  }
  if (UNDOTTED_RE.test(s)) {
    const level = UNDOTTED_LENGTH[s.length];
    if (!level) return null;
    return { dotted: splitUndotted(s), undotted: s, level };
  }
  return null;
}

// ---------------------------------------------------------------------------
// CSV loading

/** Minimal RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      // Copy the run up to the next quote in one go.
      const next = text.indexOf('"', i);
      const end = next === -1 ? n : next;
      field += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // Copy the run of plain characters in one go.
      let j = i + 1;
      while (j < n) {
        const c = text[j];
        if (c === ',' || c === '"' || c === '\n' || c === '\r') break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface LevelTable {
  byCode: Map<string, Region>;
  /** Children of each parent (dotted parent code; '' for the provinces), sorted by code. */
  byParent: Map<string, Region[]>;
}

const FILES: Readonly<Record<RegionLevel, { file: string; parentColumn: string | null }>> = {
  province: { file: 'provinces.csv', parentColumn: null },
  regency: { file: 'regencies.csv', parentColumn: 'province_code' },
  district: { file: 'districts.csv', parentColumn: 'regency_code' },
  village: { file: 'villages.csv', parentColumn: 'district_code' },
};

const tables = new Map<RegionLevel, LevelTable>();

function loadLevel(level: RegionLevel): LevelTable {
  const cached = tables.get(level);
  if (cached) return cached;
  const { file, parentColumn } = FILES[level];
  const path = join(dataDir, file);
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const header = rows[0] ?? [];
  const codeAt = header.indexOf('code');
  const nameAt = header.indexOf('name');
  const parentAt = parentColumn ? header.indexOf(parentColumn) : -1;
  if (codeAt < 0 || nameAt < 0 || (parentColumn && parentAt < 0)) {
    throw new Error(
      `idn-area-data ${regionSourceVersion}: unexpected header in ${path}: ${header.join(',')}`,
    );
  }
  const byCode = new Map<string, Region>();
  const byParent = new Map<string, Region[]>();
  for (let r = 1; r < rows.length; r++) {
    const cols = rows[r];
    const code = cols[codeAt];
    if (!LEVEL_RE[level].test(code)) {
      throw new Error(`idn-area-data ${regionSourceVersion}: bad ${level} code "${code}" in ${path}`);
    }
    const parentCode = parentColumn ? cols[parentAt] : null;
    const region: Region = Object.freeze({
      code,
      undotted: code.split('.').join(''),
      name: cols[nameAt].trim(),
      level,
      parentCode,
    });
    byCode.set(region.code, region);
    const key = parentCode ?? '';
    const siblings = byParent.get(key);
    if (siblings) siblings.push(region);
    else byParent.set(key, [region]);
  }
  for (const list of byParent.values()) list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const table = { byCode, byParent };
  tables.set(level, table);
  return table;
}

/** Loads the given levels now (e.g. at server start) instead of on first use. */
export function preloadRegions(levels: readonly RegionLevel[] = LEVELS): void {
  for (const level of levels) loadLevel(level);
}

// ---------------------------------------------------------------------------
// Lookups

/**
 * Codes found before, as they were given: an import looks up the same few thousand codes (each NIK's province,
 * regency and kecamatan, each row's kelurahan) a million times. Only codes of existing regions are kept.
 */
const found = new Map<string, Region>();

/** The region with this code (dotted or undotted), or undefined when unknown. */
export function getRegion(code: string): Region | undefined {
  const hit = found.get(code);
  if (hit) return hit;
  const norm = normalizeRegionCode(code);
  if (!norm) return undefined;
  const region = loadLevel(norm.level).byCode.get(norm.dotted);
  if (region && found.size < 200_000) found.set(code, region);
  return region;
}

/**
 * Direct children of a region, sorted by code; `null` gives the provinces.
 * Returns [] for villages, unknown or malformed codes.
 */
export function childrenOf(parentCode: string | null): Region[] {
  if (parentCode === null) return [...(loadLevel('province').byParent.get('') ?? [])];
  const norm = normalizeRegionCode(parentCode);
  if (!norm) return [];
  const childLevel = LEVELS[LEVELS.indexOf(norm.level) + 1];
  if (!childLevel) return [];
  return [...(loadLevel(childLevel).byParent.get(norm.dotted) ?? [])];
}

/**
 * The known regions above `code`, from the province down to the direct parent
 * (the region itself is not included). Works for unknown codes too: it returns
 * whichever of their ancestors exist. [] for provinces and malformed codes.
 */
export function ancestorsOf(code: string): Region[] {
  const norm = normalizeRegionCode(code);
  if (!norm) return [];
  const parts = norm.dotted.split('.');
  const out: Region[] = [];
  for (let depth = 1; depth < parts.length; depth++) {
    const region = loadLevel(LEVELS[depth - 1]).byCode.get(parts.slice(0, depth).join('.'));
    if (region) out.push(region);
  }
  return out;
}

/**
 * True when `code` is `areaCode` itself or lies below it (e.g. a village inside
 * a regency). Both may be dotted or undotted. Purely structural: existence is
 * not checked. False when either code is malformed.
 */
export function isWithin(code: string, areaCode: string): boolean {
  const c = normalizeRegionCode(code);
  const a = normalizeRegionCode(areaCode);
  if (!c || !a) return false;
  return c.dotted === a.dotted || c.dotted.startsWith(`${a.dotted}.`);
}

// ---------------------------------------------------------------------------
// Retired codes

export interface RetiredRegion {
  /** The old dotted code as it still appears in older NIKs. */
  readonly code: string;
  readonly level: 'regency' | 'district';
  /** Name of the region when it carried the old code. */
  readonly name: string;
  /** Dotted code of the same area today. */
  readonly successorCode: string;
  readonly note: string;
}

const PAPUA_2022 =
  'Moved to a new province when Papua was split in 2022 (UU 14, 15 and 16/2022); NIKs issued before keep the old code.';
const PAPUA_BARAT_DAYA_2022 =
  'Moved to Papua Barat Daya when Papua Barat was split in 2022 (UU 29/2022); NIKs issued before keep the old code.';
const KALTARA_2012 =
  'Moved to Kalimantan Utara when it was split from Kalimantan Timur in 2012 (UU 20/2012); NIKs issued before keep the old code.';

function retired(
  code: string,
  name: string,
  successorCode: string,
  note: string,
): readonly [string, RetiredRegion] {
  return [code, Object.freeze({ code, level: 'regency', name, successorCode, note })];
}

/**
 * Regency/district codes that are no longer in use but still appear on older
 * KTPs, because a NIK never changes after a region is split or renumbered.
 * Keyed by the old dotted code.
 *
 * Every entry must be absent from the current `idn-area-data` tables (a test
 * checks this). To add one: take the old code from the Kepmendagri list in force
 * when the NIK was issued, check that the code has disappeared from
 * `regencies.csv`/`districts.csv`, and give the code of the same area today as
 * `successorCode` (the test checks that it exists).
 */
export const RETIRED_REGION_CODES: Readonly<Record<string, RetiredRegion>> = Object.freeze(
  Object.fromEntries([
    // Papua (91) -> Papua Selatan (93), Papua Tengah (94), Papua Pegunungan (95)
    retired('91.01', 'Kabupaten Merauke', '93.01', PAPUA_2022),
    retired('91.02', 'Kabupaten Jayawijaya', '95.01', PAPUA_2022),
    retired('91.04', 'Kabupaten Nabire', '94.01', PAPUA_2022),
    retired('91.07', 'Kabupaten Puncak Jaya', '94.02', PAPUA_2022),
    retired('91.08', 'Kabupaten Paniai', '94.03', PAPUA_2022),
    retired('91.09', 'Kabupaten Mimika', '94.04', PAPUA_2022),
    retired('91.12', 'Kabupaten Pegunungan Bintang', '95.02', PAPUA_2022),
    retired('91.13', 'Kabupaten Yahukimo', '95.03', PAPUA_2022),
    retired('91.14', 'Kabupaten Tolikara', '95.04', PAPUA_2022),
    retired('91.16', 'Kabupaten Boven Digoel', '93.02', PAPUA_2022),
    retired('91.17', 'Kabupaten Mappi', '93.03', PAPUA_2022),
    retired('91.18', 'Kabupaten Asmat', '93.04', PAPUA_2022),
    retired('91.21', 'Kabupaten Mamberamo Tengah', '95.05', PAPUA_2022),
    retired('91.22', 'Kabupaten Yalimo', '95.06', PAPUA_2022),
    retired('91.23', 'Kabupaten Lanny Jaya', '95.07', PAPUA_2022),
    retired('91.24', 'Kabupaten Nduga', '95.08', PAPUA_2022),
    retired('91.25', 'Kabupaten Puncak', '94.05', PAPUA_2022),
    retired('91.26', 'Kabupaten Dogiyai', '94.06', PAPUA_2022),
    retired('91.27', 'Kabupaten Intan Jaya', '94.07', PAPUA_2022),
    retired('91.28', 'Kabupaten Deiyai', '94.08', PAPUA_2022),
    // Papua Barat (92) -> Papua Barat Daya (96)
    retired('92.01', 'Kabupaten Sorong', '96.01', PAPUA_BARAT_DAYA_2022),
    retired('92.04', 'Kabupaten Sorong Selatan', '96.02', PAPUA_BARAT_DAYA_2022),
    retired('92.05', 'Kabupaten Raja Ampat', '96.03', PAPUA_BARAT_DAYA_2022),
    retired('92.09', 'Kabupaten Tambrauw', '96.04', PAPUA_BARAT_DAYA_2022),
    retired('92.10', 'Kabupaten Maybrat', '96.05', PAPUA_BARAT_DAYA_2022),
    retired('92.71', 'Kota Sorong', '96.71', PAPUA_BARAT_DAYA_2022),
    // Kalimantan Timur (64) -> Kalimantan Utara (65)
    retired('64.04', 'Kabupaten Bulungan', '65.01', KALTARA_2012),
    retired('64.05', 'Kabupaten Malinau', '65.02', KALTARA_2012),
    retired('64.06', 'Kabupaten Nunukan', '65.03', KALTARA_2012),
    retired('64.10', 'Kabupaten Tana Tidung', '65.04', KALTARA_2012),
    retired('64.73', 'Kota Tarakan', '65.71', KALTARA_2012),
  ]),
);

/** The retired-table entry for this code (dotted or undotted), if any. */
export function getRetiredRegion(code: string): RetiredRegion | undefined {
  const norm = normalizeRegionCode(code);
  if (!norm) return undefined;
  return Object.hasOwn(RETIRED_REGION_CODES, norm.dotted) ? RETIRED_REGION_CODES[norm.dotted] : undefined;
}

/** True when the code (dotted or undotted) is in `RETIRED_REGION_CODES`. */
export function isRetiredRegion(code: string): boolean {
  return getRetiredRegion(code) !== undefined;
}
