/**
 * Gzipped JavaScript each page of the web app loads, from the Vite manifest of dist/web: the entry and the
 * page's lazy chunk with everything they import statically. Budgets: public pages < 150 KB, console < 350 KB.
 * Usage: npm run size:web  (after npm run build:web)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Chunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };

const dist = process.env.WEB_DIST ?? path.resolve(import.meta.dirname, '../dist/web');
const manifest: Record<string, Chunk> = JSON.parse(
  readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'),
);
const gz = new Map<string, number>();
const sizeOf = (file: string) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gz.get(file)!;
};

/** The files a chunk needs before it runs (itself and its static imports, recursively). */
function closure(key: string, out = new Set<string>()): Set<string> {
  const c = manifest[key];
  if (!c || out.has(c.file)) return out;
  out.add(c.file);
  for (const i of c.imports ?? []) closure(i, out);
  return out;
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
const entry = closure(entryKey);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const pages: [string, string, number][] = [
  ['landing (/)', 'pages/LandingPage.tsx', 150],
  ['registration (/register)', 'pages/RegisterPage.tsx', 150],
  ['login (/login)', 'pages/LoginPage.tsx', 150],
  ['console (/console)', 'console/ConsoleApp.tsx', 350],
];
let failed = false;
const sum = (files: Set<string>) => [...files].reduce((s, f) => s + sizeOf(f), 0);
console.log(`entry (every page): ${kb(sum(entry))} gzipped JS`);
for (const [label, src, budget] of pages) {
  const files = closure(src, new Set(entry));
  const own = closure(src, new Set());
  const total = sum(files);
  const ok = total < budget * 1024;
  failed ||= !ok;
  console.log(
    `${label}: ${kb(total)} gzipped JS in ${files.size} files (page chunks ${kb(sum(new Set([...own].filter((f) => !entry.has(f)))))}); budget ${budget} KB ${ok ? 'ok' : 'EXCEEDED'}`,
  );
}
if (failed) process.exitCode = 1;
