/**
 * Stable issue codes for the identity validators, with plain-language texts in
 * Bahasa Indonesia and English.
 *
 * Codes are part of the public contract (stored in import reports, matched by
 * the UI): never rename one, add a new code instead.
 */

export const IDENTITY_CODES = [
  // NIK (Nomor Induk Kependudukan)
  'NIK_REQUIRED',
  'NIK_NOT_DIGITS',
  'NIK_LENGTH',
  'NIK_LIKELY_EXCEL_NUMBER',
  'NIK_PROVINCE_UNKNOWN',
  'NIK_REGENCY_UNKNOWN',
  'NIK_DISTRICT_UNKNOWN',
  'NIK_REGION_RETIRED',
  'NIK_DATE_INVALID',
  'NIK_DATE_FUTURE',
  'NIK_SERIAL_ZERO',
  'NIK_BIRTHDATE_MISMATCH',
  'NIK_SEX_MISMATCH',
  // Phone
  'PHONE_REQUIRED',
  'PHONE_INVALID',
  'PHONE_NOT_MOBILE',
  'PHONE_NOT_INDONESIAN',
  // Other identifiers
  'NPWP_INVALID',
  'NIB_INVALID',
  'POSTAL_CODE_INVALID',
  'EMAIL_INVALID',
  'RT_RW_INVALID',
  // KBLI
  'KBLI_INVALID',
  'KBLI_DIVISION_UNKNOWN',
  'KBLI_VERSION_UNSUPPORTED',
  // Program sectors
  'SECTOR_INVALID',
] as const;

export type IdentityCode = (typeof IDENTITY_CODES)[number];

export type Lang = 'id' | 'en';

export type MessageParams = Readonly<Record<string, string | number>>;

/** A failed check. `message` is English; use `message(code, 'id', params)` for Indonesian. */
export interface Issue {
  code: IdentityCode;
  message: string;
  /** Values substituted into the message template, kept so the issue can be re-rendered in another language. */
  params?: MessageParams;
}

/** Result of a simple check that normalizes its input. */
export type CheckResult<T = string> = { ok: true; value: T } | { ok: false; issue: Issue };

