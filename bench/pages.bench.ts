/**
 * Pages (issue 3): the web app on the demo program (281,812 participants), in Debian's Chromium with the CPU
 * throttled 4x and DevTools' "Fast 3G" network (a field officer's phone), against the real server.
 *
 * - dashboard: credentials typed on the login page (70 ms a character; the page fetches the console meanwhile),
 *   then submit -> the dashboard is ready, i.e. the 7P funnel bars, the "validated" and "registered" tiles and
 *   the headline table all show numbers (they render only once GET /stats/summary has answered). Bar < 3 s.
 *   Also, without a bar, the worst case: credentials pasted and submitted as soon as the page shows.
 * - search: on the participants list (already loaded), a name, NIK or phone query typed and Enter pressed (or,
 *   once, no Enter: the list's typing pause, 200 ms, included), or the last filter change of a combination -> the
 *   table shows the expected first page (the same query asked of the API beforehand: its first row and row
 *   count). Timed from the last key or change event. Bar < 1 s.
 * - JS: gzipped JavaScript of the landing, registration and console pages from the build's manifest
 *   (scripts/bundle-size.ts: the entry and the page's chunk with their static imports). Bars < 150 KB public,
 *   < 350 KB console.
 * - API (no browser, no throttling): GET /stats/summary and GET /participants with each list filter, median.
 *
 * Every browser measurement starts in a new browser context (empty HTTP cache). Times are taken inside the page
 * (performance.now() at the submit/input/change event, and at the first animation frame where the condition
 * holds), so Playwright's own round trips do not count.
 *
 * The seeded database is cached in bench/.cache/pages-<key>/ (key: SEED_VERSION and a hash of the seed module),
 * migrated on each run; a run only adds sessions and audit rows to it. BENCH_PAGES_RUNS sets the runs per case
 * (default 5 for the dashboard, 3 per search).
 *
 * BENCH_PAGES_CASES runs only some cases, comma-separated: `api`, `dashboard`, and the searches `name`, `nik`,
 * `phone`, `typing` (name, no Enter) and `filters` (the JS sizes are always given). Default: all.
 * BENCH_PAGES_TRACE=DIR records a Chrome performance trace of each search run, from the user's action to the
 * results (DIR/<case>-<run>.json, opens in DevTools' Performance panel), and prints to stderr where the time
 * went: the page's main-thread tasks and the requests, in milliseconds after the last key or change event.
 * Tracing slows the page a little: take the timings from runs without it.
 * Run: `npm run bench -- pages`; e.g. `BENCH_PAGES_CASES=typing,filters BENCH_PAGES_RUNS=5 npm run bench -- pages`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, devices, type Page } from '@playwright/test';
import { pageBundles } from '../scripts/bundle-size.ts';
import { buildWeb, webIsStale } from '../scripts/ensure-web.ts';
import { DEMO_PASSWORDS } from '../src/modules/demo/seed.ts';
import type { BenchResult } from './qris.bench.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Bump when the cached demo database must be seeded again for a reason the seed module's hash misses. */
const SEED_VERSION = 1;
const KEY = `bench:${Buffer.alloc(32, 5).toString('base64')}`;
const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 0);
const CASES = new Set(
  (process.env.BENCH_PAGES_CASES ?? 'api,dashboard,name,nik,phone,typing,filters')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean),
);
const TRACE_DIR = process.env.BENCH_PAGES_TRACE ? path.resolve(process.env.BENCH_PAGES_TRACE) : null;

/**
 * DevTools' "Fast 3G" preset (ChromeDevTools/devtools-frontend, front_end/core/sdk/NetworkManager.ts,
 * Fast3GConditions): download 1.6 Mbit/s * 0.9, upload 750 kbit/s * 0.9 (in bytes per second), latency
 * 150 ms * 3.75. Like DevTools, the CDP emulation throttles per request (each request waits the latency).
 */
const FAST_3G = {
  offline: false,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
  latency: 150 * 3.75,
  connectionType: 'cellular3g',
} as const;
const CPU_SLOWDOWN = 4;

const ADMIN = { email: 'admin@demo.jakpreneur.local', password: DEMO_PASSWORDS.admin };
const OFFICER = { email: 'petugas.jaktim@demo.jakpreneur.local', password: DEMO_PASSWORDS.officer };

