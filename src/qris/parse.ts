import { payloadScan, scanPayload } from './crc.ts';
import type {
  AdditionalData,
  LanguageTemplate,
  MerchantAccount,
  ParseOptions,
  ParseResult,
  QrisData,
  QrisIssue,
  QrisIssueCode,
  Tlv,
  UnreservedTemplate,
} from './types.ts';

/** GUID of the QRIS national merchant template (root id 51). */
export const QRIS_GUID = 'ID.CO.QRIS.WWW';

/** QRIS merchant criteria (sub-tag 03 of the account templates). */
export const QRIS_CRITERIA = ['UMI', 'UKE', 'UME', 'UBE', 'URE', 'PSO', 'BLU'] as const;

/** '00'..'99' without allocating per use. */
export const IDS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

const NAME_MAX = 25;
const CITY_MAX = 15;
const POSTAL_MAX = 10;
const GUID_MAX = 32;
const PAN_MAX = 19;
const MID_MAX = 15;
const ADDITIONAL_MAX = 25;
const AMOUNT_MAX = 13;

interface Ctx {
  lenient: boolean;
  /** The payload holds code points above U+FFFF: lengths must be counted in code points. */
  astral: boolean;
  /** Every character of the payload is printable ASCII: charset checks can be skipped. */
  printable: boolean;
  errors: QrisIssue[];
  warnings: QrisIssue[];
}

function hard(ctx: Ctx, code: QrisIssueCode, path: string, message: string): void {
  ctx.errors.push({ code, path, message });
}

/** A strict-mode error that `lenient` turns into a warning. */
function soft(ctx: Ctx, code: QrisIssueCode, path: string, message: string): void {
  (ctx.lenient ? ctx.warnings : ctx.errors).push({ code, path, message });
}

function warn(ctx: Ctx, code: QrisIssueCode, path: string, message: string): void {
  ctx.warnings.push({ code, path, message });
}

/**
 * Stamp tables for duplicate detection: a slot equal to the current generation was seen
 * (no clearing between payloads). Templates and the root have their own table and counter
 * since templates are read while the root is walked.
 */
const seenSub = new Uint32Array(100);
const seenRoot = new Uint32Array(100);
let subGeneration = 0;
let rootGeneration = 0;

function nextSubGeneration(): number {
  subGeneration = (subGeneration + 1) >>> 0;
  if (subGeneration === 0) {
    seenSub.fill(0);
    subGeneration = 1;
  }
  return subGeneration;
}

function nextRootGeneration(): number {
  rootGeneration = (rootGeneration + 1) >>> 0;
  if (rootGeneration === 0) {
    seenRoot.fill(0);
    rootGeneration = 1;
  }
  return rootGeneration;
}

/**
 * Numeric ids of the data objects just read, so that dispatch compares numbers: `rootIds[i]`
 * for `tlvs[i]` of the payload, `subIds[i]` for the list the last {@link scanTemplate}
 * returned (read before the next template is scanned; parsing is synchronous).
 */
let rootIds: Uint8Array = new Uint8Array(128);
let subIds: Uint8Array = new Uint8Array(64);

function grow(a: Uint8Array): Uint8Array {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
}

/** Issue path: a root id, or parent.sub; built only when an issue is reported. */
function at(parent: string, sub: string): string {
  return sub === '' ? parent : parent + '.' + sub;
}

function charLength(ctx: Ctx, v: string): number {
  if (!ctx.astral) return v.length;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
      const d = v.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * End index (UTF-16 units) of a value of `len` characters starting at `i`, or -1 if the
 * string ends first.
 */
function valueEnd(s: string, i: number, len: number, end: number, astral: boolean): number {
  if (!astral) return i + len <= end ? i + len : -1;
  for (let k = 0; k < len; k++) {
    if (i >= end) return -1;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else i++;
  }
  return i;
}

function isDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** EMVCo 'ans': printable ASCII 0x20-0x7E. */
function checkAns(ctx: Ctx, v: string, parent: string, sub: string): void {
  if (ctx.printable) return;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      soft(
        ctx,
        'FIELD_CHARSET',
        at(parent, sub),
        `character U+${c.toString(16).padStart(4, '0')} at ${i} is not printable ASCII`,
      );
      return;
    }
  }
}

