/**
 * Bulk import against a raw baseline, in the same run:
 *  - SQLite: our import (parse, validate, encrypt, dedupe, insert in batches) vs better-sqlite3 prepared
 *    statements inserting the same rows into the same tables and indexes, one transaction per batch (the rows are
 *    built outside the timed part, so the baseline is insertion only).
 *  - peak memory of a 1M-row import vs a 100k-row import (separate child processes, max RSS).
 * Run: `npm run bench -- import` (BENCH_ROWS=1000000 by default; BENCH_SKIP_MEMORY=1, BENCH_SKIP_RAW=1 skip parts,
 * BENCH_SKIP_RATIO=1 skips our import and the baseline, leaving the peak memory;
 * JKP_IMPORT_RANDOM_IDS=1 gives the rows random ids instead of time-ordered ones, in the import and baseline).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import type { Services } from '../src/core/context.ts';
import { formatRegistrationNumber } from '../src/core/ids.ts';
import { buildImportRows } from '../src/modules/imports/prepare.ts';
import { runImport } from '../src/modules/imports/service.ts';
import type { ParticipantRows } from '../src/modules/participants/store.ts';
import { validateParticipant } from '../src/modules/participants/validate.ts';
import { openServices } from '../src/services.ts';
import { CSV_HEADERS, csvLine, generateRow } from '../src/testing/generator.ts';
import type { BenchResult } from './qris.bench.ts';

const KEY = `bench:${Buffer.alloc(32, 3).toString('base64')}`;

export async function writeCsv(path: string, rows: number, seed = 1): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${CSV_HEADERS.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${csvLine(generateRow(i, seed))}\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

async function services(dir: string, name: string) {
  return openServices(
    loadConfig({ LOG_LEVEL: 'silent', JAKPRENEUR_MASTER_KEY: KEY } as NodeJS.ProcessEnv, {
      databaseUrl: `sqlite:${join(dir, name)}`,
      dataDir: dir,
    }),
  );
}

const TABLES: [string, keyof ParticipantRows][] = [
  ['nik_index', 'nikIndex'],
  ['participants', 'participant'],
  ['person_keys', 'personKey'],
  ['businesses', 'business'],
  ['enrolments', 'enrolment'],
  ['consents', 'consent'],
  ['milestones', 'milestone'],
];

/**
 * Rows i in [from, to) of the generated population, validated and built exactly as an import builds them, with
 * the same ids (time-ordered; random with JKP_IMPORT_RANDOM_IDS=1), outside any timer: the baselines measure
 * insertion only.
 */
export function buildGeneratedRows(svc: Services, from: number, to: number, now: string): ParticipantRows[] {
  const built: ParticipantRows[] = [];
  for (let i = from; i < to; i++) {
    const g = generateRow(i);
    const v = validateParticipant(
      {
        nik: g.nik,
        fullName: g.fullName,
        birthDate: g.birthDate,
        sex: g.sex,
        phone: g.phone,
        domicile: {
          villageCode: g.villageCode,
          street: g.street,
          rt: g.rt,
          rw: g.rw,
          postalCode: g.postalCode,
        },
        business: {
          name: g.businessName,
          sector: g.sector,
          annualRevenue: g.annualRevenue,
          capital: g.capital,
          employees: g.employees,
        },
        consent: { version: 'import', given: g.consent === 'Y' },
      },
      { lang: 'en', programArea: '31', canOverrideNik: false, requireConsent: false },
    );
    if (!v.ok) throw new Error(`generator made an invalid row ${i}: ${JSON.stringify(v.errors)}`);
    built.push(
      buildImportRows(
        svc,
        v.value,
        {
          channel: 'import',
          enteredBy: null,
          collaboratorId: null,
          importJobId: null,
          defaultAgency: 'PPKUKM',
          now,
        },
        formatRegistrationNumber(2026, i + 1),
      ),
    );
  }
  return built;
}

