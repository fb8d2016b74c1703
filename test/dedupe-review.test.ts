/**
 * Decisions on duplicate pairs and the review flag: `possible_duplicate` is cleared when every undecided pair
 * of a record is decided and set again when a decision is undone; a "not a duplicate" decision can be reopened
 * (audited, dedupe.review); the list filter by flag agrees; the records' histories name the other record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string; // Jakarta Pusat
let officerSouth: string; // Jakarta Selatan
let mentor: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@review.test', 'admin');
  officer = await t.user('officer@review.test', 'officer', { areas: ['31.71'] });
  officerSouth = await t.user('south@review.test', 'officer', { areas: ['31.74'] });
  mentor = await t.user('mentor@review.test', 'mentor', { areas: ['31.71'] });
});
afterAll(async () => t.cleanup());

type Reg = { id: string; registrationNumber: string; reviewFlags: string[] };
const register = async (p: unknown): Promise<Reg> => {
  const res = await t.call(admin, 'POST', '/api/v1/participants', body(p as ReturnType<typeof person>));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};
/** The same person with a NIK typo in digit `pos` and the name written another way. */
const again = (p: ReturnType<typeof person>, pos: number, fullName: string) => ({
  ...p,
  nik: `${p.nik.slice(0, pos)}${(Number(p.nik[pos]) + 1) % 10}${p.nik.slice(pos + 1)}`,
  fullName,
  email: undefined,
});
const flags = async (id: string): Promise<string[]> =>
  (await t.call(admin, 'GET', `/api/v1/participants/${id}`)).json().reviewFlags;
