import { closeSync, fdatasyncSync, openSync, statSync } from 'node:fs';
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import { audit } from '../../core/audit.ts';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { AppError, type FieldError, invalid, notFound } from '../../core/errors.ts';
import { participantMoved } from '../../core/hooks.ts';
import { formatRegistrationNumber, isUuid, newId } from '../../core/ids.ts';
import { addParticipantFacts, applyRollup, RollupDelta } from '../../core/rollup.ts';
import { type Tx, withTx } from '../../db/index.ts';
import { copyClientOf, copyRows, withPgClientTx } from '../../db/pg-batch.ts';
import type { DB, ImportErrorsTable } from '../../db/types.ts';
import { maskPhone } from '../../identity/index.ts';
import { IMPORT_COLUMNS, type ImportKey, mapHeaders } from '../../spreadsheet/headers.ts';
import { openSheet, SheetError, type SheetReader } from '../../spreadsheet/reader.ts';
import { VALUE_MESSAGES } from '../../spreadsheet/values.ts';
import {
  type DuplicateCandidates,
  duplicateCandidates,
  flagLikelyDuplicates,
  type NewPerson,
  personOf,
} from '../dedupe/service.ts';
import { collaboratorExists, DEFAULT_AGENCY } from '../participants/commands.ts';
import { requirePermission } from '../participants/policy.ts';
import {
  addDeclaredQrisMoves,
  addDistrictMoves,
  addRegistrationFacts,
  type ParticipantRows,
  type Place,
  reserveRegistrationNumbers,
  searchText,
} from '../participants/store.ts';
import { fieldMessage, registerMessages } from '../participants/validate.ts';
import type { ChunkResult, ChunkSpec, PreparedRow, RawRow } from './prepare.ts';
import { inlineProcessor, workerProcessor } from './processor.ts';

registerMessages(VALUE_MESSAGES);

export type ImportOptions = {
  mode: 'insert' | 'upsert';
  dryRun: boolean;
  collaboratorId: string | null;
  batchSize?: number;
};
export type ImportSummary = {
  rows: number;
  inserted: number;
  updated: number;
  duplicates: number;
  invalid: number;
};
export type Progress = { rows: number; bytesRead: number; totalBytes: number };

export class ImportFileError extends AppError {}

/** Rows per batch: one transaction each (in the server's background worker on SQLite, maybe a few: YIELD_EVERY). */
export const DEFAULT_BATCH_SIZE = 1000;

function fileError(code: string, id: string, en: string): ImportFileError {
  return new ImportFileError(422, code, { id, en });
}

type Prepared = PreparedRow;

class ImportInterrupted extends Error {}

/** A job stopped with the server (whole batches are stored): running the same file again completes it. */
export function interruptedError(): AppError {
  return new AppError(503, 'INTERRUPTED', {
    id: 'Impor terhenti (server dimatikan). Unggah berkas yang sama lagi untuk menyelesaikannya.',
    en: 'The import was interrupted (server stopped). Upload the same file again to complete it.',
  });
}

/**
 * Imports participants from a CSV or XLSX file, streaming, in batches of one short transaction each:
 * a killed import leaves whole batches only, and running the same file again completes it (rows already
 * stored count as duplicates, or are updated in upsert mode).
 */