const env = (dir: string) => ({
  ...process.env,
  DATA_DIR: dir,
  DATABASE_URL: `sqlite:${path.join(dir, 'demo.db')}`,
  JAKPRENEUR_MASTER_KEY: KEY,
  LOG_LEVEL: 'warn',
});

function cli(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jakpreneur.js', ...args], {
    cwd: ROOT,
    env: env(dir),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`jakpreneur ${args.join(' ')} failed (${r.status})`);
  return r.stdout;
}

/** The seeded demo database, from the cache or seeded now (about 5 minutes), migrated to the current schema. */
function demoDatabase(): string {
  const seedHash = createHash('sha256')
    .update(readFileSync(path.join(ROOT, 'src/modules/demo/seed.ts')))
    .digest('hex')
    .slice(0, 10);
  const dir = path.join(ROOT, 'bench/.cache', `pages-v${SEED_VERSION}-${seedHash}`);
  if (!existsSync(path.join(dir, 'demo.db'))) {
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    console.error(`pages: seeding the demo program into ${path.relative(ROOT, dir)} (cached for later runs)`);
    cli(tmp, ['seed', 'demo']);
    renameSync(tmp, dir);
  }
  cli(dir, ['migrate']);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['bin/jakpreneur.js', 'serve', '--port', String(port), '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      env: env(dir),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not up yet
    }
    if (child.exitCode != null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x: number) => Math.round(x);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

type ListAnswer = {
  items: { id: string; registrationNumber: string; fullName: string }[];
  total: number;
  totalExact?: boolean;
  nextCursor: string | null;
};

class Api {
  cookie = '';
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  async login(who: { email: string; password: string }) {
    const r = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    if (r.status !== 200) throw new Error(`login ${who.email}: ${r.status} ${await r.text()}`);
    this.cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return this;
  }
  async get<T>(p: string): Promise<T> {
    const r = await fetch(`${this.base}/api/v1${p}`, { headers: { cookie: this.cookie } });
    if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }
  async time(p: string, n: number): Promise<{ median: number; max: number }> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await this.get(p);
      times.push(performance.now() - t0);
    }
    return { median: median(times), max: Math.max(...times) };
  }
}

/** A new context (empty cache) and page on a phone-sized screen, CPU and network throttled through CDP. */
async function throttledPage(browser: Browser, cookies?: Awaited<ReturnType<BrowserContext['cookies']>>) {
  const { defaultBrowserType: _, ...phone } = devices['Pixel 7'];
  const context = await browser.newContext({ ...phone, locale: 'id-ID' });
  if (cookies) await context.addCookies(cookies);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  return { context, page };
}

/**
 * Records performance.now() of the last event of a kind (capture phase, so before the app's handlers). First it
 * has Playwright evaluate its injected script in the page's main world (the first waitForFunction does, about
 * 100 ms of a 4x-throttled CPU): otherwise sinceMark() did it right after the user's action, on the page's time.
 */
async function markLast(page: Page, events: string[]) {
  await page.waitForFunction(() => true);
  await page.evaluate((evs) => {
    const w = window as unknown as { __jkpMark?: number };
    w.__jkpMark = undefined;
    for (const ev of evs) {
      document.addEventListener(
        ev,
        () => {
          w.__jkpMark = performance.now();
          performance.mark('jkp-mark'); // for a trace (BENCH_PAGES_TRACE): the last one is the start
        },
        true,
      );
    }
  }, events);
}

/** Milliseconds from the mark to the first animation frame where `ready()` holds (evaluated in the page). */
async function sinceMark(page: Page, ready: string, timeout = 60_000): Promise<number> {
  const h = await page.waitForFunction(
    `(() => { const ok = (${ready})(); if (!ok || window.__jkpMark === undefined) return false; performance.mark('jkp-done'); return performance.now() - window.__jkpMark; })()`,
    undefined,
    { polling: 'raf', timeout },
  );
  return (await h.jsonValue()) as number;
}

const DASHBOARD_READY = `() => {
  const digits = (el) => !!el && /\\d/.test(el.textContent || '');
  const bars = document.querySelectorAll('[data-testid="figure-funnel"] li');
  return bars.length >= 7 && [...bars].every(digits)
    && digits(document.querySelector('[data-testid="tile-validated"]'))
    && digits(document.querySelector('[data-testid="tile-console.dashboard.registered"]'))
    && document.querySelectorAll('[data-testid="figure-headline"] tbody tr').length >= 7;
}`;

