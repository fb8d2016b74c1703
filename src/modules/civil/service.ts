import { audit, auditRow } from '../../core/audit.ts';
import { nowIso, todayWib } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { withTx } from '../../db/index.ts';
import { normalizeHeader } from '../../spreadsheet/headers.ts';
import { openSheet, SheetError, type SheetReader } from '../../spreadsheet/reader.ts';
import { parseDate } from '../../spreadsheet/values.ts';
import { requirePermission, scopeParticipants } from '../participants/policy.ts';
import { fieldMessage, registerMessages } from '../participants/validate.ts';

/**
 * Loading a civil-registry (Dukcapil) match file: one row per NIK with the result of the check (matched,
 * mismatch, deceased). Each row sets participants.civil_status of the record with that NIK (within the caller's
 * scope: a NIK outside it is "not registered", revealing nothing) and keeps a civil_checks row with its source;
 * every change of status is audited on the record. Nothing else of the record changes.
 */

export type CivilStatus = 'matched' | 'mismatch' | 'deceased';
export type CivilKey = 'nik' | 'status' | 'checkedOn' | 'note';

export const CIVIL_COLUMNS: readonly {
  key: CivilKey;
  id: string;
  en: string;
  required: boolean;
  aliases: string[];
}[] = [
  { key: 'nik', id: 'NIK', en: 'NIK', required: true, aliases: ['Nomor Induk Kependudukan'] },
  {
    key: 'status',
    id: 'Hasil Pemadanan',
    en: 'Match Result',
    required: true,
    aliases: ['Status', 'Status Dukcapil', 'Hasil', 'Hasil Verifikasi', 'Civil Status', 'Result'],
  },
  {
    key: 'checkedOn',
    id: 'Tanggal Periksa',
    en: 'Checked On',
    required: false,
    aliases: ['Tanggal Pemadanan', 'Tanggal', 'Checked At', 'Date'],
  },
  { key: 'note', id: 'Keterangan', en: 'Note', required: false, aliases: ['Catatan', 'Notes', 'Remarks'] },
];

const HEADER_KEYS = new Map<string, CivilKey>();
for (const c of CIVIL_COLUMNS)
  for (const h of [c.id, c.en, ...c.aliases]) HEADER_KEYS.set(normalizeHeader(h), c.key);

/** The words a match file uses for each result, in Indonesian and English (compared without case or spaces). */
const STATUS_WORDS: Record<string, CivilStatus> = {};
for (const [status, words] of [
  ['matched', ['cocok', 'sesuai', 'padan', 'ditemukan', 'valid', 'match', 'matched', 'found', 'ok']],
  [
    'mismatch',
    [
      'tidak cocok',
      'tidak sesuai',
      'tidak padan',
      'tidak ditemukan',
      'tidak valid',
      'invalid',
      'mismatch',
      'no match',
      'not matched',
      'not found',
    ],
  ],
  ['deceased', ['meninggal', 'meninggal dunia', 'wafat', 'deceased', 'dead', 'died']],
] as const)
  for (const w of words) STATUS_WORDS[w.replace(/[^a-z]/g, '')] = status as CivilStatus;

export function parseCivilStatus(s: string): CivilStatus | null {
  return STATUS_WORDS[s.toLowerCase().replace(/[^a-z]/g, '')] ?? null;
}

registerMessages({
  CIVIL_STATUS_INVALID: {
    id: 'Hasil pemadanan tidak dikenal. Isi "cocok", "tidak cocok" atau "meninggal" (matched, mismatch, deceased).',
    en: 'Unknown match result. Use "matched", "mismatch" or "deceased" (cocok, tidak cocok, meninggal).',
  },
  CIVIL_NIK_FORMAT: {
    id: 'NIK harus 16 digit angka.',
    en: 'The NIK must be 16 digits.',
  },
  NIK_NOT_REGISTERED: {
    id: 'Tidak ada peserta dengan NIK ini (dalam wilayah Anda).',
    en: 'No participant has this NIK (within your area).',
  },
  CIVIL_DATE_FUTURE: {
    id: 'Tanggal periksa tidak boleh di masa depan.',
    en: 'The check date cannot be in the future.',
  },
});

