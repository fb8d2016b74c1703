/** The whole-registry scan (scanRegistry) as the CLI and the background job run it, on a real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRegistry } from '../src/modules/dedupe/service.ts';
import { person, registerDirect, V } from './api-fixtures.ts';
import { freshServices } from './helpers.ts';

let env: Awaited<ReturnType<typeof freshServices>>;

beforeAll(async () => {
  env = await freshServices();
});
afterAll(async () => env.cleanup());

const register = (p: ReturnType<typeof person>) => registerDirect(env.svc, p);

/** `p` written again by another clerk: the NIK's last digit mistyped, the same phone. */
const typo = (p: ReturnType<typeof person>, fullName: string) =>
  ({
    ...p,
    nik: `${p.nik.slice(0, 15)}${(Number(p.nik[15]) + 1) % 10}`,
    fullName,
    email: undefined,
  }) as unknown as ReturnType<typeof person>;

describe('common names in a registry scan', () => {
  it('a name borne by many in the registry is marked common in the evidence; a rare one is not', async () => {
    // 22 women named Siti Aminah (written in three ways), born on different days: the name is common here
    const spellings = ['Siti Aminah', 'SITI AMINAH', 'Aminah Siti'];
    for (let i = 0; i < 20; i++) await register(person({ sex: 'F', name: spellings[i % 3] }));
    const siti = person({ sex: 'F', birthDate: '1986-05-17', village: V.cideng, name: 'Siti Aminah' });
    const a = await register(siti);
    const b = await register(typo(siti, 'Siti Aminah'));
    // a rare name, the same kind of pair
    const rare = person({
      sex: 'F',
      birthDate: '1991-09-23',
      village: V.tebetTimur,
      name: 'Rahmawati Kusumaningrum',
    });
    const c = await register(rare);
    const d = await register(typo(rare, 'Rahmawati Kusumaningrum'));

    const { records, pairs } = await scanRegistry(env.svc, { worker: false, store: false });
    expect(records).toBe(24);
    const pair = (x: string, y: string) => pairs.find((p) => p.a === x && p.b === y);
    const common = pair(a.registrationNumber, b.registrationNumber);
    const plain = pair(c.registrationNumber, d.registrationNumber);
    expect(common, 'the Siti Aminah pair is found').toBeTruthy();
    expect(plain, 'the rare-name pair is found').toBeTruthy();
    expect(common!.evidence.name.common).toBe(true);
    expect(plain!.evidence.name.common).toBe(false);
    // sharing a common name says less: the same kind of pair scores lower
    expect(common!.score).toBeLessThan(plain!.score);
  });
});
