/**
 * Records merged into another as duplicates leave the data-quality report: every check, count, breakdown and
 * anomaly table leaves them out, the report says how many (API, CSV export, CLI), and the participant list's
 * quality filter agrees with the count even when merged records are included in the list. Undoing the merge
 * brings them back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';
import { cliEnv, runCli } from './import-fixtures.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string;
let pairId: string;
let mergedId: string;

const REPORT = '/api/v1/quality/report?sharedPhoneMin=2';
const count = (r: { checks: { key: string; count: number }[] }, key: string) =>
  r.checks.find((c) => c.key === key)?.count;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@quality-merged.test', 'admin');
  officer = await t.user('officer@quality-merged.test', 'officer', { areas: ['31.74'] });
  // one person registered twice without consent (a NIK typo, the name written another way, the same phone)
  const p = person({
    sex: 'F',
    birthDate: '1979-11-23',
    village: V.tebetTimur,
    name: 'Nurul Hidayati Siregar',
    consentGiven: false,
  });
  const nik = `${p.nik.slice(0, 5)}${(Number(p.nik[5]) + 1) % 10}${p.nik.slice(6)}`;
  for (const x of [p, { ...p, nik, fullName: 'Noer Hidayati Siregar', email: undefined }]) {
    const res = await t.call(officer, 'POST', '/api/v1/participants', body(x as ReturnType<typeof person>));
    expect(res.statusCode, res.body).toBe(201);
  }
  // someone else, with consent, in the same city
  await t.call(officer, 'POST', '/api/v1/participants', body(person({ village: V.setiaBudi })));
  pairId = (await t.call(admin, 'GET', '/api/v1/duplicates')).json().items[0].id;
});
afterAll(async () => t.cleanup());

describe('merged records in the quality report', () => {
  it('before the merge, both registrations count', async () => {
    const r = (await t.call(officer, 'GET', REPORT)).json();
    expect(r.total).toBe(3);
    expect(r.mergedExcluded).toBe(0);
    expect(count(r, 'consent_missing')).toBe(2);
    expect(r.anomalies.sharedPhones).toHaveLength(1);
    expect(r.anomalies.sharedPhones[0].records).toBe(2);
  });

  it('after the merge, the merged record leaves every check and count, and the report says so', async () => {
    const m = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/merge`, { keep: 'a' });
    expect(m.statusCode, m.body).toBe(200);
    mergedId = m.json().b.id;
    for (const token of [officer, admin]) {
      const r = (await t.call(token, 'GET', REPORT)).json();
      expect(r.total).toBe(2);
      expect(r.mergedExcluded).toBe(1);
      const consent = r.checks.find((c: { key: string }) => c.key === 'consent_missing');
      expect(consent.count).toBe(1);
      expect(consent.byDistrict.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(1);
      // one phone on one active record is no longer "shared"
      expect(r.anomalies.sharedPhones).toEqual([]);
    }
    // the list behind the count holds the same records, even when merged records are asked for
    for (const merged of ['exclude', 'include']) {
      const list = (
        await t.call(officer, 'GET', `/api/v1/participants?quality=consent_missing&merged=${merged}`)
      ).json();
      expect(list.total).toBe(1);
      expect(list.items.map((i: { id: string }) => i.id)).not.toContain(mergedId);
    }
  });

  it('the export has a row with the number left out', async () => {
    const res = await t.call(officer, 'GET', '/api/v1/exports/quality?format=csv&lang=en');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toMatch(/^merged_excluded,,,,Merged duplicates left out,1,/m);
    const id = await t.call(officer, 'GET', '/api/v1/exports/quality?format=csv&lang=id');
    expect(id.body).toMatch(/^merged_excluded,,,,"Duplikat yang digabung, tidak diperiksa",1,/m);
  });

  it('the CLI says how many it left out (JSON and text)', async () => {
    const env = cliEnv(t.databaseUrl, t.dir);
    const [json, text] = await Promise.all([
      runCli(['quality', 'report', '--json'], env),
      runCli(['quality', 'report'], env),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r).toMatchObject({ total: 2, mergedExcluded: 1 });
    expect(count(r, 'consent_missing')).toBe(1);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('1 record merged into another as a duplicate left out of every check.');
  });

  it('undoing the merge brings the record back into every check', async () => {
    const u = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/unmerge`, {});
    expect(u.statusCode, u.body).toBe(200);
    const r = (await t.call(officer, 'GET', REPORT)).json();
    expect(r).toMatchObject({ total: 3, mergedExcluded: 0 });
    expect(count(r, 'consent_missing')).toBe(2);
  });
});