export type CivilSummary = {
  rows: number;
  matched: number;
  mismatch: number;
  deceased: number;
  /** records whose status changed */
  changed: number;
  /** records that already had this status */
  unchanged: number;
  notFound: number;
  invalid: number;
};
export type CivilRowError = { row: number; column: string; code: string; message: string };
export type CivilResult = { summary: CivilSummary; errors: CivilRowError[]; dryRun: boolean };

const BATCH = 1000;

/** Reads a match file (CSV or XLSX) and applies it. Throws 422 when it cannot be read or lacks a column. */
export async function importCivilMatches(
  svc: Services,
  ctx: Ctx,
  path: string,
  fileName: string,
  opts: { dryRun: boolean },
  onProgress?: (p: { rows: number; bytesRead: number; totalBytes: number }) => void,
): Promise<CivilResult> {
  requirePermission(ctx, 'participant.civil-status');
  let sheet: SheetReader;
  try {
    sheet = await openSheet(path);
  } catch (e) {
    if (e instanceof SheetError)
      throw new AppError(422, e.code, { id: `Berkas tidak dapat dibaca: ${e.message}`, en: e.message });
    throw e;
  }
  try {
    const cols = new Map<CivilKey, number>();
    sheet.headers.forEach((h, i) => {
      const k = HEADER_KEYS.get(normalizeHeader(h));
      if (k && !cols.has(k)) cols.set(k, i);
    });
    const missing = CIVIL_COLUMNS.filter((c) => c.required && !cols.has(c.key));
    if (missing.length)
      throw new AppError(
        422,
        'COLUMNS_MISSING',
        {
          id: `Kolom wajib tidak ada: ${missing.map((c) => c.id).join(', ')}.`,
          en: `Required columns are missing: ${missing.map((c) => c.en).join(', ')}.`,
        },
        missing.map((c) => ({ path: c.key, code: 'COLUMN_MISSING', message: `${c.id} / ${c.en}` })),
      );
    const header = (k: CivilKey) => sheet.headers[cols.get(k)!] ?? k;
    const summary: CivilSummary = {
      rows: 0,
      matched: 0,
      mismatch: 0,
      deceased: 0,
      changed: 0,
      unchanged: 0,
      notFound: 0,
      invalid: 0,
    };
    const errors: CivilRowError[] = [];
    const fail = (row: number, k: CivilKey, code: string) => {
      summary.invalid++;
      errors.push({ row, column: header(k), code, message: fieldMessage(code, ctx.lang) });
    };
    const seen = new Set<string>();
    const today = todayWib();
    type Row = { row: number; nikHash: string; status: CivilStatus; checkedOn: string; note: string | null };
    let batch: Row[] = [];
    const flush = async () => {
      if (batch.length)
        await applyBatch(svc, ctx, batch, fileName, opts.dryRun, summary, errors, header('nik'));
      batch = [];
      onProgress?.({ rows: summary.rows, bytesRead: sheet.bytesRead(), totalBytes: sheet.totalBytes });
    };
    for await (const r of sheet.rows()) {
      summary.rows++;
      const get = (k: CivilKey) => (cols.has(k) ? (r.values[cols.get(k)!] ?? '').trim() : '');
      const nik = get('nik').replace(/[\s.-]/g, '');
      if (r.numeric?.[cols.get('nik')!]) {
        fail(r.rowNumber, 'nik', 'NIK_EXCEL_NUMBER');
        continue;
      }
      if (!/^\d{16}$/.test(nik)) {
        fail(r.rowNumber, 'nik', 'CIVIL_NIK_FORMAT');
        continue;
      }
      const status = parseCivilStatus(get('status'));
      if (!status) {
        fail(r.rowNumber, 'status', 'CIVIL_STATUS_INVALID');
        continue;
      }
      let checkedOn = today;
      const d = get('checkedOn');
      if (d) {
        const p = parseDate(d);
        if (!p.ok) {
          summary.invalid++;
          errors.push({ row: r.rowNumber, column: header('checkedOn'), code: p.code, message: p.message });
          continue;
        }
        if (p.value > today) {
          fail(r.rowNumber, 'checkedOn', 'CIVIL_DATE_FUTURE');
          continue;
        }
        checkedOn = p.value;
      }
      const nikHash = svc.vault.hmac('nik', nik);
      if (seen.has(nikHash)) {
        fail(r.rowNumber, 'nik', 'NIK_DUPLICATE_IN_FILE');
        continue;
      }
      seen.add(nikHash);
      batch.push({ row: r.rowNumber, nikHash, status, checkedOn, note: get('note').slice(0, 500) || null });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (!opts.dryRun)
      await audit(svc, svc.db.kysely, ctx, {
        action: 'civil.import',
        entityType: 'civil_import',
        entityId: newId(),
        note: { file: fileName, ...summary },
      });
    errors.sort((a, b) => a.row - b.row);
    return { summary, errors, dryRun: opts.dryRun };
  } finally {
    await sheet.close();
  }
}

async function applyBatch(
  svc: Services,
  ctx: Ctx,
  batch: { row: number; nikHash: string; status: CivilStatus; checkedOn: string; note: string | null }[],
  fileName: string,
  dryRun: boolean,
  summary: CivilSummary,
  errors: CivilRowError[],
  nikColumn: string,
) {
  await withTx(svc.db, async (tx) => {
    const found = new Map<string, { id: string; civil_status: string; version: number }>();
    for (const r of (await scopeParticipants(
      tx
        .selectFrom('participants')
        .innerJoin('nik_index', 'participants.id', 'nik_index.participant_id')
        .select([
          'nik_index.nik_hash',
          'participants.id',
          'participants.civil_status',
          'participants.version',
        ])
        .where(
          'nik_index.nik_hash',
          'in',
          batch.map((b) => b.nikHash),
        )
        .where('participants.erased_at', 'is', null),
      ctx,
    ).execute()) as { nik_hash: string; id: string; civil_status: string; version: number }[])
      found.set(r.nik_hash, r);
    const now = nowIso();
    const checks = [];
    const audits = [];
    for (const b of batch) {
      const p = found.get(b.nikHash);
      if (!p) {
        summary.notFound++;
        errors.push({
          row: b.row,
          column: nikColumn,
          code: 'NIK_NOT_REGISTERED',
          message: fieldMessage('NIK_NOT_REGISTERED', ctx.lang),
        });
        continue;
      }
      summary[b.status]++;
      if (p.civil_status === b.status) summary.unchanged++;
      else summary.changed++;
      if (dryRun) continue;
      checks.push({
        id: newId(),
        participant_id: p.id,
        status: b.status,
        previous_status: p.civil_status,
        checked_on: b.checkedOn,
        source: 'import' as const,
        file_name: fileName.slice(0, 200),
        note: b.note,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
      });
      if (p.civil_status !== b.status) {
        await tx
          .updateTable('participants')
          .set({ civil_status: b.status, version: p.version + 1, updated_at: now })
          .where('id', '=', p.id)
          .execute();
        audits.push(
          auditRow(svc, ctx, {
            action: 'participant.civil_status',
            entityType: 'participant',
            entityId: p.id,
            participantId: p.id,
            before: { civilStatus: p.civil_status },
            after: { civilStatus: b.status },
            note: { source: 'import', file: fileName.slice(0, 200), checkedOn: b.checkedOn },
          }),
        );
      }
    }
    for (let i = 0; i < checks.length; i += 200)
      await tx
        .insertInto('civil_checks')
        .values(checks.slice(i, i + 200))
        .execute();
    for (let i = 0; i < audits.length; i += 200)
      await tx
        .insertInto('audit_log')
        .values(audits.slice(i, i + 200))
        .execute();
  });
}

/** The civil-registry checks of one record, newest first (the caller has already checked it may see it). */
export async function civilChecks(svc: Services, participantId: string) {
  const rows = await svc.db.kysely
    .selectFrom('civil_checks')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    status: r.status,
    previousStatus: r.previous_status,
    checkedOn: r.checked_on,
    source: r.source,
    fileName: r.file_name,
    note: r.note,
    createdAt: r.created_at,
  }));
}
