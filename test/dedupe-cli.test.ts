/** `jakpreneur dedupe scan` as an operator runs it: a child process, JSON on stdout, progress on stderr. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../src/modules/imports/service.ts';
import { generateRow } from '../src/testing/generator.ts';
import { person, registerDirect, V } from './api-fixtures.ts';
import { freshServices, sysCtx } from './helpers.ts';
import { cellsOf, cliEnv, FULL_HEADERS, runCli, writeCsv } from './import-fixtures.ts';

let env: Awaited<ReturnType<typeof freshServices>>;
let cli: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await freshServices();
  cli = cliEnv(env.databaseUrl, env.dir);
});
afterAll(async () => env.cleanup());

const register = (p: ReturnType<typeof person>) => registerDirect(env.svc, p);

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

describe('import', () => {
  it('flags a likely duplicate of a registered person for review, and still imports it', async () => {
    const g = generateRow(4242);
    const original = cellsOf(g);
    const first = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'one.csv', FULL_HEADERS, [original]),
      'one.csv',
      { mode: 'insert', dryRun: false, collaboratorId: null },
    );
    expect(first.summary.inserted).toBe(1);
    // the same person in another file: the last serial digit mistyped, the name upper-cased, the same phone
    const nik = `${g.nik.slice(0, 15)}${(Number(g.nik[15]) + 1) % 10}`;
    const again = { ...original, NIK: nik, 'Nama Lengkap': g.fullName.toUpperCase() };
    const second = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'two.csv', FULL_HEADERS, [again]),
      'two.csv',
      { mode: 'insert', dryRun: false, collaboratorId: null },
    );
    expect(second.summary.inserted).toBe(1);
    const pairs = await env.svc.db.kysely
      .selectFrom('duplicate_pairs')
      .selectAll()
      .where('source', '=', 'import')
      .execute();
    expect(pairs).toHaveLength(1);
    const flagged = await env.svc.db.kysely
      .selectFrom('participants')
      .select('review_flags')
      .where('nik_masked', 'like', `%${nik.slice(12)}`)
      .where('full_name', '=', g.fullName.toUpperCase())
      .executeTakeFirstOrThrow();
    expect(JSON.parse(flagged.review_flags ?? '[]')).toContain('possible_duplicate');
  });

  it('in a batch of many rows, finds a duplicate born the same day in the same kecamatan with another phone', async () => {
    const g = generateRow(4343);
    const first = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'three.csv', FULL_HEADERS, [cellsOf(g)]),
      'three.csv',
      { mode: 'insert', dryRun: false, collaboratorId: null },
    );
    expect(first.summary.inserted).toBe(1);
    // the same person among strangers: the last serial digit mistyped and a new phone number, so only the
    // (birth date, kecamatan) block can bring the two together
    const nik = `${g.nik.slice(0, 15)}${(Number(g.nik[15]) + 1) % 10}`;
    const again = { ...cellsOf(g), NIK: nik, 'No HP': generateRow(98765).phone };
    const strangers = [5001, 5002, 5003].map((i) => cellsOf(generateRow(i)));
    const second = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'four.csv', FULL_HEADERS, [strangers[0], again, ...strangers.slice(1)]),
      'four.csv',
      { mode: 'insert', dryRun: false, collaboratorId: null },
    );
    expect(second.summary.inserted).toBe(4);
    const flagged = await env.svc.db.kysely
      .selectFrom('participants')
      .select(['id', 'review_flags'])
      .where('nik_masked', 'like', `%${nik.slice(12)}`)
      .where('import_job_id', 'is not', null)
      .where('birth_date', '=', g.birthDate)
      .execute();
    const mine = flagged.filter((r) => JSON.parse(r.review_flags ?? '[]').includes('possible_duplicate'));
    expect(mine).toHaveLength(1);
    const pairs = await env.svc.db.kysely
      .selectFrom('duplicate_pairs')
      .select('id')
      .where('source', '=', 'import')
      .where((eb) => eb.or([eb('a_id', '=', mine[0].id), eb('b_id', '=', mine[0].id)]))
      .execute();
    expect(pairs).toHaveLength(1);
  });

  it("finds a duplicate of a row written by one of the same file's earlier batches", async () => {
    const g = generateRow(4444);
    // the same person three rows on, in another batch (batches of two): the serial mistyped, another phone
    const nik = `${g.nik.slice(0, 15)}${(Number(g.nik[15]) + 1) % 10}`;
    const again = { ...cellsOf(g), NIK: nik, 'No HP': generateRow(98766).phone };
    const rows = [cellsOf(g), cellsOf(generateRow(6001)), cellsOf(generateRow(6002)), again];
    const res = await runImport(
      env.svc,
      sysCtx,
      writeCsv(env.dir, 'five.csv', FULL_HEADERS, rows),
      'five.csv',
      { mode: 'insert', dryRun: false, collaboratorId: null, batchSize: 2 },
    );
    expect(res.summary.inserted).toBe(4);
    const pairs = await env.svc.db.kysely
      .selectFrom('duplicate_pairs as d')
      .innerJoin('participants as a', 'a.id', 'd.a_id')
      .innerJoin('participants as b', 'b.id', 'd.b_id')
      .select(['a.import_job_id as aJob', 'b.import_job_id as bJob'])
      .where('d.source', '=', 'import')
      .where('a.import_job_id', '=', res.jobId)
      .execute();
    expect(pairs).toEqual([{ aJob: res.jobId, bJob: res.jobId }]);
  });
});
