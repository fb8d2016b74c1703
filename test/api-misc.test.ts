import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, errorPaths, expectProblem, person, todayWib, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@misc.test', 'admin');
  officer = await t.user('officer@misc.test', 'officer', { areas: ['31.74'] });
});
afterAll(async () => t.cleanup());

describe('regions', () => {
  it('lists provinces, regencies of 31, districts of 3171 and villages, dotted', async () => {
    const top = await t.call(null, 'GET', '/api/v1/regions');
    expect(top.statusCode).toBe(200);
    expect(top.json().items.find((i: { code: string }) => i.code === '31').name).toMatch(/Jakarta/);
    expect(top.json().items.length).toBeGreaterThanOrEqual(34);
    expect(top.json().source.name).toBe('idn-area-data');

    const jakarta = await t.call(null, 'GET', '/api/v1/regions?parent=31');
    const codes = jakarta.json().items.map((i: { code: string }) => i.code);
    expect(codes).toEqual(['31.01', '31.71', '31.72', '31.73', '31.74', '31.75']);
    expect(jakarta.json().items[1]).toEqual({ code: '31.71', name: 'Kota Administrasi Jakarta Pusat' });

    for (const parent of ['3171', '31.71']) {
      const d = await t.call(null, 'GET', `/api/v1/regions?parent=${parent}`);
      expect(d.statusCode).toBe(200);
      expect(d.json().items).toContainEqual({ code: '31.71.01', name: 'Gambir' });
      expect(d.json().items.every((i: { code: string }) => /^31\.71\.\d{2}$/.test(i.code))).toBe(true);
    }
    const v = await t.call(null, 'GET', '/api/v1/regions?parent=317101');
    expect(v.json().items).toContainEqual({ code: '31.71.01.1001', name: 'Gambir' });
    expect(v.json().items.every((i: { code: string }) => /^31\.71\.01\.\d{4}$/.test(i.code))).toBe(true);
    const leaf = await t.call(null, 'GET', '/api/v1/regions?parent=31.71.01.1001');
    expect(leaf.json().items).toEqual([]);
  });

  it('answers 404 for an unknown parent and 422 for unknown parameters', async () => {
    for (const parent of ['99', '3199', '31.71.99', 'abc', '3', '317101100199']) {
      expectProblem(await t.call(null, 'GET', `/api/v1/regions?parent=${parent}`), 404, 'NOT_FOUND');
    }
    expect(errorPaths(await t.call(null, 'GET', '/api/v1/regions?level=x'))).toContain('level');
  });
});

