/**
 * QRIS codec throughput: parse+validate (strict and lenient), build, toDynamic, each over a
 * few thousand varied payloads for about two seconds on one core.
 *
 * Run directly (`npx node bench/qris.bench.ts`) to print the results as JSON.
 */
import { REAL_WORLD } from '../src/qris/fixtures.ts';
import { build, type MerchantProfile, parse, toDynamic } from '../src/qris/index.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const SECONDS = 2;
const COUNT = 4000;

const REAL = REAL_WORLD.filter((f) => f.valid).map((f) => f.payload);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'WARUNG',
  'Toko',
  'Kopi',
  'Bakso',
  'Café',
  'Sate',
  'Jaya',
  'Makmur',
  'Sentosa',
  'Ñam',
  'Bu Siti',
  'Rasa',
];
const CITIES = ['JAKARTA', 'Bandung', 'SURABAYA', 'Kediri', 'Medan', 'DENPASAR', 'Yogyakarta', 'Bogor'];
const GUIDS = ['ID.CO.GOPAY.WWW', 'ID.DANA.WWW', 'ID.CO.SHOPEE.WWW', 'COM.GO-JEK.WWW', 'ID.CO.BCA.WWW'];
const CRITERIA = ['UMI', 'UKE', 'UME', 'UBE', 'URE'];

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(r() * 10));
  return s;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function profile(r: () => number): MerchantProfile {
  let name = pick(r, WORDS) + ' ' + pick(r, WORDS);
  if (r() < 0.5) name += ' ' + pick(r, WORDS);
  const criteria = pick(r, CRITERIA);
  const p: MerchantProfile = {
    name: name.slice(0, 25),
    city: pick(r, CITIES),
    postalCode: digits(r, 5),
    mcc: pick(r, ['5812', '5499', '4812', '5411', '7299']),
    nmid: 'ID' + digits(r, 13),
    criteria,
    accounts: [
      { guid: pick(r, GUIDS), pan: '93600' + digits(r, 13), merchantId: digits(r, 10 + Math.floor(r() * 5)) },
    ],
  };
  if (r() < 0.4) p.amount = 1000 + Math.floor(r() * 500000);
  if (r() < 0.5) p.additional = { terminalLabel: 'A0' + Math.floor(r() * 9), referenceLabel: digits(r, 12) };
  return p;
}

export function corpus(): string[] {
  const r = rng(0x51715);
  const out: string[] = [];
  while (out.length < COUNT) {
    const k = out.length % 10;
    if (k === 0) out.push(pick(r, REAL));
    else if (k === 1) out.push(toDynamic(pick(r, REAL), { amount: 1 + Math.floor(r() * 1e6) }));
    else if (k === 2 && out.length % 20 === 2) {
      // One in twenty is damaged (CRC mismatch), as scans sometimes are.
      const p = build(profile(r));
      const i = 40 + Math.floor(r() * 40);
      out.push(p.slice(0, i) + (p[i] === 'X' ? 'Y' : 'X') + p.slice(i + 1));
    } else out.push(build(profile(r)));
  }
  return out;
}

/**
 * Runs `fn` over `count` inputs again and again for about {@link SECONDS} seconds, in slices
 * of a quarter second. The value is the median slice rate (robust to other processes taking
 * the core for a while); the note gives the best and worst slice and the rate per CPU-second.
 */
function measure(
  name: string,
  unit: string,
  count: number,
  fn: (i: number) => number,
  note?: string,
): BenchResult {
  let sink = 0;
  for (let i = 0; i < count; i++) sink += fn(i); // warm-up
  const rates: number[] = [];
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let t = start;
  while (t - start < SECONDS * 1000) {
    const t0 = t;
    let n = 0;
    while (t - t0 < 250) {
      for (let i = 0; i < count; i++) sink += fn(i);
      n += count;
      t = performance.now();
    }
    ops += n;
    rates.push(n / ((t - t0) / 1000));
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink === -1) console.log(sink);
  rates.sort((x, y) => x - y);
  const median = rates[rates.length >> 1];
  const perCpuSecond = Math.round(ops / ((cpu.user + cpu.system) / 1e6));
  const detail = `median of ${rates.length} slices; best ${Math.round(rates[rates.length - 1])}/s, worst ${Math.round(rates[0])}/s, ${perCpuSecond}/s per CPU-second`;
  return { name, value: Math.round(median), unit, note: note === undefined ? detail : `${note}; ${detail}` };
}

export async function run(): Promise<BenchResult[]> {
  const payloads = corpus();
  const r = rng(7);
  const profiles: MerchantProfile[] = [];
  for (let i = 0; i < 1000; i++) profiles.push(profile(r));
  const statics = payloads.filter((p) => p.startsWith('000201010211') && parse(p, { lenient: true }).valid);
  const avg = Math.round(payloads.reduce((a, p) => a + p.length, 0) / payloads.length);
  const n = payloads.length;
  return [
    measure(
      'qris.parse.strict',
      'payloads/s',
      n,
      (i) => (parse(payloads[i]).valid ? 1 : 0),
      `${n} payloads (real-world, converted, generated; 5% damaged), avg ${avg} chars, parse + full validation incl. CRC`,
    ),
    measure('qris.parse.lenient', 'payloads/s', n, (i) =>
      parse(payloads[i], { lenient: true }).valid ? 1 : 0,
    ),
    measure(
      'qris.build',
      'payloads/s',
      profiles.length,
      (i) => build(profiles[i]).length,
      'includes strict validation of the output',
    ),
    measure(
      'qris.toDynamic',
      'payloads/s',
      statics.length,
      (i) => toDynamic(statics[i], { amount: 10000 + i, fee: { fixed: 1000 } }).length,
      `${statics.length} static payloads, amount + fixed fee`,
    ),
  ];
}

if (import.meta.main) {
  console.log(JSON.stringify(await run(), null, 2));
}