export async function runImport(
  svc: Services,
  ctx: Ctx,
  path: string,
  fileName: string,
  opts: ImportOptions,
  hooks: {
    jobId?: string;
    onProgress?: (p: Progress) => void;
    /** run by the server's job queue: preparing rows runs at a low CPU priority, requests first */
    background?: boolean;
    /**
     * Asked between steps of YIELD_EVERY rows: true when a request waits to write (the server's write gate), and
     * the batch then commits what it has written and goes on in a new transaction after that request.
     */
    yieldRequested?: () => boolean;
    /** Asked after each batch: true when the server is stopping; the job then ends as interrupted. */
    stopRequested?: () => boolean;
  } = {},
): Promise<{ jobId: string; summary: ImportSummary }> {
  const actor = requirePermission(ctx, 'import.run');
  let collaboratorId = opts.collaboratorId;
  if (actor?.role === 'collaborator') collaboratorId = actor.collaboratorId;
  else if (collaboratorId && !(await collaboratorExists(svc, collaboratorId))) {
    throw invalid([
      {
        path: 'collaboratorId',
        code: 'COLLABORATOR_UNKNOWN',
        message: fieldMessage('COLLABORATOR_UNKNOWN', ctx.lang),
      },
    ]);
  }
  const k = svc.db.kysely;
  const jobId = hooks.jobId ?? newId();
  const now = nowIso();
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    throw fileError('FILE_NOT_FOUND', `Berkas tidak ditemukan: ${fileName}`, `File not found: ${fileName}`);
  }
  if (!hooks.jobId) {
    await k
      .insertInto('import_jobs')
      .values({
        id: jobId,
        status: 'running',
        file_path: null,
        file_name: fileName,
        format: 'unknown',
        total_bytes: size,
        bytes_read: 0,
        rows: 0,
        inserted: 0,
        updated: 0,
        duplicates: 0,
        invalid: 0,
        mode: opts.mode,
        dry_run: opts.dryRun ? 1 : 0,
        collaborator_id: collaboratorId,
        created_by: actor?.id ?? null,
        created_at: now,
        started_at: now,
        heartbeat_at: now,
        finished_at: null,
        error: null,
      })
      .execute();
  } else {
    await k
      .updateTable('import_jobs')
      .set({ status: 'running', started_at: now, heartbeat_at: now })
      .where('id', '=', jobId)
      .execute();
  }
  const fail = async (e: AppError) => {
    await k
      .updateTable('import_jobs')
      .set({ status: 'failed', error: JSON.stringify({ code: e.code, ...e.text }), finished_at: nowIso() })
      .where('id', '=', jobId)
      .execute();
    return e;
  };
  let reader: SheetReader;
  try {
    reader = await openSheet(path);
  } catch (err) {
    if (err instanceof SheetError) {
      throw await fail(
        fileError(
          err.code,
          err.code === 'SHEET_EMPTY'
            ? 'Berkas kosong: tidak ada baris judul kolom.'
            : 'Berkas tidak dapat dibaca sebagai CSV atau XLSX. Simpan ulang dari Excel sebagai CSV UTF-8 atau XLSX.',
          err.message,
        ),
      );
    }
    throw err;
  }
  if (reader.format === 'xlsx' && size > svc.config.importXlsxMaxBytes) {
    await reader.close();
    const mb = Math.round(svc.config.importXlsxMaxBytes / 1048576);
    throw await fail(
      fileError(
        'XLSX_TOO_LARGE',
        `Berkas XLSX lebih dari ${mb} MB. Untuk berkas besar gunakan CSV.`,
        `XLSX files are limited to ${mb} MB. Use CSV for large files.`,
      ),
    );
  }
  const mapping = mapHeaders(reader.headers);
  if (mapping.missingRequired.length > 0) {
    await reader.close();
    const names = mapping.missingRequired.map((key) => {
      const c = IMPORT_COLUMNS.find((x) => x.key === key)!;
      return key === 'sector' ? `${c.id} / KBLI` : c.id;
    });
    throw await fail(
      new ImportFileError(
        422,
        'REQUIRED_COLUMN_MISSING',
        {
          id: `Kolom wajib tidak ada: ${names.join(', ')}. Unduh templat untuk melihat judul kolom yang benar.`,
          en: `Required column missing: ${names.join(', ')}. Download the template to see the expected headers.`,
        },
        mapping.missingRequired.map((key) => ({ path: key, code: 'REQUIRED_COLUMN_MISSING', message: key })),
      ),
    );
  }
  await k.updateTable('import_jobs').set({ format: reader.format }).where('id', '=', jobId).execute();
  await audit(svc, k, ctx, {
    action: 'import.run',
    entityType: 'import',
    entityId: jobId,
    after: {
      fileName,
      mode: opts.mode,
      dryRun: opts.dryRun,
      collaboratorId,
      format: reader.format,
      bytes: size,
    },
  });

  const headerOf = (key: ImportKey) => {
    const i = mapping.columns.get(key);
    return i === undefined ? (IMPORT_COLUMNS.find((c) => c.key === key)?.id ?? key) : reader.headers[i];
  };
  const summary: ImportSummary = { rows: 0, inserted: 0, updated: 0, duplicates: 0, invalid: 0 };
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const job: JobState = {
    svc,
    ctx,
    jobId,
    opts,
    dryRunSeen: opts.dryRun ? new Set<string>() : null,
    nikColumn: headerOf('nik'),
    updatedIds: new Set<string>(),
    yieldRequested: hooks.yieldRequested ?? null,
    batches: 0,
  };
  let batch: Prepared[] = [];
  let batchErrors: Insertable<ImportErrorsTable>[] = [];

  const flush = async () => {
    const res = await writeBatch(
      job,
      batch,
      batchErrors,
      // the job's progress and heartbeat, written in the batch's own transaction
      (r) => ({
        rows: summary.rows,
        inserted: summary.inserted + r.inserted,
        updated: summary.updated + r.updated,
        duplicates: summary.duplicates + r.duplicates,
        invalid: summary.invalid + r.invalid,
        bytes_read: reader.bytesRead(),
        heartbeat_at: nowIso(),
      }),
    );
    summary.inserted += res.inserted;
    summary.updated += res.updated;
    summary.duplicates += res.duplicates;
    summary.invalid += res.invalid;
    batch = [];
    batchErrors = [];
    hooks.onProgress?.({ rows: summary.rows, bytesRead: reader.bytesRead(), totalBytes: reader.totalBytes });
  };

  // Large files: parse/validate/encrypt in a worker thread while this thread reads and inserts (and, unless
  // in the server's background, prepares a chunk itself when the worker is behind).
  const processor =
    size > 2 * 1024 * 1024 && process.env.JKP_IMPORT_INLINE !== '1'
      ? workerProcessor(svc, { nice: hooks.background ? 10 : 0, help: !hooks.background })
      : inlineProcessor(svc);
  const spec: ChunkSpec = {
    lang: ctx.lang,
    programArea: svc.config.programArea,
    columns: [...mapping.columns],
    headers: reader.headers,
    meta: {
      channel: 'import',
      enteredBy: actor?.id ?? null,
      collaboratorId,
      importJobId: jobId,
      defaultAgency: DEFAULT_AGENCY,
      now: nowIso(),
    },
    build: !opts.dryRun,
    keepInput: opts.mode === 'upsert',
  };
  const inFlight: Promise<ChunkResult>[] = [];
  let chunk: RawRow[] = [];
  const drainOne = async () => {
    const res = await inFlight.shift()!;
    summary.invalid += res.invalid;
    batch = res.prepared;
    batchErrors = res.errors.map((e) => ({
      job_id: jobId,
      row_number: e.rowNumber,
      column_name: e.column,
      code: e.code,
      message: e.message,
    }));
    await flush();
    if (hooks.stopRequested?.()) throw new ImportInterrupted();
  };
  try {
    try {
      for await (const row of reader.rows()) {
        summary.rows++;
        chunk.push({ rowNumber: row.rowNumber, values: row.values, numeric: row.numeric });
        if (chunk.length >= batchSize) {
          inFlight.push(processor.process(spec, chunk));
          chunk = [];
          if (inFlight.length >= 3) await drainOne();
        }
      }
      if (chunk.length > 0) inFlight.push(processor.process(spec, chunk));
      while (inFlight.length > 0) await drainOne();
    } finally {
      await processor.close();
    }
  } catch (err) {
    await reader.close();
    if (err instanceof ImportInterrupted) throw await fail(interruptedError());
    if (err instanceof SheetError) {
      throw await fail(
        fileError(
          err.code,
          `Berkas rusak di tengah pembacaan: ${err.message}`,
          `The file is corrupt part way: ${err.message}`,
        ),
      );
    }
    await fail(new AppError(500, 'IMPORT_FAILED', { id: String(err), en: String(err) }));
    throw err;
  }
  await reader.close();
  // the WAL file's space back, once the import's pages are in the database
  if (svc.db.sqlite && svc.db.background) await checkpoint(svc.db, true);
  await k
    .updateTable('import_jobs')
    .set({ ...summary, status: 'done', finished_at: nowIso(), bytes_read: reader.totalBytes })
    .where('id', '=', jobId)
    .execute();
  await audit(svc, k, ctx, { action: 'import.done', entityType: 'import', entityId: jobId, after: summary });
  return { jobId, summary };
}

