import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REAL_WORLD } from './fixtures.ts';
import {
  type AccountProfile,
  appendCrc,
  build,
  crc16Hex,
  encodeTlv,
  type MerchantProfile,
  parse,
  QRIS_CRITERIA,
  QrisError,
  serializeTlvs,
  toDynamic,
  toProfile,
} from './index.ts';

const PROFILE: MerchantProfile = {
  name: 'WARUNG BU SITI',
  city: 'JAKARTA',
  postalCode: '10110',
  mcc: '5812',
  nmid: 'ID1020014868680',
  criteria: 'UMI',
  accounts: [{ guid: 'ID.CO.BCA.WWW', pan: '936000140014781630', merchantId: '002081022147' }],
};

function thrown(fn: () => unknown): QrisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QrisError) return e;
    throw e;
  }
  throw new Error('expected a QrisError');
}

describe('build', () => {
  it('writes a static QRIS in canonical order', () => {
    const p = build(PROFILE);
    expect(p).toBe(
      appendCrc(
        '000201' +
          '010211' +
          '2662' +
          '0013ID.CO.BCA.WWW' +
          '0118936000140014781630' +
          '0212002081022147' +
          '0303UMI' +
          '5144' +
          '0014ID.CO.QRIS.WWW' +
          '0215ID1020014868680' +
          '0303UMI' +
          '52045812' +
          '5303360' +
          '5802ID' +
          '5914WARUNG BU SITI' +
          '6007JAKARTA' +
          '610510110',
      ),
    );
    const r = parse(p);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.data!.dynamic).toBe(false);
  });

  it('writes a dynamic QRIS when given an amount', () => {
    const d = parse(
      build({ ...PROFILE, amount: 25000, fee: { fixed: 1500 }, additional: { billNumber: 'INV-7' } }),
    ).data!;
    expect(d).toMatchObject({
      pointOfInitiation: '12',
      amount: '25000',
      tipIndicator: '02',
      fixedFee: '1500',
    });
    expect(d.additional!.billNumber).toBe('INV-7');
    expect(parse(build({ ...PROFILE, amount: 1234.5 })).data!.amount).toBe('1234.50');
    expect(parse(build({ ...PROFILE, amount: '99.99', fee: { percent: 0.7 } })).data).toMatchObject({
      amount: '99.99',
      tipIndicator: '03',
      percentageFee: '0.70',
    });
  });

  it('writes the language template and counts characters', () => {
    const p = build({
      ...PROFILE,
      name: 'Kopi Café 😀',
      language: { language: 'ZH', name: '北京烤鸭', city: '北京' },
    });
    expect(p).toContain('5911Kopi Café 😀');
    expect(p).toContain('64200002ZH0104北京烤鸭0202北京');
    expect(parse(p).valid).toBe(true);
  });

  it('rejects a profile that would not make a valid QRIS', () => {
    expect(thrown(() => build({ ...PROFILE, name: 'N'.repeat(26) })).issues.map((i) => i.code)).toEqual([
      'FIELD_TOO_LONG',
    ]);
    expect(thrown(() => build({ ...PROFILE, postalCode: '' })).issues.map((i) => i.code)).toEqual([
      'QRIS_POSTAL_CODE_MISSING',
    ]);
    expect(thrown(() => build({ ...PROFILE, criteria: 'BIG' })).issues[0].code).toBe('QRIS_CRITERIA');
    expect(thrown(() => build({ ...PROFILE, amount: 0 })).issues[0].code).toBe('AMOUNT_INVALID');
    expect(thrown(() => build({ ...PROFILE, amount: '1.000.000' })).issues[0].code).toBe('AMOUNT_INVALID');
    expect(thrown(() => build({ ...PROFILE, mcc: '58' })).issues[0].code).toBe('FIELD_FORMAT');
    expect(thrown(() => build({ ...PROFILE, accounts: [{ id: '51', guid: 'X' }] })).issues[0].code).toBe(
      'FIELD_FORMAT',
    );
    expect(thrown(() => encodeTlv('59', 'x'.repeat(100))).issues[0].code).toBe('FIELD_TOO_LONG');
  });
});