/** Free text ('S'): any character but control characters. */
function checkText(ctx: Ctx, v: string, parent: string, sub: string): void {
  if (ctx.printable) return;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
      soft(
        ctx,
        'FIELD_CHARSET',
        at(parent, sub),
        `control character U+${c.toString(16).padStart(4, '0')} at ${i}`,
      );
      return;
    }
  }
}

function checkMax(ctx: Ctx, v: string, parent: string, sub: string, max: number, what: string): void {
  if (v.length > max) {
    const n = charLength(ctx, v);
    if (n > max)
      soft(ctx, 'FIELD_TOO_LONG', at(parent, sub), `${what} has ${n} characters, at most ${max} allowed`);
  }
}

function checkEmpty(ctx: Ctx, v: string, parent: string, sub: string): boolean {
  if (v.length !== 0) return false;
  soft(ctx, 'FIELD_EMPTY', at(parent, sub), 'zero-length value: an absent data object must be left out');
  return true;
}

/**
 * Amount format shared by 54 and 56: digits with at most one '.', a digit on both sides
 * of it, at most 13 characters, not zero. Returns a reason, or null when fine.
 */
export function amountProblem(v: string): string | null {
  const n = v.length;
  if (n === 0) return 'empty';
  if (n > AMOUNT_MAX) return `${n} characters, at most ${AMOUNT_MAX} allowed`;
  let dot = -1;
  let nonZero = false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) {
      if (dot !== -1) return 'more than one decimal point';
      dot = i;
    } else if (c < 48 || c > 57) return 'only digits and one "." are allowed';
    else if (c !== 48) nonZero = true;
  }
  if (dot === 0 || dot === n - 1) return 'a decimal point needs digits on both sides';
  if (!nonZero) return 'must not be zero';
  return null;
}

/** 57: percentage 00.01-99.99, digits with at most one '.', at most 5 characters. */
export function percentProblem(v: string): string | null {
  const n = v.length;
  if (n === 0 || n > 5) return 'must be 1-5 characters';
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) {
      if (dot !== -1) return 'more than one decimal point';
      dot = i;
    } else if (c < 48 || c > 57) return 'only digits and one "." are allowed';
  }
  if (dot === 0 || dot === n - 1) return 'a decimal point needs digits on both sides';
  if (dot !== -1 && n - dot - 1 > 2) return 'at most two decimals';
  const x = Number(v);
  if (!(x >= 0.01 && x <= 99.99)) return 'must be between 00.01 and 99.99';
  return null;
}

/**
 * Reads the data objects of a template value into a list. Structural breaks are errors
 * (never lenient); a duplicate sub-id is a lenient breach. Returns what could be read.
 */
function scanTemplate(ctx: Ctx, s: string, path: string): Tlv[] {
  const out: Tlv[] = [];
  const end = s.length;
  const gen = nextSubGeneration();
  let pos = 0;
  while (pos < end) {
    if (end - pos < 4) {
      hard(
        ctx,
        'TLV_TRUNCATED',
        path,
        `template ${path}: ${end - pos} character(s) left at offset ${pos}, need id and length`,
      );
      break;
    }
    const a = s.charCodeAt(pos) - 48;
    const b = s.charCodeAt(pos + 1) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9) {
      hard(ctx, 'TLV_ID_INVALID', path, `template ${path}: id at offset ${pos} is not two digits`);
      break;
    }
    const id = a * 10 + b;
    const idStr = IDS[id];
    const c = s.charCodeAt(pos + 2) - 48;
    const d = s.charCodeAt(pos + 3) - 48;
    if (c < 0 || c > 9 || d < 0 || d > 9) {
      hard(ctx, 'TLV_LENGTH_INVALID', path + '.' + idStr, `length of ${path}.${idStr} is not two digits`);
      break;
    }
    const len = c * 10 + d;
    const vs = pos + 4;
    const ve = valueEnd(s, vs, len, end, ctx.astral);
    if (ve < 0) {
      hard(
        ctx,
        'TLV_TRUNCATED',
        path + '.' + idStr,
        `${path}.${idStr} declares ${len} characters, the template ends first`,
      );
      break;
    }
    if (seenSub[id] === gen) {
      soft(
        ctx,
        'DUPLICATE_ID',
        path + '.' + idStr,
        `${path}.${idStr} appears more than once; the first is used`,
      );
    } else seenSub[id] = gen;
    if (out.length === subIds.length) subIds = grow(subIds);
    subIds[out.length] = id;
    out.push({ id: idStr, value: s.slice(vs, ve) });
    pos = ve;
  }
  return out;
}