type BatchCounts = { inserted: number; updated: number; duplicates: number; invalid: number };
const addCounts = (a: BatchCounts, b: BatchCounts): BatchCounts => ({
  inserted: a.inserted + b.inserted,
  updated: a.updated + b.updated,
  duplicates: a.duplicates + b.duplicates,
  invalid: a.invalid + b.invalid,
});

/** What the batches of one job share. */
type JobState = {
  svc: Services;
  ctx: Ctx;
  jobId: string;
  opts: ImportOptions;
  /** the NIKs of a dry run's earlier batches (a dry run stores nothing to find them by) */
  dryRunSeen: Set<string> | null;
  nikColumn: string;
  /** participants this job already updated (upsert): a NIK repeated in a later batch is a duplicate */
  updatedIds: Set<string>;
  /** whether a request waits to write (the batch then commits what it has and goes on after it) */
  yieldRequested: (() => boolean) | null;
  /** batches written so far (counted on PostgreSQL, where refreshPlannerStats spaces its ANALYZE runs by it) */
  batches: number;
};

/**
 * Rows written between two looks at `yieldRequested` (the server's write gate, when the import runs in its
 * background worker on SQLite): a request that waits to write makes the batch commit what it has written so far
 * and go on in a new transaction after it, so the request waits for about this many rows, not a whole batch.
 */
