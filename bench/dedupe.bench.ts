/**
 * Duplicate detection on a generated registry with known duplicates (src/testing/people.ts): precision and
 * recall of `dedupe scan` (sure + review, and sure alone), and the time of the whole scan as the CLI runs it
 * (read the registry, match in a worker thread, decrypt the NIKs of likely pairs, store the queue) at 100,000
 * and 1,000,000 participants, with its growth against n log n.
 *
 * The registries are written once straight into SQLite (NIKs encrypted; one data key for all) and cached in
 * bench/.cache; delete the folder to rebuild. Each size is scanned BENCH_DEDUPE_RUNS times (3) and the fastest run
 * counts (the one least disturbed by other work on the machine; all are listed). Run: `npm run bench -- dedupe`
 * (BENCH_DEDUPE_SIZES=100000,1000000).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import type { Services } from '../src/core/context.ts';
import { maskNik } from '../src/identity/nik.ts';
import { maskPhone } from '../src/identity/phone.ts';
import { scanRegistry } from '../src/modules/dedupe/service.ts';
import { searchText } from '../src/modules/participants/store.ts';
import { openServices } from '../src/services.ts';
import { generatePopulation, type Population } from '../src/testing/people.ts';
import type { BenchResult } from './qris.bench.ts';

const KEY = `bench:${Buffer.alloc(32, 5).toString('base64')}`;
/** bump when the generator changes, so cached registries are rebuilt */
const GENERATOR_VERSION = 3;
const CACHE = join(import.meta.dirname, '.cache');

async function services(path: string): Promise<Services> {
  return openServices(
    loadConfig({ LOG_LEVEL: 'silent', JAKPRENEUR_MASTER_KEY: KEY } as NodeJS.ProcessEnv, {
      databaseUrl: `sqlite:${path}`,
      dataDir: CACHE,
    }),
  );
}

