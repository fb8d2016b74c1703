import { crc16, crcToHex } from './crc.ts';
import { amountProblem, IDS, parse, percentProblem, QRIS_GUID } from './parse.ts';
import type {
  AccountProfile,
  AdditionalProfile,
  Amount,
  DynamicOptions,
  Fee,
  MerchantProfile,
  QrisData,
  QrisIssue,
  Tlv,
} from './types.ts';

/** Thrown by {@link build} and {@link toDynamic}; `issues` says what is wrong. */
export class QrisError extends Error {
  readonly issues: QrisIssue[];
  constructor(message: string, issues: QrisIssue[]) {
    super(
      issues.length > 0 ? `${message}: ${issues.map((i) => `${i.code} at ${i.path}`).join(', ')}` : message,
    );
    this.name = 'QrisError';
    this.issues = issues;
  }
}

function charLength(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
      const d = v.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** One data object: id, two-digit length in characters (code points), value. */
export function encodeTlv(id: string, value: string): string {
  const n = charLength(value);
  if (n > 99)
    throw new QrisError('value too long', [
      {
        code: 'FIELD_TOO_LONG',
        path: id,
        message: `${id} has ${n} characters, a data object holds at most 99`,
      },
    ]);
  return id + IDS[n] + value;
}

/** Concatenates data objects as they are (a 63 in the list is written as given). */
export function serializeTlvs(tlvs: readonly Tlv[]): string {
  let out = '';
  for (let i = 0; i < tlvs.length; i++) out += encodeTlv(tlvs[i].id, tlvs[i].value);
  return out;
}

/** Appends "6304" and the CRC of everything before it plus "6304". */
export function appendCrc(body: string): string {
  const s = body + '6304';
  return s + crcToHex(crc16(s));
}

function invalid(code: QrisIssue['code'], path: string, message: string): QrisError {
  return new QrisError('invalid input', [{ code, path, message }]);
}

/** Formats an amount for 54/56: integers as they are, fractions with two decimals. */
export function formatAmount(amount: Amount, path = '54'): string {
  let v: string;
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount) || amount <= 0)
      throw invalid('AMOUNT_INVALID', path, `amount ${amount} must be a positive number`);
    v = Number.isInteger(amount) ? amount.toFixed(0) : amount.toFixed(2);
  } else v = amount;
  const p = amountProblem(v);
  if (p !== null) throw invalid('AMOUNT_INVALID', path, `amount "${v}": ${p}`);
  return v;
}

function formatPercent(percent: Amount): string {
  let v: string;
  if (typeof percent === 'number') {
    if (!Number.isFinite(percent))
      throw invalid('FIELD_FORMAT', '57', `percentage ${percent} is not a number`);
    v = Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(2);
  } else v = percent;
  const p = percentProblem(v);
  if (p !== null) throw invalid('FIELD_FORMAT', '57', `percentage fee "${v}": ${p}`);
  return v;
}

function feeTlvs(fee: Fee | undefined): Tlv[] {
  if (fee === undefined) return [];
  if ('fixed' in fee)
    return [
      { id: '55', value: '02' },
      { id: '56', value: formatAmount(fee.fixed, '56') },
    ];
  if ('percent' in fee)
    return [
      { id: '55', value: '03' },
      { id: '57', value: formatPercent(fee.percent) },
    ];
  throw invalid('TIP_FEE_RULE', '55', 'fee must be { fixed } or { percent }');
}

function template(entries: Array<[string, string | undefined]>): string {
  let out = '';
  for (const [id, v] of entries) if (v !== undefined && v !== '') out += encodeTlv(id, v);
  return out;
}

const ADDITIONAL_IDS: Array<[keyof AdditionalProfile, string]> = [
  ['billNumber', '01'],
  ['mobileNumber', '02'],
  ['storeLabel', '03'],
  ['loyaltyNumber', '04'],
  ['referenceLabel', '05'],
  ['customerLabel', '06'],
  ['terminalLabel', '07'],
  ['purpose', '08'],
  ['consumerDataRequest', '09'],
];

function byId(a: Tlv, b: Tlv): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Builds a QRIS payload from a merchant profile: static (01 = "11") without an amount,
 * dynamic ("12") with one. Data objects are written in ascending id order, 63 last.
 * The result is validated with the strict rules; a {@link QrisError} lists any breach.
 */