function parseAccount(ctx: Ctx, id: string, value: string): MerchantAccount {
  const fields = scanTemplate(ctx, value, id);
  const acc: MerchantAccount = { id, guid: null, pan: null, merchantId: null, criteria: null, fields };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = f.value;
    const pp = id;
    const ps = f.id;
    if (checkEmpty(ctx, v, pp, ps)) continue;
    switch (subIds[i]) {
      case 0:
        if (acc.guid !== null) break;
        acc.guid = v;
        checkAns(ctx, v, pp, ps);
        checkMax(ctx, v, pp, ps, GUID_MAX, 'globally unique identifier');
        break;
      case 1:
        if (acc.pan !== null) break;
        acc.pan = v;
        if (!isDigits(v)) hard(ctx, 'FIELD_FORMAT', at(pp, ps), 'merchant PAN must be digits');
        else checkMax(ctx, v, pp, ps, PAN_MAX, 'merchant PAN');
        break;
      case 2:
        if (acc.merchantId !== null) break;
        acc.merchantId = v;
        checkAns(ctx, v, pp, ps);
        checkMax(ctx, v, pp, ps, MID_MAX, 'merchant id');
        break;
      case 3:
        if (acc.criteria !== null) break;
        acc.criteria = v;
        checkAns(ctx, v, pp, ps);
        break;
      default:
        checkText(ctx, v, pp, ps);
    }
  }
  if (acc.guid === null)
    hard(ctx, 'FIELD_MISSING', id + '.00', `template ${id} has no globally unique identifier (00)`);
  return acc;
}

const ADDITIONAL_KEYS = [
  '',
  'billNumber',
  'mobileNumber',
  'storeLabel',
  'loyaltyNumber',
  'referenceLabel',
  'customerLabel',
  'terminalLabel',
  'purpose',
  'consumerDataRequest',
  'merchantTaxId',
  'merchantChannel',
] as const;

function parseAdditional(ctx: Ctx, value: string): AdditionalData {
  const fields = scanTemplate(ctx, value, '62');
  const ad: AdditionalData = {
    billNumber: null,
    mobileNumber: null,
    storeLabel: null,
    loyaltyNumber: null,
    referenceLabel: null,
    customerLabel: null,
    terminalLabel: null,
    purpose: null,
    consumerDataRequest: null,
    merchantTaxId: null,
    merchantChannel: null,
    others: [],
    fields,
  };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = f.value;
    const sub = subIds[i];
    const pp = '62';
    const ps = f.id;
    if (sub < 1 || sub > 11) {
      ad.others.push(f);
      if (!checkEmpty(ctx, v, pp, ps)) checkText(ctx, v, pp, ps);
      continue;
    }
    const key = ADDITIONAL_KEYS[sub] as Exclude<(typeof ADDITIONAL_KEYS)[number], ''>;
    if (ad[key] !== null) continue;
    ad[key] = v;
    if (checkEmpty(ctx, v, pp, ps)) continue;
    checkAns(ctx, v, pp, ps);
    if (sub <= 8) checkMax(ctx, v, pp, ps, ADDITIONAL_MAX, ADDITIONAL_KEYS[sub]);
    else if (sub === 9) {
      // Additional consumer data request: up to three of 'A' (address), 'M' (mobile), 'E' (email), once each.
      let bad = v.length > 3;
      for (let k = 0; k < v.length && !bad; k++) {
        const c = v[k];
        if ((c !== 'A' && c !== 'M' && c !== 'E') || v.indexOf(c) !== k) bad = true;
      }
      if (bad)
        hard(ctx, 'FIELD_FORMAT', at(pp, ps), 'consumer data request must be distinct letters among A, M, E');
    } else if (sub === 10) checkMax(ctx, v, pp, ps, 20, 'merchant tax id');
    else checkMax(ctx, v, pp, ps, 3, 'merchant channel');
  }
  return ad;
}

