/**
 * Builds the web app (src/web -> dist/web) when dist/web is missing or older than its sources, so `npm start`
 * and the browser tests work on a fresh checkout with one command. `--force` always builds.
 * Run through npm (`npm run build:web`, `npm start`) so it runs on the project's Node 24.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/web/index.html');

function newest(p: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

export function webIsStale(): { stale: boolean; reason: string } {
  let built = 0;
  try {
    built = statSync(out).mtimeMs;
  } catch {
    return { stale: true, reason: 'dist/web is missing' };
  }
  const inputs = ['src/web', 'vite.config.ts', 'package-lock.json'];
  const changed = inputs.find((i) => newest(path.join(root, i)) > built);
  return changed
    ? { stale: true, reason: `${changed} changed since the last build` }
    : { stale: false, reason: '' };
}

export async function buildWeb() {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.main) {
  const force = process.argv.includes('--force');
  const { stale, reason } = force ? { stale: true, reason: 'forced' } : webIsStale();
  if (stale) {
    const t0 = Date.now();
    process.stderr.write(`Membangun aplikasi web / building the web app (${reason})...\n`);
    await buildWeb();
    process.stderr.write(
      `Aplikasi web siap / web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s: dist/web\n`,
    );
  }
}
