/** One data object: two-digit id and its value (length is derived, in characters). */
export interface Tlv {
  id: string;
  value: string;
}

/**
 * Issue codes. Each is stable; see README.md in this folder for when each is raised and
 * which ones `lenient: true` turns into warnings.
 */
export const ISSUE_CODES = [
  'TLV_ID_INVALID',
  'TLV_LENGTH_INVALID',
  'TLV_TRUNCATED',
  'FIRST_NOT_00',
  'CRC_NOT_LAST',
  'DUPLICATE_ID',
  'CRC_MISMATCH',
  'CRC_FORMAT',
  'FIELD_MISSING',
  'FIELD_FORMAT',
  'FIELD_TOO_LONG',
  'FIELD_EMPTY',
  'FIELD_CHARSET',
  'AMOUNT_INVALID',
  'TIP_FEE_RULE',
  'QRIS_CURRENCY',
  'QRIS_POSTAL_CODE_MISSING',
  'QRIS_NO_ACCOUNT',
  'QRIS_CRITERIA',
  'QRIS_NMID',
  'STATIC_WITH_AMOUNT',
] as const;

export type QrisIssueCode = (typeof ISSUE_CODES)[number];

export interface QrisIssue {
  code: QrisIssueCode;
  /** Where: a root id ('54'), a sub-field ('62.07', '26.01'), or '' for the payload as a whole. */
  path: string;
  message: string;
}

/** Merchant account information template (ids 26-51). */
export interface MerchantAccount {
  id: string;
  /** Sub-tag 00, globally unique identifier (reverse domain, e.g. 'ID.CO.QRIS.WWW'). */
  guid: string | null;
  /** Sub-tag 01, merchant PAN. */
  pan: string | null;
  /** Sub-tag 02, merchant id (the NMID in the national template 51). */
  merchantId: string | null;
  /** Sub-tag 03, QRIS merchant criteria (UMI, UKE, UME, UBE, URE, PSO, BLU). */
  criteria: string | null;
  /** Every sub-field in payload order, including unknown ones. */
  fields: Tlv[];
}

/** Additional data field template (id 62). */
export interface AdditionalData {
  billNumber: string | null;
  mobileNumber: string | null;
  storeLabel: string | null;
  loyaltyNumber: string | null;
  referenceLabel: string | null;
  customerLabel: string | null;
  terminalLabel: string | null;
  purpose: string | null;
  consumerDataRequest: string | null;
  merchantTaxId: string | null;
  merchantChannel: string | null;
  /** Sub-fields other than 01-11 (RFU 12-49, payment-system templates 50-99), raw. */
  others: Tlv[];
  fields: Tlv[];
}

/** Merchant information - language template (id 64). */
export interface LanguageTemplate {
  language: string | null;
  name: string | null;
  city: string | null;
  others: Tlv[];
  fields: Tlv[];
}

/** Unreserved template (ids 80-99): a GUID and context-specific sub-fields. */
export interface UnreservedTemplate {
  id: string;
  guid: string | null;
  fields: Tlv[];
}

export interface QrisData {
  /** 00, always '01' in a valid payload. */
  payloadFormatIndicator: string | null;
  /** 01: '11' static, '12' dynamic; null when absent. */
  pointOfInitiation: string | null;
  dynamic: boolean;
  /** 02-25: primitive account data reserved for card networks (Visa, Mastercard, ...), raw. */
  networkAccounts: Tlv[];
  /** 26-51 templates in payload order. */
  accounts: MerchantAccount[];
  /** The QRIS national template: 51 with GUID 'ID.CO.QRIS.WWW'. */
  national: MerchantAccount | null;
  /** National Merchant ID (51.02 of the national template). */
  nmid: string | null;
  /** Merchant criteria of the national template, else of the first account that has one. */
  criteria: string | null;
  mcc: string | null;
  currency: string | null;
  amount: string | null;
  tipIndicator: string | null;
  fixedFee: string | null;
  percentageFee: string | null;
  countryCode: string | null;
  name: string | null;
  city: string | null;
  postalCode: string | null;
  additional: AdditionalData | null;
  language: LanguageTemplate | null;
  /** 65-79, reserved for future use by EMVCo, raw. */
  rfu: Tlv[];
  unreserved: UnreservedTemplate[];
  /** 63 as written in the payload. */
  crc: string | null;
  /** Every root data object in payload order; `serializeTlvs(tlvs)` gives back the payload. */
  tlvs: Tlv[];
}

export interface ParseOptions {
  /** Turn breaches that real-world codes commonly have into warnings (see README.md). */
  lenient?: boolean;
}

export interface ParseResult {
  valid: boolean;
  /** null only when the root TLV structure itself cannot be read. */
  data: QrisData | null;
  errors: QrisIssue[];
  warnings: QrisIssue[];
}

export type Amount = number | string;

export type Fee = { fixed: Amount } | { percent: Amount };

export interface AccountProfile {
  /** Root id 26-45; by default the next free one from 26. */
  id?: string;
  guid: string;
  pan?: string;
  merchantId?: string;
  /** Defaults to the profile's criteria. */
  criteria?: string;
}

export interface AdditionalProfile {
  billNumber?: string;
  mobileNumber?: string;
  storeLabel?: string;
  loyaltyNumber?: string;
  referenceLabel?: string;
  customerLabel?: string;
  terminalLabel?: string;
  purpose?: string;
  consumerDataRequest?: string;
}

export interface LanguageProfile {
  language: string;
  name: string;
  city?: string;
}

export interface MerchantProfile {
  name: string;
  city: string;
  postalCode: string;
  mcc: string;
  nmid: string;
  criteria: string;
  /** Acquirer (PJSP) templates, 26-45. */
  accounts?: AccountProfile[];
  countryCode?: string;
  currency?: string;
  /** With an amount the code is dynamic (01 = '12'). */
  amount?: Amount;
  fee?: Fee;
  additional?: AdditionalProfile;
  language?: LanguageProfile;
}

export interface DynamicOptions {
  amount: Amount;
  fee?: Fee;
  /** Parse the input leniently (default true): real static codes often break strict-only rules. */
  lenient?: boolean;
}
