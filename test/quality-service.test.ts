/**
 * The data-quality report at the service level on a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE_URL): generated records that fail each check, exact counts, the area scope, the anomaly
 * tables, and the participant list's `quality` filter agreeing with every count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wibDate } from '../src/core/clock.ts';
import type { Actor, Ctx } from '../src/core/context.ts';
import { AppError } from '../src/core/errors.ts';
import { childrenOf } from '../src/identity/index.ts';
import { createUser, loadActor } from '../src/modules/auth/service.ts';
import { createCollaborator } from '../src/modules/collaborators/service.ts';
import { runImport } from '../src/modules/imports/service.ts';
import { createParticipant, listParticipants, transition } from '../src/modules/participants/commands.ts';
import { QUALITY_CHECKS, type QualityCheck } from '../src/modules/quality/checks.ts';
import { reportRows } from '../src/modules/quality/export.ts';
import { deadlinesOf, type QualityReport, qualityReport } from '../src/modules/quality/service.ts';
import { generateRow } from '../src/testing/generator.ts';
import { body, makeNik, person, V } from './api-fixtures.ts';
import { freshServices, sysCtx } from './helpers.ts';
import { cellsOf, FULL_HEADERS, writeCsv } from './import-fixtures.ts';

type Env = Awaited<ReturnType<typeof freshServices>>;
let env: Env;
const actors: Record<string, Actor> = {};
let colA: string;
const rec: Record<string, string> = {};
const SHARED_PHONE = '081377771234';
const OPTIONS = { sameSourceMin: 3, dailyMin: 5 };

const daysAgo = (d: number) => wibDate(new Date(Date.now() - d * 86_400_000));
const http = (who: string, ip: string, ua: string): Ctx => ({
  actor: actors[who],
  ip,
  userAgent: ua,
  lang: 'en',
  via: 'http',
});
const as = (who: string): Ctx => ({ actor: actors[who], ip: null, lang: 'en', via: 'http' });

async function user(name: string, role: Actor['role'], extra: { areas?: string[]; collaboratorId?: string }) {
  const res = await createUser(env.svc, sysCtx, {
    email: `${name}@quality.test`,
    password: 'password-123',
    displayName: name,
    role,
    areas: extra.areas ?? [],
    collaboratorId: extra.collaboratorId,
  });
  actors[name] = (await loadActor(env.svc, res.user.id))!;
}

async function register(
  key: string,
  ctx: Ctx,
  p: ReturnType<typeof person>,
  extra: Record<string, unknown> = {},
) {
  const r = await createParticipant(env.svc, ctx, { ...body(p), ...extra } as never, 'officer');
  rec[key] = r.id;
  return r.id;
}

const k = () => env.svc.db.kysely;

beforeAll(async () => {
  env = await freshServices();
  colA = (
    await createCollaborator(env.svc, sysCtx, {
      name: 'Komunitas Alpha',
      type: 'community',
      stages: [],
      contact: {},
    })
  ).id;
  await user('admin', 'admin', {});
  await user('offS', 'officer', { areas: ['31.74'] });
  await user('offP', 'officer', { areas: ['31.71'] });
  await user('mentorS', 'mentor', { areas: ['31.74'] });
  await user('staffA', 'collaborator', { collaboratorId: colA });

  // Jakarta Selatan, registered today by the officer from one browser
  const s = http('offS', '10.0.0.1', 'Browser/1 (officer)');
  await register('sPlain1', s, person({ village: V.tebetTimur }));
  await register('sPlain2', s, person({ village: V.tebetTimur }));
  await register('sNoConsent', s, person({ village: V.setiaBudi, consentGiven: false }));
  const retired = person({ village: V.tebetTimur, birthDate: '1980-02-03', sex: 'M' });
  await register('sOverride', s, retired, {
    nik: makeNik('910101', '1980-02-03', 'M', 9001), // Merauke before Papua was split (retired code)
    nikOverride: { reason: 'KTP lama terbitan Merauke, sudah dicek petugas' },
  });
  const bandung = childrenOf('32.73')[0].code.replaceAll('.', '');
  await register('sBandung', s, person({ village: V.setiaBudi, birthDate: '1985-06-07', sex: 'F' }), {
    nik: makeNik(bandung, '1985-06-07', 'F', 9002),
  });
  await register('sMismatch', s, person({ village: V.tebetTimur }));
  await register('sDeceased', s, person({ village: V.tebetTimur }));
  await register('sPending', s, person({ village: V.tebetTimur }), { registeredAt: daysAgo(30) });
  await register('sRecent', s, person({ village: V.tebetTimur }), { registeredAt: daysAgo(5) });
  await register('sReopened', s, person({ village: V.tebetTimur }), { registeredAt: daysAgo(30) });
  await register('sNoPhone', s, person({ village: V.tebetTimur }));
  await register('sLegacyVillage', s, person({ village: V.tebetTimur }));
  await register('sLegacyKbli', s, person({ village: V.tebetTimur }));
  await transition(env.svc, as('offS'), rec.sReopened, 'reject', { reason: 'KTP tidak terbaca' });
  await transition(env.svc, as('offS'), rec.sReopened, 'reopen', { reason: 'KTP sudah dikirim ulang' });

  // three records with one phone, registered by a collaborator's staff from another browser
  const a = http('staffA', '10.0.0.2', 'Browser/2 (staff)');
  for (const i of [1, 2, 3]) {
    const p = person({ village: V.setiaBudi });
    await register(`sPhone${i}`, a, { ...p, phone: SHARED_PHONE });
  }

  // Jakarta Pusat
  const pz = http('offP', '10.0.0.3', 'Browser/3 (pusat)');
  await register('pPlain', pz, person({ village: V.gambir }));
  await register('pNoConsent', pz, person({ village: V.gambir, consentGiven: false }));
  await register('pLegacySector', pz, person({ village: V.gambir }));
  await register('pNikRegion', pz, person({ village: V.gambir }));

  // states the write path cannot produce today: stored before a rule (or its reference data) existed
  const set = (id: string, values: Record<string, unknown>) =>
    k().updateTable('participants').set(values).where('id', '=', id).execute();
  await set(rec.sMismatch, { civil_status: 'mismatch' });
  await set(rec.sDeceased, { civil_status: 'deceased' });
  await set(rec.sNoPhone, { phone_hash: null, phone_enc: null, phone_masked: null });
  await set(rec.sLegacyVillage, { village_code: '31.74.01.9999' });
  await set(rec.pLegacySector, { sector: 'tambang' });
  await set(rec.pNikRegion, { nik_masked: '3199********0042' });
  await k()
    .updateTable('businesses')
    .set({ kbli: '00000', kbli_version: '2020' })
    .where('participant_id', '=', rec.sLegacyKbli)
    .execute();

  // a migration: ten records registered on 28 December 2021 (just before the year's end), imported by staff
  const rows = Array.from({ length: 10 }, (_, i) => ({
    ...cellsOf(generateRow(70_000 + i)),
    'Kode Kelurahan': V.tebetTimur,
    'Tanggal Daftar': '2021-12-28',
  }));
  const file = writeCsv(env.dir, 'migrasi.csv', FULL_HEADERS, rows);
  const res = await runImport(env.svc, as('staffA'), file, 'migrasi.csv', {
    mode: 'insert',
    dryRun: false,
    collaboratorId: null,
  });
  expect(res.summary.inserted, JSON.stringify(res.summary)).toBe(10);
  const imported = await k()
    .selectFrom('participants')
    .select('id')
    .where('channel', '=', 'import')
    .orderBy('registration_number')
    .execute();
  rec.importedVerified = imported[0].id;
  // one of them is verified today: activity, and no longer pending
  await transition(env.svc, as('offS'), rec.importedVerified, 'verify', {
    evidence: { ktpSeen: true, businessSeen: true },
  });
});
afterAll(async () => env.cleanup());

const counts = (r: QualityReport) => Object.fromEntries(r.checks.map((c) => [c.key, c.count]));
const check = (r: QualityReport, key: QualityCheck) => r.checks.find((c) => c.key === key)!;

describe('the checks', () => {
  it('counts each check exactly over the whole program (admin)', async () => {
    const r = await qualityReport(env.svc, as('admin'), OPTIONS);
    expect(r.scope).toBeNull();
    expect(r.total).toBe(30);
    expect(r.options).toMatchObject({ pendingDays: 14, inactiveMonths: 12, sameSourceMin: 3, dailyMin: 5 });
    expect(counts(r)).toEqual({
      nik_confirmed: 1,
      legacy_rules: 4,
      civil_mismatch: 1,
      civil_deceased: 1,
      nik_outside_area: 2,
      consent_missing: 2,
      fields_missing: 1,
      inactive: 9,
      pending_verification: 10,
    });
    expect(check(r, 'legacy_rules').details).toEqual({ village: 1, nik_region: 1, kbli: 1, sector: 1 });
    expect(check(r, 'fields_missing').details).toEqual({
      fullName: 0,
      birthDate: 0,
      sex: 0,
      phone: 1,
      business: 0,
    });
    const consent = check(r, 'consent_missing');
    expect(consent.byRegency.map((b) => [b.key, b.count])).toEqual([
      ['31.71', 1],
      ['31.74', 1],
    ]);
    expect(consent.byRegency[1].name).toMatch(/Jakarta Selatan/i);
    expect(consent.byDistrict.map((b) => [b.key, b.count])).toEqual([
      ['31.71.01', 1],
      ['31.74.02', 1],
    ]);
    expect(consent.byCollaborator).toEqual([{ key: null, name: null, count: 2 }]);
    expect(check(r, 'inactive').byCollaborator).toEqual([{ key: colA, name: 'Komunitas Alpha', count: 9 }]);
    expect(check(r, 'pending_verification').byCollaborator).toEqual([
      { key: colA, name: 'Komunitas Alpha', count: 9 },
      { key: null, name: null, count: 1 },
    ]);
  });

  it('the windows are options: 40 pending days leave only the migrated records; 60 inactive months none', async () => {
    const r = await qualityReport(env.svc, as('admin'), { pendingDays: 40, inactiveMonths: 60 });
    expect(counts(r).pending_verification).toBe(9);
    expect(counts(r).inactive).toBe(0);
    const r2 = await qualityReport(env.svc, as('admin'), { pendingDays: 3 });
    // plus the record registered 5 days ago, not the one reopened today
    expect(counts(r2).pending_verification).toBe(11);
  });

  it('an officer sees only their own city, and another city sees none of it', async () => {
    const s = await qualityReport(env.svc, as('offS'), OPTIONS);
    expect(s.scope).toEqual(['31.74']);
    expect(s.total).toBe(26);
    expect(counts(s)).toEqual({
      nik_confirmed: 1,
      legacy_rules: 2,
      civil_mismatch: 1,
      civil_deceased: 1,
      nik_outside_area: 2,
      consent_missing: 1,
      fields_missing: 1,
      inactive: 9,
      pending_verification: 10,
    });
    expect(check(s, 'legacy_rules').details).toEqual({ village: 1, nik_region: 0, kbli: 1, sector: 0 });
    for (const c of s.checks) for (const b of c.byRegency) expect(b.key).toBe('31.74');
    const p = await qualityReport(env.svc, as('offP'), OPTIONS);
    expect(p.total).toBe(4);
    expect(counts(p)).toEqual({
      nik_confirmed: 0,
      legacy_rules: 2,
      civil_mismatch: 0,
      civil_deceased: 0,
      nik_outside_area: 0,
      consent_missing: 1,
      fields_missing: 0,
      inactive: 0,
      pending_verification: 0,
    });
    expect(check(p, 'legacy_rules').details).toEqual({ village: 0, nik_region: 1, kbli: 0, sector: 1 });
    expect(p.anomalies.sharedPhones).toEqual([]);
    expect(p.anomalies.dailyPeaks).toEqual([]);
    expect(p.anomalies.deadlineBursts).toEqual([]);
    expect(p.anomalies.ips.map((i) => i.records)).toEqual([4]);
  });

  it('mentors, collaborator staff and participants are refused; the CLI (no actor) sees everything', async () => {
    for (const who of ['mentorS', 'staffA']) {
      const e = await qualityReport(env.svc, as(who)).catch((x) => x);
      expect(e).toBeInstanceOf(AppError);
      expect(e.status).toBe(403);
    }
    const anon = await qualityReport(env.svc, { actor: null, ip: null, lang: 'en', via: 'http' }).catch(
      (x) => x,
    );
    expect(anon.status).toBe(401);
    const cli = await qualityReport(env.svc, sysCtx, OPTIONS);
    expect(cli.total).toBe(30);
    expect(cli.scope).toBeNull();
  });

  it('erased records are not checked', async () => {
    const before = await qualityReport(env.svc, as('admin'), OPTIONS);
    await k()
      .updateTable('participants')
      .set({ erased_at: new Date().toISOString() })
      .where('id', '=', rec.sPlain2)
      .execute();
    const after = await qualityReport(env.svc, as('admin'), OPTIONS);
    expect(after.total).toBe(before.total - 1);
    expect(counts(after)).toEqual(counts(before));
    await k().updateTable('participants').set({ erased_at: null }).where('id', '=', rec.sPlain2).execute();
  });
});

describe('the participant list filtered by a check', () => {
  it('holds exactly the records each count is made of, in the caller scope', async () => {
    for (const who of ['admin', 'offS', 'offP']) {
      const r = await qualityReport(env.svc, as(who), OPTIONS);
      for (const q of QUALITY_CHECKS) {
        const list = await listParticipants(env.svc, as(who), { quality: q, limit: 200 });
        expect(list.total, `${who} ${q}`).toBe(check(r, q).count);
      }
    }
    const pending = await listParticipants(env.svc, as('admin'), {
      quality: 'pending_verification',
      limit: 200,
    });
    expect(pending.items.map((i) => i.id)).toContain(rec.sPending);
    expect(pending.items.map((i) => i.id)).not.toContain(rec.sReopened);
    const late = await listParticipants(env.svc, as('admin'), {
      quality: 'pending_verification',
      pendingDays: 3,
      limit: 200,
    });
    expect(late.total).toBe(11);
    const legacy = await listParticipants(env.svc, as('offS'), { quality: 'legacy_rules', limit: 200 });
    expect(legacy.items.map((i) => i.id).sort()).toEqual([rec.sLegacyVillage, rec.sLegacyKbli].sort());
  });
});

describe('anomalies', () => {
  it("each user's and collaborator's busiest day, from dailyMin", async () => {
    const r = await qualityReport(env.svc, as('admin'), OPTIONS);
    const peak = (id: string) => r.anomalies.dailyPeaks.find((p) => p.id === id);
    expect(r.anomalies.dailyPeaks).toHaveLength(3);
    expect(peak(actors.offS.id)).toMatchObject({
      kind: 'user',
      name: 'offS',
      role: 'officer',
      peakDate: wibDate(new Date()),
      peakCount: 10,
      days: 3,
      total: 13,
    });
    expect(peak(actors.staffA.id)).toMatchObject({
      kind: 'user',
      role: 'collaborator',
      peakDate: '2021-12-28',
      peakCount: 10,
      days: 2,
      total: 13,
      averagePerDay: 6.5,
    });
    expect(peak(colA)).toMatchObject({
      kind: 'collaborator',
      name: 'Komunitas Alpha',
      peakCount: 10,
      total: 13,
    });
    const strict = await qualityReport(env.svc, as('admin'), { dailyMin: 11 });
    expect(strict.anomalies.dailyPeaks).toEqual([]);
  });

  it('a burst in the week before a year-end deadline, against the pace of that year', async () => {
    const r = await qualityReport(env.svc, as('admin'), OPTIONS);
    expect(r.anomalies.deadlines).toEqual([
      '2017-12-31',
      '2018-12-31',
      '2019-12-31',
      '2020-12-31',
      '2021-12-31',
      '2022-12-31',
    ]);
    const b = r.anomalies.deadlineBursts;
    expect(
      b.map((x) => [x.kind, x.id, x.deadline, x.windowStart, x.windowCount, x.yearCount, x.ratio]),
    ).toEqual(
      expect.arrayContaining([
        ['user', actors.staffA.id, '2021-12-31', '2021-12-25', 10, 10, 52.1],
        ['collaborator', colA, '2021-12-31', '2021-12-25', 10, 10, 52.1],
      ]),
    );
    expect(b).toHaveLength(2);
    // 10 records are below a minimum of 11
    expect((await qualityReport(env.svc, as('admin'), { burstMin: 11 })).anomalies.deadlineBursts).toEqual(
      [],
    );
    expect(deadlinesOf('2017-01-01', '2022-06-30', 7, new Date('2022-06-25T00:00:00Z'))).toEqual([
      '2017-12-31',
      '2018-12-31',
      '2019-12-31',
      '2020-12-31',
      '2021-12-31',
      '2022-06-30',
    ]);
    expect(deadlinesOf('2017-01-01', '2022-06-30', 7, new Date('2022-06-20T00:00:00Z'))).not.toContain(
      '2022-06-30',
    );
  });

  it('many registrations from one IP address or device, with who registered them', async () => {
    const r = await qualityReport(env.svc, as('admin'), OPTIONS);
    const ips = r.anomalies.ips;
    expect(ips.map((i) => [i.label, i.records, i.users, i.selfRegistrations])).toEqual([
      ['10.0.0.*', 13, 1, 0],
      ['10.0.0.*', 4, 1, 0],
      ['10.0.0.*', 3, 1, 0],
    ]);
    expect(new Set(ips.map((i) => i.ref)).size).toBe(3);
    expect(ips[0].topUser).toMatchObject({ id: actors.offS.id, name: 'offS', count: 13 });
    expect(ips[0].topCollaborator).toBeNull();
    expect(ips[2].topCollaborator).toMatchObject({ id: colA, count: 3 });
    const devices = r.anomalies.devices;
    expect(devices.map((d) => [d.records, d.users])).toEqual([
      [13, 1],
      [4, 1],
      [3, 1],
    ]);
    const hashes = await k().selectFrom('participants').select('device_hash').execute();
    // API registrations carry a device hash, imported records none; never the User-Agent or IP itself
    expect(hashes.filter((h) => h.device_hash).length).toBe(20);
    for (const h of hashes) if (h.device_hash) expect(h.device_hash).not.toMatch(/Browser|10\.0\.0/);
    const s = await qualityReport(env.svc, as('offS'), OPTIONS);
    expect(s.anomalies.ips.map((i) => i.records)).toEqual([13, 3]);
  });

  it('the same phone on many records, masked', async () => {
    const r = await qualityReport(env.svc, as('admin'), OPTIONS);
    expect(r.anomalies.sharedPhones).toHaveLength(1);
    const p = r.anomalies.sharedPhones[0];
    expect(p).toMatchObject({ records: 3, districts: 1, users: 1 });
    expect(p.phone).toMatch(/^\+62813\*+1234$/);
    expect(p.topUser).toMatchObject({ id: actors.staffA.id, count: 3 });
    expect(p.topCollaborator).toMatchObject({ id: colA, name: 'Komunitas Alpha', count: 3 });
    const json = JSON.stringify(r);
    expect(json).not.toContain('81377771234');
    expect(json).not.toContain('10.0.0.1');
    expect((await qualityReport(env.svc, as('admin'), { sharedPhoneMin: 4 })).anomalies.sharedPhones).toEqual(
      [],
    );
  });
});

describe('the export table', () => {
  it('one row per figure, with localized names', async () => {
    const r = await qualityReport(env.svc, as('admin'), OPTIONS);
    const rows = reportRows(r, 'id');
    const total = rows.find((x) => x[0] === 'check' && x[1] === 'consent_missing' && x[2] === 'total');
    expect(total).toEqual([
      'check',
      'consent_missing',
      'total',
      null,
      'Tanpa persetujuan (consent)',
      2,
      30,
      null,
      null,
    ]);
    expect(rows.filter((x) => x[0] === 'daily_peak')).toHaveLength(3);
    expect(rows.filter((x) => x[0] === 'shared_phone')[0][3]).toMatch(/\*/);
    const en = reportRows(r, 'en');
    expect(en.find((x) => x[0] === 'check' && x[2] === 'collaborator' && x[3] === null)?.[4]).toBe(
      '(no collaborator)',
    );
  });
});