const YIELD_EVERY = 25;

/**
 * Writes one batch: the lookup of stored NIKs, registration numbers, rows, report entries, rollup deltas and the
 * job's progress in one short transaction (on SQLite an IMMEDIATE one, so nothing can register one of these NIKs
 * between the lookup and the insert). With `yieldRequested` the batch may be committed in parts, each whole (its
 * rows with their rollups, registration numbers and progress; the report entries with the first), when a request
 * waits to write. A transaction may be retried (busy, serialization failure, a NIK registered meanwhile on
 * PostgreSQL): this job's in-memory state changes only after it commits. Returns the batch's counts.
 */
async function writeBatch(
  job: JobState,
  batch: Prepared[],
  batchErrors: Insertable<ImportErrorsTable>[],
  progress: (r: BatchCounts) => Record<string, unknown>,
): Promise<BatchCounts> {
  const db = job.svc.db;
  let total: BatchCounts = { inserted: 0, updated: 0, duplicates: 0, invalid: 0 };
  let rows = batch;
  let errors = batchErrors;
  for (;;) {
    const done = total;
    const part = await writePart(job, rows, errors, (r) => progress(addCounts(done, r)));
    total = addCounts(total, part.res);
    for (const id of part.updated) job.updatedIds.add(id);
    if (part.rest.length === 0) break;
    rows = part.rest;
    errors = [];
  }
  if (job.dryRunSeen) for (const b of batch) job.dryRunSeen.add(b.nikHash);
  // the background connection checkpoints the WAL itself, once a batch, outside its write turns (PASSIVE: it
  // does not hold up the server's writes)
  if (db.sqlite && db.background) await checkpoint(db);
  if (db.pool && !job.opts.dryRun) await refreshPlannerStats(job);
  return total;
}

/**
 * PostgreSQL plans a batch's look-ups (NIKs, phones, birth date and kecamatan) from the tables' statistics, which
 * autovacuum refreshes only after 10 % of a table has changed: while an import fills a new or small registry the
 * planner believes the tables nearly empty and scans them whole (one batch's look-up took 0.2 s after 2,000 rows
 * and 1.5 s after 13,000, until autovacuum caught up). The import analyzes the tables it looks up after its
 * batches 1, 2, 4, 8, ... (a sample of 30,000 rows each: 10 ANALYZE runs for a million rows).
 */
async function refreshPlannerStats(job: JobState) {
  job.batches++;
  if ((job.batches & (job.batches - 1)) !== 0) return;
  // only the columns the look-ups filter and join on: the table's row count is refreshed all the same, and the
  // statistics of all 48 columns of participants cost 4x as much (2.0-2.8 s against 0.6 s at 100,000 rows)
  await sql`analyze participants (id, birth_date, district_code, phone_hash, name_search, nik_masked),
    nik_index (nik_hash, participant_id), businesses (participant_id)`.execute(job.svc.db.kysely);
}

/** WAL frames (pages) after which the background connection rewinds the WAL file (about 64 MB). */
const WAL_REWIND_FRAMES = 16_000;

/**
 * The background connection's checkpoint after a batch. PASSIVE copies the WAL into the database without
 * holding up the server's writes. But the WAL file itself is only rewound when a write begins while no reader
 * uses it and every frame has been copied, which a steady stream of interleaved requests may never allow: the
 * file then grew without end (5 GB within minutes of a 1M-row import in the bench). Past WAL_REWIND_FRAMES the
 * import takes its write turn and checkpoints with RESTART (the next write starts the file again from its
 * beginning); after its last batch (`last`), with TRUNCATE, which also gives the file's space back.
 *
 * A checkpoint that copies up to the WAL's end then flushes the database file to disk (fsync). PASSIVE rarely
 * gets there while requests write meanwhile, so that flush of ~100 MB of copied pages fell to the checkpoint
 * under the write turn: 200-300 ms at a million records, which a waiting registration paid (the bench's p99).
 * The import flushes the file itself first, outside its turn; the turn then flushes only the few pages since.
 * (The truncation of the file costs 60-100 ms here too, with the file system's discard: once an import.)
 */
