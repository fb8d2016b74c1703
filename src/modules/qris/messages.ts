import type { Lang, Text } from '../../core/errors.ts';
import type { QrisIssue, QrisIssueCode } from '../../qris/index.ts';

/**
 * People's texts for the codec's issue codes. The codec's own `message` (English, precise: it names the
 * value) is used for English; Indonesian gets the description of the code and the place it was found.
 */
export const ISSUE_TEXT: Record<QrisIssueCode, Text> = {
  TLV_ID_INVALID: { id: 'ID data object bukan dua digit angka.', en: 'A data object id is not two digits.' },
  TLV_LENGTH_INVALID: {
    id: 'Panjang data object bukan dua digit angka.',
    en: 'A data object length is not two digits.',
  },
  TLV_TRUNCATED: {
    id: 'Data terpotong: isian melewati akhir kode.',
    en: 'Truncated data: a value runs past the end.',
  },
  FIRST_NOT_00: {
    id: 'Data object pertama harus 00 (payload format indicator).',
    en: 'The first data object must be 00.',
  },
  CRC_NOT_LAST: {
    id: 'CRC (63) tidak ada atau bukan data object terakhir.',
    en: 'The CRC (63) is missing or not last.',
  },
  DUPLICATE_ID: { id: 'ID yang sama muncul dua kali.', en: 'An id appears twice.' },
  CRC_MISMATCH: {
    id: 'CRC tidak cocok: kode rusak atau salah disalin.',
    en: 'The CRC does not match: the code is damaged or mistyped.',
  },
  CRC_FORMAT: {
    id: 'CRC harus empat digit heksadesimal huruf besar.',
    en: 'The CRC must be four upper-case hex digits.',
  },
  FIELD_MISSING: { id: 'Isian wajib tidak ada.', en: 'A required field is missing.' },
  FIELD_FORMAT: { id: 'Format isian salah.', en: 'A field has the wrong format.' },
  FIELD_TOO_LONG: { id: 'Isian terlalu panjang.', en: 'A field is too long.' },
  FIELD_EMPTY: { id: 'Isian kosong (seharusnya tidak dicantumkan).', en: 'A field is empty.' },
  FIELD_CHARSET: { id: 'Ada karakter yang tidak diizinkan.', en: 'A field holds a character not allowed.' },
  AMOUNT_INVALID: {
    id: 'Nominal tidak valid: angka dengan paling banyak satu titik, tidak nol.',
    en: 'The amount is not valid: digits with at most one dot, not zero.',
  },
  TIP_FEE_RULE: { id: 'Aturan tip/biaya (55-57) dilanggar.', en: 'The tip/fee rules (55-57) are broken.' },
  QRIS_CURRENCY: { id: 'Mata uang QRIS harus 360 (Rupiah).', en: 'The QRIS currency must be 360 (rupiah).' },
  QRIS_POSTAL_CODE_MISSING: { id: 'Kode pos (61) tidak ada.', en: 'The postal code (61) is missing.' },
  QRIS_NO_ACCOUNT: {
    id: 'Tidak ada template QRIS nasional (51) atau template PJSP (26-45).',
    en: 'No national QRIS template (51) or acquirer template (26-45).',
  },
  QRIS_CRITERIA: {
    id: 'Kriteria merchant harus UMI, UKE, UME, UBE, URE, PSO atau BLU.',
    en: 'The merchant criteria must be UMI, UKE, UME, UBE, URE, PSO or BLU.',
  },
  QRIS_NMID: { id: 'NMID harus "ID" diikuti 13 digit.', en: 'The NMID must be "ID" and 13 digits.' },
  STATIC_WITH_AMOUNT: {
    id: 'Kode statis (01 = 11) berisi nominal.',
    en: 'A static code (01 = 11) carries an amount.',
  },
};

/** A codec issue in one language. */
export function issueMessage(issue: QrisIssue, lang: Lang): string {
  if (lang === 'en') return issue.message;
  const t = ISSUE_TEXT[issue.code]?.id ?? issue.message;
  return issue.path ? `${t} (di ${issue.path})` : t;
}

/** A codec issue with both texts, as profiles store their warnings. */
export function bilingual(issue: QrisIssue): Text {
  return { id: issueMessage(issue, 'id'), en: issue.message };
}