const flagged = async (token = admin): Promise<string[]> => {
  const res = await t.call(token, 'GET', '/api/v1/participants?reviewFlag=possible_duplicate&limit=200');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((i: { id: string }) => i.id);
};
const pairOf = async (x: Reg, y: Reg, status = 'open') => {
  const items = (await t.call(admin, 'GET', `/api/v1/duplicates?status=${status}&limit=200`)).json()
    .items as {
    id: string;
    a: { registrationNumber: string };
    b: { registrationNumber: string };
  }[];
  const nums = [x.registrationNumber, y.registrationNumber].sort();
  return items.find((i) => [i.a.registrationNumber, i.b.registrationNumber].sort().join() === nums.join())
    ?.id;
};
const history = async (id: string, token = admin) => {
  const res = await t.call(token, 'GET', `/api/v1/audit?entity=${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: { action: string; data: { note: Record<string, unknown> } | null }[];
    related: Record<string, { registrationNumber: string; mergedInto: string | null }>;
  };
};

describe('one pair: not a duplicate, reopened, merged, merge undone', () => {
  let first: Reg;
  let second: Reg;
  let pairId: string;

  beforeAll(async () => {
    const p = person({ sex: 'M', birthDate: '1986-02-14', village: V.gambir, name: 'Ahmad Fauzi Hidayat' });
    first = await register(p);
    second = await register(again(p, 5, 'Achmad Fauzi Hidayat'));
    pairId = (await pairOf(first, second))!;
  });

  it('flags the new record at registration, and the list filter by flag holds exactly it', async () => {
    expect(pairId).toBeTruthy();
    expect(second.reviewFlags).toContain('possible_duplicate');
    expect(await flags(first.id)).not.toContain('possible_duplicate');
    expect(await flagged()).toEqual([second.id]);
    expect(await flagged(officer)).toEqual([second.id]);
    expect(await flagged(officerSouth)).toEqual([]);
    expectProblem(await t.call(admin, 'GET', '/api/v1/participants?reviewFlag=maybe_duplicate'), 422);
  });

  it('"later" keeps the flag: the pair is still undecided', async () => {
    const res = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/decision`, { decision: 'later' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await flags(second.id)).toContain('possible_duplicate');
  });

  it('"not a duplicate" clears the flag and the filtered list agrees', async () => {
    const res = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/decision`, {
      decision: 'not_duplicate',
      note: 'two people: father and son',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await flags(second.id)).not.toContain('possible_duplicate');
    expect(await flagged()).toEqual([]);
    // both histories say it, naming the other record (its registration number, for a link)
    for (const [me, other] of [
      [first, second],
      [second, first],
    ]) {
      const h = await history(me.id, officer);
      const e = h.items.find((i) => i.action === 'duplicate.not_duplicate');
      expect(e?.data?.note).toMatchObject({
        pair: pairId,
        other: other.id,
        note: 'two people: father and son',
      });
      expect(h.related[other.id]).toEqual({ registrationNumber: other.registrationNumber, mergedInto: null });
    }
  });

  it('reopening needs dedupe.review in the area; only "not a duplicate" can be reopened', async () => {
    expectProblem(await t.call(mentor, 'POST', `/api/v1/duplicates/${pairId}/reopen`, {}), 403);
    expectProblem(await t.call(officerSouth, 'POST', `/api/v1/duplicates/${pairId}/reopen`, {}), 404);
    expectProblem(await t.call(null, 'POST', `/api/v1/duplicates/${pairId}/reopen`, {}), 401);
    expectProblem(await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/reopen`, { x: 1 }), 422);
    expect(await pairOf(first, second)).toBeUndefined();
  });

  it('reopens: the pair is back in the queue, both records are flagged, audited with the reason', async () => {
    const res = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/reopen`, {
      note: 'the birth certificates say otherwise',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'open',
      decidedAt: null,
      note: 'the birth certificates say otherwise',
    });
    expect(await pairOf(first, second)).toBe(pairId);
    expect((await flagged()).sort()).toEqual([first.id, second.id].sort());
    const h = await history(second.id);
    const e = h.items.find((i) => i.action === 'duplicate.reopen');
    expect(e?.data?.note).toMatchObject({
      pair: pairId,
      other: first.id,
      note: 'the birth certificates say otherwise',
    });
    // the pair's own trail keeps the decision that was reopened
    const pairTrail = (await t.call(admin, 'GET', `/api/v1/audit?entity=${pairId}`)).json();
    const reopen = pairTrail.items.find((i: { action: string }) => i.action === 'duplicate.reopen');
    expect(reopen.data.note.previous).toMatchObject({ note: 'two people: father and son' });
    expectProblem(
      await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/reopen`, {}),
      409,
      'PAIR_NOT_REOPENABLE',
    );
  });

  it('a merge clears the flag of both; undoing it flags them again', async () => {
    const m = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/merge`, { keep: 'a' });
    expect(m.statusCode, m.body).toBe(200);
    expect(await flagged()).toEqual([]);
    // a merged pair is undone, not reopened
    expectProblem(
      await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/reopen`, {}),
      409,
      'PAIR_NOT_REOPENABLE',
    );
    const keptId = m.json().keptId as string;
    const goneId = keptId === first.id ? second.id : first.id;
    const h = await history(goneId);
    expect(h.items.find((i) => i.action === 'participant.merge')?.data?.note).toMatchObject({
      kept: keptId,
      merged: goneId,
    });
    expect(h.related[keptId].registrationNumber).toMatch(/^JKP-/);
    const u = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/unmerge`, {});
    expect(u.statusCode, u.body).toBe(200);
    expect((await flagged()).sort()).toEqual([first.id, second.id].sort());
    const hk = await history(keptId);
    expect(hk.items.find((i) => i.action === 'participant.unmerge')?.data?.note).toMatchObject({
      kept: keptId,
      restored: goneId,
    });
  });
});

describe('a record in two pairs keeps its flag until both are decided', () => {
  it('clears the flag only when the last undecided pair is decided', async () => {
    const p = person({ sex: 'F', birthDate: '1990-09-03', village: V.gambir, name: 'Siti Rahmawati Lubis' });
    const r1 = await register(p);
    const r2 = await register(again(p, 5, 'Siti Rachmawati Lubis'));
    const r3 = await register(again(p, 13, 'St. Rahmawati Lubis'));
    expect(r3.reviewFlags).toContain('possible_duplicate');
    const p13 = (await pairOf(r1, r3))!;
    const p23 = (await pairOf(r2, r3))!;
    expect(p13 && p23).toBeTruthy();
    const nd = await t.call(admin, 'POST', `/api/v1/duplicates/${p23}/decision`, {
      decision: 'not_duplicate',
    });
    expect(nd.statusCode, nd.body).toBe(200);
    expect(await flags(r3.id)).toContain('possible_duplicate');
    expect(await flagged()).toContain(r3.id);
    // merging r3 into r1 decides the last pair of r3; r2's pair with r1 is still open, so r2 keeps its flag
    const m = await t.call(admin, 'POST', `/api/v1/duplicates/${p13}/merge`, { keep: 'a' });
    expect(m.statusCode, m.body).toBe(200);
    expect(await flags(r3.id)).not.toContain('possible_duplicate');
    expect(await flags(r2.id)).toContain('possible_duplicate');
    const listed = await flagged();
    expect(listed).toContain(r2.id);
    expect(listed).not.toContain(r3.id);
  });
});

describe('the kept record shows the records merged into it', () => {
  it('lists them with the merge date, their enrolments and milestones, read-only, until the merge is undone', async () => {
    const p = person({ sex: 'M', birthDate: '1975-05-30', village: V.gambir, name: 'Joko Susilo Nugroho' });
    const kept = await register(p);
    const dup = await register(again(p, 5, 'Djoko Soesilo Nugroho'));
    // the duplicate was enrolled by another agency before anyone noticed
    const en = await t.call(admin, 'POST', `/api/v1/participants/${dup.id}/enrolments`, { agency: 'DINSOS' });
    expect(en.statusCode, en.body).toBe(201);
    const pairId = (await pairOf(kept, dup))!;
    const m = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/merge`, { keep: 'a' });
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().keptId).toBe(kept.id);

    const k = (await t.call(officer, 'GET', `/api/v1/participants/${kept.id}`)).json();
    expect(k.mergedRecords).toHaveLength(1);
    const mr = k.mergedRecords[0];
    expect(mr).toMatchObject({ id: dup.id, registrationNumber: dup.registrationNumber, erased: false });
    expect(Date.parse(mr.mergedAt)).not.toBeNaN();
    expect(mr.enrolments.map((e: { agency: string }) => e.agency).sort()).toEqual(['DINSOS', 'PPKUKM']);
    expect(mr.milestones.map((x: { stage: string }) => x.stage)).toContain('P1');
    // nothing moved: the kept record's own enrolments and milestones are its own
    expect(k.enrolments.map((e: { agency: string }) => e.agency)).toEqual(['PPKUKM']);
    expect(k.milestones.map((x: { stage: string }) => x.stage)).toContain('P1');
    expect(JSON.stringify(mr)).not.toContain(p.phone);

    const d = (await t.call(officer, 'GET', `/api/v1/participants/${dup.id}`)).json();
    expect(d.mergedIntoRecord).toEqual({ id: kept.id, registrationNumber: kept.registrationNumber });
    expect(d.enrolments.map((e: { agency: string }) => e.agency).sort()).toEqual(['DINSOS', 'PPKUKM']);
    // the merged record is read-only: status actions, edits and enrolments go to the kept record
    for (const [m, u, body, headers] of [
      ['POST', '/verify', { evidence: { ktpSeen: true, businessSeen: true } }, {}],
      ['POST', '/reject', { reason: 'duplikat' }, {}],
      ['POST', '/enrolments', { agency: 'DINSOS' }, {}],
      [
        'PATCH',
        '',
        { fullName: 'Djoko Baru' },
        { 'if-match': '*', 'content-type': 'application/merge-patch+json' },
      ],
    ] as const) {
      const res = await t.call(admin, m, `/api/v1/participants/${dup.id}${u}`, body, headers);
      expectProblem(res, 409, 'RECORD_MERGED');
    }

    const u = await t.call(officer, 'POST', `/api/v1/duplicates/${pairId}/unmerge`, {});
    expect(u.statusCode, u.body).toBe(200);
    expect((await t.call(officer, 'GET', `/api/v1/participants/${kept.id}`)).json().mergedRecords).toEqual(
      [],
    );
    expect(
      (await t.call(officer, 'GET', `/api/v1/participants/${dup.id}`)).json().mergedIntoRecord,
    ).toBeNull();
  });
});
