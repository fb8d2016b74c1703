import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrationProvider } from './migrations.ts';
import type { DB } from './types.ts';

export type Engine = 'sqlite' | 'postgres';
export type Tx = Transaction<DB> | Kysely<DB>;

export type Database = {
  engine: Engine;
  kysely: Kysely<DB>;
  /** The raw better-sqlite3 handle (SQLite only), used by bulk paths. */
  sqlite: SQLite.Database | null;
  /** The pg pool (PostgreSQL only). */
  pool: pg.Pool | null;
  url: string;
  close(): Promise<void>;
};

export class DatabaseUrlError extends Error {}

// PostgreSQL returns int8/numeric as strings; our counts and rupiah amounts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function parseDatabaseUrl(url: string): { engine: Engine; path?: string; url: string } {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path)
      throw new DatabaseUrlError(
        'DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/jakpreneur.db',
      );
    return { engine: 'sqlite', path: path === ':memory:' ? path : resolve(path), url };
  }
  throw new DatabaseUrlError(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${url.slice(0, 20)}...")`,
  );
}

export function openDatabase(url: string): Database {
  const parsed = parseDatabaseUrl(url);
  if (parsed.engine === 'sqlite') {
    const path = parsed.path!;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const raw = new SQLite(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('cache_size = -65536');
    const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
    return {
      engine: 'sqlite',
      kysely,
      sqlite: raw,
      pool: null,
      url,
      async close() {
        await kysely.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client error (server restart) must not crash the process.
  pool.on('error', () => {});
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    kysely,
    sqlite: null,
    pool,
    url,
    async close() {
      await kysely.destroy();
    },
  };
}

export async function migrate(db: Database): Promise<string[]> {
  // modules add their migrations independently (003_dedupe, 004_quality, 005_...): a database that already
  // ran a later one still gets an earlier one it lacks, instead of refusing to start
  const migrator = new Migrator({
    db: db.kysely,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/** Runs fn in a transaction, retrying on serialization failures and deadlocks (SQLSTATE 40001/40P01). */
export async function withTx<T>(
  db: Database,
  fn: (tx: Transaction<DB>) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.kysely.transaction().execute(fn);
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * 2 ** i + Math.random() * 20));
    }
  }
}

export async function ping(db: Database): Promise<boolean> {
  try {
    if (db.sqlite) db.sqlite.prepare('select 1').get();
    else await db.pool!.query('select 1');
    return true;
  } catch {
    return false;
  }
}
