/**
 * KBLI (Klasifikasi Baku Lapangan Usaha Indonesia), the business activity
 * classification used by OSS/NIB. A KBLI code has 5 digits; the first two are
 * the division (golongan pokok), which belongs to one of 21 categories (A-U).
 *
 * Only the category and division levels are shipped, so a 5-digit code is
 * checked for shape and for an existing division, not against the full list
 * of ~1,700 subclasses.
 *
 * Source: KBLI 2020, Peraturan BPS No. 2 Tahun 2020 (titles as published by BPS).
 * To add KBLI 2025 (Peraturan BPS No. 7 Tahun 2025): add a `KbliTable` for it
 * to `KBLI_TABLES` and '2025' to `KbliVersion`.
 */
import { type CheckResult, issue } from './codes.ts';

export type KbliVersion = '2020';

export interface KbliCategory {
  /** A-U */
  readonly letter: string;
  readonly nameId: string;
  readonly nameEn: string;
}

export interface KbliDivision {
  /** Two digits, e.g. "56". */
  readonly code: string;
  /** Category letter, e.g. "I". */
  readonly category: string;
  readonly nameId: string;
}

export interface KbliTable {
  readonly version: KbliVersion;
  readonly categories: ReadonlyMap<string, KbliCategory>;
  readonly divisions: ReadonlyMap<string, KbliDivision>;
}

const CATEGORIES_2020: readonly KbliCategory[] = [
  { letter: 'A', nameId: 'Pertanian, Kehutanan dan Perikanan', nameEn: 'Agriculture, forestry and fishing' },
  { letter: 'B', nameId: 'Pertambangan dan Penggalian', nameEn: 'Mining and quarrying' },
  { letter: 'C', nameId: 'Industri Pengolahan', nameEn: 'Manufacturing' },
  {
    letter: 'D',
    nameId: 'Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin',
    nameEn: 'Electricity, gas, steam and air conditioning supply',
  },
  {
    letter: 'E',
    nameId:
      'Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, dan Aktivitas Remediasi',
    nameEn: 'Water supply; sewerage, waste management and remediation activities',
  },
  { letter: 'F', nameId: 'Konstruksi', nameEn: 'Construction' },
  {
    letter: 'G',
    nameId: 'Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor',
    nameEn: 'Wholesale and retail trade; repair of motor vehicles and motorcycles',
  },
  { letter: 'H', nameId: 'Pengangkutan dan Pergudangan', nameEn: 'Transportation and storage' },
  {
    letter: 'I',
    nameId: 'Penyediaan Akomodasi dan Penyediaan Makan Minum',
    nameEn: 'Accommodation and food service activities',
  },
  { letter: 'J', nameId: 'Informasi dan Komunikasi', nameEn: 'Information and communication' },
  { letter: 'K', nameId: 'Aktivitas Keuangan dan Asuransi', nameEn: 'Financial and insurance activities' },
  { letter: 'L', nameId: 'Real Estat', nameEn: 'Real estate activities' },
  {
    letter: 'M',
    nameId: 'Aktivitas Profesional, Ilmiah dan Teknis',
    nameEn: 'Professional, scientific and technical activities',
  },
  {
    letter: 'N',
    nameId:
      'Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan dan Penunjang Usaha Lainnya',
    nameEn: 'Administrative and support service activities',
  },
  {
    letter: 'O',
    nameId: 'Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib',
    nameEn: 'Public administration and defence; compulsory social security',
  },
  { letter: 'P', nameId: 'Pendidikan', nameEn: 'Education' },
  {
    letter: 'Q',
    nameId: 'Aktivitas Kesehatan Manusia dan Aktivitas Sosial',
    nameEn: 'Human health and social work activities',
  },
  { letter: 'R', nameId: 'Kesenian, Hiburan dan Rekreasi', nameEn: 'Arts, entertainment and recreation' },
  { letter: 'S', nameId: 'Aktivitas Jasa Lainnya', nameEn: 'Other service activities' },
  {
    letter: 'T',
    nameId:
      'Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri',
    nameEn:
      'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
  },
  {
    letter: 'U',
    nameId: 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya',
    nameEn: 'Activities of extraterritorial organizations and bodies',
  },
];