export function build(profile: MerchantProfile): string {
  const tlvs: Tlv[] = [
    { id: '00', value: '01' },
    { id: '01', value: profile.amount === undefined ? '11' : '12' },
  ];
  const used = new Set<string>();
  for (const a of profile.accounts ?? []) if (a.id !== undefined) used.add(a.id);
  let next = 26;
  for (const a of profile.accounts ?? []) {
    let id = a.id;
    if (id === undefined) {
      while (used.has(IDS[next])) next++;
      id = IDS[next++];
      used.add(id);
    }
    if (!(id >= '26' && id <= '45' && id.length === 2)) {
      throw invalid('FIELD_FORMAT', id, `acquirer account templates use ids 26-45, got "${id}"`);
    }
    tlvs.push({
      id,
      value: template([
        ['00', a.guid],
        ['01', a.pan],
        ['02', a.merchantId],
        ['03', a.criteria ?? profile.criteria],
      ]),
    });
  }
  tlvs.push({
    id: '51',
    value: template([
      ['00', QRIS_GUID],
      ['02', profile.nmid],
      ['03', profile.criteria],
    ]),
  });
  tlvs.push({ id: '52', value: profile.mcc });
  tlvs.push({ id: '53', value: profile.currency ?? '360' });
  if (profile.amount !== undefined) tlvs.push({ id: '54', value: formatAmount(profile.amount) });
  for (const t of feeTlvs(profile.fee)) tlvs.push(t);
  tlvs.push({ id: '58', value: profile.countryCode ?? 'ID' });
  tlvs.push({ id: '59', value: profile.name });
  tlvs.push({ id: '60', value: profile.city });
  if (profile.postalCode !== '') tlvs.push({ id: '61', value: profile.postalCode });
  if (profile.additional !== undefined) {
    const ad = profile.additional;
    const v = template(ADDITIONAL_IDS.map(([key, id]) => [id, ad[key]]));
    if (v !== '') tlvs.push({ id: '62', value: v });
  }
  if (profile.language !== undefined) {
    const l = profile.language;
    tlvs.push({
      id: '64',
      value: template([
        ['00', l.language],
        ['01', l.name],
        ['02', l.city],
      ]),
    });
  }
  tlvs.sort(byId);
  const payload = appendCrc(serializeTlvs(tlvs));
  const r = parse(payload);
  if (!r.valid) throw new QrisError('profile does not make a valid QRIS', r.errors);
  return payload;
}

/**
 * Turns a payload (usually a static QRIS) into a dynamic one for an amount: 01 becomes "12",
 * any 54-57 are dropped and the new amount (and fee) are placed before the first data
 * object with an id above 57; every other data object keeps its value and its order; the
 * CRC is recomputed. Works on the parsed TLV list, never by string replacement.
 *
 * The input is parsed leniently unless `lenient: false`; it must be valid under that mode.
 */
export function toDynamic(payload: string, opts: DynamicOptions): string {
  const r = parse(payload, { lenient: opts.lenient !== false });
  if (!r.valid || r.data === null) throw new QrisError('input is not a valid QRIS', r.errors);
  const extra: Tlv[] = [{ id: '54', value: formatAmount(opts.amount) }];
  for (const t of feeTlvs(opts.fee)) extra.push(t);
  const tlvs = r.data.tlvs;
  let out = '000201' + '010212';
  let inserted = false;
  for (let i = 0; i < tlvs.length; i++) {
    const t = tlvs[i];
    const id = t.id;
    if (id === '00' || id === '01' || id === '63' || (id >= '54' && id <= '57')) continue;
    if (!inserted && id > '57') {
      out += serializeTlvs(extra);
      inserted = true;
    }
    out += encodeTlv(id, t.value);
  }
  if (!inserted) out += serializeTlvs(extra);
  return appendCrc(out);
}

function accountProfile(acc: QrisData['accounts'][number]): AccountProfile {
  const p: AccountProfile = { id: acc.id, guid: acc.guid ?? '' };
  if (acc.pan !== null) p.pan = acc.pan;
  if (acc.merchantId !== null) p.merchantId = acc.merchantId;
  if (acc.criteria !== null) p.criteria = acc.criteria;
  return p;
}

/**
 * The merchant profile a parsed payload describes (the inverse of {@link build}): account
 * ids are always given, optional parts only when present.
 */
export function toProfile(data: QrisData): MerchantProfile {
  const p: MerchantProfile = {
    name: data.name ?? '',
    city: data.city ?? '',
    postalCode: data.postalCode ?? '',
    mcc: data.mcc ?? '',
    nmid: data.nmid ?? '',
    criteria: data.criteria ?? '',
  };
  const accounts: AccountProfile[] = [];
  for (const acc of data.accounts)
    if (acc !== data.national && acc.id <= '45') accounts.push(accountProfile(acc));
  if (accounts.length > 0) p.accounts = accounts;
  p.countryCode = data.countryCode ?? '';
  p.currency = data.currency ?? '';
  if (data.amount !== null) p.amount = data.amount;
  if (data.fixedFee !== null) p.fee = { fixed: data.fixedFee };
  else if (data.percentageFee !== null) p.fee = { percent: data.percentageFee };
  const ad = data.additional;
  if (ad !== null) {
    const a: AdditionalProfile = {};
    for (const [key] of ADDITIONAL_IDS) {
      const v = ad[key];
      if (v !== null) a[key] = v;
    }
    p.additional = a;
  }
  const l = data.language;
  if (l !== null) {
    p.language = { language: l.language ?? '', name: l.name ?? '' };
    if (l.city !== null) p.language.city = l.city;
  }
  return p;
}
