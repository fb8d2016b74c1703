import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, errorPaths, expectProblem, person } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let scratch: string; // a user whose password endpoint takes the garbage
let participantId: string;
let collaboratorId: string;
let adminId: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@malformed.test', 'admin');
  scratch = await t.user('scratch@malformed.test', 'officer', { areas: ['31.71'] });
  const res = await t.call(admin, 'POST', '/api/v1/participants', body(person()));
  expect(res.statusCode, res.body).toBe(201);
  participantId = res.json().id;
  const c = await t.call(admin, 'POST', '/api/v1/collaborators', { name: 'Kampus Uji', type: 'university' });
  expect(c.statusCode, c.body).toBe(201);
  collaboratorId = c.json().id;
  adminId = (await t.call(admin, 'GET', '/api/v1/me')).json().id;
});
afterAll(async () => t.cleanup());

let ipSeq = 0;
const nextIp = () => `10.77.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

/** Never a 500; errors are problem+json, successes JSON. */
function expectSane(res: LightMyRequestResponse, label: string) {
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
    const j = res.json();
    expect(j.status, label).toBe(res.statusCode);
    expect(typeof j.code, label).toBe('string');
  }
}

/** The JSON-body endpoints, each with a fresh token or address where limits apply. */
function targets() {
  const pid = participantId;
  return [
    { label: 'create', method: 'POST', url: '/api/v1/participants', token: admin },
    { label: 'public', method: 'POST', url: '/api/v1/public/registrations', token: null },
    {
      label: 'patch',
      method: 'PATCH',
      url: `/api/v1/participants/${pid}`,
      token: admin,
      headers: { 'if-match': '*' },
    },
    { label: 'verify', method: 'POST', url: `/api/v1/participants/${pid}/verify`, token: admin },
    { label: 'reject', method: 'POST', url: `/api/v1/participants/${pid}/reject`, token: admin },
    { label: 'enrol', method: 'POST', url: `/api/v1/participants/${pid}/enrolments`, token: admin },
    { label: 'login', method: 'POST', url: '/api/v1/auth/login', token: null },
    { label: 'password', method: 'POST', url: '/api/v1/auth/password', token: scratch },
    { label: 'users', method: 'POST', url: '/api/v1/users', token: admin },
    { label: 'collab', method: 'POST', url: '/api/v1/collaborators', token: admin },
    { label: 'collab-patch', method: 'PATCH', url: `/api/v1/collaborators/${collaboratorId}`, token: admin },
  ] as {
    label: string;
    method: string;
    url: string;
    token: string | null;
    headers?: Record<string, string>;
  }[];
}

const send = (
  tg: ReturnType<typeof targets>[number],
  payload: string | Buffer | object | undefined,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method: tg.method as 'POST',
    url: tg.url,
    payload: payload as string,
    headers: {
      ...(tg.token ? { authorization: `Bearer ${tg.token}` } : {}),
      ...(tg.headers ?? {}),
      ...headers,
    },
    remoteAddress: nextIp(),
  });

const RAW_BAD_JSON = [
  '{',
  '{"nik":',
  '{"nik": "1",}',
  "{'nik': '1'}",
  'nul',
  'undefined',
  'NaN',
  '{"capital": NaN}',
  '[1, 2',
  '{"a":1}}',
  '\u0000',
  '\uFEFF{}',
  '{"nik": "\\ud800"',
  '{"__proto__": {"isAdmin": true}}',
  '{"constructor": {"prototype": {"isAdmin": true}}}',
];

const JSON_NON_OBJECTS = [
  'null',
  '[]',
  '[{}]',
  '"text"',
  '123',
  '-0',
  'true',
  '1e999',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
];

/** Values that are wrong for some field or other. */
const GARBAGE: unknown[] = [
  null,
  [],
  [null],
  {},
  { nested: { deeper: [1, 2, 3] } },
  true,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  'Budi\u0000Santoso',
  '\ud800\udc00\ud800',
  '\u202e\u200b\ufeff',
  '𝕭𝖚𝖉𝖎 🤖🤖',
  'e\u0301'.repeat(500),
  '<script>alert(1)</script>',
  "'; drop table participants; --",
  '%00%ff',
  '\\u0000',
];

describe('malformed input never gives a 500', () => {
  it('bad JSON is 400 problem+json on every JSON endpoint', async () => {
    for (const tg of targets()) {
      for (const raw of RAW_BAD_JSON) {
        const res = await send(tg, raw, { 'content-type': 'application/json' });
        expectSane(res, `${tg.label} ${JSON.stringify(raw)}`);
        // a BOM before an empty object is still an (empty, valid) merge patch
        if (raw.startsWith('\uFEFF') && tg.method === 'PATCH') continue;
        expect(res.statusCode, `${tg.label} ${JSON.stringify(raw)}`).toBeGreaterThanOrEqual(400);
      }
      const res = await send(tg, '{"nik": ', { 'content-type': 'application/json' });
      if (tg.label !== 'public' || res.statusCode !== 429) expectProblem(res, 400, 'JSON_INVALID');
    }
    const merge = await send(targets()[2], '{"fullName": ', {
      'content-type': 'application/merge-patch+json',
    });
    expectProblem(merge, 400, 'JSON_INVALID');
    const empty = await send(targets()[0], '', { 'content-type': 'application/json' });
    expectProblem(empty, 400);
  });

  it('JSON that is not an object is a 4xx on every endpoint', async () => {
    for (const tg of targets()) {
      for (const raw of JSON_NON_OBJECTS) {
        const res = await send(tg, raw, { 'content-type': 'application/json' });
        const label = `${tg.label} ${raw.slice(0, 30)}`;
        expectSane(res, label);
        expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('a garbage value in any field of a registration is refused cleanly', async () => {
    const base = body(person());
    const paths: string[][] = [
      ['nik'],
      ['fullName'],
      ['birthDate'],
      ['sex'],
      ['phone'],
      ['email'],
      ['agency'],
      ['id'],
      ['collaboratorId'],
      ['registeredAt'],
      ['nikOverride'],
      ['domicile'],
      ['domicile', 'villageCode'],
      ['domicile', 'street'],
      ['domicile', 'rt'],
      ['domicile', 'postalCode'],
      ['business'],
      ['business', 'name'],
      ['business', 'sector'],
      ['business', 'kbli'],
      ['business', 'capital'],
      ['business', 'employees'],
      ['business', 'startedYear'],
      ['business', 'hasQris'],
      ['consent'],
      ['consent', 'version'],
      ['consent', 'given'],
    ];
    const statuses = new Map<number, number>();
    for (const path of paths) {
      for (const value of GARBAGE) {
        const b = structuredClone(base) as Record<string, any>;
        if (path.length === 1) b[path[0]] = value;
        else b[path[0]][path[1]] = value;
        for (const tg of targets().slice(0, 2)) {
          const res = await send(tg, b);
          expectSane(res, `${tg.label} ${path.join('.')}=${JSON.stringify(value)?.slice(0, 40)}`);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }
    }
    expect(statuses.get(422)).toBeGreaterThan(500);
  });

  it('garbage in every field of the other bodies is refused cleanly', async () => {
    const bodies: Record<string, Record<string, unknown>> = {
      patch: {
        fullName: 'Abc Def',
        phone: '081234567890',
        domicile: { street: 'x' },
        business: { name: 'Xy' },
      },
      verify: { evidence: { ktpSeen: true, businessSeen: true, note: 'x', photo: 'x' } },
      reject: { reason: 'alasan panjang' },
      enrol: { agency: 'DINSOS' },
      login: { email: 'nobody@malformed.test', password: 'password-123' },
      password: { currentPassword: 'wrong-password-1', newPassword: 'another-password-2' },
      users: { email: 'new@malformed.test', role: 'officer', areas: ['31.71'], password: 'password-12345' },
      collab: {
        name: 'Org',
        type: 'ngo',
        stages: ['P1'],
        contact: { email: 'a@b.id' },
        mouStart: '2024-01-01',
      },
      'collab-patch': { name: 'Org Baru', contact: { phone: '021 555 1234' }, areaCode: '31.71' },
    };
    for (const tg of targets().slice(2)) {
      const base = bodies[tg.label];
      for (const key of Object.keys(base)) {
        for (const value of GARBAGE) {
          const b = structuredClone(base);
          b[key] = value;
          const res = await send(tg, b);
          expectSane(res, `${tg.label} ${key}=${JSON.stringify(value)?.slice(0, 40)}`);
        }
      }
    }
  });

  it('wrong types and unknown fields are 422 with the field path', async () => {
    const b = body(person()) as Record<string, any>;
    const typed = await t.call(admin, 'POST', '/api/v1/participants', {
      ...b,
      fullName: 42,
      business: { ...b.business, employees: 'two' },
      consent: { version: 'v1', given: 'yes' },
    });
    const errs = expectProblem(typed, 422, 'VALIDATION_FAILED').errors!;
    for (const p of ['fullName', 'business.employees', 'consent.given']) {
      expect(errs.find((e) => e.path === p)?.code, p).toBe('TYPE_INVALID');
    }
    const unknown = await t.call(admin, 'POST', '/api/v1/participants', {
      ...b,
      favouriteColor: 'blue',
      business: { ...b.business, color: 'red' },
      domicile: { ...b.domicile, floor: 3 },
    });
    const u = expectProblem(unknown, 422).errors!;
    for (const p of ['favouriteColor', 'business.color', 'domicile.floor']) {
      expect(u.find((e) => e.path === p)?.code, p).toBe('UNKNOWN_FIELD');
    }
    const nulls = await t.call(admin, 'POST', '/api/v1/participants', {
      nik: null,
      fullName: null,
      phone: null,
      domicile: null,
      business: null,
      consent: null,
    });
    expect(errorPaths(nulls)).toEqual(
      expect.arrayContaining(['nik', 'fullName', 'phone', 'domicile', 'business', 'consent']),
    );
    const arrays = await t.call(admin, 'POST', '/api/v1/participants', {
      ...b,
      domicile: [],
      business: [b.business],
    });
    expect(errorPaths(arrays)).toEqual(expect.arrayContaining(['domicile', 'business']));
    const topArray = await t.call(admin, 'POST', '/api/v1/participants', [b]);
    expectProblem(topArray, 422);
  });

  it('huge strings are 422 (too big), a body over 1 MB is 413', async () => {
    const b = body(person());
    const huge = await t.call(admin, 'POST', '/api/v1/participants', { ...b, fullName: 'A'.repeat(500_000) });
    const e = expectProblem(huge, 422).errors!.find((x) => x.path === 'fullName');
    expect(e?.code).toBe('TOO_BIG');
    const big = await t.call(admin, 'POST', '/api/v1/participants', {
      ...b,
      fullName: 'A'.repeat(2 * 1024 * 1024),
    });
    expectProblem(big, 413, 'BODY_TOO_LARGE');
    const bigPatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/participants/${participantId}`,
      payload: JSON.stringify({ fullName: 'A'.repeat(2 * 1024 * 1024) }),
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/merge-patch+json',
        'if-match': '*',
      },
    });
    expectProblem(bigPatch, 413);
    const bigPublic = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      payload: { ...b, fullName: 'A'.repeat(2 * 1024 * 1024) },
      remoteAddress: nextIp(),
    });
    expectProblem(bigPublic, 413);
  });

  it('a body that is not JSON is 415', async () => {
    for (const ct of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png']) {
      const res = await t.call(admin, 'POST', '/api/v1/participants', 'nik=1&fullName=x', {
        'content-type': ct,
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const multipart = await t.call(
      admin,
      'POST',
      '/api/v1/participants',
      '--xx\r\nContent-Disposition: form-data; name="nik"\r\n\r\n1\r\n--xx--\r\n',
      { 'content-type': 'multipart/form-data; boundary=xx' },
    );
    expectSane(multipart, 'multipart');
    expect(multipart.statusCode).toBeGreaterThanOrEqual(400);
    const binary = await t.call(admin, 'POST', '/api/v1/participants', Buffer.from([0, 255, 254, 1, 2, 3]), {
      'content-type': 'application/octet-stream',
    });
    expectProblem(binary, 415);
  });

  it('a NUL character is refused with 422 wherever text goes to the database', async () => {
    const b = body(person());
    const res = await t.call(admin, 'POST', '/api/v1/participants', {
      ...b,
      business: { ...b.business, name: 'Warung\u0000Nol', products: 'kopi\u0000' },
      consent: { version: 'v1\u0000', given: true },
    });
    expect(errorPaths(res)).toEqual(
      expect.arrayContaining(['business.name', 'business.products', 'consent.version']),
    );
    expect((await t.call(admin, 'GET', `/api/v1/participants?q=${b.nik}`)).json().total).toBe(0);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@malformed.test\u0000', password: 'password-123' },
      remoteAddress: nextIp(),
    });
    expect(errorPaths(login)).toContain('email');
    const collab = await t.call(admin, 'POST', '/api/v1/collaborators', { name: 'Org\u0000', type: 'ngo' });
    expect(errorPaths(collab)).toContain('name');
    const q = await t.call(admin, 'GET', '/api/v1/participants?q=ab%00cd');
    expect(errorPaths(q)).toContain('q');
    const en = await t.call(admin, 'GET', '/api/v1/participants?sector=%00', undefined, {
      'accept-language': 'en',
    });
    expect(expectProblem(en, 422).errors![0]).toMatchObject({ path: 'sector', code: 'NUL_CHARACTER' });
    // in a path it is simply not found
    expectProblem(await t.call(admin, 'POST', '/api/v1/users/%00/revoke-sessions'), 404);
    expectProblem(await t.call(admin, 'GET', '/api/v1/audit?entity=%00'), 422);
  });

  it('query strings with garbage are 4xx, never 500', async () => {
    const garbage = [
      '%00',
      'a%00b',
      '%ZZ',
      '%E0%A4%A',
      'x'.repeat(5000),
      '%F0%9F%A4%96',
      '[]',
      '-1',
      '1e99',
      '*',
      '%',
    ];
    const params = [
      'q',
      'regencyCode',
      'districtCode',
      'villageCode',
      'sector',
      'status',
      'collaboratorId',
      'agency',
      'registeredFrom',
      'registeredTo',
      'limit',
      'cursor',
    ];
    for (const p of params) {
      for (const g of garbage) {
        expectSane(await t.call(admin, 'GET', `/api/v1/participants?${p}=${g}`), `${p}=${g}`);
      }
      expectSane(await t.call(admin, 'GET', `/api/v1/participants?${p}=1&${p}=2`), `${p} twice`);
      expectSane(await t.call(admin, 'GET', `/api/v1/participants?${p}[]=1`), `${p}[]`);
    }
    for (const url of [
      '/api/v1/collaborators?q=',
      '/api/v1/collaborators?type=',
      '/api/v1/audit?entity=',
      '/api/v1/audit?limit=',
      '/api/v1/regions?parent=',
      '/api/v1/exports/participants?format=',
    ]) {
      for (const g of garbage) expectSane(await t.call(admin, 'GET', `${url}${g}`), `${url}${g}`);
    }
    expect(errorPaths(await t.call(admin, 'GET', '/api/v1/audit'))).toContain('entity');
  });

  it('invalid cursors are 422 naming the cursor', async () => {
    for (const c of [
      'garbage',
      '!!!',
      Buffer.from('not-a-date|x').toString('base64url'),
      Buffer.from(`2024-01-01T00:00:00Z|${'z'.repeat(36)}`).toString('base64url'),
      Buffer.from('|||').toString('base64url'),
      Buffer.from('\u0000').toString('base64url'),
    ]) {
      const res = await t.call(admin, 'GET', `/api/v1/participants?cursor=${encodeURIComponent(c)}`);
      expect(errorPaths(res), c).toContain('cursor');
    }
    expect(
      errorPaths(await t.call(admin, 'GET', `/api/v1/participants?cursor=${'a'.repeat(300)}`)),
    ).toContain('cursor');
  });

  it('invalid ids in paths are 404 problem+json', async () => {
    const bad = [
      'not-a-uuid',
      '00000000-0000-0000-0000-000000000000',
      "1' or '1'='1",
      '%00',
      'x'.repeat(59),
      '..%2F..%2Fetc',
    ];
    for (const id of bad) {
      for (const [m, suffix, payload] of [
        ['GET', '', undefined],
        ['PATCH', '', { fullName: 'Abc' }],
        ['DELETE', '', undefined],
        ['POST', '/verify', { evidence: { ktpSeen: true, businessSeen: true } }],
        ['POST', '/validate', {}],
        ['POST', '/reject', { reason: 'alasan' }],
        ['POST', '/reopen', { reason: 'alasan' }],
        ['POST', '/enrolments', { agency: 'DINSOS' }],
        ['GET', '/civil-checks', undefined],
      ] as const) {
        const res = await t.call(admin, m, `/api/v1/participants/${id}${suffix}`, payload, {
          'if-match': '*',
        });
        expectSane(res, `${m} ${id}${suffix}`);
        expectProblem(res, 404, 'NOT_FOUND');
      }
      expectSane(await t.call(admin, 'GET', `/api/v1/collaborators/${id}`), `collab ${id}`);
      expectSane(await t.call(admin, 'GET', `/api/v1/imports/${id}`), `import ${id}`);
      expectSane(await t.call(admin, 'POST', `/api/v1/users/${id}/revoke-sessions`), `revoke ${id}`);
      expectSane(await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`), `audit ${id}`);
    }
    expectProblem(await t.call(admin, 'GET', `/api/v1/collaborators/${randomUUID()}`), 404, 'NOT_FOUND');
    expectProblem(await t.call(admin, 'GET', '/api/v1/collaborators/nope'), 404, 'NOT_FOUND');
    // an id longer than any key is refused by the schema, still not a 500
    expectSane(await t.call(admin, 'GET', `/api/v1/participants/${'x'.repeat(100)}`), 'long id');
  });

  it('unknown routes and methods are 404 problem+json', async () => {
    for (const [m, u] of [
      ['GET', '/api/v1/nope'],
      ['POST', '/api/v1/nope'],
      ['GET', '/api/v2/participants'],
      ['PUT', '/api/v1/participants'],
      ['DELETE', '/api/v1/participants'],
      ['GET', '/api/v1/participants/x/y/z'],
      ['GET', '/does-not-exist.php'],
    ] as const) {
      const res = await t.call(admin, m, u);
      expectProblem(res, 404, 'NOT_FOUND');
    }
    const en = await t.call(null, 'GET', '/api/v1/nope', undefined, { 'accept-language': 'en' });
    expect(en.json().detail).toMatch(/No such/);
    for (const url of ['/api/v1/participants/%E0%A4%A', '/%', '/api/v1/nope/%ZZ']) {
      expectProblem(await t.app.inject({ method: 'GET', url }), 400, 'URL_INVALID');
    }
  });

  it('odd headers are handled', async () => {
    const res = await t.call(null, 'GET', '/api/v1/me', undefined, {
      authorization: `Bearer ${'x'.repeat(5000)}`,
    });
    expectProblem(res, 401);
    expectProblem(
      await t.call(null, 'GET', '/api/v1/me', undefined, { authorization: 'Basic YWRtaW46YWRtaW4=' }),
      401,
    );
    expectProblem(await t.call(null, 'GET', '/api/v1/me', undefined, { authorization: 'Bearer' }), 401);
    const cookie = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: 'jkp_session=%E0%A4%A; x=%' },
    });
    expectSane(cookie, 'garbage cookie');
    expect(cookie.statusCode).toBe(401);
    const lang = await t.call(admin, 'GET', '/api/v1/nope', undefined, { 'accept-language': ';;;,,q=x,*' });
    expectProblem(lang, 404);
    const idem = await t.call(admin, 'POST', '/api/v1/participants', body(person()), {
      'idempotency-key': 'k'.repeat(1000),
    });
    expectProblem(idem, 400, 'IDEMPOTENCY_KEY_INVALID');
    const cur = await t.call(admin, 'GET', `/api/v1/participants/${participantId}`);
    for (const im of ['garbage', '""', 'W/"x"', '"*"', ' ']) {
      const res = await t.call(
        admin,
        'PATCH',
        `/api/v1/participants/${participantId}`,
        { fullName: 'Abc Def' },
        { 'if-match': im },
      );
      expectSane(res, `if-match ${im}`);
      expect([412, 428]).toContain(res.statusCode);
    }
    for (const im of ['garbage', '"v"', '-1', 'v99999999999999999999']) {
      const res = await t.call(
        admin,
        'PATCH',
        `/api/v1/collaborators/${collaboratorId}`,
        { name: 'Kampus Baru' },
        { 'if-match': im },
      );
      expectSane(res, `collab if-match ${im}`);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
    const charset = await t.call(admin, 'POST', '/api/v1/participants', JSON.stringify(body(person())), {
      'content-type': 'application/json; charset=utf-16',
    });
    expectSane(charset, 'utf-16 charset');
    // the record is untouched by all of the above
    const after = await t.call(admin, 'GET', `/api/v1/participants/${participantId}`);
    expect(after.json().version).toBe(cur.json().version);
  });

  it('the server still works after all that', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/participants', body(person()));
    expect(res.statusCode, res.body).toBe(201);
    expect((await t.call(admin, 'GET', '/readyz')).statusCode).toBe(200);
    const me = await t.call(admin, 'GET', '/api/v1/me');
    expect(me.json().id).toBe(adminId);
  });
});
