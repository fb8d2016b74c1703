import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStats } from '../src/modules/stats/service.ts';
import { body, errorPaths, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let admin2: string;
let officer1: string;
let officer2: string;
let mentor: string;
let mentor2: string;

const EVIDENCE = { evidence: { ktpSeen: true, businessSeen: true, note: 'usaha dilihat langsung' } };

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@workflow.test', 'admin');
  admin2 = await t.user('admin2@workflow.test', 'admin');
  officer1 = await t.user('officer1@workflow.test', 'officer', { areas: ['31.71'] });
  officer2 = await t.user('officer2@workflow.test', 'officer', { areas: ['31.71'] });
  mentor = await t.user('mentor@workflow.test', 'mentor', { areas: ['31.71.01'] });
  mentor2 = await t.user('mentor2@workflow.test', 'mentor', { areas: ['31.71.01'] });
});
afterAll(async () => t.cleanup());

const register = async (token: string, village: string = V.gambir) => {
  const res = await t.call(token, 'POST', '/api/v1/participants', body(person({ village })));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const act = (token: string, id: string, action: string, payload: unknown = {}) =>
  t.call(token, 'POST', `/api/v1/participants/${id}/${action}`, payload);
const summary = async (token = admin) => (await t.call(token, 'GET', '/api/v1/stats/summary')).json();
const bucket = (list: { key: string; count: number }[], key: string) =>
  list.find((b) => b.key === key)?.count ?? 0;

describe('separation of duties', () => {
  it('the registrar cannot verify their own record, whatever their role', async () => {
    const byOfficer = await register(officer1);
    const res = await act(officer1, byOfficer, 'verify', EVIDENCE);
    const j = expectProblem(res, 403, 'SOD_REGISTRAR_CANNOT_VERIFY');
    expect(j.detail.length).toBeGreaterThan(10);
    const byMentor = await register(mentor);
    expectProblem(await act(mentor, byMentor, 'verify', EVIDENCE), 403, 'SOD_REGISTRAR_CANNOT_VERIFY');
    const byAdmin = await register(admin);
    expectProblem(await act(admin, byAdmin, 'verify', EVIDENCE), 403, 'SOD_REGISTRAR_CANNOT_VERIFY');
    // the reason is given in the caller's language
    const en = await t.call(admin, 'POST', `/api/v1/participants/${byAdmin}/verify`, EVIDENCE, {
      'accept-language': 'en',
    });
    expect(en.json().detail).toMatch(/registered or imported/);
    // still registered, and someone else may verify
    expect((await t.call(admin, 'GET', `/api/v1/participants/${byAdmin}`)).json().status).toBe('registered');
    expect((await act(admin2, byAdmin, 'verify', EVIDENCE)).statusCode).toBe(200);
  });

  it('the verifier cannot validate, whatever their role', async () => {
    const a = await register(admin);
    expect((await act(officer2, a, 'verify', EVIDENCE)).statusCode).toBe(200);
    expectProblem(await act(officer2, a, 'validate'), 403, 'SOD_VERIFIER_CANNOT_VALIDATE');
    const b = await register(officer1);
    expect((await act(admin, b, 'verify', EVIDENCE)).statusCode).toBe(200);
    expectProblem(await act(admin, b, 'validate'), 403, 'SOD_VERIFIER_CANNOT_VALIDATE');
    // another officer (even the registrar) may validate
    const ok = await act(officer1, a, 'validate');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('validated');
    expect((await act(officer1, b, 'validate')).statusCode).toBe(200);
  });
});

describe('status chain', () => {
  it('registered -> verified (mentor) -> validated (officer), with P1 milestones in the summary', async () => {
    const s0 = await summary();
    const id = await register(officer1);
    const s1 = await summary();
    expect(s1.registered).toBe(s0.registered + 1);
    expect(s1.pending).toBe(s0.pending + 1);
    expect(bucket(s1.milestones, 'P1:registered')).toBe(bucket(s0.milestones, 'P1:registered') + 1);
    expect(bucket(s1.funnel, 'P1')).toBe(bucket(s0.funnel, 'P1') + 1);

    const v = await act(mentor, id, 'verify', EVIDENCE);
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ status: 'verified', version: 2 });
    expect(v.json().verifiedBy).toBeTruthy();
    expect(v.json().verifiedAt).toBeTruthy();
    const s2 = await summary();
    expect(s2.verified).toBe(s1.verified + 1);
    expect(s2.pending).toBe(s1.pending - 1);
    expect(s2.registered).toBe(s1.registered);
    expect(bucket(s2.milestones, 'P1:verified')).toBe(bucket(s1.milestones, 'P1:verified') + 1);

    const val = await act(officer2, id, 'validate');
    expect(val.statusCode, val.body).toBe(200);
    expect(val.json()).toMatchObject({ status: 'validated' });
    expect(val.json().validatedBy).toBeTruthy();
    const s3 = await summary();
    expect(s3.validated).toBe(s2.validated + 1);
    expect(s3.verified).toBe(s2.verified - 1);
    expect(bucket(s3.milestones, 'P1:validated')).toBe(bucket(s2.milestones, 'P1:validated') + 1);
    // the funnel counts people who reached P1, once each
    expect(bucket(s3.funnel, 'P1')).toBe(bucket(s1.funnel, 'P1'));
    expect(s3.funnel.map((f: { key: string }) => f.key)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7']);

    const list = await t.call(admin, 'GET', '/api/v1/participants?status=validated&limit=200');
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(id);
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`);
    const actions = trail.json().items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining(['participant.create', 'participant.verify', 'participant.validate']),
    );
    const verifyEntry = trail.json().items.find((i: { action: string }) => i.action === 'participant.verify');
    expect(verifyEntry.data.after.evidence).toMatchObject({ ktpSeen: true, businessSeen: true });
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('two verifications at once: one succeeds, the other is a 409, and the figures stay right', async () => {
    const id = await register(officer1);
    const results = await Promise.all([
      act(mentor, id, 'verify', EVIDENCE),
      act(mentor2, id, 'verify', EVIDENCE),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('verification needs the KTP seen and a well-formed evidence object', async () => {
    const id = await register(officer1);
    expect(
      errorPaths(await act(mentor, id, 'verify', { evidence: { ktpSeen: false, businessSeen: true } })),
    ).toContain('evidence.ktpSeen');
    expect(errorPaths(await act(mentor, id, 'verify', {}))).toContain('evidence');
    expect(
      errorPaths(await act(mentor, id, 'verify', { evidence: { ktpSeen: 'yes', businessSeen: true } })),
    ).toContain('evidence.ktpSeen');
    expect((await t.call(admin, 'GET', `/api/v1/participants/${id}`)).json().status).toBe('registered');
  });

  it('rejects with a reason; an officer reopens; invalid transitions are 409', async () => {
    const id = await register(admin);
    const s0 = await summary();
    expect(errorPaths(await act(mentor, id, 'reject', {}))).toContain('reason');
    expect(errorPaths(await act(mentor, id, 'reject', { reason: '  ' }))).toContain('reason');
    const rej = await act(mentor, id, 'reject', { reason: 'Usaha tidak ditemukan di alamat' });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'rejected', statusReason: 'Usaha tidak ditemukan di alamat' });
    const s1 = await summary();
    expect(s1.rejected).toBe(s0.rejected + 1);
    expect(s1.pending).toBe(s0.pending - 1);
    expect(s1.registered).toBe(s0.registered);

    // from rejected only reopen is possible
    expectProblem(await act(mentor2, id, 'verify', EVIDENCE), 409, 'INVALID_TRANSITION');
    expectProblem(await act(officer1, id, 'validate'), 409, 'INVALID_TRANSITION');
    expectProblem(await act(officer1, id, 'reject', { reason: 'sekali lagi' }), 409, 'INVALID_TRANSITION');
    expectProblem(await act(mentor, id, 'reopen', { reason: 'ditemukan' }), 403, 'FORBIDDEN');
    const re = await act(officer1, id, 'reopen', { reason: 'Usaha pindah, sudah ditemukan' });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toMatchObject({ status: 'registered' });
    const s2 = await summary();
    expect(s2.rejected).toBe(s0.rejected);
    expect(s2.pending).toBe(s0.pending);
    expectProblem(await act(officer1, id, 'reopen', { reason: 'lagi' }), 409, 'INVALID_TRANSITION');

    // registered cannot be validated directly; verified cannot be verified again; validated is final
    expectProblem(await act(officer1, id, 'validate'), 409, 'INVALID_TRANSITION');
    expect((await act(mentor2, id, 'verify', EVIDENCE)).statusCode).toBe(200);
    expectProblem(await act(mentor, id, 'verify', EVIDENCE), 409, 'INVALID_TRANSITION');
    // a verified record may still be rejected
    const rej2 = await act(officer2, id, 'reject', { reason: 'Dokumen palsu' });
    expect(rej2.json().status).toBe('rejected');
    expect((await act(officer2, id, 'reopen', { reason: 'Dokumen asli' })).statusCode).toBe(200);
    expect((await act(mentor2, id, 'verify', EVIDENCE)).statusCode).toBe(200);
    expect((await act(officer1, id, 'validate')).statusCode).toBe(200);
    expectProblem(await act(officer2, id, 'reject', { reason: 'terlambat' }), 409, 'INVALID_TRANSITION');
    expectProblem(await act(officer2, id, 'validate'), 409, 'INVALID_TRANSITION');
    // P1 milestones are counted once per person even after a reopen
    const ms = await t.svc.db.kysely
      .selectFrom('milestones')
      .select(['kind'])
      .where('participant_id', '=', id)
      .execute();
    expect(ms.map((m) => m.kind).sort()).toEqual(['registered', 'validated', 'verified']);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });
});

describe('public self-registration', () => {
  let ip = 1;
  const pub = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      payload: payload as object,
      headers,
      remoteAddress: `10.20.0.${ip++}`,
    });

  it('needs consent (422 consent.given)', async () => {
    const p = body(person({ consentGiven: false }));
    const res = await pub(p, { 'accept-language': 'en' });
    const j = expectProblem(res, 422, 'VALIDATION_FAILED');
    const e = j.errors!.find((x) => x.path === 'consent.given')!;
    expect(e.code).toBe('CONSENT_REQUIRED');
    expect(e.message).toMatch(/agree/);
    const { consent: _c, ...noConsent } = body(person());
    expect(errorPaths(await pub(noConsent))).toContain('consent');
    expect((await t.call(admin, 'GET', `/api/v1/participants?q=${p.nik}`)).json().total).toBe(0);
  });

  it('creates a registered record with channel self, answering no personal data beyond the name', async () => {
    const s0 = await summary();
    const p = person({ village: V.pasarBaru });
    const res = await pub(body(p));
    expect(res.statusCode, res.body).toBe(201);
    const j = res.json();
    expect(j.registrationNumber).toMatch(/^JKP-\d{4}-\d{6}$/);
    expect(j.status).toBe('registered');
    expect(j.nik).toBeUndefined();
    expect(j.id).toBeUndefined();
    expect(res.body).not.toContain(p.nik);
    const found = await t.call(admin, 'GET', `/api/v1/participants?q=${p.nik}`);
    expect(found.json().total).toBe(1);
    const rec = (await t.call(admin, 'GET', `/api/v1/participants/${found.json().items[0].id}`)).json();
    expect(rec).toMatchObject({
      status: 'registered',
      channel: 'self',
      enteredBy: null,
      consentGiven: true,
      registrationNumber: j.registrationNumber,
    });
    expect(rec.consents[0]).toMatchObject({ channel: 'self', given: true });
    expect((await summary()).registered).toBe(s0.registered + 1);
    // any mentor of the area may verify a self-registration
    const m = await t.user('mentor-pb@workflow.test', 'mentor', { areas: ['31.71.02'] });
    expect((await act(m, rec.id, 'verify', EVIDENCE)).statusCode).toBe(200);
  });

  it('refuses fields reserved to staff (id, agency, collaborator, registration date)', async () => {
    for (const extra of [
      { id: '6f1c1f3e-58a4-4b7e-9c55-1d1f0b9d2a11' },
      { agency: 'DINSOS' },
      { registeredAt: '2019-01-01' },
      { collaboratorId: '6f1c1f3e-58a4-4b7e-9c55-1d1f0b9d2a11' },
    ]) {
      const res = await pub({ ...body(person()), ...extra });
      expect(errorPaths(res), JSON.stringify(extra)).toContain(Object.keys(extra)[0]);
    }
  });

  it('is rate limited per client address', async () => {
    const max = Number(process.env.PUBLIC_REGISTRATION_RATE ?? 30);
    const statuses: number[] = [];
    for (let i = 0; i < max + 2; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: { nik: 'x' },
        remoteAddress: '10.30.0.1',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses[0]).toBe(422);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.every((s) => s === 422 || s === 429)).toBe(true);
  });
});