async function checkpoint(db: Services['db'], last = false) {
  const raw = db.sqlite!;
  const [r] = raw.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  if (!r || !db.writeGate || (last ? r.log <= 0 : r.log < WAL_REWIND_FRAMES)) return;
  const fd = openSync(raw.name, 'r');
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  await db.writeGate.enterBackground();
  // A long reader (an export streaming the registry) would hold the checkpoint, and with it the write turn, for
  // the whole busy timeout: wait briefly for readers, else give up and try again after the next batch.
  const busy = raw.pragma('busy_timeout', { simple: true }) as number;
  raw.pragma('busy_timeout = 100');
  try {
    raw.pragma(last ? 'wal_checkpoint(TRUNCATE)' : 'wal_checkpoint(RESTART)');
  } finally {
    raw.pragma(`busy_timeout = ${busy}`);
    db.writeGate.leaveBackground();
  }
}

/** One transaction of a batch: all of `batch`, or (yieldRequested) its first rows; returns the rest. */
async function writePart(
  job: JobState,
  batch: Prepared[],
  batchErrors: Insertable<ImportErrorsTable>[],
  progress: (r: BatchCounts) => Record<string, unknown>,
): Promise<{ res: BatchCounts; updated: string[]; rest: Prepared[] }> {
  const { svc, ctx, jobId, opts, dryRunSeen, nikColumn, updatedIds } = job;
  const yieldRequested = opts.dryRun ? null : job.yieldRequested;
  const attempt = async (tx: Tx) => {
    const res: BatchCounts = { inserted: 0, updated: 0, duplicates: 0, invalid: 0 };
    const errors = [...batchErrors];
    // existing NIKs (stored before, or by an earlier batch of this job)
    const existing = new Map<string, string>();
    const byThisJob = new Set<string>();
    for (let i = 0; i < batch.length; i += 1000) {
      const hashes = batch.slice(i, i + 1000).map((b) => b.nikHash);
      if (hashes.length === 0) continue;
      for (const r of await tx
        .selectFrom('nik_index')
        .leftJoin('participants', 'participants.id', 'nik_index.participant_id')
        .select(['nik_index.nik_hash', 'nik_index.participant_id', 'participants.import_job_id'])
        .where('nik_index.nik_hash', 'in', hashes)
        .execute()) {
        existing.set(r.nik_hash, r.participant_id);
        if (r.import_job_id === jobId || updatedIds.has(r.participant_id)) byThisJob.add(r.nik_hash);
      }
    }
    const fresh: Prepared[] = [];
    const toUpdate: { p: Prepared; participantId: string }[] = [];
    const seen = new Set<string>();
    for (const b of batch) {
      const inFile = seen.has(b.nikHash) || (dryRunSeen?.has(b.nikHash) ?? false) || byThisJob.has(b.nikHash);
      const stored = existing.get(b.nikHash);
      if (inFile) {
        res.duplicates++;
        errors.push({
          job_id: jobId,
          row_number: b.rowNumber,
          column_name: nikColumn,
          code: 'NIK_DUPLICATE_IN_FILE',
          message: fieldMessage('NIK_DUPLICATE_IN_FILE', ctx.lang),
        });
      } else if (stored) {
        if (opts.mode === 'upsert') toUpdate.push({ p: b, participantId: stored });
        else {
          res.duplicates++;
          errors.push({
            job_id: jobId,
            row_number: b.rowNumber,
            column_name: nikColumn,
            code: 'NIK_ALREADY_REGISTERED',
            message: fieldMessage('NIK_ALREADY_REGISTERED', ctx.lang),
          });
        }
      } else fresh.push(b);
      seen.add(b.nikHash);
    }
    const rest: Prepared[] = [];
    const updated: string[] = [];
    const people: NewPerson[] = [];
    let candidates: DuplicateCandidates | undefined;
    const delta = new RollupDelta();
    if (opts.dryRun) {
      // nothing of the registry is written, but the job's report is (so a dry run can be reviewed)
      res.inserted = fresh.length;
      res.updated = toUpdate.length;
    } else {
      const now = nowIso();
      // In steps of YIELD_EVERY rows when a waiting request can cut the transaction short, else all at once.
      // A part writes one step at least, so that the import goes on however busy the server is.
      const step = yieldRequested ? YIELD_EVERY : Number.POSITIVE_INFINITY;
      let cut = false;
      // the records the new ones could duplicate, looked up before they are written (not to read them back)
      candidates = await duplicateCandidates(
        svc,
        tx,
        fresh
          .filter((f) => f.who)
          .map((f) => personOf({ ...f.rows!.participant, registration_number: '' }, f.who!)),
      );
      for (let i = 0; i < toUpdate.length; i += step) {
        if (cut) {
          for (const u of toUpdate.slice(i)) rest.push(u.p);
          break;
        }
        const updates = await prepareUpdates(svc, tx, toUpdate.slice(i, i + step), now, delta);
        await writeUpdates(svc, tx, updates);
        for (const u of updates) updated.push(u.id);
        cut = yieldRequested?.() ?? false;
      }
      for (let i = 0; i < fresh.length; i += step) {
        if (cut) {
          rest.push(...fresh.slice(i));
          break;
        }
        const chunk = fresh.slice(i, i + step);
        // Registration numbers are reserved per year, a block at a time. On PostgreSQL outside this transaction,
        // so that the counter's row lock does not hold registrations for its length (a rollback leaves a gap).
        const byYear = new Map<number, Prepared[]>();
        for (const f of chunk) {
          const y = f.year;
          if (!byYear.has(y)) byYear.set(y, []);
          byYear.get(y)!.push(f);
        }
        const regNos = new Map<Prepared, string>();
        for (const [year, items] of byYear) {
          const first = await reserveRegistrationNumbers(
            svc.db.sqlite ? tx : svc.db.kysely,
            year,
            items.length,
          );
          for (const [j, it] of items.entries()) regNos.set(it, formatRegistrationNumber(year, first + j));
        }
        const rows = chunk.map(
          (f) =>
            ({
              ...f.rows!,
              participant: { ...f.rows!.participant, registration_number: regNos.get(f)! },
            }) as ParticipantRows,
        );
        for (const r of rows) addRegistrationFacts(delta, r);
        await insertRows(svc, tx, rows);
        for (const [j, r] of rows.entries())
          if (chunk[j].who) people.push(personOf(r.participant, chunk[j].who!));
        res.inserted += rows.length;
        cut = yieldRequested?.() ?? false;
      }
      res.updated = updated.length;
    }
    // likely duplicates of the new records are flagged for review (one query for the part), never dropped
    if (people.length) await flagLikelyDuplicates(svc, tx, people, 'import', candidates);
    await writeErrors(svc, tx, errors);
    await writeRollup(svc, tx, delta);
    await tx.updateTable('import_jobs').set(progress(res)).where('id', '=', jobId).execute();
    return { res, updated, rest };
  };
  // On PostgreSQL a NIK registered by someone else between the lookup and the insert fails the batch on the
  // unique key: run it again (the lookup now finds that NIK). SQLite's IMMEDIATE transaction excludes it.
  for (let tries = 1; ; tries++) {
    try {
      return svc.db.pool ? await withPgClientTx(svc.db.pool, attempt) : await withTx(svc.db, attempt);
    } catch (err) {
      const code = (err as { code?: string })?.code;
      if (tries >= 3 || (code !== '23505' && code !== '40P01' && code !== '40001')) throw err;
    }
  }
}