/** Milliseconds per character when a person types (about 170 characters a minute on a phone). */
const TYPING_MS = 70;

async function dashboardAfterLogin(
  browser: Browser,
  base: string,
  who: { email: string; password: string },
  typed: boolean,
) {
  const { context, page } = await throttledPage(browser);
  try {
    await page.goto(`${base}/login`);
    const email = page.locator('input[autocomplete="username"]');
    const password = page.locator('input[autocomplete="current-password"]');
    await email.waitFor();
    if (typed) {
      await email.pressSequentially(who.email, { delay: TYPING_MS });
      await password.pressSequentially(who.password, { delay: TYPING_MS });
    } else {
      await email.fill(who.email);
      await password.fill(who.password);
    }
    await markLast(page, ['submit']);
    await page.locator('button[type="submit"]').click();
    return await sinceMark(page, DASHBOARD_READY);
  } finally {
    await context.close();
  }
}

type TraceEvent = {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; requestId?: string; type?: string } };
};

/**
 * Where the time went between the last 'jkp-mark' and 'jkp-done' of a Chrome trace: the renderer main thread's
 * tasks longer than 8 ms (start and length, what they were busy with by self time), the main thread's busy time
 * in all, and the requests (sent, first byte, finished). Milliseconds after the mark.
 */
function traceSummary(buf: Buffer): string {
  const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mark = events.filter((e) => e.name === 'jkp-mark').at(-1);
  const done = events.find((e) => e.name === 'jkp-done');
  if (!mark || !done) return '  (no marks in the trace)';
  const main = events.find(
    (e) =>
      e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === mark.pid,
  );
  const t0 = mark.ts;
  const rel = (ts: number) => ((ts - t0) / 1000).toFixed(0).padStart(5);
  const thread = events
    .filter((e) => e.ph === 'X' && e.pid === mark.pid && e.tid === main?.tid && e.dur != null)
    .filter((e) => e.ts + (e.dur ?? 0) >= t0 && e.ts <= done.ts)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const lines: string[] = [];
  let busy = 0;
  // top-level tasks, with the self time of the events nested in each
  for (let i = 0; i < thread.length; ) {
    const task = thread[i];
    const end = task.ts + (task.dur ?? 0);
    const nested: TraceEvent[] = [];
    let j = i + 1;
    while (j < thread.length && thread[j].ts < end) nested.push(thread[j++]);
    i = j;
    busy += (task.dur ?? 0) / 1000;
    if ((task.dur ?? 0) < 8000) continue;
    const self = new Map<string, number>();
    const stack: { e: TraceEvent; child: number }[] = [];
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1].e.ts + (stack[stack.length - 1].e.dur ?? 0) <= upTo) {
        const { e, child } = stack.pop()!;
        const key = e.name === 'EventDispatch' ? `EventDispatch ${e.args?.data?.type ?? ''}` : e.name;
        self.set(key, (self.get(key) ?? 0) + ((e.dur ?? 0) - child) / 1000);
        if (stack.length) stack[stack.length - 1].child += e.dur ?? 0;
      }
    };
    for (const e of [task, ...nested]) {
      close(e.ts);
      stack.push({ e, child: 0 });
    }
    close(Number.POSITIVE_INFINITY);
    const top = [...self.entries()]
      .filter(([, v]) => v >= 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ');
    lines.push(`  task ${rel(task.ts)} +${((task.dur ?? 0) / 1000).toFixed(0).padStart(4)} ms: ${top}`);
  }
  const reqs = new Map<string, { url: string; sent?: number; response?: number; finish?: number }>();
  for (const e of events) {
    const id = e.args?.data?.requestId;
    if (!id || e.ts < t0 - 1000 || e.ts > done.ts) continue;
    const r = reqs.get(id) ?? { url: '' };
    if (e.name === 'ResourceSendRequest') Object.assign(r, { url: e.args?.data?.url ?? '', sent: e.ts });
    if (e.name === 'ResourceReceiveResponse') r.response = e.ts;
    if (e.name === 'ResourceFinish') r.finish = e.ts;
    reqs.set(id, r);
  }
  for (const r of reqs.values()) {
    if (r.sent == null) continue;
    const u = r.url.replace(/^https?:\/\/[^/]+/, '');
    lines.push(
      `  request ${rel(r.sent)} -> first byte ${r.response ? rel(r.response) : '   ?'}, done ${r.finish ? rel(r.finish) : '   ?'}: ${u.slice(0, 110)}`,
    );
  }
  lines.push(`  main thread busy ${busy.toFixed(0)} ms of ${((done.ts - t0) / 1000).toFixed(0)} ms`);
  return lines.join('\n');
}

