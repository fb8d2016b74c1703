import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/core/context.ts';
import { createUser, loadActor } from '../src/modules/auth/service.ts';
import { runImport } from '../src/modules/imports/service.ts';
import {
  createParticipant,
  enrol,
  eraseParticipant,
  etagOf,
  patchParticipant,
  transition,
} from '../src/modules/participants/commands.ts';
import { summary, verifyStats } from '../src/modules/stats/service.ts';
import { apiBody, CSV_HEADERS, csvLine, generateRow, jakartaVillages } from '../src/testing/generator.ts';
import { freshServices, sysCtx } from './helpers.ts';

let env: Awaited<ReturnType<typeof freshServices>>;
let mentor: Ctx;
let officer: Ctx;
let admin: Ctx;

beforeAll(async () => {
  env = await freshServices();
  const mk = async (email: string, role: 'admin' | 'officer' | 'mentor', areas: string[] = []) => {
    const u = await createUser(env.svc, sysCtx, { email, password: 'password-123', role, areas });
    return { actor: await loadActor(env.svc, u.user.id), ip: null, lang: 'en', via: 'http' } as Ctx;
  };
  admin = await mk('admin@p.id', 'admin');
  mentor = await mk('mentor@p.id', 'mentor', ['31']);
  officer = await mk('officer@p.id', 'officer', ['31']);
});
afterAll(async () => env.cleanup());

type Op =
  | { k: 'register'; i: number }
  | { k: 'import'; from: number; n: number; bad: boolean }
  | { k: 'verify' | 'validate' | 'reject' | 'reopen' | 'erase' | 'move' | 'enrol' | 'sector'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('register' as const), i: fc.integer({ min: 0, max: 400 }) }),
  fc.record({
    k: fc.constant('import' as const),
    from: fc.integer({ min: 0, max: 400 }),
    n: fc.integer({ min: 1, max: 12 }),
    bad: fc.boolean(),
  }),
  fc.record({
    k: fc.constantFrom('verify', 'validate', 'reject', 'reopen', 'erase', 'move', 'enrol', 'sector'),
    pick: fc.nat(),
  }) as fc.Arbitrary<Op>,
);

describe('stats verify agrees with the rollups', () => {
  it('after any mix of registrations, imports, status changes, edits, enrolments and erasures', async () => {
    const svc = env.svc;
    const ids: string[] = [];
    let fileNo = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        for (const op of ops) {
          try {
            if (op.k === 'register') {
              const p = await createParticipant(
                svc,
                admin,
                apiBody(generateRow(op.i, 7)) as never,
                'officer',
              );
              ids.push(p.id);
            } else if (op.k === 'import') {
              const lines = [CSV_HEADERS.join(',')];
              for (let j = 0; j < op.n; j++) lines.push(csvLine(generateRow(op.from + j, 7)));
              if (op.bad) lines.push('1234,X,,,,99.99,,,,,,,,,,');
              const file = join(env.dir, `ops-${fileNo++}.csv`);
              writeFileSync(file, lines.join('\n'));
              await runImport(svc, admin, file, 'ops.csv', {
                mode: op.from % 2 ? 'upsert' : 'insert',
                dryRun: false,
                collaboratorId: null,
                batchSize: 5,
              });
              const rows = await svc.db.kysely.selectFrom('participants').select('id').execute();
              for (const r of rows) if (!ids.includes(r.id)) ids.push(r.id);
            } else if (ids.length > 0) {
              const id = ids[op.pick % ids.length];
              if (op.k === 'verify')
                await transition(svc, mentor, id, 'verify', {
                  evidence: { ktpSeen: true, businessSeen: true },
                });
              else if (op.k === 'validate') await transition(svc, officer, id, 'validate', {});
              else if (op.k === 'reject')
                await transition(svc, officer, id, 'reject', { reason: 'not eligible' });
              else if (op.k === 'reopen')
                await transition(svc, officer, id, 'reopen', { reason: 'new evidence' });
              else if (op.k === 'erase') await eraseParticipant(svc, admin, id, 'request');
              else if (op.k === 'enrol') await enrol(svc, admin, id, op.pick % 2 ? 'DINSOS' : 'PAREKRAF');
              else {
                const p = await svc.db.kysely
                  .selectFrom('participants')
                  .selectAll()
                  .where('id', '=', id)
                  .executeTakeFirstOrThrow();
                const patch =
                  op.k === 'move'
                    ? {
                        domicile: { villageCode: jakartaVillages()[op.pick % jakartaVillages().length].code },
                      }
                    : { business: { sector: ['kuliner', 'jasa', 'kriya'][op.pick % 3] } };
                await patchParticipant(svc, admin, id, patch, etagOf(p));
              }
            }
          } catch (e) {
            // refused operations (duplicates, invalid transitions, erased records) must leave the figures intact
            if (!(e && typeof e === 'object' && 'status' in e && (e as { status: number }).status < 500))
              throw e;
          }
        }
        const res = await verifyStats(svc);
        expect(res.differences).toEqual([]);
        const s = await summary(svc, null);
        const n = await svc.db.kysely
          .selectFrom('participants')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst();
        expect(s.registered).toBe(Number(n?.n));
      }),
      { numRuns: 12, seed: 20261127 },
    );
  });
});