type UpdateRow = {
  id: string;
  version: number;
  set: Record<string, unknown>;
  business: Record<string, unknown>;
};

async function prepareUpdates(
  svc: Services,
  k: Tx,
  items: { p: Prepared; participantId: string }[],
  now: string,
  delta: RollupDelta,
): Promise<UpdateRow[]> {
  if (items.length === 0) return [];
  const ids = items.map((i) => i.participantId);
  const current = new Map(
    (await k.selectFrom('participants').selectAll().where('id', 'in', ids).execute()).map((p) => [p.id, p]),
  );
  const keys = new Map(
    (await k.selectFrom('person_keys').selectAll().where('participant_id', 'in', ids).execute()).map((r) => [
      r.participant_id,
      r,
    ]),
  );
  const out: UpdateRow[] = [];
  const moved = new Map<string, { from: string; to: string }>();
  const places = new Map<string, { from: Place; to: Place }>();
  for (const { p, participantId } of items) {
    const cur = current.get(participantId);
    const key = keys.get(participantId);
    if (!cur || cur.erased_at || !key?.wrapped_key) continue;
    const dk = svc.vault.unwrap(key.key_id, key.wrapped_key);
    const n = p.n!;
    const after = {
      ...cur,
      district_code: n.districtCode,
      village_code: n.villageCode,
      sector: n.business.sector,
    };
    addParticipantFacts(delta, cur, -1);
    addParticipantFacts(delta, after, 1);
    await participantMoved(k, participantId, cur, after, delta);
    places.set(participantId, { from: cur, to: after });
    if (cur.district_code !== n.districtCode) {
      moved.set(participantId, { from: cur.district_code, to: n.districtCode });
    }
    out.push({
      id: participantId,
      version: cur.version,
      set: {
        full_name: n.fullName,
        name_search: searchText(n.fullName),
        birth_date: n.birthDate,
        sex: n.sex,
        phone_hash: svc.vault.hmac('phone', n.phone),
        phone_enc: svc.vault.encrypt(dk, n.phone),
        phone_masked: maskPhone(n.phone),
        email_enc: n.email ? svc.vault.encrypt(dk, n.email) : null,
        street_enc: n.street ? svc.vault.encrypt(dk, n.street) : null,
        province_code: n.provinceCode,
        regency_code: n.regencyCode,
        district_code: n.districtCode,
        village_code: n.villageCode,
        rt: n.rt,
        rw: n.rw,
        postal_code: n.postalCode,
        sector: n.business.sector,
        version: cur.version + 1,
        updated_at: now,
      },
      business: {
        name: n.business.name,
        name_search: searchText(n.business.name),
        sector: n.business.sector,
        kbli: n.business.kbli,
        kbli_version: n.business.kbliVersion,
        products: n.business.products,
        started_year: n.business.startedYear,
        annual_revenue: n.business.annualRevenue,
        capital: n.business.capital,
        employees: n.business.employees,
        nib: n.business.nib,
        npwp: n.business.npwp,
        size_class: n.business.sizeClass,
        updated_at: now,
      },
    });
  }
  await addDistrictMoves(k, moved, delta);
  // has_qris is not an import column: a declared QRIS stays and follows the district and sector
  await addDeclaredQrisMoves(k, places, delta);
  return out;
}

