/**
 * Shared fixtures for the import and CLI tests: sheets built from generated participants, a hand-built
 * multipart body, a CLI runner (the project's pinned Node binary on bin/jakpreneur.js), and row counts.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Services } from '../src/core/context.ts';
import type { DB } from '../src/db/types.ts';
import type { GeneratedRow } from '../src/testing/generator.ts';
import { TEST_MASTER_KEY } from './helpers.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const BIN = join(ROOT, 'bin', 'jakpreneur.js');
/** The master key of the test services, as the CLI reads it from the environment (same key id). */
export const MASTER_KEY_ENV = `${TEST_MASTER_KEY.id}:${TEST_MASTER_KEY.key.toString('base64')}`;

/** Every import column, Indonesian headers as in the template. */
export const FULL_HEADERS = [
  'NIK',
  'Nama Lengkap',
  'Tanggal Lahir',
  'Jenis Kelamin (L/P)',
  'No HP',
  'Email',
  'Kode Kelurahan',
  'Alamat',
  'RT',
  'RW',
  'Kode Pos',
  'Nama Usaha',
  'Sektor',
  'KBLI',
  'Produk',
  'Tahun Mulai Usaha',
  'Omzet Tahunan',
  'Modal Usaha',
  'Jumlah Karyawan',
  'NIB',
  'NPWP',
  'Tanggal Daftar',
  'Persetujuan (Y/N)',
];

/** The same columns with English headers. */
export const ENGLISH_HEADERS = [
  'NIK',
  'Full Name',
  'Birth Date',
  'Sex (M/F)',
  'Phone',
  'Email',
  'Village Code',
  'Street',
  'RT',
  'RW',
  'Postal Code',
  'Business Name',
  'Sector',
  'KBLI',
  'Products',
  'Started Year',
  'Annual Revenue',
  'Capital',
  'Employees',
  'NIB',
  'NPWP',
  'Registered At',
  'Consent (Y/N)',
];

export type Cells = Record<string, string>;

/** A generated participant as cells keyed by FULL_HEADERS (the optional columns left empty). */
export function cellsOf(g: GeneratedRow): Cells {
  return {
    NIK: g.nik,
    'Nama Lengkap': g.fullName,
    'Tanggal Lahir': g.birthDate,
    'Jenis Kelamin (L/P)': g.sex === 'F' ? 'P' : 'L',
    'No HP': g.phone,
    Email: '',
    'Kode Kelurahan': g.villageCode,
    Alamat: g.street,
    RT: g.rt,
    RW: g.rw,
    'Kode Pos': g.postalCode,
    'Nama Usaha': g.businessName,
    Sektor: g.sector,
    KBLI: '',
    Produk: '',
    'Tahun Mulai Usaha': '',
    'Omzet Tahunan': String(g.annualRevenue),
    'Modal Usaha': String(g.capital),
    'Jumlah Karyawan': String(g.employees),
    NIB: '',
    NPWP: '',
    'Tanggal Daftar': '',
    'Persetujuan (Y/N)': 'Y',
  };
}

function quote(v: string, sep: string, always: boolean): string {
  if (always || v.includes(sep) || v.includes('"') || v.includes('\n') || v.includes('\r')) {
    return `"${v.replaceAll('"', '""')}"`;
  }
  return v;
}

export type CsvOptions = { sep?: ',' | ';'; bom?: boolean; crlf?: boolean; quoteAll?: boolean };

/** CSV text for header + rows (a row may be a raw line: `{ raw: '...' }`, e.g. a blank line). */
export function toCsv(headers: string[], rows: (Cells | { raw: string })[], o: CsvOptions = {}): string {
  const sep = o.sep ?? ',';
  const eol = o.crlf ? '\r\n' : '\n';
  const line = (vals: string[]) => vals.map((v) => quote(v, sep, o.quoteAll ?? false)).join(sep);
  const out = [line(headers)];
  for (const r of rows) {
    if ('raw' in r && typeof r.raw === 'string') out.push(r.raw);
    else out.push(line(headers.map((h) => (r as Cells)[h] ?? '')));
  }
  return (o.bom ? '\uFEFF' : '') + out.join(eol) + eol;
}

export function writeCsv(
  dir: string,
  name: string,
  headers: string[],
  rows: (Cells | { raw: string })[],
  o?: CsvOptions,
): string {
  const path = join(dir, name);
  writeFileSync(path, toCsv(headers, rows, o));
  return path;
}

/** A multipart/form-data body built by hand: text fields, then optionally one file part. */
export function multipartBody(
  boundary: string,
  fields: Record<string, string>,
  file?: { field: string; name: string; type: string; content: Buffer | string },
): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

export async function countRows(svc: Services, table: keyof DB): Promise<number> {
  const r = await svc.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Counts of every table a registration writes, to prove nothing (or everything) was written. */
export async function registryCounts(svc: Services) {
  const out: Record<string, number> = {};
  for (const t of [
    'participants',
    'nik_index',
    'person_keys',
    'businesses',
    'enrolments',
    'consents',
    'milestones',
    'stat_rollup',
  ] as const) {
    out[t] = await countRows(svc, t);
  }
  return out;
}

export type CliResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

/** The environment for a CLI run against one database (no terminal, so no progress bar). */
export function cliEnv(databaseUrl: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST_DATABASE_URL') delete env[k];
  return {
    ...env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    JAKPRENEUR_MASTER_KEY: MASTER_KEY_ENV,
    JAKPRENEUR_LANG: 'en',
    LOG_LEVEL: 'silent',
    // each run is a fresh process: reuse compiled code across runs (Node's module compile cache)
    NODE_COMPILE_CACHE: join(tmpdir(), 'jkp-test-node-compile-cache'),
  };
}

/** Runs `jakpreneur ARGS` on the pinned Node binary and collects its output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/**
 * A database URL with nothing in it yet (not migrated): a new SQLite file in `dir`, or, with
 * TEST_DATABASE_URL, a new PostgreSQL database; `drop` removes the latter.
 */
export async function emptyDatabase(
  dir: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { url: `sqlite:${join(dir, `${name}.db`)}`, drop: async () => {} };
  const db = `jkp_e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${db}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${db}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${db} with (force)`);
      await c.end();
    },
  };
}
