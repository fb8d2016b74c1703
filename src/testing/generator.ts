/**
 * Deterministic synthetic participants for tests and benchmarks: valid NIKs that agree with birth date, sex and
 * kecamatan; valid mobile numbers; Jakarta villages. Not for production data.
 */
import { childrenOf } from '../identity/index.ts';

export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_F = [
  'Siti',
  'Dewi',
  'Sri',
  'Nur',
  'Rina',
  'Ani',
  'Yuli',
  'Lestari',
  'Wati',
  'Fitri',
  'Ayu',
  'Indah',
  'Rahmawati',
  'Putri',
];
const FIRST_M = [
  'Budi',
  'Agus',
  'Ahmad',
  'Joko',
  'Eko',
  'Andi',
  'Rudi',
  'Hendra',
  'Dedi',
  'Slamet',
  'Bambang',
  'Rizki',
  'Fajar',
  'Yusuf',
];
const LAST = [
  'Santoso',
  'Wijaya',
  'Saputra',
  'Hidayat',
  'Nugroho',
  'Setiawan',
  'Pratama',
  'Kusuma',
  'Siregar',
  'Nasution',
  'Lubis',
  'Hasibuan',
  'Simanjuntak',
  'Rahman',
];
const BIZ = [
  'Warung',
  'Dapur',
  'Kedai',
  'Toko',
  'Katering',
  'Konveksi',
  'Kerajinan',
  'Salon',
  'Bengkel',
  'Kue',
];
const SECTORS = [
  'kuliner',
  'kuliner',
  'kuliner',
  'kuliner',
  'kuliner',
  'kuliner',
  'fashion',
  'kriya',
  'jasa',
  'perdagangan',
  'budidaya',
  'lainnya',
];

export type GeneratedRow = {
  nik: string;
  fullName: string;
  birthDate: string;
  sex: 'M' | 'F';
  phone: string;
  villageCode: string;
  street: string;
  rt: string;
  rw: string;
  postalCode: string;
  businessName: string;
  sector: string;
  annualRevenue: number;
  capital: number;
  employees: number;
  consent: 'Y' | 'N';
};

let villages: { code: string; district: string }[] | null = null;
export function jakartaVillages() {
  if (!villages) {
    villages = [];
    for (const reg of childrenOf('31'))
      for (const d of childrenOf(reg.code))
        for (const v of childrenOf(d.code)) villages.push({ code: v.code, district: d.code });
  }
  return villages;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The i-th participant of a deterministic population (unique NIK per i). */
export function generateRow(i: number, seed = 1): GeneratedRow {
  const r = rng(seed * 1_000_003 + i);
  const vs = jakartaVillages();
  const v = vs[Math.floor(r() * vs.length)];
  const sex: 'M' | 'F' = r() < 0.55 ? 'F' : 'M';
  // three draws kept so the later random values (names, phones) stay as they were
  r();
  r();
  r();
  const district = v.district.replaceAll('.', '');
  // A unique NIK for every i < 15,120 x 9,999: the birth date cycles with i (45 years x 12 months x 28 days)
  // and the serial counts the cycles, so (date, serial) never repeats whatever the district.
  const dateIdx = i % 15120;
  const serial = 1 + Math.floor(i / 15120);
  const y2 = 1960 + (dateIdx % 45);
  const m2 = 1 + (Math.floor(dateIdx / 45) % 12);
  const d2 = 1 + (Math.floor(dateIdx / 540) % 28);
  const ddd = sex === 'F' ? d2 + 40 : d2;
  const nik = `${district}${pad(ddd, 2)}${pad(m2, 2)}${pad(y2 % 100, 2)}${pad(serial, 4)}`;
  const first =
    sex === 'F' ? FIRST_F[Math.floor(r() * FIRST_F.length)] : FIRST_M[Math.floor(r() * FIRST_M.length)];
  const last = LAST[Math.floor(r() * LAST.length)];
  const fullName = `${first} ${last}`;
  const phone = `08${1 + Math.floor(r() * 3)}${pad(Math.floor(r() * 1e9), 9)}`;
  return {
    nik,
    fullName,
    birthDate: `${y2}-${pad(m2, 2)}-${pad(d2, 2)}`,
    sex,
    phone,
    villageCode: v.code,
    street: `Jl. ${last} No. ${1 + Math.floor(r() * 200)}`,
    rt: pad(1 + Math.floor(r() * 15), 3),
    rw: pad(1 + Math.floor(r() * 10), 3),
    postalCode: `1${pad(Math.floor(r() * 10000), 4)}`,
    businessName: `${BIZ[Math.floor(r() * BIZ.length)]} ${first}`,
    sector: SECTORS[Math.floor(r() * SECTORS.length)],
    annualRevenue: Math.floor(r() * 500) * 1_000_000,
    capital: Math.floor(r() * 50) * 1_000_000,
    employees: Math.floor(r() * 5),
    consent: r() < 0.97 ? 'Y' : 'N',
  };
}

export const CSV_HEADERS = [
  'NIK',
  'Nama Lengkap',
  'Tanggal Lahir',
  'Jenis Kelamin (L/P)',
  'No HP',
  'Kode Kelurahan',
  'Alamat',
  'RT',
  'RW',
  'Kode Pos',
  'Nama Usaha',
  'Sektor',
  'Omzet Tahunan',
  'Modal Usaha',
  'Jumlah Karyawan',
  'Persetujuan',
];

export function csvLine(g: GeneratedRow): string {
  return [
    g.nik,
    g.fullName,
    g.birthDate,
    g.sex === 'F' ? 'P' : 'L',
    g.phone,
    g.villageCode,
    `"${g.street}"`,
    g.rt,
    g.rw,
    g.postalCode,
    g.businessName,
    g.sector,
    g.annualRevenue,
    g.capital,
    g.employees,
    g.consent,
  ].join(',');
}

/** The API body for a generated row. */
export function apiBody(g: GeneratedRow) {
  return {
    nik: g.nik,
    fullName: g.fullName,
    phone: g.phone,
    domicile: { villageCode: g.villageCode, street: g.street, rt: g.rt, rw: g.rw, postalCode: g.postalCode },
    business: {
      name: g.businessName,
      sector: g.sector,
      annualRevenue: g.annualRevenue,
      capital: g.capital,
      employees: g.employees,
    },
    consent: { version: 'v1', given: g.consent === 'Y' },
  };
}
