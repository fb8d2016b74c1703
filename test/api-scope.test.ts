import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officerSelatan: string; // 31.74
let officerPusat: string; // 3171 given undotted
let mentorGambir: string; // district 31.71.01
let staffA: string;
let staffB: string;
let collabA: string;
let collabB: string;
let self: string;
const rec: Record<string, { id: string; nik: string; regNo: string; etag: string }> = {};

const ids = async (token: string, qs = 'limit=200') => {
  const res = await t.call(token, 'GET', `/api/v1/participants?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string }[]).map((i) => i.id);
};

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@scope.test', 'admin');
  const mk = async (name: string) => {
    const res = await t.call(admin, 'POST', '/api/v1/collaborators', { name, type: 'community' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  collabA = await mk('Komunitas Alpha');
  collabB = await mk('Komunitas Beta');
  officerSelatan = await t.user('selatan@scope.test', 'officer', { areas: ['31.74'] });
  officerPusat = await t.user('pusat@scope.test', 'officer', { areas: ['3171'] });
  mentorGambir = await t.user('gambir@scope.test', 'mentor', { areas: ['31.71.01'] });
  staffA = await t.user('alpha@scope.test', 'collaborator', { collaboratorId: collabA });
  staffB = await t.user('beta@scope.test', 'collaborator', { collaboratorId: collabB });
  const make = async (key: string, token: string, village: string, extra: Record<string, unknown> = {}) => {
    const p = person({ village });
    const res = await t.call(token, 'POST', '/api/v1/participants', { ...body(p), ...extra });
    expect(res.statusCode, res.body).toBe(201);
    rec[key] = {
      id: res.json().id,
      nik: p.nik,
      regNo: res.json().registrationNumber,
      etag: res.headers.etag as string,
    };
  };
  await make('gambir', admin, V.gambir); // 31.71.01
  await make('pasarBaru', admin, V.pasarBaru); // 31.71.02
  await make('tebet', admin, V.tebetTimur); // 31.74.01
  await make('byAlpha', staffA, V.setiaBudi, { collaboratorId: collabB }); // forced to Alpha
  await make('forAlpha', admin, V.cideng, { collaboratorId: collabA });
  self = await t.user('self@scope.test', 'participant', { participant: rec.gambir.regNo });
});
afterAll(async () => t.cleanup());

describe('area scope', () => {
  it('an officer of 31.74 cannot see a record in 31.71 (404) and it is absent from lists', async () => {
    const url = `/api/v1/participants/${rec.gambir.id}`;
    expectProblem(await t.call(officerSelatan, 'GET', url), 404, 'NOT_FOUND');
    expectProblem(await t.call(officerSelatan, 'GET', `/api/v1/participants/${rec.gambir.regNo}`), 404);
    expectProblem(
      await t.call(
        officerSelatan,
        'PATCH',
        url,
        { fullName: 'Bukan Urusan' },
        { 'if-match': rec.gambir.etag },
      ),
      404,
    );
    expectProblem(await t.call(officerSelatan, 'POST', `${url}/reject`, { reason: 'di luar wilayah' }), 404);
    expectProblem(await t.call(officerSelatan, 'POST', `${url}/enrolments`, { agency: 'DINSOS' }), 404);
    const seen = await ids(officerSelatan);
    expect(seen).not.toContain(rec.gambir.id);
    expect(seen).not.toContain(rec.pasarBaru.id);
    expect(seen).toContain(rec.tebet.id);
    expect(seen).toContain(rec.byAlpha.id);
    // not even by an exact NIK or an explicit region filter
    const byNik = await t.call(officerSelatan, 'GET', `/api/v1/participants?q=${rec.gambir.nik}`);
    expect(byNik.json().total).toBe(0);
    expect(await ids(officerSelatan, 'regencyCode=31.71')).toEqual([]);
    const own = await t.call(officerSelatan, 'GET', `/api/v1/participants/${rec.tebet.id}`);
    expect(own.statusCode).toBe(200);
    // the audit trail of a record outside the area is refused
    const trail = await t.call(officerSelatan, 'GET', `/api/v1/audit?entity=${rec.gambir.id}`);
    expect([403, 404]).toContain(trail.statusCode);
    const ownTrail = await t.call(officerSelatan, 'GET', `/api/v1/audit?entity=${rec.tebet.id}`);
    expect(ownTrail.statusCode).toBe(200);
    expect(ownTrail.json().items.every((i: { ip: unknown }) => i.ip === null)).toBe(true);
  });

  it('an officer area given undotted (3171) covers the regency', async () => {
    const seen = await ids(officerPusat);
    expect(seen).toEqual(expect.arrayContaining([rec.gambir.id, rec.pasarBaru.id, rec.forAlpha.id]));
    expect(seen).not.toContain(rec.tebet.id);
    expect(seen).not.toContain(rec.byAlpha.id);
  });

  it('a mentor sees their district only', async () => {
    const seen = await ids(mentorGambir);
    expect(seen.sort()).toEqual([rec.gambir.id, rec.forAlpha.id].sort());
    expectProblem(await t.call(mentorGambir, 'GET', `/api/v1/participants/${rec.pasarBaru.id}`), 404);
    expect((await t.call(mentorGambir, 'GET', `/api/v1/participants/${rec.gambir.id}`)).statusCode).toBe(200);
  });

  it('officers and mentors register only inside their area', async () => {
    const res = await t.call(
      officerSelatan,
      'POST',
      '/api/v1/participants',
      body(person({ village: V.gambir })),
    );
    expectProblem(res, 403, 'OUTSIDE_AREA');
    const m = await t.call(
      mentorGambir,
      'POST',
      '/api/v1/participants',
      body(person({ village: V.pasarBaru })),
    );
    expectProblem(m, 403, 'OUTSIDE_AREA');
    const ok = await t.call(
      mentorGambir,
      'POST',
      '/api/v1/participants',
      body(person({ village: V.cideng })),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().channel).toBe('api');
  });

  it('a duplicate NIK outside the caller scope is 409 without the registration number', async () => {
    const res = await t.call(officerSelatan, 'POST', '/api/v1/participants', {
      ...body(person({ village: V.tebetTimur })),
      nik: rec.gambir.nik,
    });
    const j = expectProblem(res, 409, 'NIK_ALREADY_REGISTERED');
    expect(j.registrationNumber).toBeUndefined();
    expect(j.participantId).toBeUndefined();
    expect(res.body).not.toContain(rec.gambir.regNo);
    // inside the scope the number is given
    const inside = await t.call(officerPusat, 'POST', '/api/v1/participants', {
      ...body(person({ village: V.gambir })),
      nik: rec.gambir.nik,
    });
    expect(expectProblem(inside, 409).registrationNumber).toBe(rec.gambir.regNo);
  });

  it('statistics are scoped to the officer area', async () => {
    const all = (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();
    const sel = await t.call(officerSelatan, 'GET', '/api/v1/stats/summary');
    expect(sel.statusCode).toBe(200);
    const s = sel.json();
    const inSelatan = (await ids(admin, 'regencyCode=31.74&limit=200')).length;
    expect(s.registered).toBe(inSelatan);
    expect(s.registered).toBeLessThan(all.registered);
    expect(s.byRegency.map((b: { key: string }) => b.key)).toEqual(['31.74']);
    expect(s.byDistrict.every((b: { key: string }) => b.key.startsWith('31.74.'))).toBe(true);
    const m = (await t.call(mentorGambir, 'GET', '/api/v1/stats/summary')).json();
    expect(m.byDistrict.map((b: { key: string }) => b.key)).toEqual(['31.71.01']);
    expect(m.registered).toBe((await ids(admin, 'districtCode=31.71.01')).length);
  });
});

describe('collaborator staff', () => {
  it('see only what their organisation registered', async () => {
    expect((await ids(staffA)).sort()).toEqual([rec.byAlpha.id, rec.forAlpha.id].sort());
    expect(await ids(staffB)).toEqual([]);
    const mine = await t.call(staffA, 'GET', `/api/v1/participants/${rec.byAlpha.id}`);
    expect(mine.statusCode).toBe(200);
    // the organisation is set from the user, not from the body
    expect(mine.json().collaboratorId).toBe(collabA);
    expectProblem(await t.call(staffA, 'GET', `/api/v1/participants/${rec.tebet.id}`), 404);
    expectProblem(await t.call(staffB, 'GET', `/api/v1/participants/${rec.byAlpha.id}`), 404);
  });

  it('see only their own organisation among collaborators', async () => {
    const res = await t.call(staffB, 'GET', '/api/v1/collaborators');
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([collabB]);
    expectProblem(await t.call(staffB, 'GET', `/api/v1/collaborators/${collabA}`), 404);
    const a = await t.call(staffA, 'GET', `/api/v1/collaborators/${collabA}`);
    expect(a.json().figures).toMatchObject({ total: 2, registered: 2 });
  });

  it('cannot verify, validate, erase or edit collaborators (403)', async () => {
    const url = `/api/v1/participants/${rec.byAlpha.id}`;
    expectProblem(
      await t.call(staffA, 'POST', `${url}/verify`, { evidence: { ktpSeen: true, businessSeen: true } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.call(staffA, 'POST', `${url}/validate`, {}), 403, 'FORBIDDEN');
    expectProblem(await t.call(staffA, 'DELETE', url), 403, 'FORBIDDEN');
    expectProblem(
      await t.call(staffA, 'PATCH', `/api/v1/collaborators/${collabA}`, { name: 'Ganti Nama' }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('participant user', () => {
  it('sees only self', async () => {
    expect(await ids(self)).toEqual([rec.gambir.id]);
    const own = await t.call(self, 'GET', `/api/v1/participants/${rec.gambir.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().nik).toBe(rec.gambir.nik);
    expectProblem(await t.call(self, 'GET', `/api/v1/participants/${rec.pasarBaru.id}`), 404);
    expect((await t.call(self, 'GET', `/api/v1/participants?q=${rec.pasarBaru.nik}`)).json().total).toBe(0);
    const trail = await t.call(self, 'GET', `/api/v1/audit?entity=${rec.gambir.id}`);
    expect(trail.statusCode).toBe(200);
    expect([403, 404]).toContain(
      (await t.call(self, 'GET', `/api/v1/audit?entity=${rec.tebet.id}`)).statusCode,
    );
  });

  it('may correct own contact data but not the civil-registry status', async () => {
    const cur = await t.call(self, 'GET', `/api/v1/participants/${rec.gambir.id}`);
    const url = `/api/v1/participants/${rec.gambir.id}`;
    const res = await t.call(
      self,
      'PATCH',
      url,
      { email: 'saya@example.id' },
      { 'if-match': cur.headers.etag as string },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().email).toBe('saya@example.id');
    expectProblem(
      await t.call(
        self,
        'PATCH',
        url,
        { civilStatus: 'matched' },
        { 'if-match': res.headers.etag as string },
      ),
      403,
    );
    rec.gambir.etag = res.headers.etag as string;
  });

  it('is refused what the role does not allow (403)', async () => {
    const url = `/api/v1/participants/${rec.gambir.id}`;
    expectProblem(await t.call(self, 'POST', '/api/v1/participants', body(person())), 403, 'FORBIDDEN');
    expectProblem(await t.call(self, 'GET', '/api/v1/stats/summary'), 403, 'FORBIDDEN');
    expectProblem(
      await t.call(self, 'POST', `${url}/verify`, { evidence: { ktpSeen: true, businessSeen: true } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.call(self, 'POST', `${url}/reject`, { reason: 'saya sendiri' }), 403);
    expectProblem(await t.call(self, 'DELETE', url), 403, 'FORBIDDEN');
    expectProblem(await t.call(self, 'POST', `${url}/enrolments`, { agency: 'DINSOS' }), 403);
    expectProblem(await t.call(self, 'GET', '/api/v1/collaborators'), 403);
    expectProblem(await t.call(self, 'GET', '/api/v1/users'), 403);
    expectProblem(await t.call(self, 'GET', '/api/v1/exports/participants'), 403);
  });
});

