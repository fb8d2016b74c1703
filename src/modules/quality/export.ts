import type { Lang } from '../../core/errors.ts';
import { openSheetWriter } from '../../spreadsheet/writer.ts';
import {
  CHECK_LABELS,
  FIELD_LABELS,
  LEGACY_RULES,
  type LegacyRule,
  REQUIRED_FIELDS,
  type RequiredField,
  RULE_LABELS,
} from './checks.ts';
import type { QualityReport } from './service.ts';

/**
 * The report as one table (CSV or XLSX): one row per figure, with stable codes in the first columns
 * (section, item, breakdown) and localized names. docs/quality.md describes each section's columns.
 */
export const EXPORT_HEADERS: Record<Lang, string[]> = {
  id: ['Bagian', 'Butir', 'Rincian', 'Kode', 'Nama', 'Jumlah', 'Dasar', 'Tanggal', 'Rasio'],
  en: ['Section', 'Item', 'Breakdown', 'Code', 'Name', 'Count', 'Base', 'Date', 'Ratio'],
};

type Row = (string | number | null)[];

export function reportRows(r: QualityReport, lang: Lang): Row[] {
  const t = (x: { id: string; en: string }) => (lang === 'en' ? x.en : x.id);
  const none = lang === 'en' ? '(no collaborator)' : '(tanpa kolaborator)';
  const rows: Row[] = [];
  for (const [k, v] of Object.entries(r.options))
    rows.push(['option', k, null, null, null, v, null, null, null]);
  rows.push([
    'total',
    null,
    null,
    r.scope?.join(' ') ?? null,
    lang === 'en' ? 'Records checked' : 'Data yang diperiksa',
    r.total,
    null,
    r.generatedAt,
    null,
  ]);
  rows.push([
    'merged_excluded',
    null,
    null,
    null,
    lang === 'en' ? 'Merged duplicates left out' : 'Duplikat yang digabung, tidak diperiksa',
    r.mergedExcluded,
    null,
    null,
    null,
  ]);
  for (const c of r.checks) {
    rows.push(['check', c.key, 'total', null, t(CHECK_LABELS[c.key]), c.count, r.total, null, null]);
    if (c.key === 'legacy_rules' && c.details)
      for (const rule of LEGACY_RULES)
        rows.push([
          'check',
          c.key,
          'rule',
          rule,
          t(RULE_LABELS[rule as LegacyRule]),
          c.details[rule],
          null,
          null,
          null,
        ]);
    if (c.key === 'fields_missing' && c.details)
      for (const f of REQUIRED_FIELDS)
        rows.push([
          'check',
          c.key,
          'field',
          f,
          t(FIELD_LABELS[f as RequiredField]),
          c.details[f],
          null,
          null,
          null,
        ]);
    for (const b of c.byRegency)
      rows.push(['check', c.key, 'regency', b.key, b.name, b.count, null, null, null]);
    for (const b of c.byDistrict)
      rows.push(['check', c.key, 'district', b.key, b.name, b.count, null, null, null]);
    for (const b of c.byCollaborator)
      rows.push(['check', c.key, 'collaborator', b.key, b.name ?? none, b.count, null, null, null]);
  }
  const a = r.anomalies;
  for (const p of a.dailyPeaks)
    rows.push([
      'daily_peak',
      p.kind,
      p.role,
      p.id,
      p.name,
      p.peakCount,
      p.total,
      p.peakDate,
      p.averagePerDay,
    ]);
  for (const b of a.deadlineBursts)
    rows.push([
      'deadline_burst',
      b.kind,
      b.role,
      b.id,
      b.name,
      b.windowCount,
      b.yearCount,
      b.deadline,
      b.ratio,
    ]);
  for (const [section, list] of [
    ['same_ip', a.ips],
    ['same_device', a.devices],
  ] as const)
    for (const s of list)
      rows.push([section, s.ref, null, s.label, s.topUser?.name ?? null, s.records, s.users, s.lastAt, null]);
  for (const p of a.sharedPhones)
    rows.push([
      'shared_phone',
      null,
      null,
      p.phone,
      p.topUser?.name ?? null,
      p.records,
      p.districts,
      p.lastAt,
      null,
    ]);
  return rows;
}

/** Writes the report to a file path or a stream (UTF-8 CSV with a BOM, or XLSX). */
export async function writeQualityReport(
  r: QualityReport,
  target: string | NodeJS.WritableStream,
  format: 'csv' | 'xlsx',
  lang: Lang,
): Promise<void> {
  const w = openSheetWriter(target, format, EXPORT_HEADERS[lang], {
    sheetName: lang === 'en' ? 'Data quality' : 'Kualitas data',
    escapeFormulas: true,
    textColumns: [3],
  });
  for (const row of reportRows(r, lang)) await w.write(row);
  await w.close();
}
