import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import id from './id.json' with { type: 'json' };

/** Every leaf key as a dotted path ("register.nik"). */
function keysOf(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object') return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) =>
    keysOf(v, prefix ? `${prefix}.${k}` : k),
  );
}

/** The web app's sources as text (Vite's glob import, so this test needs no Node APIs). */
const sources = import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('web texts', () => {
  const idKeys = new Set(keysOf(id));
  const enKeys = new Set(keysOf(en));

  it('Bahasa Indonesia and English have the same keys', () => {
    expect([...idKeys].filter((k) => !enKeys.has(k)).sort(), 'missing in en.json').toEqual([]);
    expect([...enKeys].filter((k) => !idKeys.has(k)).sort(), 'missing in id.json').toEqual([]);
  });

  it('no text is empty', () => {
    const leaves = (o: unknown): unknown[] =>
      o !== null && typeof o === 'object' ? Object.values(o).flatMap(leaves) : [o];
    for (const v of [...leaves(id), ...leaves(en)])
      expect(typeof v === 'string' && v.trim() !== '').toBe(true);
  });

  it('every key the code names literally exists', () => {
    const used = new Set<string>();
    for (const src of Object.values(sources)) {
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
      for (const m of src.matchAll(/labelKey: '([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
      for (const m of src.matchAll(/\['((?:console|status)\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const plural = (k: string) => idKeys.has(`${k}_other`) && idKeys.has(`${k}_one`);
    expect([...used].filter((k) => !idKeys.has(k) && !plural(k)).sort()).toEqual([]);
  });

  it('the labels built from data have a text for every value', () => {
    for (const s of ['kuliner', 'fashion', 'kriya', 'jasa', 'perdagangan', 'budidaya', 'lainnya'])
      expect(idKeys.has(`sector.${s}`)).toBe(true);
    for (const r of ['admin', 'officer', 'mentor', 'collaborator', 'participant'])
      expect(idKeys.has(`role.${r}`)).toBe(true);
    for (const s of ['registered', 'pending', 'verified', 'validated', 'rejected'])
      expect(idKeys.has(`status.${s}`)).toBe(true);
    for (const s of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'])
      expect(idKeys.has(`console.stages.${s}`)).toBe(true);
  });
});
