/**
 * `jakpreneur qris parse | dynamic | make` as an operator runs them: child processes on the pinned Node,
 * exit codes, JSON, and the image files they write (read back with the upload decoder).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrImage } from '../src/modules/qris/decode.ts';
import { pngTextChunks, renderPng } from '../src/modules/qris/image.ts';
import { REAL_WORLD } from '../src/qris/fixtures.ts';
import { appendCrc, parse, serializeTlvs } from '../src/qris/index.ts';
import { cliEnv, runCli } from './import-fixtures.ts';

const NOBU = REAL_WORLD[0].payload;
const XENDIT = REAL_WORLD.find((f) => f.codes?.includes('QRIS_CRITERIA'))!.payload;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jkp-qris-cli-'));
  // the qris commands need no database; the environment is the usual one
  env = cliEnv(`sqlite:${join(dir, 'unused.db')}`, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli(['qris', ...args], { ...env, ...extra });
const all = (list: string[][]) => Promise.all(list.map((a) => run(a)));

function jsonLine(stdout: string) {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, stdout).toHaveLength(1);
  return JSON.parse(lines[0]);
}

/** A payload with a wrong CRC (last digit changed). */
const badCrc = NOBU.slice(0, -1) + (NOBU.endsWith('7') ? '8' : '7');
/** A merchant name of 26 characters: a strict error, a lenient warning (real codes have such names). */
const longName = appendCrc(
  serializeTlvs(
    parse(NOBU)
      .data!.tlvs.filter((t) => t.id !== '63')
      .map((t) => (t.id === '59' ? { id: '59', value: 'GRANOOL STORE OK1229577 XY' } : t)),
  ),
);

