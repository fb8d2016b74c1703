import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DB } from './types.ts';

/**
 * PostgreSQL bulk writes: a transaction on one pooled client, seen by Kysely (for the ordinary queries of a
 * batch) and usable for COPY (for its rows), which PostgreSQL loads several times faster than multi-row INSERTs.
 */

const clients = new WeakMap<object, pg.PoolClient>();

/** The client behind a transaction opened by `withPgClientTx`, if it is one. */
export function copyClientOf(tx: object): pg.PoolClient | undefined {
  return clients.get(tx);
}

/** Runs fn in a transaction on one client of the pool; fn's Kysely runs every query on that client. */
export async function withPgClientTx<T>(pool: pg.Pool, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    // a pool of one client that is never given back (the caller's transaction holds it)
    const one = {
      connect: async () => ({
        query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args),
        release: () => {},
      }),
      end: async () => {},
    };
    const k = new Kysely<DB>({ dialect: new PostgresDialect({ pool: one as unknown as pg.Pool }) });
    clients.set(k, client);
    await client.query('begin');
    try {
      const res = await fn(k as unknown as Transaction<DB>);
      await client.query('commit');
      return res;
    } catch (err) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      throw err;
    }
  } finally {
    client.release(broken);
  }
}

/** COPY's text format: \N for null, backslash escapes for the four characters that would break a line. */
export function copyText(v: unknown): string {
  if (v == null) return '\\N';
  const s = typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : s;
}

/** COPY rows (objects with the same keys) into a table over the given client. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  let text = '';
  for (const r of rows) {
    for (let i = 0; i < cols.length; i++) text += (i ? '\t' : '') + copyText(r[cols[i]]);
    text += '\n';
  }
  await pipeline(
    Readable.from([text]),
    client.query(copyFrom(`copy ${table} (${cols.join(',')}) from stdin`)),
  );
}
