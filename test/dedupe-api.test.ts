import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRegistry, waitForScanJobs } from '../src/modules/dedupe/service.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string; // Jakarta Pusat
let officerSouth: string; // Jakarta Selatan
let mentor: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@dedupe.test', 'admin');
  officer = await t.user('officer@dedupe.test', 'officer', { areas: ['31.71'] });
  officerSouth = await t.user('south@dedupe.test', 'officer', { areas: ['31.74'] });
  mentor = await t.user('mentor@dedupe.test', 'mentor', { areas: ['31.71'] });
});
afterAll(async () => t.cleanup());

const register = async (p: ReturnType<typeof person>, token = admin) => {
  const res = await t.call(token, 'POST', '/api/v1/participants', body(p));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; registrationNumber: string; reviewFlags: string[] };
};
const summary = async () => (await t.call(admin, 'GET', '/api/v1/stats/summary')).json();

/** The same person as `p`, written again with a NIK typo, the name another way, the same phone. */
function again(p: ReturnType<typeof person>, nik: string, fullName: string) {
  // says it accepts QRIS: a merge must take that figure away too
  return {
    ...p,
    nik,
    fullName,
    email: undefined,
    business: { ...p.business, hasQris: true },
  } as unknown as ReturnType<typeof person>;
}

describe('duplicates found at registration', () => {
  let first: Awaited<ReturnType<typeof register>>;
  let second: Awaited<ReturnType<typeof register>>;
  let pairId: string;
  let firstNik: string;

  it('registers a likely duplicate and flags it for review, never refusing or merging it', async () => {
    const p = person({
      sex: 'M',
      birthDate: '1984-07-12',
      village: V.gambir,
      name: 'Muhammad Rizki Saputra',
    });
    first = await register(p);
    firstNik = p.nik;
    expect(first.reviewFlags).not.toContain('possible_duplicate');
    // one digit of the kecamatan part mistyped; the name as another clerk writes it
    const nik = `${p.nik.slice(0, 5)}${(Number(p.nik[5]) + 1) % 10}${p.nik.slice(6)}`;
    second = await register(again(p, nik, 'M. Rizky Saputra'));
    expect(second.reviewFlags).toContain('possible_duplicate');
    expect((await summary()).registered).toBe(2);
  });

  it('lists the pair in the review queue as a sure duplicate, with masked NIKs', async () => {
    const res = await t.call(admin, 'GET', '/api/v1/duplicates');
    expect(res.statusCode, res.body).toBe(200);
    const j = res.json();
    expect(j.total).toBe(1);
    const item = j.items[0];
    expect(item).toMatchObject({
      level: 'sure',
      status: 'open',
      source: 'registration',
      a: { registrationNumber: first.registrationNumber },
      b: { registrationNumber: second.registrationNumber },
    });
    expect(item.a.nikMasked).toMatch(/^\d{4}\*{8}\d{4}$/);
    pairId = item.id;
  });

  it('shows both records side by side with the evidence per field', async () => {
    const res = await t.call(admin, 'GET', `/api/v1/duplicates/${pairId}`);
    expect(res.statusCode, res.body).toBe(200);
    const j = res.json();
    expect(j.a.fullName).toBe('Muhammad Rizki Saputra');
    expect(j.b.fullName).toBe('M. Rizky Saputra');
    expect(j.evidence.nik).toMatchObject({ kind: 'one_digit', position: 5, serial: false });
    expect(j.evidence.name.similarity).toBe(1);
    expect(j.evidence.phone).toBe('same');
    expect(j.evidence.birthDate).toBe('same');
    // the NIKs themselves are not shown, only their masked form and where they differ
    expect(JSON.stringify(j)).not.toContain(firstNik);
  });

  it("scopes the queue to the reviewer's area and refuses roles without the permission", async () => {
    expect((await t.call(officer, 'GET', '/api/v1/duplicates')).json().total).toBe(1);
    expect((await t.call(officerSouth, 'GET', '/api/v1/duplicates')).json().total).toBe(0);
    expectProblem(await t.call(officerSouth, 'GET', `/api/v1/duplicates/${pairId}`), 404);
    expectProblem(await t.call(mentor, 'GET', '/api/v1/duplicates'), 403);
    expectProblem(await t.call(null, 'GET', '/api/v1/duplicates'), 401);
  });

  it('answers bad input with problem+json', async () => {
    expectProblem(await t.call(admin, 'GET', '/api/v1/duplicates?status=maybe'), 422);
    expectProblem(await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/merge`, { keep: 'c' }), 422);
    expectProblem(
      await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/merge`, { keep: 'a', x: 1 }),
      422,
    );
    expectProblem(await t.call(admin, 'POST', '/api/v1/duplicates/not-a-uuid/merge', { keep: 'a' }), 404);
    expectProblem(
      await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/decision`, { decision: 'merge' }),
      422,
    );
    expectProblem(
      await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/unmerge`, {}),
      409,
      'PAIR_NOT_MERGED',
    );
  });

  it('merges: the second record leaves every figure, the count says so, and the figures still verify', async () => {
    const res = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/merge`, {
      keep: 'a',
      note: 'same person',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'merged', keptId: first.id, b: { mergedInto: first.id } });
    const s = await summary();
    expect(s.registered).toBe(1);
    expect(s.duplicatesExcluded).toBe(1);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
    expectProblem(
      await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/merge`, { keep: 'a' }),
      409,
      'PAIR_DECIDED',
    );
    // both records keep their history, with the merge in it
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${second.id}`);
    expect(trail.statusCode, trail.body).toBe(200);
    expect(JSON.stringify(trail.json())).toContain('participant.merge');
  });

  it('undoes the merge: the record counts again and the pair is back in the queue', async () => {
    const res = await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/unmerge`, {
      note: 'two people after all',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'open', keptId: null, b: { mergedInto: null } });
    const s = await summary();
    expect(s.registered).toBe(2);
    expect(s.duplicatesExcluded ?? 0).toBe(0);
    expect((await verifyStats(t.svc)).differences).toEqual([]);
  });

  it('remembers "not a duplicate": a later scan does not ask again', async () => {
    const res = await t.call(admin, 'POST', `/api/v1/duplicates/${pairId}/decision`, {
      decision: 'not_duplicate',
    });
    expect(res.statusCode, res.body).toBe(200);
    const scan = await scanRegistry(t.svc);
    expect(scan.pairs.map((p) => p.a)).not.toContain(first.registrationNumber);
    expect((await t.call(admin, 'GET', '/api/v1/duplicates')).json().total).toBe(0);
    expect((await t.call(admin, 'GET', '/api/v1/duplicates?status=not_duplicate')).json().total).toBe(1);
  });
});

