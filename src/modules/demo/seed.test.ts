/**
 * The demo program on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), at 3,000 participants:
 * counts and proportions, determinism (inline and in the worker thread), valid identifiers, the funnel, the
 * rollups (`stats verify`), the demo users, the refusal of a second seed, and the CLI.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, sysCtx, TEST_MASTER_KEY } from '../../../test/helpers.ts';
import type { Services } from '../../core/context.ts';
import { checkNikAgrees, normalizePhone, parseNik } from '../../identity/index.ts';
import { login } from '../auth/service.ts';
import { summary, verifyStats } from '../stats/service.ts';
import { DemoSeedRefused, funnelTargets, type SeedResult, seedDemo } from './seed.ts';

const N = 3000;
type Env = Awaited<ReturnType<typeof freshServices>>;
let env: Env;
let svc: Services;
let res: SeedResult;

beforeAll(async () => {
  env = await freshServices();
  svc = env.svc;
  res = await seedDemo(svc, { participants: N });
}, 120_000);
afterAll(async () => env?.cleanup());

/** Every participant with its NIK and phone decrypted. */
async function people(s: Services) {
  const rows = await s.db.kysely
    .selectFrom('participants')
    .innerJoin('person_keys', 'person_keys.participant_id', 'participants.id')
    .select([
      'participants.id',
      'registration_number',
      'nik_enc',
      'nik_hash',
      'phone_enc',
      'full_name',
      'birth_date',
      'sex',
      'district_code',
      'village_code',
      'status',
      'registered_at',
      'key_id',
      'wrapped_key',
    ])
    .orderBy('registration_number')
    .execute();
  return rows.map((r) => {
    const key = s.vault.unwrap(r.key_id, r.wrapped_key!);
    return { ...r, nik: s.vault.decrypt(key, r.nik_enc!), phone: s.vault.decrypt(key, r.phone_enc!) };
  });
}