describe('collaborators', () => {
  let id: string;
  it('creates one with type, MoU, stages and contact (normalized)', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/collaborators', {
      name: '  Universitas Uji  ',
      type: 'university',
      mouNumber: 'MOU/001/2024',
      mouStart: '2024-01-01',
      mouEnd: '2026-12-31',
      stages: ['P1', 'P2', 'P3'],
      contact: { name: 'Ibu Rina', email: 'Rina@Kampus.AC.ID', phone: '021 5550 1234' },
      areaCode: '3174',
    });
    expect(res.statusCode, res.body).toBe(201);
    const j = res.json();
    id = j.id;
    expect(j).toMatchObject({
      name: 'Universitas Uji',
      type: 'university',
      mouNumber: 'MOU/001/2024',
      mouStart: '2024-01-01',
      mouEnd: '2026-12-31',
      stages: ['P1', 'P2', 'P3'],
      contact: { name: 'Ibu Rina', email: 'rina@kampus.ac.id', phone: '+622155501234' },
      areaCode: '31.74',
      version: 1,
    });
    const read = await t.call(officer, 'GET', `/api/v1/collaborators/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().figures).toEqual({ total: 0, registered: 0, verified: 0, validated: 0, rejected: 0 });
    const list = await t.call(officer, 'GET', '/api/v1/collaborators?type=university');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await t.call(admin, 'GET', '/api/v1/collaborators?type=bank')).json().total).toBe(0);
    expect((await t.call(admin, 'GET', '/api/v1/collaborators?q=Uji')).json().total).toBe(1);
    // the name search ignores case and treats % and _ literally, on every engine
    expect((await t.call(admin, 'GET', '/api/v1/collaborators?q=universitas%20uji')).json().total).toBe(1);
    expect((await t.call(admin, 'GET', '/api/v1/collaborators?q=UNIVERSITAS')).json().total).toBe(1);
    expect((await t.call(admin, 'GET', '/api/v1/collaborators?q=%25')).json().total).toBe(0);
    expect((await t.call(admin, 'GET', '/api/v1/collaborators?q=Uni_ersitas')).json().total).toBe(0);
  });

  it('validates with field paths', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'X Org', type: 'cult' }, 'type'],
      [{ name: 'X', type: 'ngo' }, 'name'],
      [{ type: 'ngo' }, 'name'],
      [{ name: 'X Org', type: 'ngo', stages: ['P9'] }, 'stages.0'],
      [{ name: 'X Org', type: 'ngo', mouStart: '2024-13-01' }, 'mouStart'],
      [{ name: 'X Org', type: 'ngo', mouStart: '2025-01-01', mouEnd: '2024-01-01' }, 'mouEnd'],
      [{ name: 'X Org', type: 'ngo', contact: { email: 'not-an-email' } }, 'contact.email'],
      [{ name: 'X Org', type: 'ngo', contact: { phone: '12' } }, 'contact.phone'],
      [{ name: 'X Org', type: 'ngo', contact: { fax: '1' } }, 'contact.fax'],
      [{ name: 'X Org', type: 'ngo', areaCode: 'jakarta' }, 'areaCode'],
      [{ name: 'X Org', type: 'ngo', budget: 1 }, 'budget'],
    ];
    for (const [payload, path] of cases) {
      const res = await t.call(admin, 'POST', '/api/v1/collaborators', payload);
      expect(errorPaths(res), JSON.stringify(payload)).toContain(path);
    }
    expect((await t.call(admin, 'GET', '/api/v1/collaborators')).json().total).toBe(1);
  });

  it('updates under an If-Match version: 200 and version + 1, 412 when stale', async () => {
    const url = `/api/v1/collaborators/${id}`;
    const res = await t.call(
      admin,
      'PATCH',
      url,
      { name: 'Universitas Uji Baru', stages: ['P1'] },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Universitas Uji Baru',
      stages: ['P1'],
      version: 2,
      mouNumber: 'MOU/001/2024',
      contact: { email: 'rina@kampus.ac.id' },
    });
    expectProblem(
      await t.call(admin, 'PATCH', url, { name: 'Lagi' }, { 'if-match': '"1"' }),
      412,
      'PRECONDITION_FAILED',
    );
    expectProblem(
      await t.call(admin, 'PATCH', url, { name: 'Lagi' }, { 'if-match': 'abc' }),
      400,
      'IF_MATCH_INVALID',
    );
    const cleared = await t.call(
      admin,
      'PATCH',
      url,
      { mouNumber: null, contact: { phone: null } },
      { 'if-match': 'v2' },
    );
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({
      mouNumber: null,
      contact: { phone: null, email: 'rina@kampus.ac.id' },
      version: 3,
    });
    expect(
      errorPaths(await t.call(admin, 'PATCH', url, { mouEnd: '2000-01-01' }, { 'if-match': '3' })),
    ).toContain('mouEnd');
    expect(errorPaths(await t.call(admin, 'PATCH', url, { id: randomUUID() }))).toContain('id');
    expectProblem(await t.call(officer, 'PATCH', url, { name: 'Officer Org' }), 403, 'FORBIDDEN');
    expectProblem(
      await t.call(admin, 'PATCH', `/api/v1/collaborators/${randomUUID()}`, { name: 'Nobody' }),
      404,
    );
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`);
    const actions = trail.json().items.map((i: { action: string }) => i.action);
    expect(actions.filter((a: string) => a === 'collaborator.update')).toHaveLength(2);
    expect(actions).toContain('collaborator.create');
  });

  it('accepts a client id once; a reused id is 409, not 500', async () => {
    const cid = randomUUID();
    const res = await t.call(admin, 'POST', '/api/v1/collaborators', {
      id: cid,
      name: 'Bank Uji',
      type: 'bank',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().id).toBe(cid);
    const again = await t.call(admin, 'POST', '/api/v1/collaborators', {
      id: cid,
      name: 'Bank Lain',
      type: 'bank',
    });
    expectProblem(again, 409, 'ID_EXISTS');
    expect((await t.call(admin, 'GET', `/api/v1/collaborators/${cid}`)).json().name).toBe('Bank Uji');
    // the same key in upper case is the same key
    expectProblem(
      await t.call(admin, 'POST', '/api/v1/collaborators', {
        id: cid.toUpperCase(),
        name: 'Bank Lain',
        type: 'bank',
      }),
      409,
    );
    const upper = randomUUID();
    const u = await t.call(admin, 'POST', '/api/v1/collaborators', {
      id: upper.toUpperCase(),
      name: 'Bank Besar',
      type: 'bank',
    });
    expect(u.statusCode, u.body).toBe(201);
    expect(u.json().id).toBe(upper);
    expect((await t.call(admin, 'GET', `/api/v1/collaborators/${upper}`)).statusCode).toBe(200);
    const nil = await t.call(admin, 'POST', '/api/v1/collaborators', {
      id: '00000000-0000-0000-0000-000000000000',
      name: 'Bank Nol',
      type: 'bank',
    });
    expect(errorPaths(nil)).toContain('id');
  });

  it('counts the registrations it brought in', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/participants', {
      ...body(person()),
      collaboratorId: id,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().collaboratorId).toBe(id);
    const c = await t.call(admin, 'GET', `/api/v1/collaborators/${id}`);
    expect(c.json().figures).toMatchObject({ total: 1, registered: 1 });
    const list = await t.call(admin, 'GET', `/api/v1/participants?collaboratorId=${id}`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([res.json().id]);
    const unknown = await t.call(admin, 'POST', '/api/v1/participants', {
      ...body(person()),
      collaboratorId: randomUUID(),
    });
    expect(errorPaths(unknown)).toContain('collaboratorId');
  });
});