describe('toDynamic', () => {
  const staticCode = REAL_WORLD[0].payload;

  it('sets 01 to 12, inserts the amount before 58 and recomputes the CRC', () => {
    const out = toDynamic(staticCode, { amount: 15000 });
    const expected = appendCrc(
      staticCode
        .slice(0, -8)
        .replace('010211', '010212')
        .replace('5802ID', '540515000' + '5802ID'),
    );
    expect(out).toBe(expected);
    const r = parse(out);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.data).toMatchObject({ dynamic: true, amount: '15000', name: 'GRANOOL STORE OK1229577' });
    expect(out.slice(-4)).toBe(crc16Hex(out.slice(0, -4)));
  });

  it('adds a fixed or a percentage fee', () => {
    const fixed = parse(toDynamic(staticCode, { amount: '20000', fee: { fixed: 2500 } })).data!;
    expect(fixed).toMatchObject({
      amount: '20000',
      tipIndicator: '02',
      fixedFee: '2500',
      percentageFee: null,
    });
    const pct = parse(toDynamic(staticCode, { amount: 20000, fee: { percent: '2.5' } })).data!;
    expect(pct).toMatchObject({ tipIndicator: '03', fixedFee: null, percentageFee: '2.5' });
    expect(toDynamic(staticCode, { amount: 20000, fee: { percent: 2.5 } })).toContain('55020357042.50');
  });

  it('replaces the amount and fee of a code that already has them', () => {
    const first = toDynamic(staticCode, { amount: 10000, fee: { fixed: 500 } });
    const second = toDynamic(first, { amount: 7500, fee: { percent: 1 } });
    const d = parse(second).data!;
    expect(d).toMatchObject({ amount: '7500', tipIndicator: '03', fixedFee: null, percentageFee: '1' });
    expect(d.tlvs.map((t) => t.id)).toEqual([
      '00',
      '01',
      '26',
      '51',
      '52',
      '53',
      '54',
      '55',
      '57',
      '58',
      '59',
      '60',
      '61',
      '62',
      '63',
    ]);
    expect(toDynamic(second, { amount: 10000, fee: { fixed: 500 } })).toBe(first);
  });

  it('works on the parsed structure, not by string replacement', () => {
    // The name, the PAN and the merchant id all hold "010211", and the name also "6304"
    // and "5802ID": string replacement of 01 or splitting at the CRC would corrupt them.
    const tricky = build({
      ...PROFILE,
      name: 'TOKO 010211 6304 5802ID',
      accounts: [{ guid: 'ID.CO.BCA.WWW', pan: '9360010211010211', merchantId: '010211' }],
    });
    const before = tricky.split('010211').length - 1;
    expect(before).toBeGreaterThanOrEqual(4);
    const out = toDynamic(tricky, { amount: 50000 });
    const r = parse(out);
    expect(r.errors).toEqual([]);
    expect(r.data).toMatchObject({
      pointOfInitiation: '12',
      amount: '50000',
      name: 'TOKO 010211 6304 5802ID',
    });
    expect(r.data!.accounts[0]).toMatchObject({ pan: '9360010211010211', merchantId: '010211' });
    // Only the point of initiation changed.
    expect(out.split('010211').length - 1).toBe(before - 1);
    expect(out.startsWith('000201010212')).toBe(true);
  });

  it('adds 01 when the input has none and keeps the order of other data objects', () => {
    const tlvs = parse(staticCode).data!.tlvs.filter((t) => t.id !== '01' && t.id !== '63');
    // Move 62 before 59: unusual, but allowed; it must stay where it is.
    const i62 = tlvs.findIndex((t) => t.id === '62');
    const [t62] = tlvs.splice(i62, 1);
    tlvs.splice(
      tlvs.findIndex((t) => t.id === '59'),
      0,
      t62,
    );
    const input = appendCrc(serializeTlvs(tlvs));
    expect(parse(input).valid).toBe(true);
    const d = parse(toDynamic(input, { amount: 1 })).data!;
    expect(d.tlvs.map((t) => t.id)).toEqual([
      '00',
      '01',
      '26',
      '51',
      '52',
      '53',
      '54',
      '58',
      '62',
      '59',
      '60',
      '61',
      '63',
    ]);
  });

  it('keeps unknown data objects as they are', () => {
    const input = appendCrc(
      staticCode.slice(0, -8) + encodeTlv('65', 'rfu') + encodeTlv('80', '0007COM.X.Y0102ok'),
    );
    const out = toDynamic(input, { amount: 100 });
    expect(out).toContain('6503rfu80170007COM.X.Y0102ok6304');
    expect(parse(out).data!.unreserved[0].guid).toBe('COM.X.Y');
  });

  it('converts real-world codes that only pass leniently, unless asked to be strict', () => {
    const long = build({ ...PROFILE }).replace(/5914WARUNG BU SITI.*$/, '');
    const input = appendCrc(
      long + encodeTlv('59', 'TOKO DIGITAL HSN, DIGITAL & KREATIF') + '6007JAKARTA610510110',
    );
    expect(parse(input).valid).toBe(false);
    const out = toDynamic(input, { amount: 10000 });
    expect(parse(out, { lenient: true }).valid).toBe(true);
    expect(thrown(() => toDynamic(input, { amount: 10000, lenient: false })).issues[0].code).toBe(
      'FIELD_TOO_LONG',
    );
  });

  it('refuses broken input and invalid amounts or fees', () => {
    const corrupted = staticCode.replace('KEDIRI', 'KEDIRO');
    expect(thrown(() => toDynamic(corrupted, { amount: 1000 })).issues[0].code).toBe('CRC_MISMATCH');
    expect(thrown(() => toDynamic('hello', { amount: 1000 })).issues[0].code).toBe('TLV_ID_INVALID');
    expect(thrown(() => toDynamic(staticCode, { amount: 0 })).issues[0].code).toBe('AMOUNT_INVALID');
    expect(thrown(() => toDynamic(staticCode, { amount: -5 })).issues[0].code).toBe('AMOUNT_INVALID');
    expect(thrown(() => toDynamic(staticCode, { amount: Number.NaN })).issues[0].code).toBe('AMOUNT_INVALID');
    expect(thrown(() => toDynamic(staticCode, { amount: '10.000,00' })).issues[0].code).toBe(
      'AMOUNT_INVALID',
    );
    expect(thrown(() => toDynamic(staticCode, { amount: 1e13 })).issues[0].code).toBe('AMOUNT_INVALID');
    expect(thrown(() => toDynamic(staticCode, { amount: 100, fee: { fixed: 0 } })).issues[0].path).toBe('56');
    expect(thrown(() => toDynamic(staticCode, { amount: 100, fee: { percent: 100 } })).issues[0].path).toBe(
      '57',
    );
    expect(thrown(() => toDynamic(staticCode, { amount: 100, fee: { percent: 0 } })).issues[0].path).toBe(
      '57',
    );
  });

  for (const f of REAL_WORLD.filter((x) => x.valid)) {
    it(`converts: ${f.label}`, () => {
      const out = toDynamic(f.payload, { amount: 12345 });
      const before = parse(f.payload).data!;
      const after = parse(out);
      expect(after.errors).toEqual([]);
      expect(after.data!.amount).toBe('12345');
      const keep = (id: string) => id !== '01' && id !== '63' && !(id >= '54' && id <= '57');
      expect(after.data!.tlvs.filter((t) => keep(t.id))).toEqual(before.tlvs.filter((t) => keep(t.id)));
    });
  }
});

