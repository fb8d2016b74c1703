/**
 * PostgreSQL bulk import: our import (lookups, numbers, COPY of each batch, rollups in one transaction) against COPY of the same rows
 * into the same tables and indexes (rows built outside the timed part). Needs BENCH_PG_URL=postgres://...
 * (a database the bench may create databases from). Rows: BENCH_PG_ROWS (default 200000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { copyRows } from '../src/db/pg-batch.ts';
import { runImport } from '../src/modules/imports/service.ts';
import type { ParticipantRows } from '../src/modules/participants/store.ts';
import { openServices } from '../src/services.ts';
import { buildGeneratedRows, writeCsv } from './import.bench.ts';
import type { BenchResult } from './qris.bench.ts';

const KEY = `bench:${Buffer.alloc(32, 3).toString('base64')}`;

async function freshDb(base: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
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

export async function run(): Promise<BenchResult[]> {
  const base = process.env.BENCH_PG_URL!;
  const rows = Number(process.env.BENCH_PG_ROWS ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'jkp-pgb-'));
  try {
    const csv = join(dir, 'p.csv');
    await writeCsv(csv, rows);
    const svc = await openServices(
      loadConfig({ LOG_LEVEL: 'silent', JAKPRENEUR_MASTER_KEY: KEY } as NodeJS.ProcessEnv, {
        databaseUrl: await freshDb(base, 'jkp_bench_import'),
        dataDir: dir,
      }),
    );
    const t0 = performance.now();
    await runImport(svc, { actor: null, ip: null, lang: 'en', via: 'cli' }, csv, 'p.csv', {
      mode: 'insert',
      dryRun: false,
      collaboratorId: null,
    });
    const ourSec = (performance.now() - t0) / 1000;
    await svc.db.close();

    const copySvc = await openServices(
      loadConfig({ LOG_LEVEL: 'silent', JAKPRENEUR_MASTER_KEY: KEY } as NodeJS.ProcessEnv, {
        databaseUrl: await freshDb(base, 'jkp_bench_copy'),
        dataDir: dir,
      }),
    );
    const client = await copySvc.db.pool!.connect();
    const now = new Date().toISOString();
    let copyMs = 0;
    for (let start = 0; start < rows; start += 10_000) {
      const built = buildGeneratedRows(copySvc, start, Math.min(rows, start + 10_000), now);
      const t1 = performance.now();
      await client.query('begin');
      for (const [table, key] of TABLES)
        await copyRows(
          client,
          table,
          built.map((r) => r[key] as Record<string, unknown>),
        );
      await client.query('commit');
      copyMs += performance.now() - t1;
    }
    client.release();
    await copySvc.db.close();
    const ourRate = rows / ourSec;
    const copyRate = rows / (copyMs / 1000);
    return [
      { name: `PostgreSQL import ${rows} rows: our rate`, value: Math.round(ourRate), unit: 'rows/s' },
      { name: `PostgreSQL COPY of the same rows: rate`, value: Math.round(copyRate), unit: 'rows/s' },
      {
        name: 'PostgreSQL import rate / COPY rate',
        value: Math.round((ourRate / copyRate) * 100) / 100,
        unit: 'ratio',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) console.log(JSON.stringify(await run(), null, 2));
