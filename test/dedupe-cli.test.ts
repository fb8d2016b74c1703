/** `jakpreneur dedupe scan` as an operator runs it: a child process, JSON on stdout, progress on stderr. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParticipant } from '../src/modules/participants/commands.ts';
import { body, person, V } from './api-fixtures.ts';
import { freshServices, sysCtx } from './helpers.ts';
import { cliEnv, runCli } from './import-fixtures.ts';

let env: Awaited<ReturnType<typeof freshServices>>;
let cli: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await freshServices();
  cli = cliEnv(env.databaseUrl, env.dir);
});
afterAll(async () => env.cleanup());

const register = (p: ReturnType<typeof person>) =>
  createParticipant(env.svc, sysCtx, body(p) as never, 'api') as Promise<{ registrationNumber: string }>;

describe('dedupe scan', () => {
  it('prints one JSON array of likely duplicate pairs with their NIKs, score and level', async () => {
    const p = person({
      sex: 'F',
      birthDate: '1979-11-03',
      village: V.cideng,
      name: 'Siti Nurhaliza Harahap',
    });
    const a = await register(p);
    // the same woman again: the year's two NIK digits swapped (79 -> 97), the name in the old way and abbreviated
    const nik = `${p.nik.slice(0, 10)}${p.nik[11]}${p.nik[10]}${p.nik.slice(12)}`;
    const b = await register({ ...p, nik, fullName: 'St. Noerhaliza Harahap', email: undefined } as never);
    // someone else entirely
    await register(
      person({ sex: 'M', birthDate: '1990-02-14', village: V.tebetTimur, name: 'Bambang Wibowo' }),
    );

    const res = await runCli(['dedupe', 'scan', '--json'], cli);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    const pairs = JSON.parse(lines[0]);
    expect(pairs).toEqual([
      {
        a: a.registrationNumber,
        b: b.registrationNumber,
        aNik: p.nik,
        bNik: nik,
        score: expect.any(Number),
        level: 'sure',
      },
    ]);
    expect(res.stderr).toMatch(/3 records, 1 likely duplicate pair/);
  });

  it('without --json prints a readable list; unknown options are usage errors (exit 2)', async () => {
    const plain = await runCli(['dedupe', 'scan'], cli);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^SURE\s+\d+\.\d\s+JKP-/m);
    const bad = await runCli(['dedupe', 'scan', '--everything'], cli);
    expect(bad.code).toBe(2);
  });
});
