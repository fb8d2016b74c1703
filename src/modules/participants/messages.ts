import type { Text } from '../../core/errors.ts';

/** Field error texts owned by the registry (identity and spreadsheet codes carry their own). */
export const PARTICIPANT_MESSAGES: Record<string, Text> = {
  REQUIRED: { id: 'Wajib diisi.', en: 'Required.' },
  NAME_INVALID: {
    id: 'Nama lengkap harus 2-150 huruf, tanpa angka.',
    en: 'Full name must be 2-150 letters, without digits.',
  },
  BUSINESS_NAME_INVALID: {
    id: 'Nama usaha harus diisi (2-200 karakter).',
    en: 'Business name is required (2-200 characters).',
  },
  BIRTH_DATE_INVALID: {
    id: 'Tanggal lahir tidak valid (YYYY-MM-DD).',
    en: 'Birth date is not valid (YYYY-MM-DD).',
  },
  VILLAGE_INVALID: {
    id: 'Kode kelurahan tidak dikenal. Contoh: 31.71.01.1001.',
    en: 'Unknown village (kelurahan) code. Example: 31.71.01.1001.',
  },
  VILLAGE_NOT_VILLAGE: {
    id: 'Isi kode kelurahan lengkap (10 digit), bukan kode kota atau kecamatan.',
    en: 'Give the full 10-digit village code, not a city or district code.',
  },
  VILLAGE_OUTSIDE_PROGRAM: {
    id: 'Kelurahan ini berada di luar wilayah program.',
    en: 'This village lies outside the program area.',
  },
  STARTED_YEAR_INVALID: {
    id: 'Tahun mulai usaha harus antara 1900 dan tahun ini.',
    en: 'Started year must be between 1900 and this year.',
  },
  SECTOR_OR_KBLI_REQUIRED: { id: 'Isi sektor atau KBLI.', en: 'Give a sector or a KBLI code.' },
  AGENCY_UNKNOWN: { id: 'Instansi tidak dikenal.', en: 'Unknown agency.' },
  CONSENT_REQUIRED: {
    id: 'Anda perlu menyetujui pemrosesan data pribadi untuk mendaftar.',
    en: 'You need to agree to the processing of your personal data to register.',
  },
  NIK_OVERRIDE_FORBIDDEN: {
    id: 'Hanya petugas wilayah yang dapat mengonfirmasi NIK dengan kode wilayah lama.',
    en: 'Only an area officer can confirm a NIK with a retired region code.',
  },
  REGISTERED_AT_INVALID: {
    id: 'Tanggal daftar tidak valid atau di masa depan.',
    en: 'Registration date is not valid or lies in the future.',
  },
  COLLABORATOR_UNKNOWN: { id: 'Kolaborator tidak ditemukan.', en: 'Collaborator not found.' },
  ID_INVALID: {
    id: 'ID harus UUID (RFC 9562), bukan UUID nol atau maksimum.',
    en: 'The id must be an RFC 9562 UUID, not the nil or max UUID.',
  },
  NIK_DUPLICATE_IN_FILE: {
    id: 'NIK ini sudah muncul di baris sebelumnya dalam berkas.',
    en: 'This NIK already appears in an earlier row of the file.',
  },
  NIK_ALREADY_REGISTERED: { id: 'NIK ini sudah terdaftar.', en: 'This NIK is already registered.' },
  NIK_EXCEL_NUMBER: {
    id: 'NIK tersimpan sebagai angka oleh Excel sehingga digit terakhir hilang. Format kolom NIK sebagai Teks lalu ketik ulang.',
    en: 'Excel stored the NIK as a number and lost its last digit. Format the NIK column as Text and type it again.',
  },
};
