/**
 * The demo program: `jakpreneur seed demo` fills an empty database with a deterministic synthetic Jakpreneur
 * (DKI Jakarta, 2017 to February 2022): 281,812 participants across the 267 kelurahan, 120 collaborators, agency and
 * city targets, the 7P funnel of 27 October 2021 scaled to the participant count, and demo users for every role.
 *
 * Everything comes from fixed seeds, so two runs give the same people, numbers, dates, statuses and ids; only what
 * is random by design differs (ciphertexts, password hashes). Rows are written in batches of 2,000 participants
 * through the bulk path (cached prepared statements on SQLite, multi-row INSERT on PostgreSQL), each batch in one
 * transaction with its registration numbers and rollup deltas, so `stats verify` agrees afterwards. For large runs
 * the rows (names, NIKs, encryption) are built in a worker thread running this module, while the main thread
 * writes the previous batch.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SingleBar } from 'cli-progress';
import { wibDate } from '../../core/clock.ts';
import type { Services } from '../../core/context.ts';
import { Vault } from '../../core/crypto.ts';
import { AppError } from '../../core/errors.ts';
import { formatRegistrationNumber } from '../../core/ids.ts';
import { applyRollup, RollupDelta } from '../../core/rollup.ts';
import { withTx } from '../../db/index.ts';
import type { DB } from '../../db/types.ts';
import { childrenOf, sizeClass } from '../../identity/index.ts';
import { rng } from '../../testing/generator.ts';
import { personName } from '../../testing/names.ts';
import { hashPassword } from '../auth/service.ts';
import { COLLABORATOR_TYPES } from '../collaborators/service.ts';
import { DEFAULT_AGENCY } from '../participants/commands.ts';
import type { Channel } from '../participants/schema.ts';
import {
  addRegistrationFacts,
  buildParticipantRows,
  reserveRegistrationNumbers,
} from '../participants/store.ts';
import type { NormalizedParticipant } from '../participants/validate.ts';
import { getProgram } from '../program/service.ts';

/** Registered participants in the program's report of October 2021 (PROGRAM.md). */
export const DEMO_PARTICIPANTS = 281_812;
/** The 7P funnel published on 27 October 2021; the demo reproduces its shape scaled to the participant count. */
export const PUBLISHED_FUNNEL = {
  P1: 284_164,
  P2: 176_891,
  P3: 157_498,
  P4: 148_374,
  P5: 44_456,
  P6: 32_883,
  P7: 6_159,
} as const;
export const DEMO_PASSWORDS = {
  admin: 'demo-admin-2022',
  officer: 'demo-petugas-2022',
  mentor: 'demo-pendamping-2022',
  collaborator: 'demo-kolaborator-2022',
  participant: 'demo-peserta-2022',
} as const;

const DEFAULT_SEED = 20_171_101;
const DAY = 86_400_000;
/** The last instant of the demo period (it starts on 1 January 2017, WIB). */
const CUTOFF = Date.parse('2022-02-28T23:59:59+07:00');
const STAGES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'] as const;

export type SeedOptions = {
  /** number of participants (default 281,812) */
  participants?: number;
  /** the fixed seed; change it only to get another (still deterministic) population */
  seed?: number;
  batchSize?: number;
  /** build the rows in a worker thread while this one writes (default: from 20,000 participants) */
  worker?: boolean;
  onProgress?: (done: number, total: number) => void;
};

export type DemoUser = {
  role: 'admin' | 'officer' | 'mentor' | 'collaborator' | 'participant';
  login: string;
  loginBy: 'email' | 'phone';
  password: string;
  name: string;
  areas: string[];
  collaborator: string | null;
  participant: string | null;
};

export type SeedResult = {
  participants: number;
  target: number;
  collaborators: number;
  collaboratorParticipants: number;
  enrolments: number;
  secondEnrolments: number;
  targets: number;
  milestones: number;
  byStatus: Record<string, number>;
  byChannel: Record<string, number>;
  byRegency: Record<string, number>;
  bySector: Record<string, number>;
  funnel: Record<string, number>;
  users: DemoUser[];
  seconds: number;
};

export class DemoSeedRefused extends AppError {}

// ---------------------------------------------------------------------------
// Deterministic randomness

type Rand = ReturnType<typeof rng>;