function parseLanguage(ctx: Ctx, value: string): LanguageTemplate {
  const fields = scanTemplate(ctx, value, '64');
  const lt: LanguageTemplate = { language: null, name: null, city: null, others: [], fields };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = f.value;
    const pp = '64';
    const ps = f.id;
    switch (subIds[i]) {
      case 0: {
        if (lt.language !== null) break;
        lt.language = v;
        const a = v.charCodeAt(0) | 0x20;
        const b = v.charCodeAt(1) | 0x20;
        if (v.length !== 2 || a < 97 || a > 122 || b < 97 || b > 122) {
          hard(ctx, 'FIELD_FORMAT', at(pp, ps), 'language preference must be two letters (ISO 639-1)');
        }
        break;
      }
      case 1:
        if (lt.name !== null) break;
        lt.name = v;
        if (checkEmpty(ctx, v, pp, ps)) break;
        checkText(ctx, v, pp, ps);
        checkMax(ctx, v, pp, ps, NAME_MAX, 'alternate merchant name');
        break;
      case 2:
        if (lt.city !== null) break;
        lt.city = v;
        if (checkEmpty(ctx, v, pp, ps)) break;
        checkText(ctx, v, pp, ps);
        checkMax(ctx, v, pp, ps, CITY_MAX, 'alternate merchant city');
        break;
      default:
        lt.others.push(f);
        if (!checkEmpty(ctx, v, pp, ps)) checkText(ctx, v, pp, ps);
    }
  }
  if (lt.language === null)
    hard(ctx, 'FIELD_MISSING', '64.00', 'language template needs a language preference (00)');
  if (lt.name === null) hard(ctx, 'FIELD_MISSING', '64.01', 'language template needs an alternate name (01)');
  return lt;
}

function parseUnreserved(ctx: Ctx, id: string, value: string): UnreservedTemplate {
  const fields = scanTemplate(ctx, value, id);
  const ut: UnreservedTemplate = { id, guid: null, fields };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const pp = id;
    const ps = f.id;
    if (checkEmpty(ctx, f.value, pp, ps)) continue;
    if (f.id === '00' && ut.guid === null) {
      ut.guid = f.value;
      checkAns(ctx, f.value, pp, ps);
      checkMax(ctx, f.value, pp, ps, GUID_MAX, 'globally unique identifier');
    } else checkText(ctx, f.value, pp, ps);
  }
  if (ut.guid === null)
    hard(ctx, 'FIELD_MISSING', id + '.00', `template ${id} has no globally unique identifier (00)`);
  return ut;
}

function isCriteria(v: string): boolean {
  return (
    v === 'UMI' || v === 'UKE' || v === 'UME' || v === 'UBE' || v === 'URE' || v === 'PSO' || v === 'BLU'
  );
}