describe('hard cases are not sure duplicates', () => {
  it('twins (same birth date, kecamatan, family name and phone, NIK serials one apart) are not "sure"', async () => {
    const a = person({ sex: 'F', birthDate: '1991-03-05', village: V.tebetTimur, name: 'Rina Hasibuan' });
    const nikB = `${a.nik.slice(0, 12)}${String(Number(a.nik.slice(12)) + 1).padStart(4, '0')}`;
    // one home, one phone, even one family business: at most a pair for a person to look at
    const b = { ...a, nik: nikB, fullName: 'Dewi Hasibuan', email: undefined } as unknown as ReturnType<
      typeof person
    >;
    const ra = await register(a);
    await register(b);
    const queue = (await t.call(admin, 'GET', '/api/v1/duplicates?level=sure')).json();
    expect(
      queue.items.map((i: { a: { registrationNumber: string } }) => i.a.registrationNumber),
    ).not.toContain(ra.registrationNumber);
  });

  it('spouses sharing one phone and address are not flagged', async () => {
    const a = person({ sex: 'M', birthDate: '1980-01-20', village: V.setiaBudi, name: 'Bambang Wibowo' });
    const b = {
      ...person({ sex: 'F', birthDate: '1983-06-02', village: V.setiaBudi, name: 'Sri Handayani' }),
      phone: a.phone,
    };
    await register(a);
    expect((await register(b as ReturnType<typeof person>)).reviewFlags).not.toContain('possible_duplicate');
  });
});

describe('background scan', () => {
  it('runs from the API with progress, and finds what registration found', async () => {
    const start = await t.call(officer, 'POST', '/api/v1/duplicates/scans');
    expect(start.statusCode, start.body).toBe(202);
    const id = start.json().id;
    await waitForScanJobs();
    const job = (await t.call(officer, 'GET', `/api/v1/duplicates/scans/${id}`)).json();
    expect(job).toMatchObject({ status: 'done', progress: 1 });
    expect(job.records).toBeGreaterThanOrEqual(6);
    const latest = (await t.call(admin, 'GET', '/api/v1/duplicates/scans/latest')).json();
    expect(latest.job.id).toBe(id);
    expectProblem(await t.call(mentor, 'POST', '/api/v1/duplicates/scans'), 403);
  });
});
