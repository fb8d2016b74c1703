/**
 * Gzipped JavaScript each page of the web app loads, from the Vite manifest of dist/web: the entry and the
 * page's lazy chunk with everything they import statically. Budgets: public pages < 150 KB, console < 350 KB.
 * Usage: npm run size:web  (after npm run build:web). `bench/pages.bench.ts` reuses `pageBundles`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Chunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };

export type PageBundle = {
  label: string;
  /** gzipped bytes of every JS file the page needs before it runs (entry included) */
  bytes: number;
  files: number;
  /** gzipped bytes of the page's own chunks (not in the entry) */
  ownBytes: number;
  budgetKb: number;
  ok: boolean;
};

export const PAGES: [label: string, src: string, budgetKb: number][] = [
  ['landing (/)', 'pages/LandingPage.tsx', 150],
  ['registration (/register)', 'pages/RegisterPage.tsx', 150],
  ['login (/login)', 'pages/LoginPage.tsx', 150],
  ['console (/console)', 'console/ConsoleApp.tsx', 350],
];

/** The gzipped JS of each page in PAGES, and of the entry alone, from dist's Vite manifest. */
export function pageBundles(dist = path.resolve(import.meta.dirname, '../dist/web')): {
  entryBytes: number;
  pages: PageBundle[];
} {
  const manifest: Record<string, Chunk> = JSON.parse(
    readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'),
  );
  const gz = new Map<string, number>();
  const sizeOf = (file: string) => {
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
    return gz.get(file)!;
  };
  /** The files a chunk needs before it runs (itself and its static imports, recursively). */
  const closure = (key: string, out = new Set<string>()): Set<string> => {
    const c = manifest[key];
    if (!c || out.has(c.file)) return out;
    out.add(c.file);
    for (const i of c.imports ?? []) closure(i, out);
    return out;
  };
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
  const entry = closure(entryKey);
  const sum = (files: Set<string>) => [...files].reduce((s, f) => s + sizeOf(f), 0);
  return {
    entryBytes: sum(entry),
    pages: PAGES.map(([label, src, budgetKb]) => {
      const files = closure(src, new Set(entry));
      const own = closure(src, new Set());
      const bytes = sum(files);
      return {
        label,
        bytes,
        files: files.size,
        ownBytes: sum(new Set([...own].filter((f) => !entry.has(f)))),
        budgetKb,
        ok: bytes < budgetKb * 1024,
      };
    }),
  };
}

if (import.meta.main) {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const { entryBytes, pages } = pageBundles(process.env.WEB_DIST ?? undefined);
  console.log(`entry (every page): ${kb(entryBytes)} gzipped JS`);
  for (const p of pages) {
    console.log(
      `${p.label}: ${kb(p.bytes)} gzipped JS in ${p.files} files (page chunks ${kb(p.ownBytes)}); budget ${p.budgetKb} KB ${p.ok ? 'ok' : 'EXCEEDED'}`,
    );
  }
  if (pages.some((p) => !p.ok)) process.exitCode = 1;
}
