import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskNik } from '../src/identity/index.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import { apiBody, generateRow } from '../src/testing/generator.ts';
import { body, errorPaths, expectProblem, makeNik, person, todayWib, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@participants.test', 'admin');
});
afterAll(async () => t.cleanup());

const post = (b: unknown, headers: Record<string, string> = {}, token = admin) =>
  t.call(token, 'POST', '/api/v1/participants', b, headers);
const list = (qs = '', token = admin) => t.call(token, 'GET', `/api/v1/participants${qs ? `?${qs}` : ''}`);

describe('create', () => {
  it('answers 201 with registration number, size class, and birth date and sex from the NIK', async () => {
    const p = person({ sex: 'F', birthDate: '1990-01-01', village: V.gambir });
    const res = await post(body(p));
    expect(res.statusCode, res.body).toBe(201);
    const j = res.json();
    const year = todayWib().slice(0, 4);
    expect(j.registrationNumber).toBe(`JKP-${year}-000001`);
    expect(j.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(j).toMatchObject({
      nik: p.nik,
      birthDate: '1990-01-01',
      sex: 'F',
      phone: `+62${p.phone.slice(1)}`,
      status: 'registered',
      sizeClass: 'micro',
      channel: 'api',
      agency: 'PPKUKM',
      version: 1,
    });
    expect(j.domicile).toMatchObject({
      villageCode: '31.71.01.1001',
      districtCode: '31.71.01',
      regencyCode: '31.71',
      villageName: 'Gambir',
    });
    expect(j.business).toMatchObject({ sector: 'kuliner', sizeClass: 'micro', capital: 50_000_000 });
    expect(j.consent).toMatchObject({ version: 'v1', given: true });
    expect(j.enrolments).toHaveLength(1);
    expect(res.headers.etag).toBe(`"${j.id.slice(0, 8)}-v1"`);
    expect(res.headers.location).toBe(`/api/v1/participants/${j.id}`);

    const second = await post(body(person({ sex: 'M', birthDate: '1985-12-31' })));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({
      registrationNumber: `JKP-${year}-000002`,
      birthDate: '1985-12-31',
      sex: 'M',
    });
  });

  it('classifies size per PP 7/2021 (capital first, else annual sales)', async () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{ capital: 2_000_000_000, annualRevenue: 1 }, 'small'],
      [{ capital: 7_000_000_000, annualRevenue: null }, 'medium'],
      [{ capital: 20_000_000_000 }, 'large'],
      [{ capital: null, annualRevenue: 10_000_000_000 }, 'small'],
      [{ capital: null, annualRevenue: null }, null],
    ];
    for (const [biz, expected] of cases) {
      const res = await post(body(person({ business: biz })));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().sizeClass, JSON.stringify(biz)).toBe(expected);
    }
  });

  it('accepts birth date and sex that agree with the NIK, and refuses ones that do not (422 with paths)', async () => {
    const agree = person({ sex: 'F', birthDate: '1992-07-15' });
    const ok = await post({ ...body(agree), birthDate: '1992-07-15', sex: 'F' });
    expect(ok.statusCode, ok.body).toBe(201);

    const p = person({ sex: 'F', birthDate: '1992-07-16' });
    const bad = await post({ ...body(p), birthDate: '1992-07-17', sex: 'M' });
    const paths = errorPaths(bad);
    expect(paths).toContain('birthDate');
    expect(paths).toContain('sex');
    const codes = bad.json().errors.map((e: { code: string }) => e.code);
    expect(codes).toContain('NIK_BIRTHDATE_MISMATCH');
    expect(codes).toContain('NIK_SEX_MISMATCH');
    // nothing stored
    expect((await list(`q=${p.nik}`)).json().total).toBe(0);
  });

  it('lists every failing field at once with paths like nik, domicile.villageCode, business.sector', async () => {
    const p = body(person());
    const res = await post({
      ...p,
      nik: '123',
      phone: '12',
      domicile: { ...p.domicile, villageCode: '31.71.99.9999', postalCode: '1' },
      business: { ...p.business, sector: 'astrology', nib: '12', npwp: '1' },
    });
    const paths = errorPaths(res);
    for (const path of [
      'nik',
      'phone',
      'domicile.villageCode',
      'domicile.postalCode',
      'business.sector',
      'business.nib',
      'business.npwp',
    ]) {
      expect(paths, path).toContain(path);
    }
    for (const e of res.json().errors) {
      expect(typeof e.code).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
    }
    // a village outside the program area, a district instead of a village, no sector and no KBLI
    const outside = await post({
      ...p,
      nik: makeNik('317101', '1980-02-02', 'M', 7001),
      domicile: { ...p.domicile, villageCode: '32.01.01.1001' },
      business: { ...p.business, sector: null },
    });
    const errs = expectProblem(outside, 422).errors!;
    expect(errs.find((e) => e.path === 'domicile.villageCode')?.code).toBe('VILLAGE_OUTSIDE_PROGRAM');
    expect(errs.find((e) => e.path === 'business.sector')?.code).toBe('SECTOR_OR_KBLI_REQUIRED');
    const district = await post({ ...p, domicile: { ...p.domicile, villageCode: '31.71.01' } });
    expect(expectProblem(district, 422).errors!.find((e) => e.path === 'domicile.villageCode')?.code).toBe(
      'VILLAGE_NOT_VILLAGE',
    );
  });

  it('derives the sector from a KBLI code and refuses an unknown KBLI division', async () => {
    const p = person({ business: { sector: null, kbli: '56101' } });
    const res = await post(body(p));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().business).toMatchObject({ kbli: '56101', kbliVersion: '2020', sector: 'kuliner' });
    const bad = await post(body(person({ business: { sector: null, kbli: '04111' } })));
    expect(errorPaths(bad)).toContain('business.kbli');
  });

  it('answers messages in English or Indonesian after Accept-Language', async () => {
    const p = { ...body(person()), nik: '12345' };
    const en = await post(p, { 'accept-language': 'en-US,en;q=0.9' });
    const id = await post(p, { 'accept-language': 'id-ID,id;q=0.9,en;q=0.5' });
    const none = await post(p);
    const enErr = expectProblem(en, 422).errors!.find((e) => e.path === 'nik')!;
    const idErr = expectProblem(id, 422).errors!.find((e) => e.path === 'nik')!;
    expect(enErr.code).toBe(idErr.code);
    expect(enErr.message).not.toBe(idErr.message);
    expect(enErr.message).toMatch(/digit|16|length/i);
    expect(en.json().detail).toMatch(/field/);
    expect(id.json().detail).toMatch(/isian/);
    // Indonesian is the default
    expect(none.json().detail).toBe(id.json().detail);
    expect(none.json().errors.find((e: { path: string }) => e.path === 'nik').message).toBe(idErr.message);
    // q-values decide, not the order; unknown languages fall back to Indonesian
    const weighted = await post(p, { 'accept-language': 'en;q=0.2, id;q=0.9' });
    expect(weighted.json().detail).toBe(id.json().detail);
    const enWeighted = await post(p, { 'accept-language': 'fr-FR, id;q=0.4, en-GB;q=0.8' });
    expect(enWeighted.json().detail).toBe(en.json().detail);
    const refused = await post(p, { 'accept-language': 'en;q=0, id' });
    expect(refused.json().detail).toBe(id.json().detail);
    const french = await post(p, { 'accept-language': 'fr' });
    expect(french.json().detail).toBe(id.json().detail);
    // schema-level failures are localized too
    const typeEn = await post({ ...body(person()), fullName: 42 }, { 'accept-language': 'en' });
    const typeId = await post({ ...body(person()), fullName: 42 }, { 'accept-language': 'id' });
    expect(errorPaths(typeEn)).toContain('fullName');
    expect(typeEn.json().detail).not.toBe(typeId.json().detail);
  });

  it('a duplicate NIK is 409 with the existing registration number for an admin', async () => {
    const p = person();
    const first = await post(body(p));
    expect(first.statusCode).toBe(201);
    const again = await post({ ...body(person()), nik: p.nik });
    const j = expectProblem(again, 409, 'NIK_ALREADY_REGISTERED');
    expect(j.registrationNumber).toBe(first.json().registrationNumber);
    expect(j.participantId).toBe(first.json().id);
    // NIK written with separators is the same person
    const dotted = `${p.nik.slice(0, 6)}.${p.nik.slice(6, 12)}.${p.nik.slice(12)}`;
    expectProblem(await post({ ...body(person()), nik: dotted }), 409, 'NIK_ALREADY_REGISTERED');
  });

  it('the public endpoint answers a duplicate NIK with a plain message that reveals nothing', async () => {
    const p = person();
    const first = await post(body(p));
    expect(first.statusCode).toBe(201);
    const { nik } = p;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      payload: { ...body(person()), nik },
      headers: { 'accept-language': 'en' },
      remoteAddress: '10.1.1.1',
    });
    const j = expectProblem(res, 409, 'NIK_ALREADY_REGISTERED');
    expect(j.registrationNumber).toBeUndefined();
    expect(j.participantId).toBeUndefined();
    expect(res.body).not.toContain(first.json().registrationNumber);
    expect(res.body).not.toContain(first.json().id);
    expect(res.body).not.toContain(p.fullName);
    expect(j.detail).toMatch(/kecamatan/i);
  });

  it('concurrent registrations of one NIK: exactly one 201, the others 409', async () => {
    const p = person();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post({ ...body(person()), nik: p.nik, fullName: `Sama Nik ${'x'.repeat(i + 1)}` }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409))
      expectProblem(r, 409, 'NIK_ALREADY_REGISTERED');
    expect((await list(`q=${p.nik}`)).json().total).toBe(1);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('accepts a client-supplied UUID (offline capture) and refuses a reused one', async () => {
    const id = randomUUID();
    const res = await post({ ...body(person()), id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().id).toBe(id);
    expect((await t.call(admin, 'GET', `/api/v1/participants/${id}`)).json().id).toBe(id);
    expectProblem(await post({ ...body(person()), id }), 409, 'ID_EXISTS');
    errorPaths(await post({ ...body(person()), id: 'not-a-uuid' }));
  });

  it('a client UUID in upper case is the same key: readable by either spelling', async () => {
    const id = randomUUID();
    const res = await post({ ...body(person()), id: id.toUpperCase() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().id).toBe(id);
    expect((await t.call(admin, 'GET', `/api/v1/participants/${id}`)).statusCode).toBe(200);
    expect((await t.call(admin, 'GET', `/api/v1/participants/${id.toUpperCase()}`)).statusCode).toBe(200);
    expectProblem(await post({ ...body(person()), id }), 409, 'ID_EXISTS');
  });

  it('refuses client ids that can never be read back (nil UUID)', async () => {
    const res = await post({ ...body(person()), id: '00000000-0000-0000-0000-000000000000' });
    expect(res.statusCode).toBe(422);
    expect(errorPaths(res)).toContain('id');
  });

  it('replays a POST with the same Idempotency-Key and refuses the key for a different body', async () => {
    const p = body(person());
    const key = `idem-${randomUUID()}`;
    const first = await post(p, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const replay = await post(p, { 'idempotency-key': key });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.json().registrationNumber).toBe(first.json().registrationNumber);
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect((await list(`q=${p.nik}`)).json().total).toBe(1);

    const other = await post(body(person()), { 'idempotency-key': key });
    expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    // the key is per user: another user may use the same key for their own request
    const officer = await t.user('idem-officer@participants.test', 'officer', { areas: ['31.71'] });
    const mine = body(person());
    const theirs = await post(mine, { 'idempotency-key': key }, officer);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json().nik).toBe(mine.nik);
    expectProblem(await post(body(person()), { 'idempotency-key': 'short' }), 400, 'IDEMPOTENCY_KEY_INVALID');
  });

  it('answers concurrent retries with one Idempotency-Key with one record, replayed to every caller', async () => {
    const p = body(person());
    const key = `idem-${randomUUID()}`;
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(p, { 'idempotency-key': key })));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(3);
    expect((await list(`q=${p.nik}`)).json().total).toBe(1);
  });

  it('a refused attempt leaves its Idempotency-Key free for the corrected request', async () => {
    const key = `idem-${randomUUID()}`;
    const p = body(person());
    const bad = await post({ ...p, phone: '12' }, { 'idempotency-key': key });
    expect(bad.statusCode).toBe(422);
    const good = await post(p, { 'idempotency-key': key });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('list', () => {
  const people: { p: ReturnType<typeof person>; id: string }[] = [];
  let officer: string;
  beforeAll(async () => {
    officer = await t.user('lister@participants.test', 'officer', { areas: ['31.71', '31.74'] });
    const specs = [
      person({ village: V.tebetTimur, sector: 'fashion', name: 'Rahmawati Zulaikha' }),
      person({ village: V.setiaBudi, sector: 'jasa' }),
      person({ village: V.pasarBaru, sector: 'kriya' }),
      person({ village: V.cideng, sector: 'budidaya' }),
    ];
    for (const p of specs) {
      const res = await post(body(p));
      expect(res.statusCode, res.body).toBe(201);
      people.push({ p, id: res.json().id });
    }
  });

  it('masks NIK and phone and shows the kelurahan, never the street', async () => {
    const res = await list('limit=200');
    expect(res.statusCode).toBe(200);
    const { items, total, nextCursor } = res.json();
    expect(total).toBe(items.length);
    expect(nextCursor).toBeNull();
    for (const it of items) {
      expect(it.nik).toMatch(/^\d{4}\*{8}\d{4}$/);
      expect(it.phone).toMatch(/\*/);
      expect(it.street).toBeUndefined();
      expect(it.domicile).toBeUndefined();
      expect(it.email).toBeUndefined();
      expect(typeof it.villageName).toBe('string');
    }
    const { p, id } = people[0];
    const item = items.find((i: { id: string }) => i.id === id);
    expect(item.nik).toBe(maskNik(p.nik));
    expect(item.nik).toBe(`${p.nik.slice(0, 4)}********${p.nik.slice(-4)}`);
    expect(item.phone).not.toContain(p.phone.slice(4, 8));
    expect(item.villageName).toBe('Tebet Timur');
    expect(item.businessName).toBe(p.business.name);
    for (const { p: q } of people) {
      expect(res.body).not.toContain(q.nik);
      expect(res.body).not.toContain(q.domicile.street);
      expect(res.body).not.toContain(q.phone.slice(1));
    }
  });

  it('filters by q over name, full NIK, phone, business name and registration number', async () => {
    const [a, b] = people;
    const byName = await list('q=zulaikha');
    expect(byName.json().items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect((await list(`q=${encodeURIComponent('RAHMAWATI  zulaikha')}`)).json().total).toBe(1);
    const byNik = await list(`q=${b.p.nik}`);
    expect(byNik.json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const spaced = `${b.p.nik.slice(0, 6)} ${b.p.nik.slice(6, 12)} ${b.p.nik.slice(12)}`;
    expect((await list(`q=${encodeURIComponent(spaced)}`)).json().total).toBe(1);
    // a partial NIK finds nothing (exact lookup only)
    expect((await list(`q=${b.p.nik.slice(0, 12)}`)).json().total).toBe(0);
    const byPhone = await list(`q=${b.p.phone}`);
    expect(byPhone.json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const intl = encodeURIComponent(`+62${b.p.phone.slice(1)}`);
    expect((await list(`q=${intl}`)).json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const byBiz = await list(`q=${encodeURIComponent(b.p.business.name)}`);
    expect(byBiz.json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const regNo = (await t.call(admin, 'GET', `/api/v1/participants/${b.id}`)).json().registrationNumber;
    expect((await list(`q=${regNo.toLowerCase()}`)).json().items[0].id).toBe(b.id);
    expect((await list('q=nobody-by-this-name')).json().total).toBe(0);
  });

  it('q treats % and _ literally, on every engine', async () => {
    const p = person({ business: { name: 'Kopi_Nusantara 100%' } });
    const res = await post(body(p));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const found = async (q: string) =>
      (await list(`q=${encodeURIComponent(q)}&limit=200`)).json().items.map((i: { id: string }) => i.id);
    expect(await found('kopi_nus')).toEqual([id]);
    expect(await found('100%')).toEqual([id]);
    expect(await found('KOPI_NUSANTARA 100%')).toEqual([id]);
    // neither is a wildcard
    expect(await found('kopixnus')).toEqual([]);
    expect(await found('kopi%100')).toEqual([]);
    expect(await found('%')).toEqual([id]);
    expect(await found('\\')).toEqual([]);
  });

  it('filters by region codes, dotted or not', async () => {
    const [tebet, setia, pasar, cideng] = people.map((x) => x.id);
    const ids = async (qs: string) => {
      const res = await list(`${qs}&limit=200`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((i: { id: string }) => i.id) as string[];
    };
    for (const qs of ['regencyCode=31.74', 'regencyCode=3174']) {
      const got = await ids(qs);
      expect(got).toContain(tebet);
      expect(got).toContain(setia);
      expect(got).not.toContain(pasar);
    }
    for (const qs of ['districtCode=31.74.01', 'districtCode=317401']) {
      const got = await ids(qs);
      expect(got).toEqual([tebet]);
    }
    for (const qs of ['villageCode=31.71.01.1002', 'villageCode=3171011002']) {
      expect(await ids(qs)).toContain(cideng);
      expect(await ids(qs)).not.toContain(tebet);
    }
    expect(await ids('districtCode=31.71.02')).toEqual([pasar]);
    // a code of the wrong level is a 422 naming the parameter
    expect(errorPaths(await list('regencyCode=31.74.01'))).toContain('regencyCode');
    expect(errorPaths(await list('villageCode=banana'))).toContain('villageCode');
  });

  it('filters by sector, status and registration dates', async () => {
    const [tebet, setia] = people.map((x) => x.id);
    expect((await list('sector=fashion')).json().items.map((i: { id: string }) => i.id)).toEqual([tebet]);
    expect((await list('sector=jasa')).json().items.map((i: { id: string }) => i.id)).toEqual([setia]);
    const reg = await list('status=registered&limit=200');
    expect(reg.json().total).toBeGreaterThanOrEqual(people.length);
    expect((await list('status=validated')).json().total).toBe(0);
    errorPaths(await list('status=bogus'));

    // a migrated record keeps its original registration date (and year in its number)
    const old = await post({ ...body(person()), registeredAt: '2019-05-01' });
    expect(old.statusCode, old.body).toBe(201);
    expect(old.json().registrationNumber).toBe('JKP-2019-000001');
    const in2019 = await list('registeredFrom=2019-01-01&registeredTo=2019-12-31');
    expect(in2019.json().items.map((i: { id: string }) => i.id)).toEqual([old.json().id]);
    const today = todayWib();
    const sinceToday = await list(`registeredFrom=${today}&limit=200`);
    expect(sinceToday.json().items.map((i: { id: string }) => i.id)).not.toContain(old.json().id);
    expect(sinceToday.json().items.map((i: { id: string }) => i.id)).toContain(tebet);
    expect((await list('registeredTo=2018-12-31')).json().total).toBe(0);
    expect((await list('registeredFrom=2019-05-01&registeredTo=2019-05-01')).json().total).toBe(1);
    errorPaths(await list('registeredFrom=yesterday'));
  });

  it('walks all items exactly once with limit + nextCursor (keyset pagination)', async () => {
    for (let i = 0; i < 9; i++) {
      const res = await post(apiBody(generateRow(500 + i, 77)));
      expect(res.statusCode, res.body).toBe(201);
    }
    const all = await list('limit=200');
    const total = all.json().total as number;
    expect(total).toBeGreaterThanOrEqual(13);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const j = res.json();
      expect(j.total).toBe(total);
      expect(j.items.length).toBeLessThanOrEqual(4);
      seen.push(...j.items.map((i: { id: string }) => i.id));
      cursor = j.nextCursor;
      pages++;
      expect(pages).toBeLessThan(50);
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual(all.json().items.map((i: { id: string }) => i.id));
    // newest registration first
    const dates = all.json().items.map((i: { registeredAt: string }) => i.registeredAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    // a filter keeps the walk within it
    const filtered: string[] = [];
    cursor = null;
    do {
      const res = await list(
        `regencyCode=31.74&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      filtered.push(...res.json().items.map((i: { id: string }) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(filtered.length).toBe((await list('regencyCode=31.74&limit=200')).json().total);
  });

  it('counts up to the cap and then says "at least" (totalExact false); rollup totals stay exact', async () => {
    const everyone = (await list('registeredFrom=2000-01-02&limit=200')).json();
    expect(everyone.totalExact).toBe(true);
    expect(everyone.total).toBe(everyone.items.length);
    expect(everyone.total).toBeGreaterThan(5);
    const cap = t.svc.config.listCountCap;
    t.svc.config.listCountCap = 5;
    try {
      // a date range the rollups do not keep: counted record by record, up to the cap
      const capped = (await list('registeredFrom=2000-01-02&limit=2')).json();
      expect(capped).toMatchObject({ total: 5, totalExact: false });
      expect(capped.nextCursor).toBeTruthy();
      // a first page holding every match needs no count
      expect((await list('registeredFrom=2000-01-02&limit=200')).json()).toMatchObject({
        total: everyone.total,
        totalExact: true,
      });
      // the whole registry is a dashboard figure: exact from the rollups, whatever the cap
      expect((await list('limit=1')).json()).toMatchObject({ total: everyone.total, totalExact: true });
    } finally {
      t.svc.config.listCountCap = cap;
    }
  });

  it('refuses a bad cursor or limit with 422', async () => {
    expect(errorPaths(await list('cursor=garbage'))).toContain('cursor');
    expect(errorPaths(await list(`cursor=${Buffer.from('2024-01-01|x').toString('base64url')}`))).toContain(
      'cursor',
    );
    expect(errorPaths(await list('limit=0'))).toContain('limit');
    expect(errorPaths(await list('limit=201'))).toContain('limit');
    expect(errorPaths(await list('limit=ten'))).toContain('limit');
    expect(errorPaths(await list('color=blue'))).toContain('color');
  });

  it('scopes an officer list to the officer areas', async () => {
    const res = await list('limit=200', officer);
    expect(res.statusCode).toBe(200);
    for (const it of res.json().items) expect(it.villageCode).toMatch(/^31\.7[14]\./);
  });
});

describe('read and change', () => {
  it('GET answers the full record and audits the view', async () => {
    const p = person({ village: V.pasarBaru });
    const created = (await post(body(p))).json();
    const res = await t.call(admin, 'GET', `/api/v1/participants/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBe(`"${created.id.slice(0, 8)}-v1"`);
    expect(res.json()).toMatchObject({
      nik: p.nik,
      email: p.email,
      domicile: { street: p.domicile.street, rt: '001', rw: '002', postalCode: '10110' },
    });
    const byRegNo = await t.call(admin, 'GET', `/api/v1/participants/${created.registrationNumber}`);
    expect(byRegNo.json().id).toBe(created.id);

    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${created.id}`);
    expect(trail.statusCode).toBe(200);
    const items = trail.json().items as { action: string; actor: string; ip: string | null; data: any }[];
    const views = items.filter((i) => i.action === 'participant.view');
    expect(views).toHaveLength(2);
    expect(views[0].actor).toBe('admin@participants.test');
    const create = items.find((i) => i.action === 'participant.create')!;
    expect(create.data.after.nik).toBe(p.nik);
    // the NIK is not stored in the clear in the audit log
    const raw = await t.svc.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', created.id)
      .execute();
    expect(JSON.stringify(raw)).not.toContain(p.nik);
    // a list is not a full view: no new view entry
    await list(`q=${p.nik}`);
    const again = await t.call(admin, 'GET', `/api/v1/audit?entity=${created.id}`);
    expect(
      again.json().items.filter((i: { action: string }) => i.action === 'participant.view'),
    ).toHaveLength(2);
  });

  it('PATCH is a merge patch under If-Match: 428 without, 412 stale, 200 with a new ETag', async () => {
    const p = person({ village: V.gambir });
    const created = await post(body(p));
    const id = created.json().id as string;
    const etag = created.headers.etag as string;
    const url = `/api/v1/participants/${id}`;

    expectProblem(await t.call(admin, 'PATCH', url, { fullName: 'Nama Baru' }), 428, 'PRECONDITION_REQUIRED');
    expectProblem(
      await t.call(admin, 'PATCH', url, { fullName: 'Nama Baru' }, { 'if-match': '"deadbeef-v1"' }),
      412,
      'PRECONDITION_FAILED',
    );
    const res = await t.call(
      admin,
      'PATCH',
      url,
      { fullName: 'Nama Baru', email: null, business: { employees: 9 } },
      { 'if-match': etag, 'content-type': 'application/merge-patch+json' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).not.toBe(etag);
    expect(res.headers.etag).toBe(`"${id.slice(0, 8)}-v2"`);
    expect(res.json()).toMatchObject({
      fullName: 'Nama Baru',
      email: null,
      version: 2,
      nik: p.nik,
      business: { employees: 9, name: p.business.name, sector: 'kuliner' },
      domicile: { street: p.domicile.street },
    });
    // the old ETag is now stale
    expectProblem(await t.call(admin, 'PATCH', url, { fullName: 'Lagi Baru' }, { 'if-match': etag }), 412);
    // the change is audited with before and after
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`);
    const upd = trail.json().items.find((i: { action: string }) => i.action === 'participant.update');
    // exactly the changed fields, before and after
    expect(Object.keys(upd.data.before).sort()).toEqual(['business', 'email', 'fullName']);
    expect(Object.keys(upd.data.after).sort()).toEqual(['business', 'email', 'fullName']);
    expect(upd.data.before).toMatchObject({
      fullName: p.fullName,
      email: p.email,
      business: { employees: 2 },
    });
    expect(upd.data.after).toMatchObject({ fullName: 'Nama Baru', email: null, business: { employees: 9 } });
    // a patch that changes nothing records an empty change
    const same = await t.call(
      admin,
      'PATCH',
      url,
      { fullName: 'Nama Baru' },
      { 'if-match': res.headers.etag as string },
    );
    expect(same.statusCode, same.body).toBe(200);
    const trail2 = await t.call(admin, 'GET', `/api/v1/audit?entity=${id}`);
    const upd2 = trail2.json().items.find((i: { action: string }) => i.action === 'participant.update');
    expect(upd2.data).toMatchObject({ before: {}, after: {} });
  });

  it('concurrent PATCHes with the same ETag: one wins, the others get 412', async () => {
    const created = await post(body(person()));
    const url = `/api/v1/participants/${created.json().id}`;
    const h = { 'if-match': created.headers.etag as string };
    const results = await Promise.all(
      ['Satu', 'Dua', 'Tiga', 'Empat'].map((n) => t.call(admin, 'PATCH', url, { fullName: `Nama ${n}` }, h)),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.statusCode === 200)!;
    const now = (await t.call(admin, 'GET', url)).json();
    expect(now.version).toBe(2);
    expect(now.fullName).toBe(winner.json().fullName);
  });

  it('PATCH validates the merged record and refuses unknown fields and the NIK', async () => {
    const created = await post(body(person()));
    const url = `/api/v1/participants/${created.json().id}`;
    const h = { 'if-match': created.headers.etag as string };
    expect(errorPaths(await t.call(admin, 'PATCH', url, { phone: 'abc' }, h))).toContain('phone');
    expect(errorPaths(await t.call(admin, 'PATCH', url, { domicile: { villageCode: '99' } }, h))).toContain(
      'domicile.villageCode',
    );
    expect(errorPaths(await t.call(admin, 'PATCH', url, { nik: '3171010101900001' }, h))).toContain('nik');
    expect(errorPaths(await t.call(admin, 'PATCH', url, { business: { color: 'red' } }, h))).toContain(
      'business.color',
    );
    expect(errorPaths(await t.call(admin, 'PATCH', url, { sex: 'F', birthDate: '1900-01-01' }, h))).toEqual(
      expect.arrayContaining(['birthDate']),
    );
    // none of that changed the record
    const now = await t.call(admin, 'GET', url);
    expect(now.json().version).toBe(1);
  });

  it('moving the village by PATCH moves the statistics', async () => {
    const before = (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();
    const created = await post(body(person({ village: V.pasarBaru, sector: 'kriya' })));
    const id = created.json().id;
    const mid = (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();
    const count = (s: any, list: string, key: string) =>
      s[list].find((b: { key: string }) => b.key === key)?.count ?? 0;
    expect(count(mid, 'byRegency', '31.71')).toBe(count(before, 'byRegency', '31.71') + 1);
    const res = await t.call(
      admin,
      'PATCH',
      `/api/v1/participants/${id}`,
      { domicile: { villageCode: '3174021001' }, business: { sector: 'jasa' } },
      { 'if-match': created.headers.etag as string },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().domicile).toMatchObject({ villageCode: '31.74.02.1001', districtCode: '31.74.02' });
    const after = (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();
    expect(after.registered).toBe(mid.registered);
    expect(count(after, 'byRegency', '31.71')).toBe(count(before, 'byRegency', '31.71'));
    expect(count(after, 'byRegency', '31.74')).toBe(count(mid, 'byRegency', '31.74') + 1);
    expect(count(after, 'byDistrict', '31.74.02')).toBe(count(mid, 'byDistrict', '31.74.02') + 1);
    expect(count(after, 'bySector', 'kriya')).toBe(count(mid, 'bySector', 'kriya') - 1);
    expect(count(after, 'bySector', 'jasa')).toBe(count(mid, 'bySector', 'jasa') + 1);
    const moved = await list('districtCode=31.74.02&limit=200');
    expect(moved.json().items.map((i: { id: string }) => i.id)).toContain(id);
    const v = await verifyStats(t.svc);
    expect(v.differences).toEqual([]);
  });

  it('an unknown or malformed id is 404 problem+json', async () => {
    expectProblem(await t.call(admin, 'GET', `/api/v1/participants/${randomUUID()}`), 404, 'NOT_FOUND');
    expectProblem(await t.call(admin, 'GET', '/api/v1/participants/not-a-uuid'), 404, 'NOT_FOUND');
    expectProblem(await t.call(admin, 'GET', '/api/v1/participants/JKP-1999-000001'), 404, 'NOT_FOUND');
    expectProblem(
      await t.call(
        admin,
        'PATCH',
        `/api/v1/participants/${randomUUID()}`,
        { fullName: 'Abc' },
        { 'if-match': '*' },
      ),
      404,
    );
    expectProblem(await t.call(admin, 'DELETE', '/api/v1/participants/12345'), 404);
  });
});