const TABLE_ORDER = [
  'nik_index',
  'participants',
  'person_keys',
  'businesses',
  'enrolments',
  'consents',
  'milestones',
] as const;
const ROW_KEY: Record<(typeof TABLE_ORDER)[number], keyof ParticipantRows> = {
  nik_index: 'nikIndex',
  participants: 'participant',
  person_keys: 'personKey',
  businesses: 'business',
  enrolments: 'enrolment',
  consents: 'consent',
  milestones: 'milestone',
};

/**
 * The writes of a batch, inside its transaction: on SQLite through cached better-sqlite3 prepared statements (the
 * transaction holds Kysely's single connection, so nothing interleaves); on PostgreSQL multi-row statements.
 */
async function insertRows(svc: Services, tx: Tx, rows: ParticipantRows[]) {
  if (rows.length === 0) return;
  const raw = svc.db.sqlite;
  for (const t of TABLE_ORDER) {
    const values = rows.map((r) => r[ROW_KEY[t]] as Record<string, unknown>);
    const cols = Object.keys(values[0]);
    if (raw) {
      const stmt = cachedStatement(raw, t, cols);
      for (const v of values) stmt.run(cols.map((c) => v[c] ?? null));
      continue;
    }
    const client = copyClientOf(tx);
    if (client) {
      await copyRows(client, t, values);
      continue;
    }
    const per = Math.max(1, Math.floor(30000 / cols.length));
    for (let i = 0; i < values.length; i += per) {
      await tx
        .insertInto(t as any)
        .values(values.slice(i, i + per) as any)
        .execute();
    }
  }
}

async function writeUpdates(svc: Services, tx: Tx, updates: UpdateRow[]) {
  const raw = svc.db.sqlite;
  for (const u of updates) {
    if (raw) {
      const cols = Object.keys(u.set);
      raw
        .prepare(
          `update participants set ${cols.map((c) => `${c} = ?`).join(', ')} where id = ? and version = ?`,
        )
        .run([...cols.map((c) => u.set[c] as any), u.id, u.version]);
      const bcols = Object.keys(u.business);
      raw
        .prepare(
          `update businesses set ${bcols.map((c) => `${c} = ?`).join(', ')} where participant_id = ? and is_primary = 1`,
        )
        .run([...bcols.map((c) => u.business[c] as any), u.id]);
      continue;
    }
    await tx
      .updateTable('participants')
      .set(u.set as any)
      .where('id', '=', u.id)
      .where('version', '=', u.version)
      .execute();
    await tx
      .updateTable('businesses')
      .set(u.business as any)
      .where('participant_id', '=', u.id)
      .where('is_primary', '=', 1)
      .execute();
  }
}

