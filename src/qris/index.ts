export {
  appendCrc,
  build,
  encodeTlv,
  formatAmount,
  QrisError,
  serializeTlvs,
  toDynamic,
  toProfile,
} from './build.ts';
export { crc16, crc16Hex, crcToHex } from './crc.ts';
export { LENIENT_CODES } from './lenient.ts';
export { parse, QRIS_CRITERIA, QRIS_GUID } from './parse.ts';
export type {
  AccountProfile,
  AdditionalData,
  AdditionalProfile,
  Amount,
  DynamicOptions,
  Fee,
  LanguageProfile,
  LanguageTemplate,
  MerchantAccount,
  MerchantProfile,
  ParseOptions,
  ParseResult,
  QrisData,
  QrisIssue,
  QrisIssueCode,
  Tlv,
  UnreservedTemplate,
} from './types.ts';
export { ISSUE_CODES } from './types.ts';
