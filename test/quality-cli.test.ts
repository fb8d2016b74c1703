/**
 * `jakpreneur quality report` as an operator runs it: a child process on a real database (SQLite, or
 * PostgreSQL with TEST_DATABASE_URL). One JSON object with --json, readable tables otherwise, exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wibDate } from '../src/core/clock.ts';
import type { Ctx } from '../src/core/context.ts';
import { createUser, loadActor } from '../src/modules/auth/service.ts';
import { createParticipant } from '../src/modules/participants/commands.ts';
import { qualityReport } from '../src/modules/quality/service.ts';
import { body, person, V } from './api-fixtures.ts';
import { freshServices, sysCtx } from './helpers.ts';
import { cliEnv, runCli } from './import-fixtures.ts';

type Env = Awaited<ReturnType<typeof freshServices>>;
let env: Env;
let cli: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await freshServices();
  cli = cliEnv(env.databaseUrl, env.dir);
  for (const [email, role, areas] of [
    ['officer@cli-quality.test', 'officer', ['31.74']],
    ['mentor@cli-quality.test', 'mentor', ['31.74']],
  ] as const) {
    await createUser(env.svc, sysCtx, { email, password: 'password-123', role, areas: [...areas] });
  }
  const officer = await env.svc.db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'officer@cli-quality.test')
    .executeTakeFirstOrThrow();
  const ctx: Ctx = { actor: await loadActor(env.svc, officer.id), ip: null, lang: 'en', via: 'http' };
  const add = (p: ReturnType<typeof person>, extra: Record<string, unknown> = {}) =>
    createParticipant(env.svc, ctx, { ...body(p), ...extra } as never, 'officer');
  const ago = (d: number) => wibDate(new Date(Date.now() - d * 86_400_000));
  await add(person({ village: V.tebetTimur }));
  await add(person({ village: V.tebetTimur, consentGiven: false }));
  await add(person({ village: V.tebetTimur }), { registeredAt: ago(20) });
  await add(person({ village: V.setiaBudi }), { registeredAt: ago(10) });
  // outside the officer's city (registered by the operator)
  await createParticipant(
    env.svc,
    sysCtx,
    { ...body(person({ village: V.gambir, consentGiven: false })) } as never,
    'officer',
  );
});
afterAll(async () => env.cleanup());

function jsonLine(stdout: string) {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, stdout).toHaveLength(1);
  return JSON.parse(lines[0]);
}
const counts = (r: { checks: { key: string; count: number }[] }) =>
  Object.fromEntries(r.checks.map((c) => [c.key, c.count]));

describe('jakpreneur quality report', () => {
  it('--json prints one JSON object, the same report as the service', async () => {
    const [all, late, officer] = await Promise.all([
      runCli(['quality', 'report', '--json'], cli),
      runCli(['quality', 'report', '--json', '--pending-days', '5', '--inactive-months', '6'], cli),
      runCli(['quality', 'report', '--json', '--as', 'officer@cli-quality.test'], cli),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const r = jsonLine(all.stdout);
    expect(Object.keys(r).sort()).toEqual([
      'anomalies',
      'checks',
      'generatedAt',
      'mergedExcluded',
      'options',
      'scope',
      'total',
    ]);
    expect(Object.keys(r.anomalies).sort()).toEqual([
      'dailyPeaks',
      'deadlineBursts',
      'deadlines',
      'devices',
      'ips',
      'sharedPhones',
    ]);
    expect(r.scope).toBeNull();
    expect(r.total).toBe(5);
    const service = await qualityReport(env.svc, sysCtx);
    expect(counts(r)).toEqual(counts(service));
    expect(counts(r)).toMatchObject({ consent_missing: 2, pending_verification: 1, inactive: 0 });
    expect(r.checks[0]).toEqual({
      key: 'nik_confirmed',
      count: 0,
      byRegency: [],
      byDistrict: [],
      byCollaborator: [],
    });

    expect(late.code, late.stderr).toBe(0);
    const l = jsonLine(late.stdout);
    expect(l.options).toMatchObject({ pendingDays: 5, inactiveMonths: 6 });
    expect(counts(l).pending_verification).toBe(2);

    expect(officer.code, officer.stderr).toBe(0);
    const o = jsonLine(officer.stdout);
    expect(o.scope).toEqual(['31.74']);
    expect(o.total).toBe(4);
    expect(counts(o).consent_missing).toBe(1);
  });

  it('prints readable tables without --json', async () => {
    const res = await runCli(['quality', 'report'], cli);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^Data quality: 5 records in the whole program \(pending > 14 days/);
    expect(res.stdout).toMatch(/Consent missing\s+2\s+Jakarta Pusat 1; Jakarta Selatan 1/);
    expect(res.stdout).toMatch(/Verification pending\s+1\s/);
    expect(res.stdout).toMatch(/The same phone on many records \(from 3; masked\):\n {2}none/);
  });

  it('refuses roles without the report (exit 1) and usage errors exit 2', async () => {
    const refused = await runCli(['quality', 'report', '--as', 'mentor@cli-quality.test'], cli);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: Your role does not allow this action/);
    expect(refused.stdout).toBe('');
    const cases = [
      ['quality', 'report', '--pending-days', '0'],
      ['quality', 'report', '--pending-days', 'abc'],
      ['quality', 'report', '--pending-days'],
      ['quality', 'report', '--inactive-months', '999'],
      ['quality', 'report', '--bogus'],
      ['quality', 'report', 'extra'],
      ['quality', 'frobnicate'],
      ['quality', 'report', '--as', 'nobody@cli-quality.test'],
    ];
    // a few at a time (each is a process start)
    const results = [];
    for (let i = 0; i < cases.length; i += 4)
      results.push(...(await Promise.all(cases.slice(i, i + 4).map((c) => runCli(c, cli)))));
    for (const [i, r] of results.entries()) {
      expect({ args: cases[i].join(' '), code: r.code }).toEqual({ args: cases[i].join(' '), code: 2 });
      expect(r.stderr).toMatch(/error/i);
      expect(r.stdout).toBe('');
    }
  });
});