async function writeErrors(svc: Services, tx: Tx, errors: Insertable<ImportErrorsTable>[]) {
  if (errors.length === 0) return;
  const raw = svc.db.sqlite;
  if (raw) {
    const stmt = cachedStatement(raw, 'import_errors', [
      'job_id',
      'row_number',
      'column_name',
      'code',
      'message',
    ]);
    for (const e of errors) stmt.run([e.job_id, e.row_number, e.column_name, e.code, e.message]);
    return;
  }
  for (let i = 0; i < errors.length; i += 5000)
    await tx
      .insertInto('import_errors')
      .values(errors.slice(i, i + 5000))
      .execute();
}

async function writeRollup(svc: Services, tx: Tx, delta: RollupDelta) {
  const raw = svc.db.sqlite;
  if (!raw) return applyRollup(tx, delta);
  const up = raw.prepare(
    'insert into stat_rollup (district_code, metric, key, count) values (?, ?, ?, ?) on conflict (district_code, metric, key) do update set count = stat_rollup.count + excluded.count',
  );
  for (const r of delta.rows()) up.run([r.district_code, r.metric, r.key, r.count]);
}

const stmtCache = new WeakMap<object, Map<string, any>>();
function cachedStatement(raw: NonNullable<Services['db']['sqlite']>, table: string, cols: string[]) {
  let m = stmtCache.get(raw);
  if (!m) {
    m = new Map();
    stmtCache.set(raw, m);
  }
  const key = `${table}:${cols.join(',')}`;
  let s = m.get(key);
  if (!s) {
    s = raw.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
    m.set(key, s);
  }
  return s;
}

const STALE_AFTER_MS = 120_000;

export async function getImportJob(svc: Services, ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'import.run');
  if (!isUuid(id)) throw notFound();
  const j = await svc.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!j) throw notFound();
  if (actor && actor.role !== 'admin' && j.created_by !== actor.id) throw notFound();
  // A job whose process died (kill -9, power loss) stops beating: show it as interrupted.
  const stale =
    j.status === 'running' && Date.parse(j.heartbeat_at ?? j.created_at) < Date.now() - STALE_AFTER_MS;
  const interrupted = {
    code: 'INTERRUPTED',
    id: 'Impor terhenti sebelum selesai. Jalankan berkas yang sama lagi untuk menyelesaikannya (baris yang sudah masuk tidak diduplikasi).',
    en: 'The import stopped before finishing. Run the same file again to complete it (rows already stored are not duplicated).',
  };
  return {
    id: j.id,
    status: stale ? 'failed' : j.status,
    fileName: j.file_name,
    format: j.format,
    mode: j.mode,
    dryRun: j.dry_run === 1,
    collaboratorId: j.collaborator_id,
    progress: { rows: j.rows, bytesRead: Number(j.bytes_read), totalBytes: Number(j.total_bytes) },
    summary: {
      rows: j.rows,
      inserted: j.inserted,
      updated: j.updated,
      duplicates: j.duplicates,
      invalid: j.invalid,
    },
    error: stale ? interrupted : j.error ? JSON.parse(j.error) : null,
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
  };
}

/** Streams the rejected rows of a job (row number, column, code, message), in file order. */
export async function* importReportRows(
  svc: Services,
  jobId: string,
): AsyncGenerator<[number, string, string, string]> {
  let after = 0;
  for (;;) {
    const rows = await svc.db.kysely
      .selectFrom('import_errors')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('row_number', '>', after)
      .orderBy('row_number')
      .limit(5000)
      .execute();
    if (rows.length === 0) return;
    // keep whole row numbers together across pages
    const last = rows[rows.length - 1].row_number;
    const complete = rows.length === 5000 ? rows.filter((r) => r.row_number < last) : rows;
    const page = complete.length > 0 ? complete : rows;
    for (const r of page) yield [r.row_number, r.column_name, r.code, r.message];
    after = page[page.length - 1].row_number;
    if (rows.length < 5000) return;
  }
}

export const REPORT_HEADERS = ['Baris / Row', 'Kolom / Column', 'Kode / Code', 'Pesan / Message'];
export type { DB, FieldError };
export const _sql = sql;