describe('forbidden actions', () => {
  it('answer 403 problem+json per role', async () => {
    const url = `/api/v1/participants/${rec.tebet.id}`;
    // mentors do not validate, reopen, erase or enrol
    const mentorSel = await t.user('mentor-sel@scope.test', 'mentor', { areas: ['31.74.01'] });
    expectProblem(await t.call(mentorSel, 'POST', `${url}/validate`, {}), 403, 'FORBIDDEN');
    expectProblem(
      await t.call(mentorSel, 'POST', `${url}/reopen`, { reason: 'buka lagi' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.call(mentorSel, 'DELETE', url), 403, 'FORBIDDEN');
    expectProblem(await t.call(mentorSel, 'POST', `${url}/enrolments`, { agency: 'DINSOS' }), 403);
    // officers do not erase or manage users and collaborators
    expectProblem(await t.call(officerSelatan, 'DELETE', url), 403, 'FORBIDDEN');
    expectProblem(
      await t.call(officerSelatan, 'POST', '/api/v1/collaborators', { name: 'X Org', type: 'ngo' }),
      403,
    );
    expectProblem(await t.call(officerSelatan, 'GET', '/api/v1/users'), 403);
    // mentors do not export full data
    expectProblem(await t.call(mentorSel, 'GET', '/api/v1/exports/participants?full=true'), 403);
    // nothing changed
    const now = await t.call(admin, 'GET', url);
    expect(now.json()).toMatchObject({ status: 'registered', erasedAt: null });
  });

  it('anonymous callers get 401 everywhere but the public endpoints', async () => {
    for (const [m, u] of [
      ['GET', '/api/v1/participants'],
      ['GET', `/api/v1/participants/${rec.tebet.id}`],
      ['POST', '/api/v1/participants'],
      ['GET', '/api/v1/stats/summary'],
      ['GET', '/api/v1/collaborators'],
      ['GET', `/api/v1/audit?entity=${rec.tebet.id}`],
    ] as const) {
      const res = await t.call(null, m, u, m === 'POST' ? body(person()) : undefined);
      expectProblem(res, 401);
    }
    expect((await t.call(null, 'GET', '/api/v1/public/stats')).statusCode).toBe(200);
  });
});
