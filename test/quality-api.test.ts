/**
 * The data-quality report over HTTP: who may read it, malformed options (422 problem+json, never a 500),
 * the CSV/XLSX export, the device hash a registration over HTTP records, and the list filter behind each count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string;
let mentor: string;
let staff: string;
let participant: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@quality-api.test', 'admin');
  officer = await t.user('officer@quality-api.test', 'officer', { areas: ['31.74'] });
  mentor = await t.user('mentor@quality-api.test', 'mentor', { areas: ['31.74'] });
  const col = await t.call(admin, 'POST', '/api/v1/collaborators', {
    name: 'Komunitas Uji',
    type: 'community',
  });
  staff = await t.user('staff@quality-api.test', 'collaborator', { collaboratorId: col.json().id });
  const ua = { 'user-agent': 'QualityTest/1.0 (tablet kecamatan)' };
  let regNo = '';
  for (const p of [
    person({ village: V.tebetTimur }),
    person({ village: V.tebetTimur, consentGiven: false }),
    person({ village: V.setiaBudi, consentGiven: false }),
  ]) {
    const res = await t.call(officer, 'POST', '/api/v1/participants', body(p), ua);
    expect(res.statusCode, res.body).toBe(201);
    regNo = res.json().registrationNumber;
  }
  const pub = await t.call(
    null,
    'POST',
    '/api/v1/public/registrations',
    body(person({ village: V.gambir })),
    ua,
  );
  expect(pub.statusCode, pub.body).toBe(201);
  participant = await t.user('self@quality-api.test', 'participant', { participant: regNo });
});
afterAll(async () => t.cleanup());

const REPORT = '/api/v1/quality/report';
const EXPORT = '/api/v1/exports/quality';

describe('access', () => {
  it('401 without a session, 403 for mentors, collaborator staff and participants', async () => {
    for (const url of [REPORT, `${EXPORT}?format=csv`]) {
      expectProblem(await t.call(null, 'GET', url), 401, 'UNAUTHENTICATED');
      for (const token of [mentor, staff, participant])
        expectProblem(await t.call(token, 'GET', url), 403, 'FORBIDDEN');
    }
  });

  it("an officer gets their city's report, an admin the program's", async () => {
    const o = await t.call(officer, 'GET', REPORT);
    expect(o.statusCode, o.body).toBe(200);
    expect(o.headers['cache-control']).toBe('no-store');
    const r = o.json();
    expect(r.scope).toEqual(['31.74']);
    expect(r.total).toBe(3);
    expect(r.checks.find((c: { key: string }) => c.key === 'consent_missing').count).toBe(2);
    const a = (await t.call(admin, 'GET', REPORT)).json();
    expect(a.scope).toBeNull();
    expect(a.total).toBe(4);
  });
});

describe('options', () => {
  it('malformed or unknown options are a 422 problem+json naming the parameter, never a 500', async () => {
    const cases: [string, string][] = [
      ['pendingDays=abc', 'pendingDays'],
      ['pendingDays=0', 'pendingDays'],
      ['pendingDays=1.5', 'pendingDays'],
      ['pendingDays=99999999999999999999', 'pendingDays'],
      ['inactiveMonths=-1', 'inactiveMonths'],
      ['inactiveMonths=1000', 'inactiveMonths'],
      ['burstFactor=0.5', 'burstFactor'],
      ['sharedPhoneMin=1', 'sharedPhoneMin'],
      ['sameSourceMin=', 'sameSourceMin'],
      ['verbose=1', 'verbose'],
    ];
    for (const [qs, path] of cases) {
      for (const url of [`${REPORT}?${qs}`, `${EXPORT}?format=csv&${qs}`]) {
        const j = expectProblem(await t.call(officer, 'GET', url), 422, 'VALIDATION_FAILED');
        expect(
          j.errors?.map((e) => e.path),
          url,
        ).toContain(path);
      }
    }
    const f = expectProblem(await t.call(officer, 'GET', `${EXPORT}?format=pdf`), 422, 'VALIDATION_FAILED');
    expect(f.errors?.map((e) => e.path)).toContain('format');
    // the list filter too
    expectProblem(
      await t.call(officer, 'GET', '/api/v1/participants?quality=bogus'),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.call(officer, 'GET', '/api/v1/participants?quality=inactive&inactiveMonths=0'),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('options shape the report and are echoed back', async () => {
    const r = (
      await t.call(admin, 'GET', `${REPORT}?pendingDays=30&inactiveMonths=24&sameSourceMin=2`)
    ).json();
    expect(r.options).toEqual({
      pendingDays: 30,
      inactiveMonths: 24,
      dailyMin: 30,
      burstDays: 7,
      burstMin: 10,
      burstFactor: 3,
      sameSourceMin: 2,
      sharedPhoneMin: 3,
    });
    // the officer's three registrations came from one device (User-Agent and IP), the public one too
    expect(r.anomalies.devices.map((d: { records: number }) => d.records)).toEqual([4]);
    expect(r.anomalies.devices[0]).toMatchObject({ users: 1, selfRegistrations: 1 });
    expect(r.anomalies.ips.map((d: { records: number }) => d.records)).toEqual([4]);
    expect(JSON.stringify(r)).not.toContain('QualityTest');
  });
});

describe('the list behind a count', () => {
  it('GET /participants?quality= holds as many records as the count', async () => {
    const r = (await t.call(officer, 'GET', REPORT)).json();
    for (const c of r.checks as { key: string; count: number }[]) {
      const list = await t.call(officer, 'GET', `/api/v1/participants?quality=${c.key}&limit=200`);
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json().total, c.key).toBe(c.count);
    }
  });
});

describe('export', () => {
  it('CSV with a BOM, Indonesian headers and one row per figure; English on request', async () => {
    const res = await t.call(officer, 'GET', `${EXPORT}?format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="kualitas-data.csv"');
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    const lines = res.body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Bagian,Butir,Rincian,Kode,Nama,Jumlah,Dasar,Tanggal,Rasio');
    expect(lines).toContain('check,consent_missing,total,,Tanpa persetujuan (consent),2,3,,');
    expect(lines).toContain('check,consent_missing,district,31.74.01,Tebet,1,,,');
    const en = await t.call(officer, 'GET', `${EXPORT}?format=csv&pendingDays=30`, undefined, {
      'accept-language': 'en',
    });
    expect(en.headers['content-disposition']).toBe('attachment; filename="data-quality.csv"');
    const enLines = en.body.slice(1).trim().split('\r\n');
    expect(enLines[0]).toBe('Section,Item,Breakdown,Code,Name,Count,Base,Date,Ratio');
    expect(enLines).toContain('option,pendingDays,,,,30,,,');
    expect(enLines).toContain('check,consent_missing,total,,Consent missing,2,3,,');
  });

  it('XLSX', async () => {
    const res = await t.call(admin, 'GET', `${EXPORT}?format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('erasure', () => {
  it("clears the record's device hash: it leaves the device table and every check", async () => {
    const list = (
      await t.call(admin, 'GET', '/api/v1/participants?quality=consent_missing&limit=200')
    ).json();
    const id = list.items[0].id as string;
    const del = await t.call(admin, 'DELETE', `/api/v1/participants/${id}`);
    expect(del.statusCode, del.body).toBe(200);
    const row = await t.svc.db.kysely
      .selectFrom('participants')
      .select(['device_hash', 'phone_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ device_hash: null, phone_hash: null });
    const r = (await t.call(admin, 'GET', `${REPORT}?sameSourceMin=2`)).json();
    expect(r.total).toBe(3);
    expect(r.anomalies.devices.map((d: { records: number }) => d.records)).toEqual([3]);
    expect(r.checks.find((c: { key: string }) => c.key === 'consent_missing').count).toBe(1);
  });
});