describe('statistics', () => {
  it('summary counts, scoped to an officer area; public stats carry no personal data', async () => {
    const people = [
      person({ village: V.gambir, sector: 'kuliner' }),
      person({ village: V.tebetTimur, sector: 'fashion' }),
      person({ village: V.setiaBudi, sector: 'fashion' }),
    ];
    const before = (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();
    for (const p of people) {
      const res = await t.call(admin, 'POST', '/api/v1/participants', body(p));
      expect(res.statusCode, res.body).toBe(201);
    }
    const s = (
      await t.call(admin, 'GET', '/api/v1/stats/summary', undefined, { 'accept-language': 'en' })
    ).json();
    expect(s.registered).toBe(before.registered + 3);
    expect(s.target).toBe(200_000);
    expect(s.achievementPct).toBe(Math.round((s.registered / 200_000) * 1000) / 10);
    expect(s.program).toMatchObject({
      name: 'Jakpreneur',
      periodStart: '2017-01-01',
      periodEnd: '2022-12-31',
    });
    const year = todayWib().slice(0, 4);
    expect(s.byYear.find((b: { key: string }) => b.key === year)?.count).toBeGreaterThanOrEqual(3);
    const fashion = s.bySector.find((b: { key: string }) => b.key === 'fashion');
    expect(fashion).toMatchObject({ name: 'Fashion', count: 2 });
    expect(s.byRegency.find((b: { key: string }) => b.key === '31.74')).toMatchObject({
      count: 2,
      name: 'Kota Administrasi Jakarta Selatan',
    });
    for (const key of ['byYear', 'byRegency', 'bySector', 'byAgency']) {
      for (const b of s[key]) {
        expect(Object.keys(b)).toEqual(expect.arrayContaining(['key', 'name', 'count']));
      }
    }
    const sId = (
      await t.call(admin, 'GET', '/api/v1/stats/summary', undefined, { 'accept-language': 'id' })
    ).json();
    expect(sId.bySector.find((b: { key: string }) => b.key === 'fashion').name).toBe('Fesyen');

    const o = (await t.call(officer, 'GET', '/api/v1/stats/summary')).json();
    expect(o.registered).toBe(2);
    expect(o.byRegency.map((b: { key: string }) => b.key)).toEqual(['31.74']);
    expect(o.bySector).toEqual([{ key: 'fashion', name: 'Fesyen', count: 2 }]);
    expect(o.byAgency.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(2);

    const pub = await t.call(null, 'GET', '/api/v1/public/stats');
    expect(pub.statusCode).toBe(200);
    const pj = pub.json();
    expect(pj.registered).toBe(s.registered);
    expect(pj.byRegency).toEqual(sId.byRegency);
    expect(pj.consentMissing).toBeUndefined();
    expect(pj.byDistrict).toBeUndefined();
    expect(pj.milestones).toBeUndefined();
    for (const p of people) {
      expect(pub.body).not.toContain(p.nik);
      expect(pub.body).not.toContain(p.fullName);
      expect(pub.body).not.toContain(p.phone.slice(1));
      expect(pub.body).not.toContain(p.business.name);
    }
    expect(pub.body).not.toMatch(/\d{16}/);
    expect(pub.body).not.toMatch(/"(nik|phone|email|fullName|street)"/);
  });
});

describe('ops and docs', () => {
  it('/healthz and /readyz', async () => {
    const h = await t.call(null, 'GET', '/healthz');
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    const r = await t.call(null, 'GET', '/readyz');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      status: 'ready',
      engine: process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite',
    });
  });

  it('/api/openapi.json lists the paths', async () => {
    const res = await t.call(null, 'GET', '/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/participants',
      '/api/v1/participants/{id}',
      '/api/v1/participants/{id}/verify',
      '/api/v1/participants/{id}/validate',
      '/api/v1/participants/{id}/reject',
      '/api/v1/participants/{id}/enrolments',
      '/api/v1/public/registrations',
      '/api/v1/imports/participants',
      '/api/v1/regions',
      '/api/v1/collaborators',
      '/api/v1/collaborators/{id}',
      '/api/v1/stats/summary',
      '/api/v1/public/stats',
      '/api/v1/audit',
      '/healthz',
      '/readyz',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(Object.keys(doc.paths['/api/v1/participants/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    const post = doc.paths['/api/v1/participants'].post;
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(
      expect.arrayContaining(['nik', 'fullName', 'phone', 'domicile', 'business', 'consent']),
    );
    expect(paths).not.toContain('/api/openapi.json');
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBeLessThan(400);
  });
});