/** Message templates; `{name}` placeholders are filled from `params`. */
export const MESSAGES: Readonly<Record<IdentityCode, { readonly id: string; readonly en: string }>> = {
  NIK_REQUIRED: {
    id: 'NIK wajib diisi. Masukkan 16 digit NIK yang tertera di KTP atau Kartu Keluarga (KK).',
    en: 'NIK is required. Enter the 16-digit NIK printed on the KTP or the family card (KK).',
  },
  NIK_NOT_DIGITS: {
    id: 'NIK hanya boleh berisi angka. Hapus huruf dan tanda lain, lalu masukkan 16 digit NIK dari KTP.',
    en: 'NIK may contain digits only. Remove letters and other characters, then enter the 16 digits from the KTP.',
  },
  NIK_LENGTH: {
    id: 'NIK harus tepat 16 digit, tetapi yang diisi {length} digit. Periksa KTP dan masukkan ke-16 digitnya.',
    en: 'NIK must have exactly 16 digits, but {length} were entered. Check the KTP and enter all 16 digits.',
  },
  NIK_LIKELY_EXCEL_NUMBER: {
    id: 'NIK "{value}" tampaknya sudah diubah oleh Excel/spreadsheet menjadi angka sehingga digitnya hilang. Ubah format kolom NIK menjadi Teks, ketik ulang 16 digit NIK dari KTP, lalu unggah kembali.',
    en: 'NIK "{value}" looks like it was turned into a number by Excel or another spreadsheet, which loses digits. Format the NIK column as Text, type the 16 digits from the KTP again, and upload again.',
  },
  NIK_PROVINCE_UNKNOWN: {
    id: 'Dua digit pertama NIK ({code}) bukan kode provinsi yang dikenal. Cocokkan NIK dengan KTP.',
    en: 'The first two digits of the NIK ({code}) are not a known province code. Check the NIK against the KTP.',
  },
  NIK_REGENCY_UNKNOWN: {
    id: 'Digit ke-1 sampai ke-4 NIK ({code}) bukan kode kabupaten/kota yang dikenal. Cocokkan NIK dengan KTP.',
    en: 'Digits 1 to 4 of the NIK ({code}) are not a known regency/city code. Check the NIK against the KTP.',
  },
  NIK_DISTRICT_UNKNOWN: {
    id: 'Digit ke-1 sampai ke-6 NIK ({code}) bukan kode kecamatan yang dikenal. Cocokkan NIK dengan KTP.',
    en: 'Digits 1 to 6 of the NIK ({code}) are not a known district (kecamatan) code. Check the NIK against the KTP.',
  },
  NIK_REGION_RETIRED: {
    id: 'NIK memakai kode wilayah lama {code} ({name}), yang sekarang menjadi {successorCode} ({successorName}). NIK lama memang masih bisa memakai kode ini: petugas perlu mencocokkan dengan KTP lalu mengonfirmasi.',
    en: 'The NIK uses the old region code {code} ({name}), which is now {successorCode} ({successorName}). Older NIKs can still carry this code: an officer should check the KTP and confirm it.',
  },
  NIK_DATE_INVALID: {
    id: 'Digit ke-7 sampai ke-12 NIK ({value}) bukan tanggal lahir yang benar (format TTBBTT; untuk perempuan tanggal ditambah 40). Cocokkan NIK dengan KTP.',
    en: 'Digits 7 to 12 of the NIK ({value}) are not a real birth date (format DDMMYY; for women 40 is added to the day). Check the NIK against the KTP.',
  },
  NIK_DATE_FUTURE: {
    id: 'Tanggal lahir dalam NIK ({value}) jatuh di masa depan. Cocokkan NIK dengan KTP.',
    en: 'The birth date in the NIK ({value}) lies in the future. Check the NIK against the KTP.',
  },
  NIK_SERIAL_ZERO: {
    id: 'Empat digit terakhir NIK tidak boleh 0000. Cocokkan NIK dengan KTP. Jika data berasal dari Excel, ubah format kolom menjadi Teks dan ketik ulang NIK, karena Excel bisa mengganti digit terakhir menjadi 0.',
    en: 'The last four digits of the NIK cannot be 0000. Check the NIK against the KTP. If the data came from Excel, format the column as Text and type the NIK again, because Excel can turn the last digits into 0.',
  },
  NIK_BIRTHDATE_MISMATCH: {
    id: 'Tanggal lahir {birthDate} tidak cocok dengan tanggal lahir dalam NIK ({nikDates}). Cocokkan keduanya dengan KTP.',
    en: 'The birth date {birthDate} does not match the birth date in the NIK ({nikDates}). Check both against the KTP.',
  },
  NIK_SEX_MISMATCH: {
    id: 'Jenis kelamin yang diisi tidak cocok dengan NIK (pada NIK perempuan, tanggal lahir ditambah 40). Cocokkan keduanya dengan KTP.',
    en: 'The sex entered does not match the NIK (in a woman’s NIK, 40 is added to the day of birth). Check both against the KTP.',
  },
  PHONE_REQUIRED: {
    id: 'Nomor HP wajib diisi. Masukkan nomor HP Indonesia, misalnya 0812-3456-7890.',
    en: 'A phone number is required. Enter an Indonesian mobile number, for example 0812-3456-7890.',
  },
  PHONE_INVALID: {
    id: 'Nomor telepon tidak valid. Masukkan nomor Indonesia seperti 0812-3456-7890 atau +62 812-3456-7890.',
    en: 'This is not a valid phone number. Enter an Indonesian number such as 0812-3456-7890 or +62 812-3456-7890.',
  },
  PHONE_NOT_MOBILE: {
    id: 'Ini nomor telepon rumah/kantor. Masukkan nomor HP yang diawali 08, misalnya 0812-3456-7890.',
    en: 'This is a landline number. Enter a mobile number that starts with 08, for example 0812-3456-7890.',
  },
  PHONE_NOT_INDONESIAN: {
    id: 'Hanya nomor Indonesia (+62) yang diterima. Masukkan nomor yang diawali 08 atau +62.',
    en: 'Only Indonesian numbers (+62) are accepted. Enter a number that starts with 08 or +62.',
  },
  NPWP_INVALID: {
    id: 'NPWP harus 15 digit (format lama, misalnya 01.234.567.8-901.000) atau 16 digit (format baru). Salin dari kartu NPWP.',
    en: 'NPWP must have 15 digits (old format, for example 01.234.567.8-901.000) or 16 digits (new format). Copy it from the NPWP card.',
  },
  NIB_INVALID: {
    id: 'NIB harus tepat 13 digit angka. Salin dari dokumen NIB yang diterbitkan OSS.',
    en: 'NIB must have exactly 13 digits. Copy it from the NIB document issued by OSS.',
  },
  POSTAL_CODE_INVALID: {
    id: 'Kode pos harus 5 digit angka dan tidak diawali 0, misalnya 10110.',
    en: 'A postal code must have 5 digits and cannot start with 0, for example 10110.',
  },
  EMAIL_INVALID: {
    id: 'Alamat email tidak valid. Gunakan format nama@contoh.com tanpa spasi.',
    en: 'This email address is not valid. Use the form name@example.com without spaces.',
  },
  RT_RW_INVALID: {
    id: 'RT/RW harus berupa angka 1 sampai 999, misalnya 001 atau 12.',
    en: 'RT/RW must be a number from 1 to 999, for example 001 or 12.',
  },
  KBLI_INVALID: {
    id: 'Kode KBLI harus tepat 5 digit angka, misalnya 56101. Lihat kode KBLI pada NIB.',
    en: 'A KBLI code must have exactly 5 digits, for example 56101. Look up the KBLI code on the NIB.',
  },
  KBLI_DIVISION_UNKNOWN: {
    id: 'Kode KBLI {code} tidak ada: {division} bukan golongan pokok KBLI {version}. Periksa kembali kode KBLI pada NIB.',
    en: 'KBLI code {code} does not exist: {division} is not a KBLI {version} division. Check the KBLI code on the NIB again.',
  },
  KBLI_VERSION_UNSUPPORTED: {
    id: 'KBLI versi {version} belum didukung. Gunakan versi: {supported}.',
    en: 'KBLI version {version} is not supported yet. Use version: {supported}.',
  },
  SECTOR_INVALID: {
    id: 'Sektor usaha tidak dikenal. Pilih salah satu: kuliner, fashion, kriya, jasa, perdagangan, budidaya, lainnya.',
    en: 'Unknown business sector. Choose one of: culinary, fashion, craft, services, trade, farming, other.',
  },
};

const PLACEHOLDER = /\{(\w+)\}/g;

/** Renders the text for `code` in `lang`; placeholders without a value are left as `{name}`. */
export function message(code: IdentityCode, lang: Lang, params?: MessageParams): string {
  const template = MESSAGES[code][lang];
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Builds an issue with the English message. */
export function issue(code: IdentityCode, params?: MessageParams): Issue {
  return params
    ? { code, message: message(code, 'en', params), params }
    : { code, message: message(code, 'en') };
}