/** The 88 divisions of KBLI 2020: [code, category, Indonesian title]. */
const DIVISIONS_2020: readonly (readonly [string, string, string])[] = [
  ['01', 'A', 'Pertanian Tanaman, Peternakan, Perburuan dan Kegiatan YBDI'],
  ['02', 'A', 'Pengelolaan Kehutanan dan Penebangan'],
  ['03', 'A', 'Perikanan'],
  ['05', 'B', 'Pertambangan Batu Bara dan Lignit'],
  ['06', 'B', 'Pertambangan Minyak Bumi dan Gas Alam dan Panas Bumi'],
  ['07', 'B', 'Pertambangan Bijih Logam'],
  ['08', 'B', 'Pertambangan dan Penggalian Lainnya'],
  ['09', 'B', 'Aktivitas Jasa Penunjang Pertambangan'],
  ['10', 'C', 'Industri Makanan'],
  ['11', 'C', 'Industri Minuman'],
  ['12', 'C', 'Industri Pengolahan Tembakau'],
  ['13', 'C', 'Industri Tekstil'],
  ['14', 'C', 'Industri Pakaian Jadi'],
  ['15', 'C', 'Industri Kulit, Barang dari Kulit dan Alas Kaki'],
  [
    '16',
    'C',
    'Industri Kayu, Barang dari Kayu dan Gabus (Tidak Termasuk Furnitur) dan Barang Anyaman dari Bambu, Rotan dan Sejenisnya',
  ],
  ['17', 'C', 'Industri Kertas dan Barang dari Kertas'],
  ['18', 'C', 'Industri Pencetakan dan Reproduksi Media Rekaman'],
  ['19', 'C', 'Industri Produk dari Batu Bara dan Pengilangan Minyak Bumi'],
  ['20', 'C', 'Industri Bahan Kimia dan Barang dari Bahan Kimia'],
  ['21', 'C', 'Industri Farmasi, Produk Obat Kimia dan Obat Tradisional'],
  ['22', 'C', 'Industri Karet, Barang dari Karet dan Plastik'],
  ['23', 'C', 'Industri Barang Galian Bukan Logam'],
  ['24', 'C', 'Industri Logam Dasar'],
  ['25', 'C', 'Industri Barang Logam, Bukan Mesin dan Peralatannya'],
  ['26', 'C', 'Industri Komputer, Barang Elektronik dan Optik'],
  ['27', 'C', 'Industri Peralatan Listrik'],
  ['28', 'C', 'Industri Mesin dan Perlengkapan YTDL'],
  ['29', 'C', 'Industri Kendaraan Bermotor, Trailer dan Semi Trailer'],
  ['30', 'C', 'Industri Alat Angkutan Lainnya'],
  ['31', 'C', 'Industri Furnitur'],
  ['32', 'C', 'Industri Pengolahan Lainnya'],
  ['33', 'C', 'Reparasi dan Pemasangan Mesin dan Peralatan'],
  ['35', 'D', 'Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin'],
  ['36', 'E', 'Treatment Air'],
  ['37', 'E', 'Treatment Air Limbah'],
  ['38', 'E', 'Pengumpulan, Treatment dan Pembuangan Limbah dan Sampah serta Aktivitas Pemulihan Material'],
  ['39', 'E', 'Aktivitas Remediasi dan Pengelolaan Limbah dan Sampah Lainnya'],
  ['41', 'F', 'Konstruksi Gedung'],
  ['42', 'F', 'Konstruksi Bangunan Sipil'],
  ['43', 'F', 'Konstruksi Khusus'],
  ['45', 'G', 'Perdagangan, Reparasi dan Perawatan Mobil dan Sepeda Motor'],
  ['46', 'G', 'Perdagangan Besar, Bukan Mobil dan Sepeda Motor'],
  ['47', 'G', 'Perdagangan Eceran, Bukan Mobil dan Motor'],
  ['49', 'H', 'Angkutan Darat dan Angkutan Melalui Saluran Pipa'],
  ['50', 'H', 'Angkutan Perairan'],
  ['51', 'H', 'Angkutan Udara'],
  ['52', 'H', 'Pergudangan dan Aktivitas Penunjang Angkutan'],
  ['53', 'H', 'Aktivitas Pos dan Kurir'],
  ['55', 'I', 'Penyediaan Akomodasi'],
  ['56', 'I', 'Penyediaan Makanan dan Minuman'],
  ['58', 'J', 'Aktivitas Penerbitan'],
  [
    '59',
    'J',
    'Aktivitas Produksi Gambar Bergerak, Video dan Program Televisi, Perekaman Suara dan Penerbitan Musik',
  ],
  ['60', 'J', 'Aktivitas Penyiaran dan Pemrograman'],
  ['61', 'J', 'Telekomunikasi'],
  ['62', 'J', 'Aktivitas Pemrograman, Konsultasi Komputer dan Kegiatan YBDI'],
  ['63', 'J', 'Aktivitas Jasa Informasi'],
  ['64', 'K', 'Aktivitas Jasa Keuangan, Bukan Asuransi dan Dana Pensiun'],
  ['65', 'K', 'Asuransi, Penjaminan, Reasuransi dan Dana Pensiun, Bukan Jaminan Sosial Wajib'],
  ['66', 'K', 'Aktivitas Penunjang Jasa Keuangan, Asuransi, Penjaminan dan Dana Pensiun'],
  ['68', 'L', 'Real Estat'],
  ['69', 'M', 'Aktivitas Hukum dan Akuntansi'],
  ['70', 'M', 'Aktivitas Kantor Pusat dan Konsultasi Manajemen'],
  ['71', 'M', 'Aktivitas Arsitektur dan Keinsinyuran; Analisis dan Uji Teknis'],
  ['72', 'M', 'Penelitian dan Pengembangan Ilmu Pengetahuan'],
  ['73', 'M', 'Periklanan dan Penelitian Pasar'],
  ['74', 'M', 'Aktivitas Profesional, Ilmiah dan Teknis Lainnya'],
  ['75', 'M', 'Aktivitas Kesehatan Hewan'],
  ['77', 'N', 'Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi'],
  ['78', 'N', 'Aktivitas Ketenagakerjaan'],
  ['79', 'N', 'Aktivitas Agen Perjalanan, Penyelenggara Tur dan Jasa Reservasi Lainnya'],
  ['80', 'N', 'Aktivitas Keamanan dan Penyelidikan'],
  ['81', 'N', 'Aktivitas Penyedia Jasa untuk Gedung dan Pertamanan'],
  [
    '82',
    'N',
    'Aktivitas Administrasi Kantor, Aktivitas Penunjang Kantor dan Aktivitas Penunjang Usaha Lainnya',
  ],
  ['84', 'O', 'Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib'],
  ['85', 'P', 'Pendidikan'],
  ['86', 'Q', 'Aktivitas Kesehatan Manusia'],
  ['87', 'Q', 'Aktivitas Sosial di Dalam Panti'],
  ['88', 'Q', 'Aktivitas Sosial Tanpa Akomodasi'],
  ['90', 'R', 'Aktivitas Hiburan, Kesenian dan Kreativitas'],
  ['91', 'R', 'Perpustakaan, Arsip, Museum dan Kegiatan Kebudayaan Lainnya'],
  ['92', 'R', 'Aktivitas Perjudian dan Pertaruhan'],
  ['93', 'R', 'Aktivitas Olahraga dan Rekreasi Lainnya'],
  ['94', 'S', 'Aktivitas Keanggotaan Organisasi'],
  ['95', 'S', 'Reparasi Komputer dan Barang Keperluan Pribadi dan Perlengkapan Rumah Tangga'],
  ['96', 'S', 'Aktivitas Jasa Perorangan Lainnya'],
  ['97', 'T', 'Aktivitas Rumah Tangga sebagai Pemberi Kerja dari Personil Domestik'],
  [
    '98',
    'T',
    'Aktivitas yang Menghasilkan Barang dan Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri',
  ],
  ['99', 'U', 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya'],
];

function buildTable(
  version: KbliVersion,
  categories: readonly KbliCategory[],
  divisions: readonly (readonly [string, string, string])[],
): KbliTable {
  return Object.freeze({
    version,
    categories: new Map(categories.map((c) => [c.letter, Object.freeze({ ...c })])),
    divisions: new Map(
      divisions.map(([code, category, nameId]) => [code, Object.freeze({ code, category, nameId })]),
    ),
  });
}

export const KBLI_2020: KbliTable = buildTable('2020', CATEGORIES_2020, DIVISIONS_2020);

export const KBLI_TABLES: Readonly<Record<KbliVersion, KbliTable>> = Object.freeze({ '2020': KBLI_2020 });

export const SUPPORTED_KBLI_VERSIONS: readonly KbliVersion[] = Object.freeze(
  Object.keys(KBLI_TABLES) as KbliVersion[],
);

export const DEFAULT_KBLI_VERSION: KbliVersion = '2020';

export interface KbliInfo {
  /** The 5-digit code. */
  code: string;
  /** Two-digit division (golongan pokok), e.g. "56". */
  division: string;
  /** Category letter, e.g. "I". */
  category: string;
  /** Indonesian division title. */
  divisionName: string;
  /** Indonesian category title. */
  categoryName: string;
  version: KbliVersion;
}

export type KbliResult = CheckResult<KbliInfo>;

function isSupported(version: string): version is KbliVersion {
  return Object.hasOwn(KBLI_TABLES, version);
}

/** Checks a 5-digit KBLI code (surrounding whitespace ignored) against the divisions of `version`. */
export function checkKbli(code: string, version: string = DEFAULT_KBLI_VERSION): KbliResult {
  if (!isSupported(version)) {
    return {
      ok: false,
      issue: issue('KBLI_VERSION_UNSUPPORTED', { version, supported: SUPPORTED_KBLI_VERSIONS.join(', ') }),
    };
  }
  const s = typeof code === 'string' ? code.trim() : '';
  if (!/^\d{5}$/.test(s)) return { ok: false, issue: issue('KBLI_INVALID') };
  const table = KBLI_TABLES[version];
  const division = table.divisions.get(s.slice(0, 2));
  if (!division) {
    return {
      ok: false,
      issue: issue('KBLI_DIVISION_UNKNOWN', { code: s, division: s.slice(0, 2), version }),
    };
  }
  return {
    ok: true,
    value: {
      code: s,
      division: division.code,
      category: division.category,
      divisionName: division.nameId,
      categoryName: table.categories.get(division.category)?.nameId ?? '',
      version,
    },
  };
}

/** The division (e.g. "56") of `version`, or undefined. */
export function getKbliDivision(
  division: string,
  version: KbliVersion = DEFAULT_KBLI_VERSION,
): KbliDivision | undefined {
  return KBLI_TABLES[version]?.divisions.get(division);
}

/** The category (e.g. "I") of `version`, or undefined. */
export function getKbliCategory(
  letter: string,
  version: KbliVersion = DEFAULT_KBLI_VERSION,
): KbliCategory | undefined {
  return KBLI_TABLES[version]?.categories.get(letter.toUpperCase());
}