/** Raw baseline: prepared statements, one transaction per batch; returns insertion seconds only. */
async function rawBaseline(dir: string, rows: number, batch: number): Promise<number> {
  const svc = await services(dir, 'raw.db');
  const raw = svc.db.sqlite!;
  const now = new Date().toISOString();
  let insertMs = 0;
  const stmts = new Map<string, any>();
  for (let start = 0; start < rows; start += batch) {
    const built = buildGeneratedRows(svc, start, Math.min(rows, start + batch), now);
    const t0 = performance.now();
    raw.transaction(() => {
      for (const [table, key] of TABLES) {
        const cols = Object.keys(built[0][key] as object);
        const sk = `${table}`;
        let s = stmts.get(sk);
        if (!s) {
          s = raw.prepare(
            `insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`,
          );
          stmts.set(sk, s);
        }
        for (const r of built) {
          const o = r[key] as Record<string, unknown>;
          s.run(cols.map((c) => o[c] ?? null));
        }
      }
    })();
    insertMs += performance.now() - t0;
  }
  await svc.db.close();
  return insertMs / 1000;
}

async function ourImport(dir: string, csv: string): Promise<{ seconds: number; summary: unknown }> {
  const svc = await services(dir, 'import.db');
  const t0 = performance.now();
  const res = await runImport(svc, { actor: null, ip: null, lang: 'en', via: 'cli' }, csv, 'bench.csv', {
    mode: 'insert',
    dryRun: false,
    collaboratorId: null,
  });
  const seconds = (performance.now() - t0) / 1000;
  await svc.db.close();
  return { seconds, summary: res.summary };
}

/** Peak RSS (MB) of a CLI import of `csv` in a child process. */
function peakRssOfCliImport(dir: string, csv: string, name: string): number {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', 'bin/jakpreneur.js', 'import', 'participants', csv, '--json'],
    {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${join(dir, name)}`,
        DATA_DIR: dir,
        JAKPRENEUR_MASTER_KEY: KEY,
        JKP_REPORT_RSS: '1',
      },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (r.status !== 0) throw new Error(`cli import failed: ${r.stderr}`);
  const m = /peak-rss-mb=(\d+(?:\.\d+)?)/.exec(r.stderr);
  if (!m) throw new Error(`no peak RSS reported: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

export async function run(): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'jkp-bench-'));
  const results: BenchResult[] = [];
  try {
    const csv = join(dir, `p${rows}.csv`);
    await writeCsv(csv, rows);
    // BENCH_SKIP_RATIO=1: the peak memory only
    if (!process.env.BENCH_SKIP_RATIO) {
      const ours = await ourImport(dir, csv);
      const ourRate = rows / ours.seconds;
      results.push({
        name: `import ${rows} rows (SQLite): our rate`,
        value: Math.round(ourRate),
        unit: 'rows/s',
        note: JSON.stringify(ours.summary),
      });
      // BENCH_SKIP_RAW=1: our import only (e.g. to compare id schemes at 1M rows without the baseline's time)
      if (!process.env.BENCH_SKIP_RAW) {
        const rawRate = rows / (await rawBaseline(dir, rows, 2000));
        results.push(
          {
            name: `import ${rows} rows (SQLite): raw insert rate`,
            value: Math.round(rawRate),
            unit: 'rows/s',
          },
          {
            name: 'import rate / raw insert rate (SQLite, bar >= 0.5)',
            value: Math.round((ourRate / rawRate) * 100) / 100,
            unit: 'ratio',
          },
        );
      }
    }
    if (!process.env.BENCH_SKIP_MEMORY) {
      const small = Math.round(rows / 10);
      const csvSmall = join(dir, `p${small}.csv`);
      await writeCsv(csvSmall, small, 2);
      const rssSmall = peakRssOfCliImport(dir, csvSmall, 'mem-small.db');
      const rssBig = peakRssOfCliImport(dir, csv, 'mem-big.db');
      results.push(
        { name: `peak RSS, CLI import of ${small} rows`, value: rssSmall, unit: 'MB' },
        { name: `peak RSS, CLI import of ${rows} rows`, value: rssBig, unit: 'MB' },
        {
          name: 'peak RSS ratio 1M / 100k (bar <= 1.5)',
          value: Math.round((rssBig / rssSmall) * 100) / 100,
          unit: 'ratio',
        },
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.main) console.log(JSON.stringify(await run(), null, 2));
