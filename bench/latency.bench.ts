/**
 * Interactive writes during a bulk import: the server runs as its own process (`jakpreneur serve`), a large CSV
 * is uploaded through the API, and meanwhile this process registers participants one at a time through the
 * API and records each request's latency. Then GET /api/v1/stats/summary is timed on the big database and on a
 * 10k one (the summary reads rollups, so it should not grow with the registry).
 * Run: `npm run bench -- latency` (BENCH_ROWS=1000000 by default).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiBody, generateRow } from '../src/testing/generator.ts';
import { writeCsv } from './import.bench.ts';
import type { BenchResult } from './qris.bench.ts';

const KEY = `bench:${Buffer.alloc(32, 3).toString('base64')}`;

function cli(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jakpreneur.js', ...args], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      JAKPRENEUR_MASTER_KEY: KEY,
    },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function startServer(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['bin/jakpreneur.js', 'serve', '--port', String(port), '--host', '127.0.0.1'],
    {
      env: {
        ...process.env,
        DATA_DIR: dir,
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        JAKPRENEUR_MASTER_KEY: KEY,
        LOG_LEVEL: 'warn',
      },
      // BENCH_SERVER_LOG=file keeps the server's stderr (an unread pipe would block it once full)
      stdio: [
        'ignore',
        'ignore',
        process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, 'a') : 'ignore',
      ],
    },
  );
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number) => Math.round(x * 10) / 10;

async function login(base: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@jakpreneur.local', password: 'bench-password-1' }),
  });
  return ((await r.json()) as { token: string }).token;
}

async function timeSummary(base: string, token: string, n = 100): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await fetch(`${base}/api/v1/stats/summary`, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return pct(times, 50);
}

async function importAndMeasure(rows: number, port: number, measureWrites: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'jkp-lat-'));
  const csv = join(dir, 'p.csv');
  await writeCsv(csv, rows, 5);
  cli(dir, ['migrate']);
  cli(dir, [
    'user',
    'create',
    '--email',
    'bench@jakpreneur.local',
    '--password',
    'bench-password-1',
    '--role',
    'admin',
  ]);
  const server = await startServer(dir, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    const token = await login(base);
    /** one registration through the API; its latency in ms */
    const register = async (n: number) => {
      const body = JSON.stringify(apiBody(generateRow(n, 9)));
      const s = performance.now();
      const r = await fetch(`${base}/api/v1/participants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      await r.arrayBuffer();
      if (r.status !== 201) throw new Error(`registration failed: ${r.status}`);
      return performance.now() - s;
    };
    const form = new FormData();
    form.append('file', await openAsBlob(csv), 'p.csv');
    const up = await fetch(`${base}/api/v1/imports/participants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const { id } = (await up.json()) as { id: string };
    const latencies: number[] = [];
    let i = 0;
    const t0 = performance.now();
    for (;;) {
      const job = (await (
        await fetch(`${base}/api/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as {
        status: string;
        summary: unknown;
      };
      if (job.status === 'done' || job.status === 'failed') {
        if (job.status === 'failed') throw new Error(`import failed: ${JSON.stringify(job)}`);
        break;
      }
      if (measureWrites) {
        latencies.push(await register(10_000_000 + i++));
      }
      await new Promise((r) => setTimeout(r, measureWrites ? 20 : 200));
    }
    const importSeconds = (performance.now() - t0) / 1000;
    // the same registrations with no import running: what the machine gives without one (a shared machine)
    const quiet: number[] = [];
    for (let q = 0; measureWrites && q < Math.min(200, latencies.length); q++) {
      quiet.push(await register(20_000_000 + q));
      await new Promise((r) => setTimeout(r, 20));
    }
    const summaryMs = await timeSummary(base, token);
    return { latencies, quiet, importSeconds, summaryMs };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const big = await importAndMeasure(rows, 3901, true);
  const small = await importAndMeasure(10_000, 3902, false);
  const l = big.latencies;
  return [
    {
      name: `registrations through the API during a ${rows}-row import`,
      value: l.length,
      unit: 'requests',
      note: `import took ${round(big.importSeconds)} s`,
    },
    { name: 'registration latency p50 during import', value: round(pct(l, 50)), unit: 'ms' },
    { name: 'registration latency p99 during import (bar <= 200)', value: round(pct(l, 99)), unit: 'ms' },
    { name: 'registration latency max during import', value: round(Math.max(...l)), unit: 'ms' },
    {
      name: 'registration latency p50 with no import (same server, after it)',
      value: round(pct(big.quiet, 50)),
      unit: 'ms',
      note: `${big.quiet.length} requests`,
    },
    { name: 'registration latency p99 with no import', value: round(pct(big.quiet, 99)), unit: 'ms' },
    { name: 'GET /stats/summary median at 10k participants', value: round(small.summaryMs), unit: 'ms' },
    { name: `GET /stats/summary median at ${rows} participants`, value: round(big.summaryMs), unit: 'ms' },
    {
      name: `summary time ${rows} / 10k (bar <= 2)`,
      value: round(big.summaryMs / small.summaryMs),
      unit: 'ratio',
    },
  ];
}

if (import.meta.main) console.log(JSON.stringify(await run(), null, 2));
