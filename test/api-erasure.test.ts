import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStats } from '../src/modules/stats/service.ts';
import { body, errorPaths, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string;
let mentor: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@erasure.test', 'admin');
  officer = await t.user('officer@erasure.test', 'officer', { areas: ['31.71'] });
  mentor = await t.user('mentor@erasure.test', 'mentor', { areas: ['31.71.01'] });
});
afterAll(async () => t.cleanup());

const summary = async () => (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();

describe('erasure (UU PDP)', () => {
  it('erases personal data, keeps the counts, and frees the NIK', async () => {
    const p = person({ village: V.gambir });
    const created = await t.call(officer, 'POST', '/api/v1/participants', body(p));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const url = `/api/v1/participants/${id}`;
    // history with personal data: a change, a verification with a note, and a view
    const patched = await t.call(
      officer,
      'PATCH',
      url,
      { email: 'baru@example.id', domicile: { street: 'Jl. Rahasia 9' } },
      { 'if-match': created.headers.etag as string },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const verified = await t.call(mentor, 'POST', `${url}/verify`, {
      evidence: { ktpSeen: true, businessSeen: true, note: `KTP ${p.nik} cocok, rumah di Jl. Rahasia 9` },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect((await t.call(admin, 'GET', url)).statusCode).toBe(200);
    const before = await summary();

    // only an admin erases
    expectProblem(await t.call(officer, 'DELETE', url), 403, 'FORBIDDEN');
    expectProblem(await t.call(mentor, 'DELETE', url), 403, 'FORBIDDEN');

    const del = await t.call(admin, 'DELETE', `${url}?reason=${encodeURIComponent('permintaan peserta')}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toEqual({ erased: true, restrictedUntil: null });

    const rec = await t.call(admin, 'GET', url);
    expect(rec.statusCode).toBe(200);
    const r = rec.json();
    expect(r.fullName).toBe('[dihapus]');
    expect(r.nik).not.toContain(p.nik.slice(0, 4));
    expect(r.nik).not.toBe(p.nik);
    expect(r.phone).toBeNull();
    expect(r.email).toBeNull();
    expect(r.domicile.street).toBeNull();
    expect(r.birthDate).toBeNull();
    expect(r.business.name).toBe('[dihapus]');
    expect(r.erasedAt).not.toBeNull();
    expect(r.consents.every((c: { withdrawnAt: string | null }) => c.withdrawnAt !== null)).toBe(true);
    // the region stays (statistics), the status too
    expect(r.domicile.villageCode).toBe(V.gambir);
    expect(rec.body).not.toContain(p.nik);
    expect(rec.body).not.toContain(p.fullName);
    expect(rec.body).not.toContain('Rahasia');

    // the NIK, phone and name are no longer found
    for (const q of [p.nik, p.phone, p.fullName]) {
      const res = await t.call(admin, 'GET', `/api/v1/participants?q=${encodeURIComponent(q)}`);
      expect(res.json().total, q).toBe(0);
    }
    const listed = await t.call(admin, 'GET', '/api/v1/participants?limit=200');
    const item = listed.json().items.find((i: { id: string }) => i.id === id);
    expect(item.erased).toBe(true);
    expect(item.nik).toBe('****************');

    // every audit value of that person now reads as erased; the erasure itself is recorded
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`);
    expect(trail.statusCode).toBe(200);
    const items = trail.json().items as { action: string; data: any }[];
    const actions = items.map((i) => i.action);
    for (const a of ['participant.create', 'participant.update', 'participant.verify', 'participant.view']) {
      expect(actions).toContain(a);
    }
    const erase = items.find((i) => i.action === 'participant.erase')!;
    expect(erase.data.after.reason).toBe('permintaan peserta');
    for (const i of items.filter((x) => x.data && x.action !== 'participant.erase')) {
      expect(i.data, i.action).toEqual({ erased: true });
    }
    expect(trail.body).not.toContain(p.nik);
    expect(trail.body).not.toContain('Rahasia');
    expect(trail.body).not.toContain(p.fullName);
    // and nothing readable is left in the database (all tables, raw)
    const k = t.svc.db.kysely;
    for (const table of [
      'participants',
      'businesses',
      'audit_log',
      'consents',
      'enrolments',
      'idempotency_keys',
    ] as const) {
      const rows = await k.selectFrom(table).selectAll().execute();
      const dump = JSON.stringify(rows);
      expect(dump, table).not.toContain(p.nik);
      expect(dump, table).not.toContain(p.fullName);
      expect(dump, table).not.toContain('Rahasia');
    }

    // counts are kept
    const after = await summary();
    expect(after.registered).toBe(before.registered);
    expect(after.verified).toBe(before.verified);
    expect(after.byRegency).toEqual(before.byRegency);

    // erased records cannot be changed or erased again
    expectProblem(await t.call(admin, 'DELETE', url), 410, 'ERASED');
    expectProblem(await t.call(admin, 'PATCH', url, { fullName: 'Hidup Lagi' }, { 'if-match': '*' }), 410);
    expectProblem(await t.call(officer, 'POST', `${url}/validate`, {}), 410);

    // the person can register again, as a new record, and is counted again
    const again = await t.call(officer, 'POST', '/api/v1/participants', body({ ...p, _expect: p._expect }));
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).not.toBe(id);
    expect(again.json().nik).toBe(p.nik);
    expect((await summary()).registered).toBe(before.registered + 1);
    const found = await t.call(admin, 'GET', `/api/v1/participants?q=${p.nik}`);
    expect(found.json().items.map((i: { id: string }) => i.id)).toEqual([again.json().id]);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('an Idempotency-Key replay after erasure reveals nothing of the erased person', async () => {
    const p = body(person());
    const key = `erase-${randomUUID()}`;
    const first = await t.call(admin, 'POST', '/api/v1/participants', p, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const id = first.json().id;
    expect((await t.call(admin, 'DELETE', `/api/v1/participants/${id}`)).statusCode).toBe(200);
    const replay = await t.call(admin, 'POST', '/api/v1/participants', p, { 'idempotency-key': key });
    expect(replay.statusCode).toBeLessThan(500);
    expect(replay.body).not.toContain(p.nik);
    expect(replay.body).not.toContain(p.fullName);
    expect(replay.body).not.toContain(p.domicile.street);
    expect(replay.body).not.toContain(p.phone.slice(1));
  });

  it('a participant user of an erased record loses its sessions', async () => {
    const reg = await t.call(admin, 'POST', '/api/v1/participants', body(person()));
    const token = await t.user('self@erasure.test', 'participant', {
      participant: reg.json().registrationNumber,
    });
    expect((await t.call(token, 'GET', `/api/v1/participants/${reg.json().id}`)).statusCode).toBe(200);
    expect((await t.call(admin, 'DELETE', `/api/v1/participants/${reg.json().id}`)).statusCode).toBe(200);
    expectProblem(await t.call(token, 'GET', '/api/v1/me'), 401);
  });

  it('an unknown id is 404', async () => {
    expectProblem(await t.call(admin, 'DELETE', `/api/v1/participants/${randomUUID()}`), 404);
    errorPaths(await t.call(admin, 'DELETE', `/api/v1/participants/${randomUUID()}?why=no`));
  });
});

describe('enrolments', () => {
  it('another agency enrols the person; the same agency again is 409; byAgency counts enrolments', async () => {
    const before = await summary();
    const agencyCount = (s: any, key: string) =>
      s.byAgency.find((b: { key: string }) => b.key === key)?.count ?? 0;
    const created = await t.call(
      officer,
      'POST',
      '/api/v1/participants',
      body(person({ village: V.cideng })),
    );
    const id = created.json().id as string;
    const url = `/api/v1/participants/${id}/enrolments`;

    const res = await t.call(officer, 'POST', url, { agency: 'DINSOS' });
    expect(res.statusCode, res.body).toBe(201);
    const agencies = res
      .json()
      .enrolments.map((e: { agency: string }) => e.agency)
      .sort();
    expect(agencies).toEqual(['DINSOS', 'PPKUKM']);
    const again = await t.call(admin, 'POST', url, { agency: 'DINSOS' });
    expectProblem(again, 409, 'ALREADY_ENROLLED');
    // the agency of the registration itself is an enrolment already
    expectProblem(await t.call(officer, 'POST', url, { agency: 'PPKUKM' }), 409, 'ALREADY_ENROLLED');
    const third = await t.call(admin, 'POST', url, { agency: 'PAREKRAF' });
    expect(third.statusCode, third.body).toBe(201);
    expect(third.json().enrolments).toHaveLength(3);

    expect(errorPaths(await t.call(officer, 'POST', url, { agency: 'NOPE' }))).toContain('agency');
    expect(errorPaths(await t.call(officer, 'POST', url, {}))).toContain('agency');
    expectProblem(await t.call(mentor, 'POST', url, { agency: 'DINAS' }), 403, 'FORBIDDEN');
    expectProblem(
      await t.call(officer, 'POST', `/api/v1/participants/${randomUUID()}/enrolments`, { agency: 'DINSOS' }),
      404,
    );

    const after = await summary();
    expect(after.registered).toBe(before.registered + 1); // the person counts once
    expect(agencyCount(after, 'PPKUKM')).toBe(agencyCount(before, 'PPKUKM') + 1);
    expect(agencyCount(after, 'DINSOS')).toBe(agencyCount(before, 'DINSOS') + 1);
    expect(agencyCount(after, 'PAREKRAF')).toBe(agencyCount(before, 'PAREKRAF') + 1);
    const dinsos = after.byAgency.find((b: { key: string }) => b.key === 'DINSOS');
    expect(dinsos.name).toMatch(/Sosial|Social/);

    // the agency filter finds the person through any enrolment
    const byAgency = await t.call(admin, 'GET', '/api/v1/participants?agency=DINSOS');
    expect(byAgency.json().items.map((i: { id: string }) => i.id)).toContain(id);
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`);
    expect(
      trail.json().items.filter((i: { action: string }) => i.action === 'participant.enrol'),
    ).toHaveLength(2);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('concurrent enrolments with one agency: one 201, the others 409', async () => {
    const created = await t.call(
      officer,
      'POST',
      '/api/v1/participants',
      body(person({ village: V.cideng })),
    );
    const url = `/api/v1/participants/${created.json().id}/enrolments`;
    const results = await Promise.all(
      [1, 2, 3].map(() => t.call(officer, 'POST', url, { agency: 'NAKERTRANSGI' })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('registering with another agency answers 201 with it as the first enrolment', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/participants', { ...body(person()), agency: 'PPAPP' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().agency).toBe('PPAPP');
    expect(res.json().enrolments.map((e: { agency: string }) => e.agency)).toEqual(['PPAPP']);
    expect(
      errorPaths(await t.call(admin, 'POST', '/api/v1/participants', { ...body(person()), agency: 'XX' })),
    ).toContain('agency');
  });
});