const tableShows = (first: string, rows: number) => `() => {
  const trs = document.querySelectorAll('[data-testid="participant-table"] tbody tr');
  return trs.length === ${rows} && trs[0].querySelectorAll('td')[1]?.textContent === ${JSON.stringify(first)};
}`;

type SearchCase = {
  /** its name in BENCH_PAGES_CASES */
  id: string;
  label: string;
  /** the list URL the page opens first */
  start: string;
  /** what the user does, timed from its last input/change event */
  act: (page: Page) => Promise<void>;
  /** the same query for the API */
  query: string;
};

async function searchOnce(
  browser: Browser,
  base: string,
  cookies: Awaited<ReturnType<BrowserContext['cookies']>>,
  c: SearchCase,
  expected: ListAnswer,
  trace?: string,
) {
  const { context, page } = await throttledPage(browser, cookies);
  try {
    await page.goto(`${base}${c.start}`);
    // the list as first loaded (not timed)
    await page.locator('[data-testid="participant-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    await page.getByText('Memuat…').waitFor({ state: 'detached', timeout: 60_000 });
    // the user acts once the page has settled (its option lists loaded)
    await page.waitForLoadState('networkidle');
    await markLast(page, ['input', 'change', 'keydown']);
    if (trace) await browser.startTracing(page, { path: trace, screenshots: false });
    await c.act(page);
    const rows = Math.min(25, expected.items.length);
    const took = await sinceMark(page, tableShows(expected.items[0].registrationNumber, rows));
    if (trace)
      console.error(`${path.basename(trace)}: ${ms(took)} ms\n${traceSummary(await browser.stopTracing())}`);
    return took;
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const add = (name: string, value: number, unit: string, note?: string) =>
    out.push({ name, value, unit, note });
  const dir = demoDatabase();
  const stale = webIsStale();
  if (stale.stale) {
    console.error(`pages: building the web app (${stale.reason})`);
    await buildWeb();
  }

  // (c) gzipped JS from the build
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  const bundles = pageBundles();
  for (const p of bundles.pages) {
    add(
      `gzipped JS, ${p.label} (bar < ${p.budgetKb} KB)`,
      kb(p.bytes),
      'KB',
      `${p.files} files; manifest closure; ${p.ok ? 'ok' : 'OVER'}`,
    );
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(dir, port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const admin = await new Api(base).login(ADMIN);
    const officer = await new Api(base).login(OFFICER);

    // API times on the demo database (no browser, no throttling)
    for (const [who, api] of CASES.has('api')
      ? ([
          ['admin', admin],
          ['officer (Jakarta Timur)', officer],
        ] as const)
      : []) {
      const s = await api.time('/stats/summary', 20);
      add(
        `API GET /stats/summary, ${who}`,
        ms(s.median),
        'ms median',
        `max ${ms(s.max)} ms, 20 runs; load ${load()}`,
      );
      const p = await api.time('/participants?limit=1', 10);
      add(
        `API GET /participants?limit=1 (dashboard's demo probe), ${who}`,
        ms(p.median),
        'ms median',
        `max ${ms(p.max)} ms`,
      );
    }

    // a participant to search for: name, NIK and phone of a record in the middle of the registry
    const mid = await admin.get<ListAnswer>(
      '/participants?limit=1&registeredFrom=2019-06-12&registeredTo=2019-06-12',
    );
    const rec = await admin.get<{ fullName: string; nik: string; phone: string }>(
      `/participants/${mid.items[0].id}`,
    );
    const localPhone = rec.phone.replace(/^\+62/, '0');

    const listFilters: [string, string][] = [
      ['no filter', ''],
      ['name', `q=${encodeURIComponent(rec.fullName)}`],
      ['NIK', `q=${rec.nik}`],
      ['phone', `q=${encodeURIComponent(localPhone)}`],
      ['city', 'regencyCode=31.74'],
      ['kecamatan', 'districtCode=31.74.05'],
      ['sector', 'sector=kuliner'],
      ['status', 'status=validated'],
      ['stage P4', 'stage=P4'],
      ['agency', 'agency=PPKUKM'],
      ['QRIS declared', 'qris=declared'],
      ['registered in 2020', 'registeredFrom=2020-01-01&registeredTo=2020-12-31'],
      ['city + sector + status', 'regencyCode=31.74&sector=kuliner&status=validated'],
      ['quality: pending verification', 'quality=pending_verification'],
    ];
    for (const [label, qs] of CASES.has('api') ? listFilters : []) {
      const t = await admin.time(`/participants?limit=25${qs ? `&${qs}` : ''}`, 5);
      const a = await admin.get<ListAnswer>(`/participants?limit=25${qs ? `&${qs}` : ''}`);
      add(
        `API GET /participants, ${label}`,
        ms(t.median),
        'ms median',
        `max ${ms(t.max)} ms, 5 runs; total ${a.total}${a.totalExact === false ? '+' : ''}`,
      );
    }

    // (a) login -> dashboard ready
    const dashRuns = RUNS || 5;
    for (const [who, cred, typed, runs] of CASES.has('dashboard')
      ? ([
          ['admin', ADMIN, true, dashRuns],
          ['officer (Jakarta Timur)', OFFICER, true, dashRuns],
          ['admin, credentials pasted at once', ADMIN, false, Math.min(dashRuns, 3)],
        ] as const)
      : []) {
      const times: number[] = [];
      const l0 = load();
      for (let i = 0; i < runs; i++) times.push(await dashboardAfterLogin(browser, base, cred, typed));
      add(
        `login submit -> dashboard ready, ${who}${typed ? '' : ' (no bar: the worst case)'}${typed ? ' (bar < 3000)' : ''}`,
        ms(median(times)),
        'ms median',
        `worst ${ms(Math.max(...times))} ms of ${runs}; ${typed ? `credentials typed at ${TYPING_MS} ms a character, ` : ''}load ${l0} -> ${load()}`,
      );
    }

    // (b) participant search
    const ctx = await browser.newContext();
    await ctx.request.post(`${base}/api/v1/auth/login`, { data: ADMIN });
    const cookies = await ctx.cookies();
    await ctx.close();
    const typeInto =
      (text: string, enter = true) =>
      async (page: Page) => {
        const box = page.getByTestId('participant-search');
        await box.pressSequentially(text, { delay: TYPING_MS });
        if (enter) await box.press('Enter');
      };
    const cases: SearchCase[] = [
      {
        id: 'name',
        label: 'name, then Enter',
        start: '/console/participants',
        act: typeInto(rec.fullName),
        query: `q=${encodeURIComponent(rec.fullName)}`,
      },
      {
        id: 'nik',
        label: 'NIK, then Enter',
        start: '/console/participants',
        act: typeInto(rec.nik),
        query: `q=${rec.nik}`,
      },
      {
        id: 'phone',
        label: 'phone, then Enter',
        start: '/console/participants',
        act: typeInto(localPhone),
        query: `q=${encodeURIComponent(localPhone)}`,
      },
      {
        id: 'typing',
        label: 'name, no Enter (typing pause included)',
        start: '/console/participants',
        act: typeInto(rec.fullName, false),
        query: `q=${encodeURIComponent(rec.fullName)}`,
      },
      {
        id: 'filters',
        label: 'filters: city + sector (link), then status chosen',
        start: '/console/participants?regencyCode=31.74&sector=kuliner',
        act: async (page) => {
          await page.getByLabel('Status', { exact: true }).selectOption('validated');
        },
        query: 'regencyCode=31.74&sector=kuliner&status=validated',
      },
    ];
    const searchRuns = RUNS || 3;
    if (TRACE_DIR) mkdirSync(TRACE_DIR, { recursive: true });
    for (const c of cases.filter((c) => CASES.has(c.id))) {
      const expected = await admin.get<ListAnswer>(`/participants?limit=25&${c.query}`);
      const times: number[] = [];
      const l0 = load();
      for (let i = 0; i < searchRuns; i++) {
        const trace = TRACE_DIR ? path.join(TRACE_DIR, `${c.id}-${i + 1}.json`) : undefined;
        times.push(await searchOnce(browser, base, cookies, c, expected, trace));
      }
      add(
        `search ${c.label} -> results shown (bar < 1000)`,
        ms(median(times)),
        'ms median',
        `worst ${ms(Math.max(...times))} ms of ${searchRuns}; from the last key or change; load ${l0} -> ${load()}`,
      );
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  return out;
}

if (import.meta.main) console.log(JSON.stringify(await run(), null, 2));
