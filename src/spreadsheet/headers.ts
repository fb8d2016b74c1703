/**
 * Header matching for the participant import: maps the column headers of an
 * uploaded sheet (Indonesian or English, any case / spacing / punctuation,
 * hints in brackets ignored) to canonical field keys.
 */

export type ImportKey =
  | 'nik'
  | 'fullName'
  | 'birthDate'
  | 'sex'
  | 'phone'
  | 'email'
  | 'villageCode'
  | 'street'
  | 'rt'
  | 'rw'
  | 'postalCode'
  | 'businessName'
  | 'sector'
  | 'kbli'
  | 'products'
  | 'startedYear'
  | 'annualRevenue'
  | 'capital'
  | 'employees'
  | 'nib'
  | 'npwp'
  | 'registeredAt'
  | 'consent';

export interface ImportColumn {
  key: ImportKey;
  /** Header in Bahasa Indonesia (used by the 'id' template). */
  id: string;
  /** Header in English (used by the 'en' template). */
  en: string;
  /** Required on its own. Groups where one of several columns is enough are in IMPORT_REQUIRED_ONE_OF. */
  required: boolean;
  /** Further accepted headers besides `id` and `en`. */
  aliases: readonly string[];
  /** Text-like identifiers: keep as text (leading zeros, 16-digit NIKs), never as numbers. */
  text: boolean;
}

function col(
  key: ImportKey,
  id: string,
  en: string,
  opts: { required?: boolean; aliases?: string[]; text?: boolean } = {},
): ImportColumn {
  return {
    key,
    id,
    en,
    required: opts.required ?? false,
    aliases: opts.aliases ?? [],
    text: opts.text ?? false,
  };
}

/** Import columns in template order. */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  col('nik', 'NIK', 'NIK', { required: true, text: true, aliases: ['Nomor Induk Kependudukan'] }),
  col('fullName', 'Nama Lengkap', 'Full Name', { required: true, aliases: ['Nama', 'Name'] }),
  col('birthDate', 'Tanggal Lahir', 'Birth Date', { aliases: ['Tgl Lahir', 'Date of Birth'] }),
  col('sex', 'Jenis Kelamin (L/P)', 'Sex (M/F)', { aliases: ['Gender'] }),
  col('phone', 'No HP', 'Phone', {
    required: true,
    text: true,
    aliases: ['Nomor HP', 'No Telepon', 'Nomor Telepon', 'Telepon', 'Phone Number', 'Mobile'],
  }),
  col('email', 'Email', 'Email'),
  col('villageCode', 'Kode Kelurahan', 'Village Code', {
    required: true,
    text: true,
    aliases: ['Kode Desa', 'Kode Desa/Kelurahan'],
  }),
  col('street', 'Alamat', 'Street', { aliases: ['Address'] }),
  col('rt', 'RT', 'RT', { text: true }),
  col('rw', 'RW', 'RW', { text: true }),
  col('postalCode', 'Kode Pos', 'Postal Code', { text: true }),
  col('businessName', 'Nama Usaha', 'Business Name', { required: true }),
  col('sector', 'Sektor', 'Sector'),
  col('kbli', 'KBLI', 'KBLI', { text: true }),
  col('products', 'Produk', 'Products', { aliases: ['Product'] }),
  col('startedYear', 'Tahun Mulai Usaha', 'Started Year'),
  col('annualRevenue', 'Omzet Tahunan', 'Annual Revenue', { aliases: ['Omset Tahunan'] }),
  col('capital', 'Modal Usaha', 'Capital', { aliases: ['Modal'] }),
  col('employees', 'Jumlah Karyawan', 'Employees', { aliases: ['Jumlah Tenaga Kerja'] }),
  col('nib', 'NIB', 'NIB', { text: true }),
  col('npwp', 'NPWP', 'NPWP', { text: true }),
  col('registeredAt', 'Tanggal Daftar', 'Registered At'),
  col('consent', 'Persetujuan (Y/N)', 'Consent (Y/N)'),
];

/** Groups of columns of which at least one must be present. */
export const IMPORT_REQUIRED_ONE_OF: readonly (readonly ImportKey[])[] = [['sector', 'kbli']];

/**
 * Lower-cases, drops text in brackets such as "(L/P)" or "[opsional]", drops
 * diacritics, spaces and punctuation: "Jenis Kelamin (L/P)" -> "jeniskelamin",
 * "NO. HP" -> "nohp".
 */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const BY_NORMALIZED: ReadonlyMap<string, ImportKey> = (() => {
  const m = new Map<string, ImportKey>();
  for (const c of IMPORT_COLUMNS) {
    for (const h of [c.id, c.en, ...c.aliases]) {
      const n = normalizeHeader(h);
      const prev = m.get(n);
      if (prev !== undefined && prev !== c.key) throw new Error(`Header alias ${h} is ambiguous`);
      m.set(n, c.key);
    }
  }
  return m;
})();

/** The canonical key for one header, or undefined. */
export function headerKey(header: string): ImportKey | undefined {
  return BY_NORMALIZED.get(normalizeHeader(header));
}

export interface HeaderMapping {
  /** Canonical key -> 0-based column index (the first column when a key appears twice). */
  columns: Map<ImportKey, number>;
  /** Non-empty headers that match no field, as written. */
  unknown: string[];
  /** Headers, as written, whose field was already matched by an earlier column (those columns are ignored). */
  duplicates: string[];
  /** Required keys with no column; for a one-of group the first key of the group ('sector'). */
  missingRequired: ImportKey[];
}

export function mapHeaders(headers: readonly string[]): HeaderMapping {
  const columns = new Map<ImportKey, number>();
  const unknown: string[] = [];
  const duplicates: string[] = [];
  headers.forEach((header, index) => {
    if (header.trim() === '') return;
    const key = headerKey(header);
    if (key === undefined) unknown.push(header);
    else if (columns.has(key)) duplicates.push(header);
    else columns.set(key, index);
  });
  const missingRequired: ImportKey[] = IMPORT_COLUMNS.filter((c) => c.required && !columns.has(c.key)).map(
    (c) => c.key,
  );
  for (const group of IMPORT_REQUIRED_ONE_OF) {
    if (!group.some((k) => columns.has(k))) missingRequired.push(group[0]);
  }
  return { columns, unknown, duplicates, missingRequired };
}
