import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresDialect,
  type QueryResult,
  SqliteDialect,
  SqliteDriver,
  type Transaction,
} from 'kysely';
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
  /** SQLite only: the turn-taking between this connection and a background (import) connection of this process. */
  writeGate: WriteGate | null;
  /** SQLite: this connection takes its write turns after the foreground's (an import's worker thread). */
  background: boolean;
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

export type OpenOptions = {
  /**
   * SQLite: open a background connection that takes its write turns on this gate (the buffer of the foreground
   * Database's `writeGate`), so that it always lets the foreground connection's writes go first.
   */
  background?: SharedArrayBuffer;
  /** SQLite: how long a write waits for another connection's transaction (ms). Default 5,000. */
  busyTimeoutMs?: number;
  /** PostgreSQL: the pool size (default 10). */
  poolMax?: number;
};

export function openDatabase(url: string, opts: OpenOptions = {}): Database {
  const parsed = parseDatabaseUrl(url);
  if (parsed.engine === 'sqlite') {
    const path = parsed.path!;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const raw = new SQLite(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    // A write that finds another connection's transaction (an import in another process, or a gate-less path)
    // waits for it instead of failing with SQLITE_BUSY; transactions begin IMMEDIATE so that the wait happens
    // at BEGIN (a deferred transaction that read first would fail with SQLITE_BUSY_SNAPSHOT instead).
    raw.pragma(`busy_timeout = ${Math.round(opts.busyTimeoutMs ?? 5000)}`);
    raw.pragma('cache_size = -65536');
    // the background connection checkpoints the WAL itself, outside its write turns (runImport)
    if (opts.background) raw.pragma('wal_autocheckpoint = 0');
    const gate = new WriteGate(opts.background);
    const kysely = new Kysely<DB>({
      dialect: new GatedSqliteDialect(raw, gate, opts.background ? 'background' : 'foreground'),
    });
    return {
      engine: 'sqlite',
      kysely,
      sqlite: raw,
      pool: null,
      writeGate: gate,
      background: !!opts.background,
      url,
      async close() {
        await kysely.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolMax ?? 10 });
  // An idle client error (server restart) must not crash the process.
  pool.on('error', () => {});
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    kysely,
    sqlite: null,
    pool,
    writeGate: null,
    background: false,
    url,
    async close() {
      await kysely.destroy();
    },
  };
}

const FG = 0;
const BG = 1;

/**
 * Turn-taking for SQLite's single writer between the connection that serves requests (foreground) and an import
 * running in a worker thread of the same process on a connection of its own (background). Two int32 in shared
 * memory: [0] counts foreground writes waiting or running, [1] is 1 while a background transaction is open.
 * The background side begins a transaction only when no foreground write waits, so a request's write waits for
 * at most the one background transaction already running (SQLite's own busy handler polls and is not fair: a
 * busy import would starve it). Waiting is asynchronous on both sides: the event loop stays free.
 */
export class WriteGate {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(8);
    this.cells = new Int32Array(this.buffer);
  }

  async enterForeground(): Promise<void> {
    const c = this.cells;
    Atomics.add(c, FG, 1);
    while (Atomics.load(c, BG) !== 0) {
      const w = Atomics.waitAsync(c, BG, 1, 1000);
      if (w.async) await w.value;
    }
  }

  /** Whether a foreground write waits (or runs): a background transaction ends early for it when it can. */
  foregroundWaiting(): boolean {
    return Atomics.load(this.cells, FG) !== 0;
  }

  leaveForeground(): void {
    if (Atomics.sub(this.cells, FG, 1) === 1) Atomics.notify(this.cells, FG);
  }

  async enterBackground(): Promise<void> {
    const c = this.cells;
    for (;;) {
      const fg = Atomics.load(c, FG);
      if (fg !== 0) {
        const w = Atomics.waitAsync(c, FG, fg, 1000);
        if (w.async) await w.value;
        continue;
      }
      Atomics.store(c, BG, 1);
      // a foreground write that arrived meanwhile goes first (both sides store, then load: one sees the other)
      if (Atomics.load(c, FG) === 0) return;
      this.leaveBackground();
    }
  }

  leaveBackground(): void {
    Atomics.store(this.cells, BG, 0);
    Atomics.notify(this.cells, BG);
  }
}

const BEGIN_RE = /^\s*begin\b/i;

/** Kysely's better-sqlite3 connection, taking its write turn on the gate for each transaction or lone write. */
class GatedSqliteConnection implements DatabaseConnection {
  private readonly db: SQLite.Database;
  private readonly gate: WriteGate;
  private readonly role: 'foreground' | 'background';
  private held = false;
  constructor(db: SQLite.Database, gate: WriteGate, role: 'foreground' | 'background') {
    this.db = db;
    this.gate = gate;
    this.role = role;
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.db.prepare(q.sql);
    // (inside a transaction begun on the raw handle, e.g. a bulk path's, the statement belongs to that one)
    if (!this.held && !this.db.inTransaction && (BEGIN_RE.test(q.sql) || !stmt.readonly)) {
      if (this.role === 'foreground') await this.gate.enterForeground();
      else await this.gate.enterBackground();
      this.held = true;
    }
    try {
      const params = q.parameters as unknown[];
      if (stmt.reader) return { rows: stmt.all(params) as R[] };
      const { changes, lastInsertRowid } = stmt.run(params);
      return {
        insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
        numAffectedRows: changes != null ? BigInt(changes) : undefined,
        rows: [],
      };
    } finally {
      // the turn ends with the transaction (commit, rollback, a failed BEGIN) or with the lone write
      if (this.held && !this.db.inTransaction) {
        this.held = false;
        if (this.role === 'foreground') this.gate.leaveForeground();
        else this.gate.leaveBackground();
      }
    }
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.db.prepare(q.sql).iterate(q.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class GatedSqliteDriver extends SqliteDriver {
  private readonly conn: GatedSqliteConnection;
  constructor(raw: SQLite.Database, gate: WriteGate, role: 'foreground' | 'background') {
    super({ database: raw });
    this.conn = new GatedSqliteConnection(raw, gate, role);
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    return this.conn;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class GatedSqliteDialect extends SqliteDialect {
  private readonly raw: SQLite.Database;
  private readonly gate: WriteGate;
  private readonly role: 'foreground' | 'background';
  constructor(raw: SQLite.Database, gate: WriteGate, role: 'foreground' | 'background') {
    super({ database: raw });
    this.raw = raw;
    this.gate = gate;
    this.role = role;
  }
  override createDriver() {
    return new GatedSqliteDriver(this.raw, this.gate, this.role);
  }
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
  return code === '40001' || code === '40P01' || (code?.startsWith('SQLITE_BUSY') ?? false);
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
