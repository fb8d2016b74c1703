/**
 * `npm run bench [-- NAME...]`: runs the benchmarks (all, or the named ones: qris, import, latency, pg, dedupe, pages) and
 * prints a table. Record results in docs/benchmarks.md.
 */
import type { BenchResult } from './qris.bench.ts';

const all: Record<string, () => Promise<{ run: () => Promise<BenchResult[]> }>> = {
  qris: () => import('./qris.bench.ts'),
  import: () => import('./import.bench.ts'),
  latency: () => import('./latency.bench.ts'),
  pg: () => import('./pg.bench.ts'),
  dedupe: () => import('./dedupe.bench.ts'),
  pages: () => import('./pages.bench.ts'),
};
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length ? names : Object.keys(all);
for (const n of chosen) {
  if (!all[n]) {
    console.error(`unknown benchmark "${n}"; choose from ${Object.keys(all).join(', ')}`);
    process.exit(2);
  }
}
console.log(
  `# Jakpreneur benchmarks, ${new Date().toISOString()}, node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`,
);
console.log('| benchmark | value | unit | note |\n| --- | ---: | --- | --- |');
for (const n of chosen) {
  if (n === 'pg' && !process.env.BENCH_PG_URL) {
    console.log('| pg | skipped | | set BENCH_PG_URL=postgres://... |');
    continue;
  }
  const t0 = performance.now();
  const mod = await all[n]();
  const results = await mod.run();
  for (const r of results) console.log(`| ${r.name} | ${r.value} | ${r.unit} | ${r.note ?? ''} |`);
  // the machine may be shared: the load average says how quiet it was (2 cores: above 2, something else ran)
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1));
  console.error(`(${n}: ${Math.round((performance.now() - t0) / 1000)} s, load average ${load.join(' ')})`);
}
