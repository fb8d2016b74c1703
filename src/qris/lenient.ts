import type { QrisIssueCode } from './types.ts';

/**
 * Codes that `parse(payload, { lenient: true })` reports as warnings instead of errors.
 * Two of them are lenient only in part: DUPLICATE_ID inside a template (a duplicate root
 * id stays an error) and CRC_FORMAT for lower-case hex digits (anything else that is not
 * four hex digits stays an error). STATIC_WITH_AMOUNT, and QRIS_CRITERIA for a template
 * without criteria when another template has them, are warnings in both modes.
 */
export const LENIENT_CODES: readonly QrisIssueCode[] = [
  'FIELD_TOO_LONG',
  'FIELD_EMPTY',
  'FIELD_CHARSET',
  'DUPLICATE_ID',
  'CRC_FORMAT',
  'QRIS_POSTAL_CODE_MISSING',
  'QRIS_CRITERIA',
  'QRIS_NMID',
];