const uuid = (kind: number, i: number) =>
  `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;

/** Writes the population as registered participants (only what the registry keeps), in big transactions. */
async function writeRegistry(svc: Services, pop: Population) {
  const raw = svc.db.sqlite;
  if (!raw) throw new Error('the dedupe benchmark writes its registry with SQLite');
  const now = new Date().toISOString();
  const ins = raw.prepare(
    `insert into participants (id, registration_number, nik_hash, nik_enc, nik_masked, phone_hash, phone_enc,
      phone_masked, full_name, name_search, birth_date, sex, province_code, regency_code, district_code,
      village_code, rt, rw, status, agency, channel, consent_given, registered_at, registered_date, sector,
      is_demo, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '31', ?, ?, ?, ?, ?, 'registered', 'PPKUKM', 'import', 1, ?, ?,
      'kuliner', 0, 1, ?, ?)`,
  );
  const key = raw.prepare('insert into person_keys (participant_id, key_id, wrapped_key) values (?, ?, ?)');
  const nik = raw.prepare('insert into nik_index (nik_hash, participant_id) values (?, ?)');
  const biz = raw.prepare(
    `insert into businesses (id, participant_id, name, name_search, sector, is_primary, created_at, updated_at)
     values (?, ?, ?, ?, 'kuliner', 1, ?, ?)`,
  );
  // one data key for the whole generated registry (wrapped once, stored per person), so that a million rows
  // are written in minutes; the scan still unwraps and decrypts per person as with real keys
  const dk = svc.vault.newDataKey();
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const p = pop.people[i];
      const id = uuid(1, i);
      const phone = `+62${p.phone.slice(1)}`;
      const nikHash = svc.vault.hmac('nik', p.nik);
      const district = `${p.districtCode.slice(0, 2)}.${p.districtCode.slice(2, 4)}.${p.districtCode.slice(4)}`;
      ins.run(
        id,
        `JKP-2021-${String(i + 1).padStart(7, '0')}`,
        nikHash,
        svc.vault.encrypt(dk.key, p.nik),
        maskNik(p.nik),
        svc.vault.hmac('phone', phone),
        null,
        maskPhone(phone),
        p.fullName,
        searchText(p.fullName),
        p.birthDate,
        p.sex,
        district.slice(0, 5),
        district,
        p.villageCode,
        p.rt,
        p.rw,
        now,
        now.slice(0, 10),
        now,
        now,
      );
      key.run(id, dk.keyId, dk.wrapped);
      nik.run(nikHash, id);
      biz.run(uuid(2, i), id, p.businessName, searchText(p.businessName), now, now);
    }
  });
  for (let i = 0; i < pop.people.length; i += 20_000) {
    batch(i, Math.min(pop.people.length, i + 20_000));
    process.stderr.write(
      `\r  writing registry ${Math.min(pop.people.length, i + 20_000)}/${pop.people.length}`,
    );
  }
  process.stderr.write('\n');
}

/**
 * The registry of n generated people (written once, then cached) and the pairs injected as duplicates. Only
 * the pairs are kept: the population itself (a million people's objects) would otherwise stay on this
 * process's heap through the scan, and every full garbage collection of the scan would mark it too.
 */
async function registry(n: number): Promise<{ svc: Services; duplicates: Population['duplicates'] }> {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `dedupe-${n}-v${GENERATOR_VERSION}.db`);
  const pop = generatePopulation(n);
  if (!existsSync(path)) {
    const tmp = `${path}.tmp`;
    rmSync(tmp, { force: true });
    const svc = await services(tmp);
    await writeRegistry(svc, pop);
    await svc.db.close();
    renameSync(tmp, path);
  }
  const svc = await services(path);
  await svc.db.kysely.deleteFrom('duplicate_pairs').execute();
  return { svc, duplicates: pop.duplicates };
}

/** runs per size: the fastest counts (the least disturbed by whatever else the machine does) */
const RUNS = Number(process.env.BENCH_DEDUPE_RUNS ?? 3);

async function measure(n: number) {
  const { svc, duplicates } = await registry(n);
  try {
    let res: Awaited<ReturnType<typeof scanRegistry>> | undefined;
    let seconds = Number.POSITIVE_INFINITY;
    const all: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await svc.db.kysely.deleteFrom('duplicate_pairs').execute();
      const t0 = performance.now();
      const r = await scanRegistry(svc, { worker: false }); // as the CLI runs it
      const s = (performance.now() - t0) / 1000;
      all.push(s);
      if (s < seconds) {
        seconds = s;
        res = r;
      }
    }
    if (!res) throw new Error('BENCH_DEDUPE_RUNS must be at least 1');
    const load = loadavg()[0];
    const index = (regno: string) => Number(regno.slice(9)) - 1;
    const key = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
    const truth = new Set(duplicates.map(([a, b]) => key(a, b)));
    let tp = 0;
    let sure = 0;
    let sureTp = 0;
    for (const p of res.pairs) {
      const hit = truth.has(key(index(p.a), index(p.b)));
      if (hit) tp++;
      if (p.level === 'sure') {
        sure++;
        if (hit) sureTp++;
      }
    }
    return {
      seconds,
      runs: all,
      load,
      phases: Object.entries(res.timings)
        .map(([k, ms]) => `${k.replace(/Ms$/, '')} ${(ms / 1000).toFixed(1)} s`)
        .join(', '),
      pairs: res.pairs.length,
      precision: res.pairs.length ? tp / res.pairs.length : 1,
      recall: tp / truth.size,
      surePrecision: sure ? sureTp / sure : 1,
      sure,
      truth: truth.size,
    };
  } finally {
    await svc.db.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const sizes = (process.env.BENCH_DEDUPE_SIZES ?? '100000,1000000').split(',').map(Number);
  const out: BenchResult[] = [];
  const times = new Map<number, number>();
  for (const n of sizes) {
    const m = await measure(n);
    times.set(n, m.seconds);
    const tag = `dedupe scan ${n.toLocaleString('en')}`;
    out.push({
      name: `${tag}: time`,
      value: Number(m.seconds.toFixed(1)),
      unit: 's',
      note: `whole CLI scan, fastest of ${m.runs.length} (${m.runs.map((x) => x.toFixed(1)).join(', ')} s; ${m.phases}; load average ${m.load.toFixed(1)} at the end), bar < 120 s at 1M`,
    });
    out.push({
      name: `${tag}: precision (sure + review)`,
      value: Number(m.precision.toFixed(4)),
      unit: '',
      note: `${m.pairs} pairs for ${m.truth} injected duplicates; bar 0.95`,
    });
    out.push({
      name: `${tag}: recall (sure + review)`,
      value: Number(m.recall.toFixed(4)),
      unit: '',
      note: 'bar 0.95',
    });
    out.push({
      name: `${tag}: precision (sure)`,
      value: Number(m.surePrecision.toFixed(4)),
      unit: '',
      note: `${m.sure} sure pairs; bar 0.99`,
    });
  }
  if (sizes.length >= 2) {
    const [a, b] = [sizes[0], sizes[sizes.length - 1]];
    const growth = times.get(b)! / times.get(a)!;
    const nlogn = (b * Math.log(b)) / (a * Math.log(a));
    out.push({
      name: `dedupe scan growth ${a.toLocaleString('en')} -> ${b.toLocaleString('en')}`,
      value: Number(growth.toFixed(2)),
      unit: 'x',
      note: `n log n would be ${nlogn.toFixed(2)}x; bar: no faster than that`,
    });
  }
  return out;
}