function mix32(a: number, b: number, c: number): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35) ^
    Math.imul((c + 0x27d4eb2f) | 0, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const stream = (seed: number, purpose: number, i: number): Rand => rng(mix32(seed, purpose, i));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const between = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** Weighted choice over a fixed list (cumulative weights, binary search). */
function chooser<T>(items: readonly (readonly [T, number])[]): (u: number) => T {
  const cum: number[] = [];
  let total = 0;
  for (const [, w] of items) {
    total += w;
    cum.push(total);
  }
  return (u: number) => {
    const x = u * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo][0];
  };
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
/** The time stamp in the ids of rows not tied to a participant (collaborators, users, targets). */
const SETUP_AT = Date.parse('2017-01-01T00:00:00+07:00');

/**
 * A deterministic UUID in the version 7 layout: the 48-bit timestamp is the instant the row belongs to (a
 * participant's registration), then the kind of row, then `i` whole, then bits that only look random. Unique per
 * (kind, i), and ordered by time, so primary keys and `participant_id` indexes grow at their end (random keys
 * would scatter every batch over the whole B-tree).
 */
function demoUuid(seed: number, kind: number, i: number, at: number = SETUP_AT): string {
  const ts = hex(at, 12);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(kind & 0xfff, 3)}-${hex(0x8000 | ((i / 0x10000) & 0x3fff), 4)}-${hex(i & 0xffff, 4)}${hex(mix32(seed, kind, i), 8)}`;
}
const ID = {
  participant: 1,
  business: 2,
  enrolment: 3,
  consent: 4,
  registered: 5,
  enrolment2: 6,
  collaborator: 7,
  user: 8,
  grant: 9,
  target: 10,
  milestone: 16, // + 0..15: the participant's further milestones
} as const;

// ---------------------------------------------------------------------------
// Places

/** The six cities/regencies of DKI Jakarta with their share of UMKM (Jaksel largest, Kepulauan Seribu smallest). */
const CITIES = [
  { code: '31.74', short: 'jaksel', name: 'Jakarta Selatan', share: 0.27, postal: [12110, 12970] },
  { code: '31.75', short: 'jaktim', name: 'Jakarta Timur', share: 0.25, postal: [13110, 13960] },
  { code: '31.73', short: 'jakbar', name: 'Jakarta Barat', share: 0.21, postal: [11110, 11850] },
  { code: '31.72', short: 'jakut', name: 'Jakarta Utara', share: 0.145, postal: [14110, 14470] },
  { code: '31.71', short: 'jakpus', name: 'Jakarta Pusat', share: 0.115, postal: [10110, 10760] },
  { code: '31.01', short: 'seribu', name: 'Kepulauan Seribu', share: 0.01, postal: [14510, 14540] },
] as const;
/** Regency targets (sum 200,000, the program target) in the same proportions. */
const CITY_TARGETS: Record<string, number> = {
  '31.74': 54_000,
  '31.75': 50_000,
  '31.73': 42_000,
  '31.72': 29_000,
  '31.71': 23_000,
  '31.01': 2_000,
};
const AGENCY_TARGETS: Record<string, number> = {
  PPKUKM: 130_000,
  PPAPP: 25_000,
  PAREKRAF: 20_000,
  DINSOS: 15_000,
  NAKERTRANSGI: 10_000,
};

type Village = {
  code: string;
  name: string;
  district: string;
  districtName: string;
  city: number;
  postal: string;
};
type Geo = {
  villages: Village[];
  districts: { code: string; name: string; city: number }[];
  pickVillage: (u1: number, u2: number) => number;
  /** kecamatan outside Jakarta a NIK may come from (people who moved to Jakarta) */
  pickOrigin: (u: number) => string;
};

function loadGeo(seed: number): Geo {
  const r = stream(seed, 1, 0);
  const villages: Village[] = [];
  const districts: Geo['districts'] = [];
  const perCity: ((u: number) => number)[] = [];
  CITIES.forEach((c, ci) => {
    const items: [number, number][] = [];
    const cityVillages: number[] = [];
    for (const d of childrenOf(c.code)) {
      districts.push({ code: d.code, name: d.name, city: ci });
      for (const v of childrenOf(d.code)) {
        cityVillages.push(villages.length);
        items.push([villages.length, 0.5 + r()]);
        villages.push({
          code: v.code,
          name: v.name,
          district: d.code,
          districtName: d.name,
          city: ci,
          postal: '',
        });
      }
    }
    // one postal code per kelurahan within the city's range, in code order
    const [lo, hi] = c.postal;
    cityVillages.forEach((vi, k) => {
      const step = Math.floor((hi - lo) / 10 / Math.max(1, cityVillages.length - 1));
      villages[vi] = { ...villages[vi], postal: String(lo + k * step * 10) };
    });
    perCity.push(chooser(items));
  });
  const pickCity = chooser(CITIES.map((c, i) => [i, c.share] as const));
  const origins: [string, number][] = [];
  for (const [prov, w] of [
    ['32', 30], // Jawa Barat
    ['33', 22], // Jawa Tengah
    ['35', 14], // Jawa Timur
    ['36', 10], // Banten
    ['34', 4], // DI Yogyakarta
    ['12', 6], // Sumatera Utara
    ['13', 5], // Sumatera Barat
    ['16', 3], // Sumatera Selatan
    ['18', 3], // Lampung
    ['73', 3], // Sulawesi Selatan
  ] as const) {
    const ds = childrenOf(prov).flatMap((reg) => childrenOf(reg.code));
    for (const d of ds) origins.push([d.undotted, w / ds.length]);
  }
  return {
    villages,
    districts,
    pickVillage: (u1, u2) => perCity[pickCity(u1)](u2),
    pickOrigin: chooser(origins),
  };
}

// ---------------------------------------------------------------------------
// People and businesses

const STREETS = [
  'Jl. Melati',
  'Jl. Mawar',
  'Jl. Kenanga',
  'Jl. Flamboyan',
  'Jl. Swadaya',
  'Jl. Masjid',
  'Jl. Pendidikan',
  'Jl. Kebon Sayur',
  'Jl. H. Naim',
  'Jl. H. Saili',
  'Jl. Bhakti',
  'Jl. Delima',
  'Jl. Anggrek',
  'Jl. Cempaka',
  'Jl. Dahlia',
  'Jl. Merpati',
  'Jl. Rawa Bambu',
  'Jl. Karya',
  'Jl. Persatuan',
  'Jl. Kemuning',
  'Jl. Sawo',
  'Jl. Manggis',
  'Jl. Rambutan',
  'Jl. Duku',
  'Jl. Nangka',
  'Jl. Belimbing',
  'Jl. Jambu',
  'Jl. Kramat',
  'Jl. Haji Ten',
  'Jl. Kober',
  'Gg. Langgar',
  'Gg. Sawo',
  'Gg. H. Abdul',
  'Gg. Kelor',
  'Gg. Damai',
  'Gg. Mushola',
  'Gg. Rukun',
  'Gg. Kembang',
];

type Sector = 'kuliner' | 'fashion' | 'kriya' | 'jasa' | 'perdagangan' | 'budidaya' | 'lainnya';
const pickSector = chooser<Sector>([
  ['kuliner', 75],
  ['fashion', 8],
  ['kriya', 5.5],
  ['jasa', 5.5],
  ['perdagangan', 3.5],
  ['budidaya', 1.5],
  ['lainnya', 1],
]);
/** Business kinds per sector: [name prefix, products, KBLI 2020 or null, how common]. */
const BUSINESSES: Record<Sector, readonly (readonly [string, string, string | null, number])[]> = {
  kuliner: [
    ['Warung Makan', 'nasi rames, sayur asem, ikan goreng', '56102', 14],
    ['Nasi Uduk', 'nasi uduk, semur jengkol, gorengan', '56102', 6],
    ['Dapur', 'nasi kotak, tumpeng, prasmanan', '56210', 6],
    ['Katering', 'katering harian, nasi kotak', '56210', 10],
    ['Kue Basah', 'kue lapis, kue talam, dadar gulung', '10792', 10],
    ['Kue Kering', 'nastar, kastengel, putri salju', '10710', 7],
    ['Roti', 'roti manis, donat, bolu', '10710', 4],
    ['Keripik', 'keripik singkong, keripik pisang, emping', '10794', 7],
    ['Sambal', 'sambal bawang, sambal cumi, sambal roa', '10799', 5],
    ['Frozen Food', 'dimsum, risoles beku, nugget sayur', '10799', 6],
    ['Kedai Kopi', 'kopi susu gula aren, es teh', '56303', 5],
    ['Es', 'es selendang mayang, es doger, es buah', '56303', 4],
    ['Bir Pletok', 'bir pletok, jamu kunyit asam', '11049', 1.5],
    ['Soto Betawi', 'soto betawi, nasi', '56103', 3],
    ['Bakso', 'bakso, mie ayam', '56103', 4],
    ['Kerak Telor', 'kerak telor, dodol betawi', '56104', 1],
    ['Seblak', 'seblak, cireng, cilok', '56104', 3],
    ['Gado-Gado', 'gado-gado, ketoprak, lontong sayur', '56103', 3],
    ['Martabak', 'martabak manis, martabak telur', '56104', 2],
  ],
  fashion: [
    ['Konveksi', 'kaos, seragam, kemeja', '14111', 3],
    ['Butik', 'gamis, tunik, hijab', '47711', 2],
    ['Jahit', 'jasa jahit dan permak pakaian', '14120', 3],
    ['Batik Betawi', 'kain batik betawi, kemeja batik', '13134', 1],
    ['Hijab', 'hijab segi empat, pashmina', '14111', 2],
    ['Tas', 'tas kain, dompet', '15121', 1],
  ],
  kriya: [
    ['Kerajinan', 'miniatur ondel-ondel, gantungan kunci', '32909', 1],
    ['Anyaman', 'tas anyaman plastik, keranjang', '16299', 1],
    ['Souvenir', 'souvenir pernikahan, suvenir khas betawi', '32909', 1],
    ['Rajut', 'boneka rajut, tas rajut', '32909', 1],
    ['Daur Ulang', 'kerajinan dari sampah plastik', '32909', 1],
  ],
  jasa: [
    ['Salon', 'potong rambut, creambath, rias', '96021', 3],
    ['Laundry', 'laundry kiloan, setrika', '96012', 3],
    ['Servis HP', 'servis dan aksesori telepon genggam', '95120', 2],
    ['Rias Pengantin', 'rias dan sewa busana pengantin', null, 1],
    ['Fotokopi', 'fotokopi, cetak, jilid', '82190', 1],
    ['Bengkel Motor', 'servis dan tambal ban sepeda motor', null, 2],
  ],
  perdagangan: [
    ['Toko Kelontong', 'sembako, kebutuhan rumah tangga', '47112', 3],
    ['Warung Sembako', 'beras, minyak goreng, gula', '47112', 3],
    ['Agen Pulsa', 'pulsa, token listrik, paket data', null, 1],
    ['Toko Kosmetik', 'kosmetik, perawatan tubuh', null, 1],
  ],
  budidaya: [
    ['Budidaya Lele', 'lele segar', null, 1],
    ['Hidroponik', 'sayur hidroponik, selada, pakcoy', null, 1],
    ['Tanaman Hias', 'tanaman hias, pot', null, 1],
    ['Ikan Hias', 'ikan cupang, ikan koki', null, 1],
  ],
  lainnya: [
    ['Percetakan', 'undangan, spanduk, stiker', null, 1],
    ['Bank Sampah', 'pengumpulan dan pemilahan sampah', null, 1],
    ['Sablon', 'sablon kaos dan tas', null, 1],
  ],
};
const pickBusiness = Object.fromEntries(
  Object.entries(BUSINESSES).map(([sector, kinds]) => [
    sector,
    chooser(kinds.map((b) => [b, b[3]] as const)),
  ]),
) as Record<Sector, (u: number) => (typeof BUSINESSES)[Sector][number]>;
const BUSINESS_WORDS = [
  'Berkah',
  'Barokah',
  'Sari Rasa',
  'Nikmat',
  'Sederhana',
  'Sejahtera',
  'Mandiri',
  'Jaya',
  'Abadi',
  'Betawi',
  'Nusantara',
  'Bunda',
  'Mama',
  'Amanah',
  'Lestari',
  'Makmur',
  'Sentosa',
  'Rezeki',
  'Cahaya',
  'Mulia',
];
const PHONE_PREFIXES = [
  '0811',
  '0812',
  '0813',
  '0821',
  '0822',
  '0823',
  '0851',
  '0852',
  '0853',
  '0814',
  '0815',
  '0816',
  '0855',
  '0856',
  '0857',
  '0858',
  '0817',
  '0818',
  '0819',
  '0859',
  '0877',
  '0878',
  '0831',
  '0832',
  '0838',
  '0895',
  '0896',
  '0897',
  '0898',
  '0899',
  '0881',
  '0882',
  '0887',
  '0888',
];
const REJECT_REASONS = [
  'Usaha tidak ditemukan saat kunjungan lapangan',
  'KTP tidak dapat ditunjukkan saat verifikasi',
  'Domisili di luar wilayah program',
  'Data ganda dengan pendaftaran lain',
  'Peserta mengundurkan diri',
];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A mobile number as E.164 (+62 8xx...), valid for normalizePhone. */
function mobile(r: Rand): string {
  const p = pick(r, PHONE_PREFIXES);
  const len = r() < 0.7 ? 8 : 7;
  return `+62${p.slice(1)}${pad(Math.floor(r() * 10 ** len), len)}`;
}

// ---------------------------------------------------------------------------
// Collaborators

type Collab = {
  id: string;
  name: string;
  type: (typeof COLLABORATOR_TYPES)[number];
  start: number; // MoU period (ms)
  end: number;
  stages: string[];
  area: string | null; // dotted district, or null (whole province)
  weight: number;
};

const COLLAB_NAMES: Record<Collab['type'], string[]> = {
  community: [
    'Ikatan Pengusaha Kuliner Betawi',
    'Paguyuban Pedagang Kreatif Jakarta',
    'Forum UMKM Perempuan Jakarta',
    'Komunitas Wirausaha Muda Jakarta',
    'Asosiasi Pengrajin Ondel-Ondel',
    'Himpunan Pengusaha Batik Betawi',
    'Komunitas Kue Nusantara Jakarta',
    'Gerakan Ibu Berdaya Jakarta',
    'Perkumpulan Petani Kota Jakarta',
    'Komunitas Hijab Kreatif Jakarta',
  ],
  university: [
    'Universitas Nusa Cendekia',
    'Universitas Bina Karya Jakarta',
    'Universitas Pelita Nusantara',
    'Universitas Cahaya Bangsa',
    'Universitas Tunas Harapan',
    'Universitas Bakti Persada',
    'Universitas Gema Pertiwi',
    'Institut Bisnis Nusantara Jaya',
    'Institut Teknologi dan Bisnis Adhi Guna',
    'Institut Kewirausahaan Wira Buana',
    'Sekolah Tinggi Ilmu Ekonomi Mitra Mandiri',
    'Sekolah Tinggi Ilmu Ekonomi Darma Putra',
    'Sekolah Tinggi Pariwisata Citra Insani',
    'Politeknik Kreatif Jakarta',
    'Politeknik Bisnis Sinar Ilmu',
    'Politeknik Tata Boga Karya Utama',
    'Akademi Manajemen Koperasi Jaya',
    'Universitas Terbuka Mandala Kota',
  ],
  company: [],
  bank: [
    'Bank Amanah Sejahtera',
    'Bank Mitra Usaha Rakyat',
    'Bank Syariah Berkah Nusantara',
    'Bank Perkreditan Rakyat Jaya Makmur',
    'BPR Syariah Madani Jakarta',
    'Bank Pembangunan Kota Raya',
    'Bank Tabungan Pekerja Nusantara',
    'BPR Karya Sentosa',
    'Bank Digital Warga',
    'Koperasi Simpan Pinjam Usaha Bersama',
  ],
  bumd: [
    'Perumda Pasar Raya Jakarta',
    'PT Pangan Kota Jaya (Perseroda)',
    'PT Pembangunan Kota Jaya (Perseroda)',
    'PT Wisata Kota Jaya (Perseroda)',
    'Perumda Dharma Pangan Sejahtera',
    'PT Properti Kota Jaya (Perseroda)',
    'PT Transportasi Kota Jaya (Perseroda)',
    'PT Energi Kota Jaya (Perseroda)',
  ],
  ngo: [
    'Yayasan Pemberdayaan Ekonomi Umat',
    'Yayasan Cinta Usaha Kecil',
    'Lembaga Pengembangan Usaha Mikro',
    'Yayasan Bina Mandiri Kota',
    'Yayasan Perempuan Berdaya',
    'Lembaga Zakat Produktif Jakarta',
    'Yayasan Rumah Kreatif Betawi',
    'Yayasan Sahabat UMKM',
    'Lembaga Pendampingan Koperasi Warga',
    'Yayasan Pangan Sehat Nusantara',
    'Yayasan Literasi Keuangan Keluarga',
    'Yayasan Difabel Mandiri',
    'Lembaga Ekonomi Kreatif Pemuda',
    'Yayasan Kampung Berseri',
    'Yayasan Halal Bersama',
    'Lembaga Bantuan Usaha Kecil',
  ],
  government: [
    'Pusat Pelatihan Kerja Daerah Jakarta Timur',
    'Pusat Pelatihan Kerja Daerah Jakarta Barat',
    'Pusat Pelatihan Kewirausahaan Daerah',
    'Unit Pengelola Pusat Pengembangan Bisnis',
    'Unit Pengelola Pelayanan Perizinan Usaha',
    'Unit Pengelola Sertifikasi Halal Daerah',
    'Balai Pengawasan Mutu Pangan Daerah',
    'Badan Pengelola Zakat Infaq Sedekah Daerah',
    'Unit Pengelola Pasar Digital Daerah',
    'Balai Latihan Kerja Jakarta Utara',
    'Balai Latihan Kerja Jakarta Selatan',
    'Unit Pengelola Kawasan Ekonomi Kreatif',
  ],
};
const COMPANY_A = ['Sinar', 'Rasa', 'Karya', 'Mitra', 'Bumi', 'Cipta', 'Anugerah', 'Prima', 'Dwi', 'Tiga'];
const COMPANY_B = ['Boga', 'Niaga', 'Digital', 'Pangan', 'Logistik', 'Retail', 'Kreasi', 'Daya', 'Usaha'];
const COMPANY_C = ['Nusantara', 'Indonesia', 'Sejahtera', 'Abadi', 'Utama', 'Mandiri', 'Persada', 'Lestari'];
const COLLAB_STAGES: Record<Collab['type'], string[]> = {
  community: ['P1', 'P2', 'P3'],
  university: ['P2', 'P3', 'P6'],
  company: ['P2', 'P5'],
  bank: ['P6', 'P7'],
  bumd: ['P5', 'P7'],
  ngo: ['P2', 'P3', 'P6'],
  government: ['P2', 'P4'],
};
const COLLAB_COUNTS: Record<Collab['type'], number> = {
  community: 30,
  university: 18,
  company: 26,
  bank: 10,
  bumd: 8,
  ngo: 16,
  government: 12,
};
const COLLAB_WEIGHT: Record<Collab['type'], number> = {
  community: 1,
  university: 1.4,
  company: 1,
  bank: 0.8,
  bumd: 1.2,
  ngo: 1.2,
  government: 1,
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

function buildCollaborators(seed: number, geo: Geo): Collab[] {
  const r = stream(seed, 2, 0);
  const names: Record<Collab['type'], string[]> = { ...COLLAB_NAMES, community: [...COLLAB_NAMES.community] };
  const areas = new Map<string, string>();
  // local communities: one per kecamatan, for 20 kecamatan spread over the cities
  const step = geo.districts.length / 20;
  for (let k = 0; names.community.length < COLLAB_COUNTS.community; k++) {
    const d = geo.districts[Math.floor(k * step) + 1] ?? geo.districts[k];
    const name = `Komunitas UMKM ${d.name}`;
    names.community.push(name);
    areas.set(name, d.code);
  }
  const companies = new Set<string>();
  while (companies.size < COLLAB_COUNTS.company)
    companies.add(`PT ${pick(r, COMPANY_A)} ${pick(r, COMPANY_B)} ${pick(r, COMPANY_C)}`);
  names.company = [...companies];
  const out: Collab[] = [];
  for (const type of COLLABORATOR_TYPES) {
    for (const name of names[type].slice(0, COLLAB_COUNTS[type])) {
      // MoU from mid-2016 to mid-2021, for 3 to 5 years
      const start = Date.parse('2016-07-01T00:00:00+07:00') + Math.floor(r() * 5 * 365) * DAY;
      const end = start + between(r, 3, 5) * 365 * DAY - DAY;
      out.push({
        id: demoUuid(seed, ID.collaborator, out.length),
        name,
        type,
        start,
        end,
        stages: COLLAB_STAGES[type],
        area: areas.get(name) ?? null,
        weight: COLLAB_WEIGHT[type] * (0.5 + r()),
      });
    }
  }
  return out;
}

function collaboratorRows(seed: number, collabs: Collab[]) {
  const r = stream(seed, 3, 0);
  return collabs.map((c, i) => {
    const startDate = wibDate(new Date(c.start));
    const contact = personName(r, r() < 0.5 ? 'F' : 'M');
    const slug = c.name
      .toLowerCase()
      .replace(/\(.*?\)/g, '')
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 24);
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      mou_number: `${pad(i + 11, 3)}/KS/PPKUKM/${ROMAN[Number(startDate.slice(5, 7)) - 1]}/${startDate.slice(0, 4)}`,
      mou_start: startDate,
      mou_end: wibDate(new Date(c.end)),
      stages: JSON.stringify(c.stages),
      contact_name: contact.full,
      contact_email: `kemitraan@${slug}.example`,
      contact_phone: mobile(r),
      area_code: c.area,
      created_at: new Date(c.start).toISOString(),
      updated_at: new Date(c.start).toISOString(),
      version: 1,
    };
  });
}

// ---------------------------------------------------------------------------
// The plan: who registers when and where, their status and how far along the path they get

type Status = 'registered' | 'verified' | 'validated' | 'rejected';
type Plan = {
  at: number;
  village: number;
  sector: Sector;
  agency: string;
  agency2: string | null;
  channel: Channel;
  collab: number; // index into collaborators, -1 none
  consent: boolean;
  status: Status;
  verifiedAt: number;
  validatedAt: number;
  rejectedAt: number;
  depth: number; // highest stage reached, 1..7
};

/** Share of each year in registrations: few in 2017, most in 2019-2021, January-February 2022 at the end. */
const YEAR_SHARE: Record<number, number> = {
  2017: 0.03,
  2018: 0.09,
  2019: 0.23,
  2020: 0.27,
  2021: 0.32,
  2022: 0.06,
};
/** [registered, verified, validated, rejected] by year of registration: older records are mostly validated. */
const STATUS_MIX: Record<number, [number, number, number, number]> = {
  2017: [0.02, 0.08, 0.88, 0.02],
  2018: [0.03, 0.1, 0.85, 0.02],
  2019: [0.05, 0.13, 0.8, 0.02],
  2020: [0.1, 0.18, 0.7, 0.02],
  2021: [0.22, 0.22, 0.54, 0.02],
  2022: [0.55, 0.25, 0.18, 0.02],
};
const pickAgency = chooser([
  ['PPKUKM', 72],
  ['PPAPP', 9],
  ['PAREKRAF', 8],
  ['DINSOS', 6],
  ['NAKERTRANSGI', 5],
] as const);
const AGENCIES = ['PPKUKM', 'PPAPP', 'PAREKRAF', 'DINSOS', 'NAKERTRANSGI'];

function monthlyCounts(n: number): { start: number; days: number; count: number }[] {
  const months: { start: number; days: number; w: number }[] = [];
  for (let y = 2017; y <= 2022; y++) {
    const last = y === 2022 ? 2 : 12;
    const shape: number[] = [];
    for (let m = 1; m <= last; m++) {
      let s = 0.75 + (0.5 * (m - 1)) / 11; // growth through the year
      if (y === 2020 && (m === 4 || m === 5)) s *= 0.5; // large-scale social restrictions (PSBB)
      if (y === 2020 && m >= 7) s *= 1.15; // recovery programs after COVID-19
      shape.push(s);
    }
    const sum = shape.reduce((a, b) => a + b, 0);
    shape.forEach((s, k) => {
      const start = Date.parse(`${y}-${pad(k + 1, 2)}-01T00:00:00+07:00`);
      const next =
        k + 1 === 12
          ? Date.parse(`${y + 1}-01-01T00:00:00+07:00`)
          : Date.parse(`${y}-${pad(k + 2, 2)}-01T00:00:00+07:00`);
      months.push({ start, days: Math.round((next - start) / DAY), w: (YEAR_SHARE[y] * s) / sum });
    });
  }
  // largest remainder: exact total, deterministic
  const raw = months.map((m) => m.w * n);
  const counts = raw.map(Math.floor);
  let rest = n - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) counts[order[k % order.length][1]]++;
  return months.map((m, i) => ({ start: m.start, days: m.days, count: counts[i] }));
}

/** Weighted sampling without replacement (Efraimidis-Spirakis): the k items with the largest u^(1/w). */
function weightedTop(
  seed: number,
  purpose: number,
  items: number[],
  weight: (i: number) => number,
  k: number,
) {
  if (k >= items.length) return items;
  const keyed = items.map((i) => {
    const u = stream(seed, purpose, i)();
    return [Math.log(u || 1e-12) / Math.max(weight(i), 1e-9), i] as const;
  });
  keyed.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return keyed.slice(0, k).map((x) => x[1]);
}

export function funnelTargets(n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of STAGES)
    out[s] = s === 'P1' ? n : Math.round((n * PUBLISHED_FUNNEL[s]) / PUBLISHED_FUNNEL.P1);
  return out;
}

function buildPlan(seed: number, n: number, geo: Geo, collabs: Collab[]): Plan[] {
  // registration instants: exact monthly counts, a random day and hour (WIB), sorted
  const rt = stream(seed, 4, 0);
  const times: number[] = [];
  for (const m of monthlyCounts(n)) {
    for (let k = 0; k < m.count; k++) {
      const day = Math.floor(rt() * m.days);
      const hour = rt() < 0.8 ? 8 + rt() * 8 : 6 + rt() * 16;
      times.push(Math.min(CUTOFF, m.start + day * DAY + Math.floor(hour * 3600) * 1000));
    }
  }
  times.sort((a, b) => a - b);
  const pickCollab = chooser(collabs.map((c, i) => [i, c.weight] as const));
  const plans: Plan[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = stream(seed, 5, i);
    const at = times[i];
    const year = Number(wibDate(new Date(at)).slice(0, 4));
    const village = geo.pickVillage(r(), r());
    const agency = pickAgency(r());
    let agency2: string | null = null;
    if (r() < 0.05) {
      agency2 = agency === 'PPKUKM' ? pick(r, AGENCIES.slice(1)) : 'PPKUKM';
    }
    const selfShare = year <= 2019 ? 0.06 : year === 2020 ? 0.2 : 0.3;
    let channel: Channel = r() < selfShare ? 'self' : 'officer';
    let collab = -1;
    if (channel !== 'self' && r() < 0.5) {
      // a collaborator whose MoU covers the date (and whose kecamatan it is, for local communities)
      for (let t = 0; t < 8 && collab < 0; t++) {
        const c = pickCollab(r());
        const k = collabs[c];
        if (k.start <= at && at <= k.end && (!k.area || geo.villages[village].district === k.area))
          collab = c;
      }
    }
    if (channel !== 'self') {
      const importShare = collab >= 0 ? 0.6 : 0.25;
      if (r() < importShare) channel = 'import';
    }
    const consent = channel === 'self' || r() < 0.97;
    const mix = STATUS_MIX[year];
    const u = r();
    let status: Status =
      u < mix[0]
        ? 'registered'
        : u < mix[0] + mix[1]
          ? 'verified'
          : u < 1 - mix[3]
            ? 'validated'
            : 'rejected';
    let verifiedAt = 0;
    let validatedAt = 0;
    let rejectedAt = 0;
    if (status === 'verified' || status === 'validated') {
      verifiedAt = at + between(r, 1, year <= 2019 ? 45 : 21) * DAY + Math.floor(r() * 8 * 3600) * 1000;
      if (verifiedAt > CUTOFF) status = 'registered';
      else if (status === 'validated') {
        validatedAt = verifiedAt + between(r, 2, 40) * DAY + Math.floor(r() * 8 * 3600) * 1000;
        if (validatedAt > CUTOFF) {
          status = 'verified';
          validatedAt = 0;
        }
      }
      if (status === 'registered') verifiedAt = 0;
    } else if (status === 'rejected') {
      rejectedAt = at + between(r, 2, 30) * DAY;
      if (rejectedAt > CUTOFF) {
        status = 'registered';
        rejectedAt = 0;
      }
    }
    plans[i] = {
      at,
      village,
      sector: pickSector(r()),
      agency,
      agency2,
      channel,
      collab,
      consent,
      status,
      verifiedAt,
      validatedAt,
      rejectedAt,
      depth: 1,
    };
  }
  // the funnel: each stage a weighted subset of the one before, favouring people who have been in longer
  const targets = funnelTargets(n);
  const tenure = (i: number) => (CUTOFF - Math.max(plans[i].validatedAt, plans[i].verifiedAt)) / DAY;
  const validated = (i: number) => plans[i].status === 'validated';
  // weights of the stages P2..P7 (training, mentoring, licensing, marketing, bookkeeping, capital)
  const weights: ((i: number) => number)[] = [
    (i) => 0.15 + Math.min(tenure(i) / 540, 1) * (validated(i) ? 1 : 0.5),
    () => 1,
    (i) => 0.5 + Math.min(tenure(i) / 365, 1),
    (i) => 0.2 + Math.min(tenure(i) / 730, 1),
    () => 1,
    (i) => 0.1 + Math.min(tenure(i) / 900, 1) ** 2 * (validated(i) ? 1 : 0.3),
  ];
  let pool: number[] = [];
  for (let i = 0; i < n; i++)
    if (plans[i].status === 'verified' || plans[i].status === 'validated') pool.push(i);
  for (let s = 2; s <= 7; s++) {
    const st = STAGES[s - 1];
    pool = weightedTop(seed, 10 + s, pool, weights[s - 2], targets[st]);
    for (const i of pool) plans[i].depth = s;
  }
  return plans;
}

// ---------------------------------------------------------------------------
// Users

type UserSpec = DemoUser & {
  id: string;
  agency: string | null;
  collaboratorId: string | null;
  participantId: string | null;
};

function userSpecs(seed: number, geo: Geo, collabs: Collab[]): UserSpec[] {
  const r = stream(seed, 6, 0);
  const specs: UserSpec[] = [];
  const add = (s: Omit<UserSpec, 'id' | 'loginBy' | 'collaborator' | 'participant'> & Partial<UserSpec>) =>
    specs.push({
      loginBy: 'email',
      collaborator: null,
      participant: null,
      ...s,
      id: demoUuid(seed, ID.user, specs.length),
    } as UserSpec);
  add({
    role: 'admin',
    login: 'admin@demo.jakpreneur.local',
    password: DEMO_PASSWORDS.admin,
    name: 'Admin Demo Jakpreneur',
    areas: [],
    agency: null,
    collaboratorId: null,
    participantId: null,
  });
  for (const c of CITIES) {
    add({
      role: 'officer',
      login: `petugas.${c.short}@demo.jakpreneur.local`,
      password: DEMO_PASSWORDS.officer,
      name: `${personName(r, r() < 0.5 ? 'F' : 'M').full} (Petugas ${c.name})`,
      areas: [c.code],
      agency: DEFAULT_AGENCY,
      collaboratorId: null,
      participantId: null,
    });
  }
  // a mentor for each group of up to four kecamatan of a city
  CITIES.forEach((c, ci) => {
    const ds = geo.districts.filter((d) => d.city === ci);
    const groups = Math.ceil(ds.length / 4);
    const size = Math.ceil(ds.length / groups);
    for (let g = 0; g < groups; g++) {
      const part = ds.slice(g * size, (g + 1) * size);
      add({
        role: 'mentor',
        login: `pendamping.${c.short}${g + 1}@demo.jakpreneur.local`,
        password: DEMO_PASSWORDS.mentor,
        name: `${personName(r, r() < 0.6 ? 'F' : 'M').full} (Pendamping ${part.map((d) => d.name).join(', ')})`,
        areas: part.map((d) => d.code),
        agency: null,
        collaboratorId: null,
        participantId: null,
      });
    }
  });
  // staff of a community, a university and a bank
  for (const type of ['community', 'university', 'bank'] as const) {
    const c = collabs.find((x) => x.type === type && !x.area)!;
    add({
      role: 'collaborator',
      login: `kolaborator.${type}@demo.jakpreneur.local`,
      password: DEMO_PASSWORDS.collaborator,
      name: `${personName(r, r() < 0.5 ? 'F' : 'M').full} (${c.name})`,
      areas: [],
      agency: null,
      collaborator: c.name,
      collaboratorId: c.id,
      participantId: null,
    });
  }
  return specs;
}

async function insertUsers(
  svc: Services,
  seed: number,
  specs: UserSpec[],
  offset: number,
  now: string,
): Promise<void> {
  const k = svc.db.kysely;
  const hashes = await Promise.all(specs.map((s) => hashPassword(s.password)));
  await k.transaction().execute(async (tx) => {
    for (const [i, s] of specs.entries()) {
      const login = s.loginBy === 'email' ? { email: s.login, phone: null } : { email: null, phone: s.login };
      // a rerun after a failed seed reuses the account (same login) and resets its password
      const existing = await tx
        .selectFrom('users')
        .select('id')
        .where(s.loginBy, '=', s.login)
        .executeTakeFirst();
      if (existing) {
        s.id = existing.id;
        await tx
          .updateTable('users')
          .set({
            password_hash: hashes[i],
            must_change_password: 0,
            role: s.role,
            disabled: 0,
            updated_at: now,
          })
          .where('id', '=', s.id)
          .execute();
        await tx.deleteFrom('user_grants').where('user_id', '=', s.id).execute();
      } else {
        await tx
          .insertInto('users')
          .values({
            id: s.id,
            ...login,
            display_name: s.name,
            role: s.role,
            password_hash: hashes[i],
            must_change_password: 0,
            failed_attempts: 0,
            locked_until: null,
            disabled: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      const grants = [
        ...s.areas.map((value) => ({ kind: 'area', value })),
        ...(s.agency ? [{ kind: 'agency', value: s.agency }] : []),
        ...(s.collaboratorId ? [{ kind: 'collaborator', value: s.collaboratorId }] : []),
        ...(s.participantId ? [{ kind: 'participant', value: s.participantId }] : []),
      ];
      for (const [g, grant] of grants.entries()) {
        await tx
          .insertInto('user_grants')
          .values({ id: demoUuid(seed, ID.grant, (offset + i) * 64 + g), user_id: s.id, ...grant })
          .execute();
      }
    }
  });
}

// ---------------------------------------------------------------------------
// The generator: every row of a batch of participants, from the seed alone (no database)

type Columns = { table: keyof DB & string; cols: string[]; values: unknown[][] };
type BatchStats = Pick<
  SeedResult,
  | 'byStatus'
  | 'byChannel'
  | 'byRegency'
  | 'bySector'
  | 'funnel'
  | 'collaboratorParticipants'
  | 'secondEnrolments'
  | 'milestones'
  | 'enrolments'
>;
type Batch = {
  b0: number;
  b1: number;
  tables: Columns[];
  /** registration year of each participants row, in order (numbers are reserved when the batch is written) */
  regYears: number[];
  delta: [string, number][];
  stats: BatchStats;
  showcase: { id: string; phone: string; name: string; row: number } | null;
};
type GeneratorInput = { seed: number; n: number };

const TABLES = [
  'nik_index',
  'participants',
  'person_keys',
  'businesses',
  'enrolments',
  'consents',
  'milestones',
] as const;
const iso = (t: number) => new Date(t).toISOString();
const EVIDENCE = JSON.stringify({ ktpSeen: true, businessSeen: true, photo: null, note: null });

function emptyStats(): BatchStats {
  return {
    byStatus: {},
    byChannel: {},
    byRegency: {},
    bySector: {},
    funnel: Object.fromEntries(STAGES.map((s) => [s, 0])),
    collaboratorParticipants: 0,
    secondEnrolments: 0,
    milestones: 0,
    enrolments: 0,
  };
}
const inc = (m: Record<string, number>, key: string, by = 1) => {
  m[key] = (m[key] ?? 0) + by;
};

class DemoGenerator {
  readonly geo: Geo;
  readonly collabs: Collab[];
  readonly plans: Plan[];
  readonly showcase: number;
  private readonly svc: Services;
  private readonly seed: number;
  private readonly officerOf = new Map<string, UserSpec>();
  private readonly mentorOf = new Map<string, UserSpec>();
  private readonly staffOf = new Map<string, UserSpec>();
  private readonly nikSerial = new Map<string, number>();
  private next = 0;

  constructor(vault: Services['vault'], input: GeneratorInput) {
    // buildParticipantRows only needs the vault
    this.svc = { vault } as Services;
    this.seed = input.seed;
    this.geo = loadGeo(input.seed);
    this.collabs = buildCollaborators(input.seed, this.geo);
    this.plans = buildPlan(input.seed, input.n, this.geo, this.collabs);
    // the participant account: an early, validated participant of Jakarta Selatan who reached marketing (P5)
    const plans = this.plans;
    let showcase = plans.findIndex(
      (p) => p.status === 'validated' && p.depth >= 5 && p.consent && this.geo.villages[p.village].city === 0,
    );
    if (showcase < 0) showcase = plans.findIndex((p) => p.status === 'validated');
    this.showcase = showcase;
  }

  /** The demo users who verify, validate and enter records (their ids are known once they are stored). */
  setUsers(users: UserSpec[]): void {
    for (const s of users) {
      if (s.role === 'officer') this.officerOf.set(s.areas[0], s);
      if (s.role === 'mentor') for (const a of s.areas) this.mentorOf.set(a, s);
      if (s.collaboratorId) this.staffOf.set(s.collaboratorId, s);
    }
  }

  /** The rows of participants b0..b1-1; batches must be asked for in order (NIK serials run on). */
  batch(b0: number, b1: number): Batch {
    if (b0 !== this.next) throw new Error(`demo batches out of order: ${b0} after ${this.next}`);
    this.next = b1;
    const seed = this.seed;
    const delta = new RollupDelta();
    const stats = emptyStats();
    const t: Record<(typeof TABLES)[number], Row[]> = {
      nik_index: [],
      participants: [],
      person_keys: [],
      businesses: [],
      enrolments: [],
      consents: [],
      milestones: [],
    };
    const regYears: number[] = [];
    let showcase: Batch['showcase'] = null;
    for (let i = b0; i < b1; i++) {
      const p = this.plans[i];
      const r = stream(seed, 7, i);
      const v = this.geo.villages[p.village];
      const city = CITIES[v.city];
      const regAt = iso(p.at);
      const regDate = wibDate(regAt);
      const regYear = Number(regDate.slice(0, 4));

      // the person
      const sex: 'M' | 'F' = r() < 0.62 ? 'F' : 'M';
      const age = 18 + Math.floor(((r() + r() + r()) / 3) * 47);
      const by = regYear - age;
      const bm = between(r, 1, 12);
      const bd = between(r, 1, new Date(Date.UTC(by, bm, 0)).getUTCDate());
      const birthDate = `${by}-${pad(bm, 2)}-${pad(bd, 2)}`;
      const u = r();
      // NIK issued where the person first registered: mostly here, else another kecamatan or another province
      const nikDistrict =
        u < 0.8
          ? v.district.replaceAll('.', '')
          : u < 0.9
            ? pick(r, this.geo.districts).code.replaceAll('.', '')
            : this.geo.pickOrigin(r());
      const nikStem = `${nikDistrict}${pad(sex === 'F' ? bd + 40 : bd, 2)}${pad(bm, 2)}${pad(by % 100, 2)}`;
      const serial = (this.nikSerial.get(nikStem) ?? 0) + 1;
      this.nikSerial.set(nikStem, serial);
      const nik = `${nikStem}${pad(serial, 4)}`;
      const { first, full } = personName(r, sex);
      const phone = mobile(r);
      const email =
        r() < 0.3
          ? `${full.toLowerCase().replace(/[^a-z]+/g, '.')}${between(r, 1, 999)}@${pick(r, ['example.com', 'example.net', 'example.org'])}`
          : null;
      const streetName = r() < 0.15 ? `Jl. Raya ${v.name}` : pick(r, STREETS);
      const street = `${streetName} No. ${between(r, 1, 150)}${r() < 0.15 ? String.fromCharCode(65 + between(r, 0, 3)) : ''}`;

      // the business
      const [prefix, products, kbli] = pickBusiness[p.sector](r());
      const w = r();
      const owner =
        w < 0.35
          ? `${sex === 'F' ? pick(r, ['Bu', 'Mak', 'Teh', 'Mbak']) : pick(r, ['Pak', 'Bang', 'Mas'])} ${first}`
          : w < 0.6
            ? first
            : pick(r, BUSINESS_WORDS);
      const revenue = Math.round((12 + r() ** 2 * 588) * 1e6 + (r() < 0.02 ? 2.5e9 : 0));
      const capital = Math.round((1 + r() ** 2 * 99) * 1e6);
      const startedYear = Math.max(1995, regYear - Math.floor(r() ** 2 * 15));

      // stages reached after registration: times in order, before the end of the period
      const milestones: {
        stage: string;
        kind: string;
        at: number;
        actor: string | null;
        source: string | null;
      }[] = [];
      const mentor = this.mentorOf.get(v.district)!;
      const officer = this.officerOf.get(city.code)!;
      if (p.verifiedAt)
        milestones.push({ stage: 'P1', kind: 'verified', at: p.verifiedAt, actor: mentor.id, source: null });
      if (p.validatedAt)
        milestones.push({
          stage: 'P1',
          kind: 'validated',
          at: p.validatedAt,
          actor: officer.id,
          source: null,
        });
      let last = Math.max(p.verifiedAt, p.validatedAt);
      const rs = stream(seed, 8, i);
      const next = () => {
        last += Math.max(60_000, Math.min(between(rs, 7, 120) * DAY, (CUTOFF - last) * (0.1 + 0.3 * rs())));
        return Math.min(last, CUTOFF);
      };
      const collab = p.collab >= 0 ? this.collabs[p.collab] : null;
      const source = (stage: string) => (collab?.stages.includes(stage) ? collab.id : null);
      let nib: string | null = null;
      if (p.depth >= 2)
        milestones.push({
          stage: 'P2',
          kind: 'completed-training',
          at: next(),
          actor: null,
          source: source('P2'),
        });
      if (p.depth >= 3)
        milestones.push({
          stage: 'P3',
          kind: 'mentored',
          at: next(),
          actor: mentor.id,
          source: source('P3'),
        });
      if (p.depth >= 4) {
        const kinds: string[] = [];
        if (rs() < 0.9) kinds.push('nib-issued');
        if (p.sector === 'kuliner' && rs() < 0.45) kinds.push('pirt-issued');
        if (p.sector === 'kuliner' && rs() < 0.3) kinds.push('halal-certified');
        if (kinds.length === 0) kinds.push('nib-issued');
        for (const kind of kinds)
          milestones.push({ stage: 'P4', kind, at: next(), actor: null, source: source('P4') });
        if (kinds.includes('nib-issued')) nib = `${pad(mix32(seed, 9, i) % 1e6, 6)}${pad(i % 1e7, 7)}`;
      }
      if (p.depth >= 5) {
        const kinds = rs() < 0.75 ? ['first-sale'] : [];
        if (rs() < 0.4 || kinds.length === 0) kinds.push('curated');
        for (const kind of kinds)
          milestones.push({
            stage: 'P5',
            kind,
            at: next(),
            actor: kind === 'curated' ? officer.id : null,
            source: source('P5'),
          });
      }
      if (p.depth >= 6)
        milestones.push({
          stage: 'P6',
          kind: 'bookkeeping-started',
          at: next(),
          actor: mentor.id,
          source: source('P6'),
        });
      if (p.depth >= 7)
        milestones.push({
          stage: 'P7',
          kind: 'loan-disbursed',
          at: next(),
          actor: null,
          source: source('P7'),
        });

      const staff = collab ? this.staffOf.get(collab.id) : undefined;
      const enteredBy = p.channel === 'self' ? null : p.channel === 'import' && staff ? staff.id : officer.id;
      const np: NormalizedParticipant = {
        id: demoUuid(seed, ID.participant, i, p.at),
        nik,
        fullName: full,
        birthDate,
        sex,
        phone,
        email,
        agency: p.agency,
        provinceCode: '31',
        regencyCode: city.code,
        districtCode: v.district,
        villageCode: v.code,
        street,
        rt: pad(between(r, 1, 15), 3),
        rw: pad(between(r, 1, 12), 3),
        postalCode: v.postal,
        business: {
          name: `${prefix} ${owner}`,
          sector: p.sector,
          kbli,
          kbliVersion: kbli ? '2020' : null,
          products,
          startedYear,
          annualRevenue: revenue,
          capital,
          employees: Math.floor(r() ** 2 * 6),
          nib,
          npwp: r() < 0.15 ? nik : null,
          hasQris: r() < (regYear >= 2020 ? 0.45 : 0.25),
          sizeClass: sizeClass({ capital, annualRevenue: revenue }),
        },
        consent: {
          version: p.channel === 'import' ? 'import' : 'v1',
          given: p.consent,
          purpose: 'registration',
        },
        registeredAt: regAt,
        nikOverrideReason: null,
        reviewFlags: p.consent ? [] : ['consent_missing'],
      };
      const rows = buildParticipantRows(
        this.svc,
        np,
        {
          channel: p.channel,
          enteredBy,
          collaboratorId: collab?.id ?? null,
          importJobId: null,
          defaultAgency: DEFAULT_AGENCY,
          now: regAt,
          isDemo: true,
        },
        '',
      );
      // deterministic ids, and the record as it stands at the end of the period
      const pr = rows.participant;
      rows.business.id = demoUuid(seed, ID.business, i, p.at);
      rows.enrolment.id = demoUuid(seed, ID.enrolment, i, p.at);
      rows.consent.id = demoUuid(seed, ID.consent, i, p.at);
      rows.milestone.id = demoUuid(seed, ID.registered, i, p.at);
      rows.milestone.source_module = 'demo';
      pr.status = p.status;
      if (p.verifiedAt) {
        pr.verified_by = mentor.id;
        pr.verified_at = iso(p.verifiedAt);
        pr.verification_evidence = EVIDENCE;
      }
      if (p.validatedAt) {
        pr.validated_by = officer.id;
        pr.validated_at = iso(p.validatedAt);
      }
      if (p.rejectedAt) pr.status_reason = pick(r, REJECT_REASONS);
      pr.version = 1 + (p.verifiedAt ? 1 : 0) + (p.validatedAt ? 1 : 0) + (p.rejectedAt ? 1 : 0);
      pr.updated_at = iso(Math.max(p.at, p.verifiedAt, p.validatedAt, p.rejectedAt));
      addRegistrationFacts(delta, rows);

      t.nik_index.push(rows.nikIndex);
      t.participants.push(pr);
      t.person_keys.push(rows.personKey);
      t.businesses.push(rows.business);
      t.enrolments.push(rows.enrolment);
      t.consents.push(rows.consent);
      t.milestones.push(rows.milestone);
      regYears.push(regYear);
      if (p.agency2) {
        const at = p.at + Math.floor((CUTOFF - p.at) * (0.1 + 0.5 * r()));
        t.enrolments.push({
          id: demoUuid(seed, ID.enrolment2, i, p.at),
          participant_id: pr.id,
          agency: p.agency2,
          channel: 'officer',
          enrolled_at: iso(at),
          collaborator_id: null,
          entered_by: officer.id,
        });
        delta.add(v.district, 'agency', p.agency2);
        stats.secondEnrolments++;
      }
      const reached = new Set<string>(['P1']);
      milestones.forEach((m, j) => {
        const at = iso(m.at);
        t.milestones.push({
          id: demoUuid(seed, ID.milestone + j, i, p.at),
          participant_id: pr.id,
          stage: m.stage,
          kind: m.kind,
          occurred_at: at,
          source_module: 'demo',
          source_id: m.source,
          actor_id: m.actor,
          created_at: at,
        });
        delta.add(v.district, 'milestone', `${m.stage}:${m.kind}`);
        if (!reached.has(m.stage)) {
          reached.add(m.stage);
          delta.add(v.district, 'stage', m.stage);
        }
      });
      for (const s of reached) stats.funnel[s]++;
      stats.milestones += 1 + milestones.length;
      inc(stats.byStatus, p.status);
      inc(stats.byChannel, p.channel);
      inc(stats.byRegency, city.code);
      inc(stats.bySector, p.sector);
      if (collab) stats.collaboratorParticipants++;
      if (i === this.showcase) showcase = { id: String(pr.id), phone, name: full, row: i - b0 };
    }
    stats.enrolments = t.enrolments.length;
    const tables = TABLES.map((table) => {
      const rows = t[table];
      const cols = Object.keys(rows[0] ?? {});
      return { table, cols, values: rows.map((r) => cols.map((c) => r[c] ?? null)) };
    });
    return { b0, b1, tables, regYears, delta: [...delta.deltas], stats, showcase };
  }
}

/** Batches built in a worker thread (this module again), so that the main thread writes meanwhile. */
function workerSource(svc: Services, input: GeneratorInput) {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: {
      demoSeedWorker: true,
      input,
      masterKeys: svc.config.masterKeys.map((k) => ({ id: k.id, key: new Uint8Array(k.key) })),
    },
  });
  const waiting: { resolve: (b: Batch) => void; reject: (e: Error) => void }[] = [];
  const fail = (err: Error) => {
    for (const w of waiting.splice(0)) w.reject(err);
  };
  worker.on('message', (m: { batch?: Batch; error?: string }) => {
    const w = waiting.shift();
    if (!w) return;
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.batch!);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`demo seed worker exited (${code})`)));
  return {
    setUsers(users: UserSpec[]) {
      worker.postMessage({ users });
    },
    request(b0: number, b1: number): Promise<Batch> {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage({ b0, b1 });
      });
    },
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

if (!isMainThread && workerData?.demoSeedWorker) {
  const vault = new Vault(
    (workerData.masterKeys as { id: string; key: Uint8Array }[]).map((k) => ({
      id: k.id,
      key: Buffer.from(k.key),
    })),
  );
  // the plan is made at once, while the main thread stores collaborators and users
  let gen: DemoGenerator | Error;
  try {
    gen = new DemoGenerator(vault, workerData.input as GeneratorInput);
  } catch (err) {
    gen = err instanceof Error ? err : new Error(String(err));
  }
  parentPort!.on('message', (m: { users: UserSpec[] } | { b0: number; b1: number }) => {
    try {
      if (gen instanceof Error) throw gen;
      if ('users' in m) gen.setUsers(m.users);
      else parentPort!.postMessage({ batch: gen.batch(m.b0, m.b1) });
    } catch (err) {
      parentPort!.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
}

// ---------------------------------------------------------------------------
// Bulk writing

type Row = Record<string, unknown>;

const stmtCache = new WeakMap<object, Map<string, any>>();
function cachedStatement(raw: NonNullable<Services['db']['sqlite']>, sqlText: string) {
  let m = stmtCache.get(raw);
  if (!m) {
    m = new Map();
    stmtCache.set(raw, m);
  }
  let s = m.get(sqlText);
  if (!s) {
    s = raw.prepare(sqlText);
    m.set(sqlText, s);
  }
  return s;
}

/**
 * Writes one batch in one transaction: reserves its registration numbers (per year, in order), inserts every
 * table's rows and applies the rollup deltas. Returns the registration number of each participant row.
 */
async function writeBatch(svc: Services, b: Batch): Promise<string[]> {
  const years = new Map<number, number>();
  for (const y of b.regYears) years.set(y, (years.get(y) ?? 0) + 1);
  const participants = b.tables.find((x) => x.table === 'participants')!;
  const regCol = participants.cols.indexOf('registration_number');
  const numbers: string[] = [];
  const assign = (firsts: Map<number, number>) => {
    numbers.length = 0; // a retried transaction assigns again
    b.regYears.forEach((y, k) => {
      const seq = firsts.get(y)!;
      firsts.set(y, seq + 1);
      numbers.push(formatRegistrationNumber(y, seq));
      participants.values[k][regCol] = numbers[k];
    });
  };
  const db = svc.db;
  if (db.sqlite) {
    const raw = db.sqlite;
    await db.kysely.connection().execute(async () => {
      // Kysely's single SQLite connection is held here, so nothing else interleaves with this transaction.
      raw.transaction(() => {
        const reserve = cachedStatement(
          raw,
          'insert into counters (name, value) values (?, ?) on conflict (name) do update set value = counters.value + excluded.value returning value',
        );
        const firsts = new Map<number, number>();
        for (const [year, count] of years) {
          const row = reserve.get([`regno:${year}`, count]) as { value: number };
          firsts.set(year, Number(row.value) - count + 1);
        }
        assign(firsts);
        for (const { table, cols, values } of b.tables) {
          if (values.length === 0) continue;
          const stmt = cachedStatement(
            raw,
            `insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`,
          );
          for (const v of values) stmt.run(v);
        }
        const up = cachedStatement(
          raw,
          'insert into stat_rollup (district_code, metric, key, count) values (?, ?, ?, ?) on conflict (district_code, metric, key) do update set count = stat_rollup.count + excluded.count',
        );
        for (const [key, count] of b.delta) {
          if (count !== 0) up.run([...key.split('\u0000'), count]);
        }
      })();
    });
    return numbers;
  }
  await withTx(db, async (tx) => {
    const firsts = new Map<number, number>();
    for (const [year, count] of years) firsts.set(year, await reserveRegistrationNumbers(tx, year, count));
    assign(firsts);
    for (const { table, cols, values } of b.tables) {
      if (values.length === 0) continue;
      const per = Math.max(1, Math.floor(30_000 / cols.length));
      for (let i = 0; i < values.length; i += per) {
        const objs = values.slice(i, i + per).map((v) => Object.fromEntries(cols.map((c, k) => [c, v[k]])));
        await tx
          .insertInto(table)
          .values(objs as any)
          .execute();
      }
    }
    const delta = new RollupDelta();
    for (const [key, count] of b.delta) delta.deltas.set(key, count);
    await applyRollup(tx, delta);
  });
  return numbers;
}

// ---------------------------------------------------------------------------
// The seed

/** Fills an empty database with the demo program. Refuses when any participant exists. */
export async function seedDemo(svc: Services, opts: SeedOptions = {}): Promise<SeedResult> {
  const t0 = performance.now();
  const n = opts.participants ?? DEMO_PARTICIPANTS;
  const seed = opts.seed ?? DEFAULT_SEED;
  const batchSize = opts.batchSize ?? 2000;
  if (!Number.isInteger(n) || n < 100 || n > 2_000_000) {
    throw new DemoSeedRefused(2, 'DEMO_SIZE_INVALID', {
      id: 'Jumlah peserta demo harus bilangan bulat 100 sampai 2.000.000.',
      en: 'The number of demo participants must be an integer from 100 to 2,000,000.',
    });
  }
  if (svc.config.programArea !== '31') {
    throw new DemoSeedRefused(409, 'DEMO_AREA', {
      id: 'Program demo adalah program DKI Jakarta (PROGRAM_AREA=31).',
      en: 'The demo program is the DKI Jakarta program (PROGRAM_AREA=31).',
    });
  }
  const k = svc.db.kysely;
  const any = await k.selectFrom('participants').select('id').limit(1).executeTakeFirst();
  if (any) {
    throw new DemoSeedRefused(409, 'DEMO_DATABASE_NOT_EMPTY', {
      id: 'Basis data sudah berisi peserta. Data demo hanya dapat dimuat ke basis data yang kosong (buat basis data baru, misalnya DATA_DIR lain).',
      en: 'The database already has participants. The demo can only fill an empty database (use a new one, e.g. another DATA_DIR).',
    });
  }
  const program = await getProgram(svc);
  const now = new Date().toISOString();

  const input: GeneratorInput = { seed, n };
  const useWorker = opts.worker ?? n >= 20_000;
  let source: {
    setUsers(users: UserSpec[]): void;
    request(b0: number, b1: number): Promise<Batch>;
    close(): Promise<void>;
  };
  if (useWorker) source = workerSource(svc, input);
  else {
    const gen = new DemoGenerator(svc.vault, input);
    source = {
      setUsers: (users) => gen.setUsers(users),
      request: async (b0, b1) => gen.batch(b0, b1),
      close: async () => {},
    };
  }
  // SQLite: the NIK and phone hash indexes have random keys, so every batch touches pages all over them: keep
  // them in a larger page cache (256 MB) and checkpoint every ~200 MB of WAL instead of every 4 MB; restored after
  const raw = svc.db.sqlite;
  const pragmas = raw
    ? {
        cache_size: raw.pragma('cache_size', { simple: true }),
        wal_autocheckpoint: raw.pragma('wal_autocheckpoint', { simple: true }),
      }
    : {};
  try {
    const geo = loadGeo(seed);
    const collabs = buildCollaborators(seed, geo);
    await k
      .insertInto('collaborators')
      .values(collaboratorRows(seed, collabs))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const targetRows = [
      ...Object.entries(AGENCY_TARGETS).map(([agency, target]) => ({ agency, regency_code: null, target })),
      ...Object.entries(CITY_TARGETS).map(([regency_code, target]) => ({
        agency: null,
        regency_code,
        target,
      })),
    ].map((t, i) => ({ id: demoUuid(seed, ID.target, i), program_id: program.id, year: null, ...t }));
    await k
      .insertInto('targets')
      .values(targetRows)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const specs = userSpecs(seed, geo, collabs);
    await insertUsers(svc, seed, specs, 0, now);
    source.setUsers(specs);
    const result: SeedResult = {
      participants: 0,
      target: program.target,
      collaborators: collabs.length,
      targets: targetRows.length,
      users: [],
      seconds: 0,
      ...emptyStats(),
    };
    let showcase: { id: string; regNo: string; phone: string; name: string } | null = null;
    raw?.pragma('cache_size = -262144');
    raw?.pragma('wal_autocheckpoint = 50000');
    const starts: number[] = [];
    for (let b0 = 0; b0 < n; b0 += batchSize) starts.push(b0);
    // two batches in flight: the next one is built while this one is written
    const inFlight: Promise<Batch>[] = [];
    let asked = 0;
    const ask = () => {
      if (asked < starts.length) {
        const b0 = starts[asked++];
        const next = source.request(b0, Math.min(n, b0 + batchSize));
        next.catch(() => {}); // awaited in turn below; a failure meanwhile is not an unhandled rejection
        inFlight.push(next);
      }
    };
    opts.onProgress?.(0, n);
    ask();
    ask();
    while (inFlight.length > 0) {
      const b = await inFlight.shift()!;
      ask();
      const numbers = await writeBatch(svc, b);
      const s = b.stats;
      for (const key of ['byStatus', 'byChannel', 'byRegency', 'bySector', 'funnel'] as const)
        for (const [x, c] of Object.entries(s[key])) inc(result[key], x, c);
      result.collaboratorParticipants += s.collaboratorParticipants;
      result.secondEnrolments += s.secondEnrolments;
      result.milestones += s.milestones;
      result.enrolments += s.enrolments;
      if (b.showcase) showcase = { ...b.showcase, regNo: numbers[b.showcase.row] };
      result.participants = b.b1;
      opts.onProgress?.(b.b1, n);
    }

    // the participant's own account (login by phone)
    if (showcase) {
      const spec: UserSpec = {
        id: demoUuid(seed, ID.user, specs.length),
        role: 'participant',
        login: showcase.phone,
        loginBy: 'phone',
        password: DEMO_PASSWORDS.participant,
        name: showcase.name,
        areas: [],
        agency: null,
        collaborator: null,
        collaboratorId: null,
        participant: showcase.regNo,
        participantId: showcase.id,
      };
      await insertUsers(svc, seed, [spec], specs.length, now);
      specs.push(spec);
    }
    result.users = specs.map((s) => ({
      role: s.role,
      login: s.login,
      loginBy: s.loginBy,
      password: s.password,
      name: s.name,
      areas: s.areas,
      collaborator: s.collaborator,
      participant: s.participant,
    }));
    result.seconds = Math.round((performance.now() - t0) / 100) / 10;
    await k
      .insertInto('audit_log')
      .values({
        id: demoUuid(seed, ID.user, 1 << 20),
        occurred_at: new Date().toISOString(),
        actor_id: null,
        actor_label: 'cli',
        ip: null,
        action: 'demo.seed',
        entity_type: 'program',
        entity_id: program.id,
        participant_id: null,
        data_enc: null,
        data: JSON.stringify({
          before: null,
          after: {
            seed,
            participants: result.participants,
            collaborators: result.collaborators,
            funnel: result.funnel,
            users: result.users.map((u) => ({
              role: u.role,
              login: u.role === 'participant' ? u.participant : u.login,
            })),
          },
          note: null,
        }),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return result;
  } finally {
    await source.close();
    for (const [name, value] of Object.entries(pragmas)) raw?.pragma(`${name} = ${Number(value)}`);
  }
}

// ---------------------------------------------------------------------------
// The command line

const fmt = (x: number) => x.toLocaleString('en-US');

/** `jakpreneur seed demo [--participants N] [--json]`: progress on stderr, the result (and users) on stdout. */
export async function seedDemoCommand(
  svc: Services,
  o: { participants?: number; json?: boolean },
): Promise<void> {
  const write = (s: string) => process.stderr.write(`${s}\n`);
  let bar: SingleBar | null = null;
  let nextPct = 10;
  const started = performance.now();
  const res = await seedDemo(svc, {
    participants: o.participants,
    onProgress: (done, all) => {
      if (process.stderr.isTTY) {
        if (!bar) {
          bar = new SingleBar({
            format: 'Seeding demo {bar} {percentage}% | {value}/{total} participants | ETA {eta_formatted}',
            stream: process.stderr,
            hideCursor: true,
          });
          bar.start(all, 0);
        }
        bar.update(done);
        return;
      }
      const pct = Math.floor((done / all) * 100);
      if (pct >= nextPct || done === all) {
        write(
          `seed demo: ${fmt(done)}/${fmt(all)} participants (${pct}%, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
        while (nextPct <= pct) nextPct += 10;
      }
    },
  }).finally(() => (bar as SingleBar | null)?.stop());
  if (o.json) {
    process.stdout.write(`${JSON.stringify(res)}\n`);
    return;
  }
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`Demo program seeded in ${res.seconds} s (data marked as demo).`);
  out(
    `  participants:   ${fmt(res.participants)} (target ${fmt(res.target)}: ${((res.participants / res.target) * 100).toFixed(1)} %)`,
  );
  out(
    `  status:         ${['registered', 'verified', 'validated', 'rejected']
      .map((s) => `${s} ${fmt(res.byStatus[s] ?? 0)}`)
      .join(' · ')}`,
  );
  out(`  funnel:         ${STAGES.map((s) => `${s} ${fmt(res.funnel[s])}`).join(' · ')}`);
  out(
    `  collaborators:  ${res.collaborators} (${fmt(res.collaboratorParticipants)} participants brought by one)`,
  );
  out(
    `  enrolments:     ${fmt(res.enrolments)} (${fmt(res.secondEnrolments)} with a second agency); targets: ${res.targets}`,
  );
  out(`  milestones:     ${fmt(res.milestones)}`);
  out('');
  out('Demo users (login / password):');
  for (const u of res.users) {
    const what =
      u.role === 'participant'
        ? `participant ${u.participant}`
        : u.collaborator
          ? u.collaborator
          : u.areas.length
            ? u.areas.join(', ')
            : 'all areas';
    out(`  ${u.role.padEnd(12)} ${u.login.padEnd(44)} ${u.password.padEnd(22)} ${what}`);
  }
}
