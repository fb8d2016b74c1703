import { nowIso } from '../../core/clock.ts';
import type { Services } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';

export const DEFAULT_STAGES = [
  { code: 'P1', id: 'Pendaftaran', en: 'Registration' },
  { code: 'P2', id: 'Pelatihan', en: 'Training' },
  { code: 'P3', id: 'Pendampingan', en: 'Mentoring' },
  { code: 'P4', id: 'Perizinan', en: 'Licensing' },
  { code: 'P5', id: 'Pemasaran', en: 'Marketing' },
  { code: 'P6', id: 'Pelaporan Keuangan', en: 'Financial reporting' },
  { code: 'P7', id: 'Permodalan', en: 'Capital' },
];

/** Agencies that run their own Jakpreneur targets (Pergub DKI 2/2020). */
export const DEFAULT_AGENCIES = [
  {
    code: 'PPKUKM',
    name: 'Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah',
    name_en: 'Industry, Trade, Cooperatives and SME Agency',
  },
  {
    code: 'PPAPP',
    name: 'Dinas Pemberdayaan, Perlindungan Anak dan Pengendalian Penduduk',
    name_en: 'Empowerment, Child Protection and Population Control Agency',
  },
  {
    code: 'PAREKRAF',
    name: 'Dinas Pariwisata dan Ekonomi Kreatif',
    name_en: 'Tourism and Creative Economy Agency',
  },
  { code: 'DINSOS', name: 'Dinas Sosial', name_en: 'Social Affairs Agency' },
  {
    code: 'NAKERTRANSGI',
    name: 'Dinas Tenaga Kerja, Transmigrasi dan Energi',
    name_en: 'Manpower, Transmigration and Energy Agency',
  },
];

export type Program = {
  id: string;
  name: string;
  areaCodes: string[];
  periodStart: string;
  periodEnd: string;
  target: number;
  stages: { code: string; id: string; en: string }[];
};

/** Creates the default program (Jakpreneur, DKI Jakarta, 2017-2022, 200,000) and the agencies when missing. */
export async function ensureProgramDefaults(svc: Services): Promise<void> {
  const k = svc.db.kysely;
  const now = nowIso();
  const existing = await k.selectFrom('programs').select('id').executeTakeFirst();
  if (!existing) {
    await k
      .insertInto('programs')
      .values({
        id: newId(),
        name: 'Jakpreneur',
        area_codes: JSON.stringify([svc.config.programArea]),
        period_start: '2017-01-01',
        period_end: '2022-12-31',
        target: 200_000,
        stages: JSON.stringify(DEFAULT_STAGES),
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  for (const a of DEFAULT_AGENCIES) {
    await k
      .insertInto('agencies')
      .values(a)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}

export async function getProgram(svc: Services): Promise<Program> {
  const p = await svc.db.kysely
    .selectFrom('programs')
    .selectAll()
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  return {
    id: p.id,
    name: p.name,
    areaCodes: JSON.parse(p.area_codes),
    periodStart: p.period_start,
    periodEnd: p.period_end,
    target: Number(p.target),
    stages: JSON.parse(p.stages),
  };
}

export async function listAgencies(svc: Services) {
  const rows = await svc.db.kysely.selectFrom('agencies').selectAll().orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en }));
}