describe('jakpreneur qris parse', () => {
  it('prints JSON with valid, the fields, errors and warnings; exit 0 valid, 1 invalid', async () => {
    const [ok, bad, strict, lenient, xendit] = await all([
      ['parse', NOBU, '--json'],
      ['parse', badCrc, '--json'],
      ['parse', longName, '--json'],
      ['parse', longName, '--json', '--lenient'],
      ['parse', XENDIT, '--json'],
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const j = jsonLine(ok.stdout);
    expect(j).toMatchObject({
      valid: true,
      name: 'GRANOOL STORE OK1229577',
      city: 'KEDIRI',
      postalCode: '64212',
      nmid: 'ID2023270994163',
      criteria: 'UMI',
      mcc: '4812',
      currency: '360',
      countryCode: 'ID',
      dynamic: false,
      crc: '7127',
      errors: [],
      warnings: [],
    });
    expect(j.accounts[0]).toMatchObject({ id: '26', guid: 'COM.NOBUBANK.WWW' });

    expect(bad.code).toBe(1);
    const b = jsonLine(bad.stdout);
    expect(b.valid).toBe(false);
    expect(b.errors.map((e: { code: string }) => e.code)).toContain('CRC_MISMATCH');

    expect(strict.code).toBe(1);
    expect(jsonLine(strict.stdout).errors.map((e: { code: string }) => e.code)).toEqual(['FIELD_TOO_LONG']);
    expect(lenient.code, lenient.stdout).toBe(0);
    const l = jsonLine(lenient.stdout);
    expect(l.valid).toBe(true);
    expect(l.warnings.map((e: { code: string }) => e.code)).toEqual(['FIELD_TOO_LONG']);

    expect(xendit.code).toBe(0);
    expect(jsonLine(xendit.stdout).warnings.map((e: { code: string }) => e.code)).toContain('QRIS_CRITERIA');
  });

  it('prints a readable summary, in Indonesian with JAKPRENEUR_LANG=id', async () => {
    const [en, id, idBad] = await Promise.all([
      run(['parse', NOBU]),
      run(['parse', NOBU], { JAKPRENEUR_LANG: 'id' }),
      run(['parse', badCrc], { JAKPRENEUR_LANG: 'id' }),
    ]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^QRIS: valid \(static\)/);
    expect(en.stdout).toContain('GRANOOL STORE OK1229577');
    expect(en.stdout).toContain('ID2023270994163');
    expect(id.stdout).toMatch(/^QRIS: valid \(statis\)/);
    expect(idBad.code).toBe(1);
    expect(idBad.stdout).toMatch(/^QRIS: tidak valid/);
    expect(idBad.stdout).toContain('CRC_MISMATCH');
    expect(idBad.stdout).toContain('CRC tidak cocok');
  });

  it('exits 2 on usage errors', async () => {
    const [missing, unknown] = await all([['parse'], ['parse', NOBU, '--nope']]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument/);
    expect(unknown.code).toBe(2);
  });
});

describe('jakpreneur qris dynamic', () => {
  it('prints the dynamic payload and writes PNG and SVG that read back to it (not specimens)', async () => {
    const png = join(dir, 'dyn.png');
    const svg = join(dir, 'dyn.svg');
    const res = await run(['dynamic', NOBU, '--amount', '25000', '--png', png, '--svg', svg]);
    expect(res.code, res.stderr).toBe(0);
    const payload = res.stdout.trim();
    const p = parse(payload);
    expect(p.valid).toBe(true);
    expect(p.data!.pointOfInitiation).toBe('12');
    expect(p.data!.amount).toBe('25000');
    expect(p.data!.tipIndicator).toBeNull();
    expect(p.data!.name).toBe('GRANOOL STORE OK1229577');
    const pngBuf = readFileSync(png);
    expect(await decodeQrImage(pngBuf)).toEqual([payload]);
    expect(pngTextChunks(pngBuf).Comment).toBeUndefined();
    const svgText = readFileSync(svg, 'utf8');
    expect(svgText).not.toContain('SPECIMEN');
    expect(await decodeQrImage(await renderPng(svgText))).toEqual([payload]);
  });

  it('adds a fixed or percentage fee when asked; both at once is a usage error (2)', async () => {
    const [fixed, pct, both, zero, badPct, invalid, noAmount] = await all([
      ['dynamic', NOBU, '--amount', '10000', '--fee-fixed', '1500'],
      ['dynamic', NOBU, '--amount', '10000.50', '--fee-percent', '2.5'],
      ['dynamic', NOBU, '--amount', '10000', '--fee-fixed', '1', '--fee-percent', '1'],
      ['dynamic', NOBU, '--amount', '0'],
      ['dynamic', NOBU, '--amount', '100', '--fee-percent', '100'],
      ['dynamic', badCrc, '--amount', '100'],
      ['dynamic', NOBU],
    ]);
    expect(fixed.code, fixed.stderr).toBe(0);
    const f = parse(fixed.stdout.trim()).data!;
    expect([f.amount, f.tipIndicator, f.fixedFee]).toEqual(['10000', '02', '1500']);
    expect(pct.code, pct.stderr).toBe(0);
    const q = parse(pct.stdout.trim()).data!;
    expect([q.amount, q.tipIndicator, q.percentageFee]).toEqual(['10000.50', '03', '2.5']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with/);
    expect(both.stdout).toBe('');
    expect(zero.code).toBe(2);
    expect(badPct.code).toBe(2);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('CRC_MISMATCH');
    expect(noAmount.code).toBe(2);
  });
});

describe('jakpreneur qris make', () => {
  const base = [
    'make',
    '--name',
    'Warung Sari Rasa',
    '--city',
    'Jakarta',
    '--postal-code',
    '10110',
    '--mcc',
    '5812',
    '--nmid',
    'ID1234567890123',
    '--criteria',
    'UMI',
  ];

  it('builds a QRIS from the merchant data; its images are marked SPECIMEN and read back', async () => {
    const png = join(dir, 'make.png');
    const svg = join(dir, 'make.svg');
    const [stat, dyn] = await all([
      [...base, '--png', png, '--svg', svg],
      [...base, '--amount', '15000'],
    ]);
    expect(stat.code, stat.stderr).toBe(0);
    const payload = stat.stdout.trim();
    const p = parse(payload);
    expect(p.valid).toBe(true);
    expect(p.data).toMatchObject({
      name: 'Warung Sari Rasa',
      city: 'Jakarta',
      postalCode: '10110',
      mcc: '5812',
      nmid: 'ID1234567890123',
      criteria: 'UMI',
      pointOfInitiation: '11',
    });
    expect(stat.stderr).toMatch(/SPECIMEN/);
    expect(existsSync(png) && existsSync(svg)).toBe(true);
    const pngBuf = readFileSync(png);
    expect(pngTextChunks(pngBuf).Comment).toMatch(/^SPECIMEN/);
    expect(await decodeQrImage(pngBuf)).toEqual([payload]);
    const svgText = readFileSync(svg, 'utf8');
    expect(svgText).toContain('data-specimen="true"');
    expect(await decodeQrImage(await renderPng(svgText))).toEqual([payload]);

    expect(dyn.code, dyn.stderr).toBe(0);
    const d = parse(dyn.stdout.trim()).data!;
    expect([d.pointOfInitiation, d.amount]).toEqual(['12', '15000']);
  });

  it('exits 1 for merchant data that makes no valid QRIS, 2 for usage errors', async () => {
    const withName = (name: string) => base.map((v, i) => (base[i - 1] === '--name' ? name : v));
    const [long, badNmid, missing, criteria] = await all([
      withName('Warung Sari Rasa Yang Terlalu Panjang'),
      base.map((v) => (v === 'ID1234567890123' ? 'X123' : v)),
      ['make', '--name', 'X'],
      base.map((v) => (v === 'UMI' ? 'ABC' : v)),
    ]);
    expect(long.code).toBe(1);
    expect(long.stdout).toContain('FIELD_TOO_LONG');
    expect(badNmid.code).toBe(1);
    expect(badNmid.stdout).toContain('QRIS_NMID');
    expect(missing.code).toBe(2);
    expect(criteria.code).toBe(2);
  });
});
