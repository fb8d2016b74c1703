import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz beside every text asset so the server (@fastify/static, preCompressed) sends a field
 * officer's phone the compressed bytes without compressing on each request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'jkp-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      for (const rel of readdirSync(outDir, { recursive: true }) as string[]) {
        if (rel.startsWith('.vite') || !/\.(js|css|html|svg|json)$/.test(rel)) continue;
        const file = path.join(outDir, rel);
        const buf = readFileSync(file);
        if (buf.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(buf, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

/**
 * Splits each language file (src/web/i18n/id.json, en.json) in two virtual modules: `virtual:jkp-i18n/<lang>/public`
 * (every top-level section but `console`) and `virtual:jkp-i18n/<lang>/console`, so the console's texts
 * travel in the console's chunks and the public pages stay light. The files stay one per language.
 */
function i18nParts(): Plugin {
  const prefix = 'virtual:jkp-i18n/';
  const dir = path.resolve(import.meta.dirname, 'src/web/i18n');
  return {
    name: 'jkp-i18n-parts',
    resolveId(id) {
      return id.startsWith(prefix) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${prefix}`)) return undefined;
      const [lang, part] = id.slice(prefix.length + 1).split('/');
      if (!/^[a-z]{2}$/.test(lang) || (part !== 'public' && part !== 'console')) {
        this.error(`unknown i18n module ${id.slice(1)}`);
      }
      const file = path.join(dir, `${lang}.json`);
      this.addWatchFile(file);
      const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const picked = Object.entries(all).filter(([k]) => (k === 'console') === (part === 'console'));
      return `export default ${JSON.stringify(Object.fromEntries(picked))};`;
    },
  };
}

/** The web app: sources in src/web, built into dist/web, served by the API server at `/`. */
export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: 'static',
  plugins: [react(), i18nParts(), precompress()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // everything the entry needs up front in one file (fewer round trips on a slow phone connection);
          // the lazy pages and the console are split automatically
          groups: [{ name: 'app', tags: ['$initial'] }],
          experimentalInlineCommonChunks: { maxSize: 4096 },
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/healthz': 'http://localhost:3000',
      '/readyz': 'http://localhost:3000',
    },
  },
});
