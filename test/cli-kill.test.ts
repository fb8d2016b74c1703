/**
 * A bulk import killed with SIGKILL part way leaves whole batches only, and running the same file again
 * completes it without a duplicate (SQLite, or PostgreSQL with TEST_DATABASE_URL).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStats } from '../src/modules/stats/service.ts';
import { CSV_HEADERS, csvLine, generateRow } from '../src/testing/generator.ts';
import { freshServices } from './helpers.ts';
import { BIN, cliEnv, countRows, NODE, ROOT, registryCounts, runCli } from './import-fixtures.ts';

const ROWS = 60_000;
/** The import's default batch size (1000): every batch of this all-valid file holds exactly this many rows. */
const BATCH = 1000;

type Env = Awaited<ReturnType<typeof freshServices>>;
let env: Env;
beforeAll(async () => {
  env = await freshServices();
});
afterAll(async () => env.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during an import', () => {
  it('leaves whole batches only, and the same file run again completes it with no duplicate', async () => {
    const started = Date.now();
    const lines = [CSV_HEADERS.join(',')];
    for (let i = 0; i < ROWS; i++) lines.push(csvLine(generateRow(i)));
    const file = join(env.dir, 'sixty-thousand.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = cliEnv(env.databaseUrl, env.dir);

    const child = spawn(NODE, [BIN, 'import', 'participants', file, '--json'], {
      env: cli,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );

    // wait (reading through a connection of our own) until a few batches are committed, then kill
    let seen = 0;
    const deadline = Date.now() + 40_000;
    while (seen < 2 * BATCH) {
      if (child.exitCode !== null) throw new Error(`import ended before it was killed: ${stdout} ${stderr}`);
      if (Date.now() > deadline) throw new Error(`no batch committed in time: ${stderr}`);
      await sleep(25);
      seen = await countRows(env.svc, 'participants');
    }
    child.kill('SIGKILL');
    const end = await exited;
    expect(end.signal).toBe('SIGKILL');
    expect(stdout).toBe('');
    const killedAt = Date.now() - started;

    // whole batches only: every registration table holds the same, whole number of batches
    const counts = await registryCounts(env.svc);
    const committed = counts.participants;
    expect(committed).toBeGreaterThanOrEqual(2 * BATCH);
    expect(committed, 'the kill came after the import had finished').toBeLessThan(ROWS);
    expect(committed % BATCH).toBe(0);
    for (const t of ['nik_index', 'person_keys', 'businesses', 'enrolments', 'consents', 'milestones']) {
      expect({ table: t, rows: counts[t] }).toEqual({ table: t, rows: committed });
    }
    const verify = await runCli(['stats', 'verify'], cli);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/figures agree with the records/);

    // the same file again completes the import; what the killed run stored counts as duplicates
    const again = await runCli(['import', 'participants', file, '--json'], cli);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      rows: ROWS,
      inserted: ROWS - committed,
      updated: 0,
      duplicates: committed,
      invalid: 0,
    });
    const k = env.svc.db.kysely;
    const distinct = await k
      .selectFrom('participants')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.count<number>('nik_hash').distinct().as('niks'),
        eb.fn.count<number>('registration_number').distinct().as('regnos'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(distinct.n)).toBe(ROWS);
    expect(Number(distinct.niks)).toBe(ROWS);
    expect(Number(distinct.regnos)).toBe(ROWS);
    const after = await registryCounts(env.svc);
    for (const t of ['nik_index', 'person_keys', 'businesses', 'enrolments', 'consents', 'milestones']) {
      expect({ table: t, rows: after[t] }).toEqual({ table: t, rows: ROWS });
    }
    const v = await verifyStats(env.svc);
    expect(v.differences).toEqual([]);
    expect(v.ok).toBe(true);
    console.info(
      `kill -9 test: killed after ${killedAt} ms with ${committed} rows committed; total ${Date.now() - started} ms`,
    );
  }, 180_000);
});