function isNmid(v: string): boolean {
  if (v.length !== 15 || v.charCodeAt(0) !== 73 || v.charCodeAt(1) !== 68) return false;
  for (let i = 2; i < 15; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function newData(tlvs: Tlv[]): QrisData {
  return {
    payloadFormatIndicator: null,
    pointOfInitiation: null,
    dynamic: false,
    networkAccounts: [],
    accounts: [],
    national: null,
    nmid: null,
    criteria: null,
    mcc: null,
    currency: null,
    amount: null,
    tipIndicator: null,
    fixedFee: null,
    percentageFee: null,
    countryCode: null,
    name: null,
    city: null,
    postalCode: null,
    additional: null,
    language: null,
    rfu: [],
    unreserved: [],
    crc: null,
    tlvs,
  };
}

function rootField(ctx: Ctx, data: QrisData, id: number, idStr: string, v: string): void {
  switch (id) {
    case 0:
      data.payloadFormatIndicator = v;
      if (v !== '01') hard(ctx, 'FIELD_FORMAT', '00', `payload format indicator must be "01", got "${v}"`);
      return;
    case 1:
      data.pointOfInitiation = v;
      data.dynamic = v === '12';
      if (v !== '11' && v !== '12') {
        hard(
          ctx,
          'FIELD_FORMAT',
          '01',
          `point of initiation must be "11" (static) or "12" (dynamic), got "${v}"`,
        );
      }
      return;
    case 52:
      data.mcc = v;
      if (v.length !== 4 || !isDigits(v))
        hard(ctx, 'FIELD_FORMAT', '52', 'merchant category code must be 4 digits');
      return;
    case 53:
      data.currency = v;
      if (v.length !== 3 || !isDigits(v))
        hard(ctx, 'FIELD_FORMAT', '53', 'currency must be 3 digits (ISO 4217)');
      return;
    case 54: {
      data.amount = v;
      const p = amountProblem(v);
      if (p !== null) hard(ctx, 'AMOUNT_INVALID', '54', `transaction amount "${v}": ${p}`);
      return;
    }
    case 55:
      data.tipIndicator = v;
      if (v !== '01' && v !== '02' && v !== '03') {
        hard(ctx, 'FIELD_FORMAT', '55', `tip or convenience indicator must be 01, 02 or 03, got "${v}"`);
      }
      return;
    case 56: {
      data.fixedFee = v;
      const p = amountProblem(v);
      if (p !== null) hard(ctx, 'AMOUNT_INVALID', '56', `fixed convenience fee "${v}": ${p}`);
      return;
    }
    case 57: {
      data.percentageFee = v;
      const p = percentProblem(v);
      if (p !== null) hard(ctx, 'FIELD_FORMAT', '57', `percentage convenience fee "${v}": ${p}`);
      return;
    }
    case 58: {
      data.countryCode = v;
      const a = v.charCodeAt(0);
      const b = v.charCodeAt(1);
      if (v.length !== 2 || a < 65 || a > 90 || b < 65 || b > 90) {
        hard(ctx, 'FIELD_FORMAT', '58', 'country code must be two upper-case letters (ISO 3166-1 alpha-2)');
      }
      return;
    }
    case 59:
      data.name = v;
      if (checkEmpty(ctx, v, '59', '')) return;
      checkText(ctx, v, '59', '');
      checkMax(ctx, v, '59', '', NAME_MAX, 'merchant name');
      return;
    case 60:
      data.city = v;
      if (checkEmpty(ctx, v, '60', '')) return;
      checkText(ctx, v, '60', '');
      checkMax(ctx, v, '60', '', CITY_MAX, 'merchant city');
      return;
    case 61:
      data.postalCode = v;
      if (checkEmpty(ctx, v, '61', '')) return;
      checkAns(ctx, v, '61', '');
      checkMax(ctx, v, '61', '', POSTAL_MAX, 'postal code');
      return;
    case 62:
      if (checkEmpty(ctx, v, '62', '')) return;
      data.additional = parseAdditional(ctx, v);
      return;
    case 63:
      data.crc = v;
      return;
    case 64:
      if (checkEmpty(ctx, v, '64', '')) return;
      data.language = parseLanguage(ctx, v);
      return;
  }
  if (id <= 25) {
    data.networkAccounts.push({ id: idStr, value: v });
    if (!checkEmpty(ctx, v, idStr, '')) checkAns(ctx, v, idStr, '');
  } else if (id <= 51) {
    if (checkEmpty(ctx, v, idStr, '')) {
      hard(ctx, 'FIELD_MISSING', idStr + '.00', `template ${idStr} has no globally unique identifier (00)`);
      return;
    }
    const acc = parseAccount(ctx, idStr, v);
    data.accounts.push(acc);
    if (id === 51 && acc.guid === QRIS_GUID && data.national === null) {
      data.national = acc;
      data.nmid = acc.merchantId;
    }
  } else if (id >= 80) {
    if (checkEmpty(ctx, v, idStr, '')) {
      hard(ctx, 'FIELD_MISSING', idStr + '.00', `template ${idStr} has no globally unique identifier (00)`);
      return;
    }
    data.unreserved.push(parseUnreserved(ctx, idStr, v));
  } else {
    data.rfu.push({ id: idStr, value: v });
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Parses and validates an EMVCo MPM / QRIS payload. Never throws on bad input.
 *
 * Errors make `valid` false; warnings never do. With `lenient: true` the rules listed in
 * README.md as lenient are reported as warnings instead of errors.
 */
export function parse(payload: string, opts?: ParseOptions): ParseResult {
  if (typeof payload !== 'string') throw new TypeError('QRIS payload must be a string');
  const s = payload;
  const n = s.length;
  const ctx: Ctx = {
    lenient: opts?.lenient === true,
    astral: false,
    printable: false,
    errors: [],
    warnings: [],
  };
  if (n === 0) {
    hard(ctx, 'TLV_TRUNCATED', '', 'empty payload');
    return { valid: false, data: null, errors: ctx.errors, warnings: ctx.warnings };
  }

  // One pass computes the CRC of everything before the last four characters (where a
  // well-formed payload ends with "6304" + CRC), tells whether all characters are printable
  // ASCII (then no field needs a charset check) and whether any code point lies above
  // U+FFFF (then TLV lengths must be counted in code points, not UTF-16 units).
  const computed = scanPayload(s);
  const astral = payloadScan.surrogate;
  ctx.astral = astral;
  ctx.printable = payloadScan.printable;

  const tlvs: Tlv[] = [];
  const data = newData(tlvs);
  let pos = 0;
  let index = 0;
  let crcIndex = -1;
  let broken = false;
  while (pos < n) {
    if (n - pos < 4) {
      hard(
        ctx,
        'TLV_TRUNCATED',
        '',
        `${n - pos} character(s) left at offset ${pos}, need a two-digit id and length`,
      );
      broken = true;
      break;
    }
    const a = s.charCodeAt(pos) - 48;
    const b = s.charCodeAt(pos + 1) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9) {
      hard(ctx, 'TLV_ID_INVALID', '', `id at offset ${pos} is not two digits`);
      broken = true;
      break;
    }
    const id = a * 10 + b;
    const idStr = IDS[id];
    const c = s.charCodeAt(pos + 2) - 48;
    const d = s.charCodeAt(pos + 3) - 48;
    if (c < 0 || c > 9 || d < 0 || d > 9) {
      hard(ctx, 'TLV_LENGTH_INVALID', idStr, `length of ${idStr} at offset ${pos + 2} is not two digits`);
      broken = true;
      break;
    }
    const len = c * 10 + d;
    const vs = pos + 4;
    const ve = valueEnd(s, vs, len, n, astral);
    if (ve < 0) {
      hard(
        ctx,
        'TLV_TRUNCATED',
        idStr,
        `${idStr} at offset ${pos} declares ${len} characters, the payload ends first`,
      );
      broken = true;
      break;
    }
    const v = s.slice(vs, ve);
    if (index === rootIds.length) rootIds = grow(rootIds);
    rootIds[index] = id;
    tlvs.push({ id: idStr, value: v });
    if (id === 63 && crcIndex < 0) crcIndex = index;
    index++;
    pos = ve;
  }
  if (broken) return { valid: false, data: null, errors: ctx.errors, warnings: ctx.warnings };

  if (tlvs[0].id !== '00')
    hard(ctx, 'FIRST_NOT_00', tlvs[0].id, `the first data object must be 00, got ${tlvs[0].id}`);

  const gen = nextRootGeneration();
  for (let i = 0; i < tlvs.length; i++) {
    const t = tlvs[i];
    const id = rootIds[i];
    if (seenRoot[id] === gen) {
      hard(ctx, 'DUPLICATE_ID', t.id, `${t.id} appears more than once; the first is used`);
      continue;
    }
    seenRoot[id] = gen;
    rootField(ctx, data, id, t.id, t.value);
  }

  // CRC: 63 must be the last data object, four upper-case hex digits, matching the CRC of
  // everything up to and including "6304".
  if (crcIndex < 0) {
    hard(ctx, 'CRC_NOT_LAST', '63', 'the CRC (63) is missing: it must be the last data object');
  } else if (crcIndex !== tlvs.length - 1) {
    hard(ctx, 'CRC_NOT_LAST', '63', 'the CRC (63) must be the last data object');
  } else {
    const v = tlvs[crcIndex].value;
    let written = 0;
    let bad = v.length !== 4;
    let lower = false;
    for (let i = 0; i < v.length && !bad; i++) {
      const code = v.charCodeAt(i);
      const h = hexDigit(code);
      if (h < 0) bad = true;
      else {
        if (code >= 97) lower = true;
        written = (written << 4) | h;
      }
    }
    if (bad) hard(ctx, 'CRC_FORMAT', '63', `CRC must be four hex digits, got "${v}"`);
    else {
      if (lower) soft(ctx, 'CRC_FORMAT', '63', `CRC must be written in upper case, got "${v}"`);
      if (written !== computed) {
        const hex = computed.toString(16).toUpperCase().padStart(4, '0');
        hard(ctx, 'CRC_MISMATCH', '63', `CRC is ${v.toUpperCase()} but the payload's CRC is ${hex}`);
      }
    }
  }

  validateRoot(ctx, data);
  return { valid: ctx.errors.length === 0, data, errors: ctx.errors, warnings: ctx.warnings };
}

function validateRoot(ctx: Ctx, data: QrisData): void {
  if (data.mcc === null) hard(ctx, 'FIELD_MISSING', '52', 'merchant category code (52) is missing');
  if (data.currency === null) hard(ctx, 'FIELD_MISSING', '53', 'transaction currency (53) is missing');
  if (data.countryCode === null) hard(ctx, 'FIELD_MISSING', '58', 'country code (58) is missing');
  if (data.name === null) hard(ctx, 'FIELD_MISSING', '59', 'merchant name (59) is missing');
  if (data.city === null) hard(ctx, 'FIELD_MISSING', '60', 'merchant city (60) is missing');

  const tip = data.tipIndicator;
  if (data.fixedFee !== null && tip !== '02') {
    hard(ctx, 'TIP_FEE_RULE', '56', 'a fixed convenience fee (56) needs tip indicator 55 = "02"');
  }
  if (data.percentageFee !== null && tip !== '03') {
    hard(ctx, 'TIP_FEE_RULE', '57', 'a percentage convenience fee (57) needs tip indicator 55 = "03"');
  }
  if (tip === '02' && data.fixedFee === null) {
    hard(ctx, 'TIP_FEE_RULE', '56', 'tip indicator 55 = "02" needs a fixed convenience fee (56)');
  }
  if (tip === '03' && data.percentageFee === null) {
    hard(ctx, 'TIP_FEE_RULE', '57', 'tip indicator 55 = "03" needs a percentage convenience fee (57)');
  }
  if (data.pointOfInitiation === '11' && data.amount !== null) {
    warn(ctx, 'STATIC_WITH_AMOUNT', '54', 'a static code (01 = "11") carries a transaction amount');
  }

  const accounts = data.accounts;
  if (data.countryCode !== 'ID') {
    if (accounts.length === 0 && data.networkAccounts.length === 0) {
      hard(ctx, 'FIELD_MISSING', '02-51', 'at least one merchant account information (02-51) is required');
    }
    data.criteria = data.national?.criteria ?? firstCriteria(accounts);
    return;
  }

  // QRIS (Bank Indonesia) rules.
  const currency = data.currency;
  if (currency !== null && currency !== '360' && currency.length === 3 && isDigits(currency)) {
    hard(ctx, 'QRIS_CURRENCY', '53', `QRIS transactions are in rupiah (360), got ${data.currency}`);
  }
  if (data.postalCode === null)
    soft(ctx, 'QRIS_POSTAL_CODE_MISSING', '61', 'QRIS requires a postal code (61)');
  let qrisAccounts = 0;
  let withCriteria = 0;
  let firstMissing = '';
  for (let i = 0; i < accounts.length; i++) {
    const acc = accounts[i];
    const id = acc.id;
    const national = acc === data.national;
    if (!national && id > '45') continue; // 46-51 (except the national template): not QRIS accounts
    qrisAccounts++;
    if (acc.criteria === null) {
      if (firstMissing === '') firstMissing = id;
    } else {
      withCriteria++;
      if (!isCriteria(acc.criteria)) {
        soft(
          ctx,
          'QRIS_CRITERIA',
          id + '.03',
          `unknown merchant criteria "${acc.criteria}" (${QRIS_CRITERIA.join(', ')})`,
        );
      }
    }
    if (national) {
      if (acc.merchantId === null)
        hard(ctx, 'FIELD_MISSING', '51.02', 'the QRIS national template needs the NMID (02)');
      else if (!isNmid(acc.merchantId)) {
        soft(ctx, 'QRIS_NMID', '51.02', `NMID "${acc.merchantId}" is not "ID" followed by 13 digits`);
      }
    }
  }
  if (qrisAccounts === 0) {
    hard(
      ctx,
      'QRIS_NO_ACCOUNT',
      '51',
      `QRIS needs the national template (51, ${QRIS_GUID}) or an acquirer template (26-45)`,
    );
  } else if (withCriteria === 0) {
    soft(ctx, 'QRIS_CRITERIA', firstMissing + '.03', 'no account template states the merchant criteria (03)');
  } else if (firstMissing !== '') {
    warn(
      ctx,
      'QRIS_CRITERIA',
      firstMissing + '.03',
      `template ${firstMissing} does not state the merchant criteria (03)`,
    );
  }
  data.criteria = data.national?.criteria ?? firstCriteria(accounts);
}

function firstCriteria(accounts: MerchantAccount[]): string | null {
  for (let i = 0; i < accounts.length; i++) if (accounts[i].criteria !== null) return accounts[i].criteria;
  return null;
}