const count = async (table: 'participants' | 'collaborators' | 'enrolments' | 'milestones' | 'targets') =>
  Number(
    (
      await svc.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('seed demo', () => {
  it('creates the participants, collaborators, targets and enrolments', async () => {
    expect(res.participants).toBe(N);
    expect(await count('participants')).toBe(N);
    const k = svc.db.kysely;
    const demo = await k
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('is_demo', '=', 1)
      .executeTakeFirstOrThrow();
    expect(Number(demo.n)).toBe(N);

    // 120 collaborators of every type, with MoU numbers and periods
    const collabs = await k.selectFrom('collaborators').selectAll().execute();
    expect(collabs).toHaveLength(120);
    expect(new Set(collabs.map((c) => c.type))).toEqual(
      new Set(['community', 'university', 'company', 'bank', 'bumd', 'ngo', 'government']),
    );
    expect(new Set(collabs.map((c) => c.name)).size).toBe(120);
    for (const c of collabs) {
      expect(c.mou_number).toMatch(/^\d{3}\/KS\/PPKUKM\/[IVX]+\/20\d\d$/);
      expect(c.mou_start! < c.mou_end!).toBe(true);
      expect(JSON.parse(c.stages).length).toBeGreaterThan(0);
      expect(normalizePhone(c.contact_phone!).ok).toBe(true);
    }
    // about 40 % brought by a collaborator
    const brought = await k
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('collaborator_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(brought.n) / N).toBeGreaterThan(0.33);
    expect(Number(brought.n) / N).toBeLessThan(0.47);
    expect(res.collaboratorParticipants).toBe(Number(brought.n));

    // targets: per agency and per city, each summing to the program's 200,000
    const targets = await k.selectFrom('targets').selectAll().execute();
    const sum = (xs: typeof targets) => xs.reduce((s, t) => s + Number(t.target), 0);
    const agencies = targets.filter((t) => t.agency && !t.regency_code);
    const cities = targets.filter((t) => t.regency_code && !t.agency);
    expect(new Set(agencies.map((t) => t.agency))).toEqual(
      new Set(['PPKUKM', 'PPAPP', 'PAREKRAF', 'DINSOS', 'NAKERTRANSGI']),
    );
    expect(sum(agencies)).toBe(200_000);
    expect(cities).toHaveLength(6);
    expect(sum(cities)).toBe(200_000);

    // one enrolment with the owning agency each, about 5 % with a second one
    const enrolments = await count('enrolments');
    expect(enrolments).toBe(N + res.secondEnrolments);
    expect(res.secondEnrolments / N).toBeGreaterThan(0.03);
    expect(res.secondEnrolments / N).toBeLessThan(0.07);
  });

  it('spreads people over Jakarta and over time as the program grew', async () => {
    const k = svc.db.kysely;
    const byCity = new Map<string, number>();
    const districts = new Set<string>();
    const byYear = new Map<string, number>();
    let kuliner = 0;
    const rows = await k
      .selectFrom('participants')
      .select(['regency_code', 'district_code', 'registered_date', 'sector', 'channel', 'consent_given'])
      .execute();
    const channels = new Set<string>();
    let noConsent = 0;
    for (const r of rows) {
      byCity.set(r.regency_code, (byCity.get(r.regency_code) ?? 0) + 1);
      districts.add(r.district_code);
      byYear.set(r.registered_date.slice(0, 4), (byYear.get(r.registered_date.slice(0, 4)) ?? 0) + 1);
      if (r.sector === 'kuliner') kuliner++;
      channels.add(r.channel);
      if (!r.consent_given) noConsent++;
      expect(r.registered_date >= '2017-01-01' && r.registered_date <= '2022-02-28').toBe(true);
    }
    const order = ['31.74', '31.75', '31.73', '31.72', '31.71', '31.01'].map((c) => byCity.get(c) ?? 0);
    for (let i = 1; i < order.length; i++) expect(order[i - 1]).toBeGreaterThan(order[i]);
    expect(order[5]).toBeGreaterThan(0);
    expect(districts.size).toBe(44);
    expect(kuliner / N).toBeGreaterThan(0.7);
    expect(kuliner / N).toBeLessThan(0.8);
    expect(channels).toEqual(new Set(['officer', 'import', 'self']));
    expect(noConsent).toBeGreaterThan(0);
    expect(noConsent / N).toBeLessThan(0.05);
    const y = (year: string) => byYear.get(year) ?? 0;
    expect([...byYear.keys()].sort()).toEqual(['2017', '2018', '2019', '2020', '2021', '2022']);
    for (const big of ['2019', '2020', '2021']) expect(y(big)).toBeGreaterThan(3 * y('2017'));
    expect(y('2019') + y('2020') + y('2021')).toBeGreaterThan(0.7 * N);
  });

  it('is deterministic: the same people, numbers and ids again, also when built in the worker thread', async () => {
    const other = await freshServices();
    try {
      await seedDemo(other.svc, { participants: N, worker: true });
      const key = (r: Awaited<ReturnType<typeof people>>[number]) =>
        [
          r.id,
          r.registration_number,
          r.nik,
          r.full_name,
          r.phone,
          r.village_code,
          r.status,
          r.registered_at,
        ].join('|');
      const a = (await people(svc)).map(key);
      const b = (await people(other.svc)).map(key);
      expect(a).toHaveLength(N);
      expect(b).toEqual(a);
      const ms = async (s: Services) =>
        (
          await s.db.kysely
            .selectFrom('milestones')
            .select(['id', 'participant_id', 'stage', 'kind', 'occurred_at'])
            .orderBy('id')
            .execute()
        ).map((m) => Object.values(m).join('|'));
      expect(await ms(other.svc)).toEqual(await ms(svc));
    } finally {
      await other.cleanup();
    }
  }, 120_000);

  it('gives every person a valid NIK agreeing with birth date and sex, and a valid mobile number', async () => {
    const all = await people(svc);
    const niks = new Set<string>();
    let elsewhere = 0;
    for (const p of all) {
      const parsed = parseNik(p.nik);
      expect(parsed.errors, p.nik).toEqual([]);
      expect(checkNikAgrees(p.nik, { birthDate: p.birth_date, sex: p.sex as 'M' | 'F' }), p.nik).toEqual([]);
      expect(svc.vault.hmac('nik', p.nik)).toBe(p.nik_hash);
      if (parsed.districtCode !== p.district_code.replaceAll('.', '')) elsewhere++;
      niks.add(p.nik);
      const ph = normalizePhone(p.phone);
      expect(ph.ok, p.phone).toBe(true);
      if (ph.ok) expect(ph.e164).toBe(p.phone);
      expect(p.full_name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+){0,2}$/);
    }
    expect(niks.size).toBe(N);
    // the kecamatan of the NIK differs from the domicile for about 20 %
    expect(elsewhere / N).toBeGreaterThan(0.14);
    expect(elsewhere / N).toBeLessThan(0.26);
  });

  it('has a realistic status mix with verifiers and validators of the right roles', async () => {
    const k = svc.db.kysely;
    const rows = await k
      .selectFrom('participants')
      .leftJoin('users as v', 'v.id', 'participants.verified_by')
      .leftJoin('users as o', 'o.id', 'participants.validated_by')
      .select([
        'status',
        'registered_date',
        'registered_at',
        'verified_at',
        'validated_at',
        'status_reason',
        'v.role as verifierRole',
        'o.role as validatorRole',
      ])
      .execute();
    const by = new Map<string, number>();
    const recent = { registered: 0, all: 0 };
    const old = { registered: 0, all: 0 };
    for (const r of rows) {
      by.set(r.status, (by.get(r.status) ?? 0) + 1);
      const bucket =
        r.registered_date >= '2021-07-01' ? recent : r.registered_date < '2019-01-01' ? old : null;
      if (bucket) {
        bucket.all++;
        if (r.status === 'registered') bucket.registered++;
      }
      if (r.status === 'verified' || r.status === 'validated') {
        expect(r.verifierRole).toBe('mentor');
        expect(r.verified_at! > r.registered_at).toBe(true);
      } else expect(r.verified_at).toBeNull();
      if (r.status === 'validated') {
        expect(r.validatorRole).toBe('officer');
        expect(r.validated_at! > r.verified_at!).toBe(true);
      } else expect(r.validated_at).toBeNull();
      if (r.status === 'rejected') expect(r.status_reason).toBeTruthy();
    }
    expect((by.get('validated') ?? 0) + (by.get('verified') ?? 0)).toBeGreaterThan(0.7 * N);
    expect((by.get('rejected') ?? 0) / N).toBeGreaterThan(0.01);
    expect((by.get('rejected') ?? 0) / N).toBeLessThan(0.035);
    expect(recent.registered / recent.all).toBeGreaterThan(3 * (old.registered / old.all));
    // P1 milestones follow the statuses
    const p1 = await k
      .selectFrom('milestones')
      .select(['kind', (eb) => eb.fn.countAll().as('n')])
      .where('stage', '=', 'P1')
      .groupBy('kind')
      .execute();
    const m = Object.fromEntries(p1.map((r) => [r.kind, Number(r.n)]));
    expect(m.registered).toBe(N);
    expect(m.verified).toBe((by.get('verified') ?? 0) + (by.get('validated') ?? 0));
    expect(m.validated).toBe(by.get('validated') ?? 0);
  });

  it('reproduces the published funnel: each stage a subset of the one before, in proportion, in order', async () => {
    const k = svc.db.kysely;
    const ms = await k
      .selectFrom('milestones')
      .innerJoin('participants', 'participants.id', 'milestones.participant_id')
      .select(['participant_id', 'stage', 'kind', 'occurred_at', 'source_module', 'registered_at'])
      .orderBy('participant_id')
      .orderBy('occurred_at')
      .execute();
    const stagesOf = new Map<string, Set<string>>();
    const byStage = new Map<string, Set<string>>();
    const last = new Map<string, { stage: string; at: string }>();
    for (const m of ms) {
      if (!stagesOf.has(m.participant_id)) stagesOf.set(m.participant_id, new Set());
      stagesOf.get(m.participant_id)!.add(m.stage);
      if (!byStage.has(m.stage)) byStage.set(m.stage, new Set());
      byStage.get(m.stage)!.add(m.participant_id);
      expect(m.occurred_at >= m.registered_at).toBe(true);
      expect(m.occurred_at <= '2022-02-28T17:00:00.000Z').toBe(true);
      // ordered by time, the stages never go back
      const prev = last.get(m.participant_id);
      if (prev)
        expect(m.stage >= prev.stage, `${m.participant_id} ${m.stage} after ${prev.stage}`).toBe(true);
      last.set(m.participant_id, { stage: m.stage, at: m.occurred_at });
      if (m.stage !== 'P1') expect(m.source_module).toBe('demo');
    }
    const targets = funnelTargets(N);
    const stages = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'];
    stages.forEach((s, i) => {
      const n = byStage.get(s)?.size ?? 0;
      expect(n, s).toBe(targets[s]);
      expect(res.funnel[s]).toBe(n);
      if (i > 0) {
        expect(n).toBeLessThanOrEqual(byStage.get(stages[i - 1])!.size);
        for (const p of byStage.get(s)!) expect(stagesOf.get(p)!.has(stages[i - 1])).toBe(true);
      }
    });
    // about 2 % reach capital, as published (6,159 of 284,164)
    expect(targets.P7 / N).toBeCloseTo(6159 / 284164, 3);
    const kinds = new Set(ms.map((m) => `${m.stage}:${m.kind}`));
    for (const k2 of [
      'P2:completed-training',
      'P3:mentored',
      'P4:nib-issued',
      'P4:pirt-issued',
      'P4:halal-certified',
      'P5:first-sale',
      'P5:curated',
      'P6:bookkeeping-started',
      'P7:loan-disbursed',
    ])
      expect(kinds.has(k2), k2).toBe(true);
  });

  it('keeps the rollups right: stats verify agrees and the summary shows registered against target', async () => {
    const v = await verifyStats(svc);
    expect(v.differences).toEqual([]);
    expect(v.ok).toBe(true);
    const s = await summary(svc, null, 'en');
    expect(s.registered).toBe(N);
    expect(s.target).toBe(200_000);
    expect(s.achievementPct).toBe(Math.round((N / 200_000) * 1000) / 10);
    expect(s.funnel.map((f) => f.count)).toEqual(Object.values(funnelTargets(N)));
    expect(s.byAgency.find((a) => a.key === 'PPKUKM')?.target).toBe(130_000);
    expect(s.byRegency).toHaveLength(6);
    // a city officer's scope has its own target
    const jaksel = await summary(svc, ['31.74'], 'en');
    expect(jaksel.target).toBe(54_000);
  });

  it('creates demo users for every role who can log in with the printed passwords', async () => {
    const roles = new Set(res.users.map((u) => u.role));
    expect(roles).toEqual(new Set(['admin', 'officer', 'mentor', 'collaborator', 'participant']));
    const officers = res.users.filter((u) => u.role === 'officer').flatMap((u) => u.areas);
    expect(new Set(officers)).toEqual(new Set(['31.71', '31.72', '31.73', '31.74', '31.75', '31.01']));
    // every kecamatan has its mentor
    const mentorAreas = res.users.filter((u) => u.role === 'mentor').flatMap((u) => u.areas);
    expect(new Set(mentorAreas).size).toBe(44);
    const users = await svc.db.kysely.selectFrom('users').selectAll().execute();
    expect(users).toHaveLength(res.users.length);
    for (const u of users) expect(u.must_change_password).toBe(0);
    const ctx = { ...sysCtx, via: 'http' as const };
    const admin = res.users.find((u) => u.role === 'admin')!;
    const a = await login(svc, ctx, { email: admin.login, password: admin.password });
    expect(a.user.role).toBe('admin');
    const participant = res.users.find((u) => u.role === 'participant')!;
    expect(participant.loginBy).toBe('phone');
    const p = await login(svc, ctx, { phone: participant.login, password: participant.password });
    expect(p.user.role).toBe('participant');
    const own = await svc.db.kysely
      .selectFrom('participants')
      .select('registration_number')
      .where('id', '=', p.user.participantId!)
      .executeTakeFirstOrThrow();
    expect(own.registration_number).toBe(participant.participant);
    const staff = res.users.find((u) => u.role === 'collaborator')!;
    const c = await login(svc, ctx, { email: staff.login, password: staff.password });
    expect(c.user.collaboratorId).toBeTruthy();
  });

  it('refuses a second seed and leaves the database as it was', async () => {
    const err = await seedDemo(svc, { participants: N }).catch((e) => e);
    expect(err).toBeInstanceOf(DemoSeedRefused);
    expect(err.code).toBe('DEMO_DATABASE_NOT_EMPTY');
    expect(await count('participants')).toBe(N);
    expect(await count('collaborators')).toBe(120);
    expect(await count('targets')).toBe(11);
  });
});

const ROOT = resolve(import.meta.dirname, '../../..');
function runCli(args: string[], e: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/jakpreneur.js'), ...args], {
      env: e,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('jakpreneur seed demo', () => {
  it('prints one JSON object with the counts and users, shows progress, and refuses a second run', async () => {
    const other = await freshServices();
    try {
      const e: NodeJS.ProcessEnv = { ...process.env };
      for (const key of Object.keys(e))
        if (key.startsWith('VITEST') || key === 'TEST_DATABASE_URL') delete e[key];
      Object.assign(e, {
        DATABASE_URL: other.databaseUrl,
        DATA_DIR: other.dir,
        JAKPRENEUR_MASTER_KEY: `${TEST_MASTER_KEY.id}:${TEST_MASTER_KEY.key.toString('base64')}`,
        JAKPRENEUR_LANG: 'en',
        LOG_LEVEL: 'silent',
      });
      const first = await runCli(['seed', 'demo', '--participants', '500', '--json'], e);
      expect(first.code, first.stderr).toBe(0);
      const lines = first.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const out = JSON.parse(lines[0]);
      expect(out.participants).toBe(500);
      expect(out.collaborators).toBe(120);
      expect(out.users.find((u: { role: string }) => u.role === 'admin').password).toBe('demo-admin-2022');
      expect(first.stderr).toMatch(/500\/500 participants \(100%/);
      const again = await runCli(['seed', 'demo', '--participants', '500'], e);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already has participants/);
      expect(again.stdout).toBe('');
      const bad = await runCli(['seed', 'demo', '--participants', 'many'], e);
      expect(bad.code).toBe(2);
      const verify = await runCli(['stats', 'verify'], e);
      expect(verify.code, verify.stdout).toBe(0);
    } finally {
      await other.cleanup();
    }
  }, 120_000);
});