// ---------------------------------------------------------------------------------------
// Property-based: parse(build(p)) gives the profile back.

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
/** Free text: printable ASCII, Latin-1, other BMP scripts, and a few astral characters. */
const textChar = fc.oneof(
  { weight: 6, arbitrary: printable },
  { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0x24f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x4e00, max: 0x4fff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('😀', '𝄞', '🇮', '🍜') },
);
const text = (max: number) => fc.string({ unit: textChar, minLength: 1, maxLength: max });
const ans = (min: number, max: number) => fc.string({ unit: printable, minLength: min, maxLength: max });
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const account: fc.Arbitrary<AccountProfile> = fc.record(
  {
    guid: fc.constantFrom(
      'ID.CO.GOPAY.WWW',
      'ID.DANA.WWW',
      'COM.GO-JEK.WWW',
      'ID.CO.SHOPEE.WWW',
      'ID.CO.BCA.WWW',
    ),
    pan: digits(16, 19),
    merchantId: ans(1, 15),
    criteria: fc.constantFrom(...QRIS_CRITERIA),
  },
  { requiredKeys: ['guid'] },
);

const amount = fc.oneof(
  fc.integer({ min: 1, max: 999_999_999_999 }),
  fc
    .tuple(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 1, max: 99 }))
    .map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`),
);

const profile: fc.Arbitrary<MerchantProfile> = fc.record(
  {
    name: text(25),
    city: text(15),
    postalCode: digits(5, 5),
    mcc: digits(4, 4),
    nmid: digits(13, 13).map((d) => 'ID' + d),
    criteria: fc.constantFrom(...QRIS_CRITERIA),
    accounts: fc.array(account, { minLength: 1, maxLength: 3 }),
    amount,
    fee: fc.oneof(
      fc.record({ fixed: fc.integer({ min: 1, max: 100_000 }).map(String) }),
      fc.record({ percent: fc.constantFrom('0.5', '1', '2.5', '10', '99.99') }),
    ),
    additional: fc.record(
      {
        billNumber: ans(1, 25),
        referenceLabel: ans(1, 25),
        terminalLabel: ans(1, 8),
        consumerDataRequest: fc.constantFrom('A', 'M', 'E', 'AME', 'ME'),
      },
      { requiredKeys: [] },
    ),
    language: fc.record({ language: fc.constantFrom('ID', 'EN', 'ZH'), name: text(25), city: text(15) }),
  },
  { requiredKeys: ['name', 'city', 'postalCode', 'mcc', 'nmid', 'criteria'] },
);

/** What {@link toProfile} gives for a profile: defaults filled, amounts as written. */
function normalized(p: MerchantProfile): MerchantProfile {
  const out: MerchantProfile = {
    name: p.name,
    city: p.city,
    postalCode: p.postalCode,
    mcc: p.mcc,
    nmid: p.nmid,
    criteria: p.criteria,
  };
  if (p.accounts !== undefined && p.accounts.length > 0) {
    out.accounts = p.accounts.map((a, i) => ({
      id: String(26 + i),
      ...a,
      criteria: a.criteria ?? p.criteria,
    }));
  }
  out.countryCode = 'ID';
  out.currency = '360';
  if (p.amount !== undefined) out.amount = String(p.amount);
  if (p.fee !== undefined) out.fee = p.fee;
  if (p.additional !== undefined && Object.keys(p.additional).length > 0) out.additional = p.additional;
  if (p.language !== undefined) out.language = p.language;
  return out;
}

describe('build / parse round trip (property-based)', () => {
  it('parse(build(p)) is valid and gives the profile back', () => {
    fc.assert(
      fc.property(profile, (p) => {
        const payload = build(p);
        const r = parse(payload);
        expect(r.errors).toEqual([]);
        expect(r.warnings).toEqual([]);
        const d = r.data!;
        expect(d.name).toBe(p.name);
        expect(d.city).toBe(p.city);
        expect(d.nmid).toBe(p.nmid);
        expect(d.dynamic).toBe(p.amount !== undefined);
        expect(toProfile(d)).toEqual(normalized(p));
        expect(serializeTlvs(d.tlvs)).toBe(payload);
      }),
      { numRuns: 500 },
    );
  });

  it('toDynamic keeps every other data object and gives a valid dynamic code', () => {
    fc.assert(
      fc.property(profile, amount, (p, amt) => {
        const { amount: _a, fee: _f, ...rest } = p;
        const input = build(rest);
        const out = toDynamic(input, { amount: amt });
        const r = parse(out);
        expect(r.errors).toEqual([]);
        expect(r.data!.amount).toBe(String(amt));
        expect(toProfile(r.data!)).toEqual(normalized({ ...rest, amount: String(amt) }));
      }),
      { numRuns: 300 },
    );
  });

  it('parse never throws and always reports what it rejects', () => {
    const base = build(PROFILE);
    fc.assert(
      fc.property(fc.nat({ max: base.length - 1 }), textChar, fc.boolean(), (i, c, lenient) => {
        const mutated = base.slice(0, i) + c + base.slice(i + 1);
        const r = parse(mutated, { lenient });
        // lenient mode accepts a lower-case CRC: the same checksum written differently
        const sameCrcOtherCase =
          lenient &&
          mutated.slice(0, -4) === base.slice(0, -4) &&
          mutated.slice(-4).toUpperCase() === base.slice(-4);
        if (mutated !== base && !sameCrcOtherCase) expect(r.valid).toBe(false);
        if (!r.valid) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
