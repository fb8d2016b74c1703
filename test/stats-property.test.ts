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
import { submitQrisPayload, verifyQrisProfile } from '../src/modules/qris/service.ts';
import { qrisAdoption } from '../src/modules/qris/stats.ts';
import { summary, verifyStats } from '../src/modules/stats/service.ts';
import { build } from '../src/qris/index.ts';
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
  | {
      k:
        | 'verify'
        | 'validate'
        | 'reject'
        | 'reopen'
        | 'erase'
        | 'move'
        | 'enrol'
        | 'sector'
        | 'declare'
        | 'qris';
      pick: number;
    };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('register' as const), i: fc.integer({ min: 0, max: 400 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('import' as const),
      from: fc.integer({ min: 0, max: 400 }),
      n: fc.integer({ min: 1, max: 12 }),
      bad: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constantFrom(
        'verify',
        'validate',
        'reject',
        'reopen',
        'erase',
        'move',
        'enrol',
        'sector',
        'declare',
        'qris',
      ),
      pick: fc.nat(),
    }) as fc.Arbitrary<Op>,
  },
);

describe('stats verify agrees with the rollups', () => {
  it('after any mix of registrations, imports, status changes, edits, enrolments, QRIS and erasures', async () => {
    const svc = env.svc;
    const ids: string[] = [];
    let fileNo = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        for (const op of ops) {
          try {
            if (op.k === 'register') {
              const body = apiBody(generateRow(op.i, 7));
              // a third declare QRIS, a third say they do not, a third leave it blank
              const hasQris = [true, false, null][op.i % 3];
              const p = await createParticipant(
                svc,
                admin,
                { ...body, business: { ...body.business, hasQris } } as never,
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
              else if (op.k === 'qris') {
                // a QRIS code for the business, submitted by the admin and verified by a mentor
                const b = await svc.db.kysely
                  .selectFrom('businesses')
                  .select('name')
                  .where('participant_id', '=', id)
                  .executeTakeFirstOrThrow();
                const payload = build({
                  name: b.name.slice(0, 25),
                  city: 'JAKARTA',
                  postalCode: '10110',
                  mcc: '5812',
                  nmid: `ID10200${String(op.pick).padStart(8, '0').slice(-8)}`,
                  criteria: 'UMI',
                });
                await submitQrisPayload(svc, admin, id, payload);
                if (op.pick % 4 !== 0) await verifyQrisProfile(svc, mentor, id, {});
              } else {
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
                    : op.k === 'declare'
                      ? { business: { hasQris: [true, false, null][op.pick % 3] } }
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
        // the QRIS adoption figures read the same rollups: declared = primary businesses with has_qris = 1
        const q = await qrisAdoption(svc, admin);
        const declared = await svc.db.kysely
          .selectFrom('businesses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('is_primary', '=', 1)
          .where('has_qris', '=', 1)
          .executeTakeFirst();
        const verified = await svc.db.kysely
          .selectFrom('qris_profiles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'verified')
          .executeTakeFirst();
        expect(q.registered).toBe(Number(n?.n));
        expect(q.declared).toBe(Number(declared?.n));
        expect(q.verified).toBe(Number(verified?.n));
        expect(q.byRegency.reduce((a, b) => a + b.declared, 0)).toBe(q.declared);
        expect(q.bySector.reduce((a, b) => a + b.declared, 0)).toBe(q.declared);
      }),
      { numRuns: 16, seed: 20261127 },
    );
  });
});
