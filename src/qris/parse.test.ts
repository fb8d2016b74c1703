import { describe, expect, it } from 'vitest';
import { REAL_WORLD } from './fixtures.ts';
import {
  appendCrc,
  crc16Hex,
  ISSUE_CODES,
  LENIENT_CODES,
  type ParseResult,
  parse,
  type QrisIssue,
  serializeTlvs,
} from './index.ts';

type Obj = [string, string];

function tpl(objs: Obj[]): string {
  return serializeTlvs(objs.map(([id, value]) => ({ id, value })));
}

/** Payload from data objects, with a correct CRC appended. */
function enc(objs: Obj[]): string {
  return appendCrc(tpl(objs));
}

const ACQUIRER = tpl([
  ['00', 'ID.CO.BCA.WWW'],
  ['01', '936000140014781630'],
  ['02', '002081022147'],
  ['03', 'UMI'],
]);
const NATIONAL = tpl([
  ['00', 'ID.CO.QRIS.WWW'],
  ['02', 'ID1020014868680'],
  ['03', 'UMI'],
]);

const BASE: Obj[] = [
  ['00', '01'],
  ['01', '11'],
  ['26', ACQUIRER],
  ['51', NATIONAL],
  ['52', '5812'],
  ['53', '360'],
  ['58', 'ID'],
  ['59', 'WARUNG BU SITI'],
  ['60', 'JAKARTA'],
  ['61', '10110'],
  ['62', tpl([['07', 'A01']])],
];

/** BASE with some values replaced (null removes), new ids inserted in ascending order. */
function variant(changes: Record<string, string | null>): Obj[] {
  const out: Obj[] = [];
  for (const [id, v] of BASE) {
    if (!(id in changes)) out.push([id, v]);
    else if (changes[id] !== null) out.push([id, changes[id] as string]);
  }
  for (const [id, v] of Object.entries(changes)) {
    if (v !== null && !BASE.some(([b]) => b === id)) out.push([id, v]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function tags(list: QrisIssue[]): string[] {
  return list.map((i) => `${i.code}@${i.path}`);
}

function strictAndLenient(payload: string): { strict: ParseResult; lenient: ParseResult } {
  return { strict: parse(payload), lenient: parse(payload, { lenient: true }) };
}

/** Every code seen by the tests below; checked against ISSUE_CODES at the end. */
const seenCodes = new Set<string>();
function note(r: ParseResult): ParseResult {
  for (const i of [...r.errors, ...r.warnings]) seenCodes.add(i.code);
  return r;
}

describe('parse: real-world payloads', () => {
  for (const f of REAL_WORLD) {
    it(f.label, () => {
      const r = note(parse(f.payload));
      expect(r.valid).toBe(f.valid);
      if (f.valid) expect(r.errors).toEqual([]);
      for (const code of f.codes ?? [])
        expect([...r.errors, ...r.warnings].map((i) => i.code)).toContain(code);
      expect(r.data).not.toBeNull();
      // The raw list gives back the payload byte for byte.
      expect(serializeTlvs(r.data!.tlvs)).toBe(f.payload);
      expect(r.data!.crc).toBe(f.payload.slice(-4));
      expect(crc16Hex(f.payload.slice(0, -4))).toBe(f.payload.slice(-4));
    });
  }

  it('types every field of a static code', () => {
    const r = parse(REAL_WORLD[0].payload);
    const d = r.data!;
    expect(d.payloadFormatIndicator).toBe('01');
    expect(d.pointOfInitiation).toBe('11');
    expect(d.dynamic).toBe(false);
    expect(d.accounts.map((a) => a.id)).toEqual(['26', '51']);
    expect(d.accounts[0]).toMatchObject({
      guid: 'COM.NOBUBANK.WWW',
      pan: '936005030000087914',
      merchantId: '70323914783791',
      criteria: 'UMI',
    });
    expect(d.national).toBe(d.accounts[1]);
    expect(d.nmid).toBe('ID2023270994163');
    expect(d.criteria).toBe('UMI');
    expect(d).toMatchObject({
      mcc: '4812',
      currency: '360',
      amount: null,
      countryCode: 'ID',
      name: 'GRANOOL STORE OK1229577',
      city: 'KEDIRI',
      postalCode: '64212',
      crc: '7127',
    });
    expect(d.additional?.terminalLabel).toBe('A01');
    expect(d.language).toBeNull();
  });

  it('types a dynamic code with amount and reference label', () => {
    const d = parse(REAL_WORLD[1].payload).data!;
    expect(d.dynamic).toBe(true);
    expect(d.amount).toBe('69300.00');
    expect(d.national).toBeNull();
    expect(d.criteria).toBe('UMI');
    expect(d.additional).toMatchObject({ referenceLabel: '628008-A000037-115646', terminalLabel: 'T001' });
  });

  it('types tip/fee and every 62 sub-field', () => {
    const d = parse(REAL_WORLD[7].payload, { lenient: true }).data!;
    expect(d).toMatchObject({
      amount: '100000.00',
      tipIndicator: '02',
      fixedFee: '100000.00',
      percentageFee: null,
    });
    expect(d.additional).toMatchObject({
      billNumber: 'QR10001',
      mobileNumber: '081212121314',
      storeLabel: 'CGK',
      loyaltyNumber: 'SILVER',
      referenceLabel: 'INV20230922',
      terminalLabel: 'A01',
    });
  });
});

describe('parse: structure', () => {
  it('reads the language template, RFU ids, unreserved templates and unknown sub-fields', () => {
    const payload = enc(
      variant({
        '62': tpl([
          ['01', 'INV-1'],
          ['09', 'AME'],
          ['50', tpl([['00', 'COM.EXAMPLE']])],
        ]),
        '64': tpl([
          ['00', 'ZH'],
          ['01', '北京烤鸭'],
          ['02', '北京'],
          ['03', 'x'],
        ]),
        '65': 'future',
        '80': tpl([
          ['00', 'COM.EXAMPLE.LOYALTY'],
          ['01', 'points=10'],
        ]),
      }),
    );
    const r = note(parse(payload));
    expect(r.errors).toEqual([]);
    const d = r.data!;
    expect(d.additional).toMatchObject({ billNumber: 'INV-1', consumerDataRequest: 'AME' });
    expect(d.additional!.others).toEqual([{ id: '50', value: '0011COM.EXAMPLE' }]);
    expect(d.language).toMatchObject({ language: 'ZH', name: '北京烤鸭', city: '北京' });
    expect(d.language!.others).toEqual([{ id: '03', value: 'x' }]);
    expect(d.rfu).toEqual([{ id: '65', value: 'future' }]);
    expect(d.unreserved).toEqual([
      {
        id: '80',
        guid: 'COM.EXAMPLE.LOYALTY',
        fields: [
          { id: '00', value: 'COM.EXAMPLE.LOYALTY' },
          { id: '01', value: 'points=10' },
        ],
      },
    ]);
    expect(serializeTlvs(d.tlvs)).toBe(payload);
  });

  it('counts lengths in characters, not bytes or UTF-16 units', () => {
    const payload = enc(variant({ '59': 'Café Ñam 😀', '60': 'Sémarang' }));
    expect(payload).toContain('5910Café Ñam 😀');
    const r = parse(payload);
    expect(r.errors).toEqual([]);
    expect(r.data!.name).toBe('Café Ñam 😀');
    expect(r.data!.city).toBe('Sémarang');
    // 25 characters with accents is fine, 26 is too long.
    expect(parse(enc(variant({ '59': 'é'.repeat(25) }))).valid).toBe(true);
    expect(tags(parse(enc(variant({ '59': 'é'.repeat(26) }))).errors)).toEqual(['FIELD_TOO_LONG@59']);
  });

  it('accepts data objects in any order after 00', () => {
    const reordered = [...BASE];
    reordered.splice(1, 1);
    reordered.push(['01', '11']);
    expect(parse(enc(reordered.reverse().sort((a) => (a[0] === '00' ? -1 : 0)))).errors).toEqual([]);
  });

  it('accepts a non-Indonesian EMVCo payload without the QRIS rules', () => {
    const payload = enc([
      ['00', '01'],
      ['01', '11'],
      ['26', tpl([['00', 'SG.PAYNOW']])],
      ['52', '0000'],
      ['53', '702'],
      ['58', 'SG'],
      ['59', 'NA'],
      ['60', 'Singapore'],
    ]);
    const r = parse(payload);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.data!.criteria).toBeNull();
  });
});

interface Case {
  name: string;
  payload: string;
  /** Expected strict errors (exact list, as CODE@path). */
  strict: string[];
  /** Expected lenient errors; defaults to `strict` (structural and hard rules). */
  lenient?: string[];
  /** Expected among the lenient warnings. */
  lenientWarnings?: string[];
  dataNull?: boolean;
}

const valid = enc(BASE);
const body = valid.slice(0, -8);

function withLetterCrc(): string {
  for (let i = 0; ; i++) {
    const p = enc(variant({ '59': `WARUNG ${i}` }));
    if (/[A-F]/.test(p.slice(-4))) return p;
  }
}

const cases: Case[] = [
  { name: 'empty payload', payload: '', strict: ['TLV_TRUNCATED@'], dataNull: true },
  {
    name: 'id not two digits',
    payload: '000201X10211' + '63041234',
    strict: ['TLV_ID_INVALID@'],
    dataNull: true,
  },
  {
    name: 'length not two digits',
    payload: '00020101A111',
    strict: ['TLV_LENGTH_INVALID@01'],
    dataNull: true,
  },
  { name: 'value runs past the end', payload: body + '630412', strict: ['TLV_TRUNCATED@63'], dataNull: true },
  { name: 'fewer than 4 characters left', payload: valid + '12', strict: ['TLV_TRUNCATED@'], dataNull: true },
  {
    name: 'broken template',
    payload: enc(variant({ '62': 'X107A01' })),
    strict: ['TLV_ID_INVALID@62'],
  },
  {
    name: 'truncated template field',
    payload: enc(variant({ '26': '0016ID.CO' })),
    strict: ['TLV_TRUNCATED@26.00', 'FIELD_MISSING@26.00'],
  },
  {
    name: 'template length not digits',
    payload: enc(variant({ '62': '07AXA01' })),
    strict: ['TLV_LENGTH_INVALID@62.07'],
  },
  {
    name: '00 not first',
    payload: enc([['01', '11'], ...BASE.filter(([id]) => id !== '01')]),
    strict: ['FIRST_NOT_00@01'],
  },
  { name: 'payload format not 01', payload: enc(variant({ '00': '02' })), strict: ['FIELD_FORMAT@00'] },
  { name: 'CRC missing', payload: tpl(BASE), strict: ['CRC_NOT_LAST@63'] },
  {
    name: 'CRC not last',
    payload: tpl([...BASE.slice(0, 4), ['63', 'ABCD'], ...BASE.slice(4)]),
    strict: ['CRC_NOT_LAST@63'],
  },
  {
    name: 'CRC mismatch',
    payload: valid.replace('WARUNG BU SITI', 'WARUNG BU SIT1'),
    strict: ['CRC_MISMATCH@63'],
  },
  { name: 'CRC not hex', payload: body + '6304XYZ1', strict: ['CRC_FORMAT@63'] },
  { name: 'CRC of 3 digits', payload: body + '6303ABC', strict: ['CRC_FORMAT@63'] },
  {
    name: 'CRC in lower case',
    payload: withLetterCrc().replace(/.{4}$/, (c) => c.toLowerCase()),
    strict: ['CRC_FORMAT@63'],
    lenient: [],
    lenientWarnings: ['CRC_FORMAT@63'],
  },
  { name: 'duplicate root id', payload: enc([...BASE, ['59', 'AGAIN']]), strict: ['DUPLICATE_ID@59'] },
  {
    name: 'duplicate id in a template',
    payload: enc(
      variant({
        '62': tpl([
          ['07', 'A01'],
          ['07', 'A02'],
        ]),
      }),
    ),
    strict: ['DUPLICATE_ID@62.07'],
    lenient: [],
    lenientWarnings: ['DUPLICATE_ID@62.07'],
  },
  { name: 'MCC missing', payload: enc(variant({ '52': null })), strict: ['FIELD_MISSING@52'] },
  { name: 'currency missing', payload: enc(variant({ '53': null })), strict: ['FIELD_MISSING@53'] },
  {
    name: 'name and city missing',
    payload: enc(variant({ '59': null, '60': null })),
    strict: ['FIELD_MISSING@59', 'FIELD_MISSING@60'],
  },
  {
    name: 'country missing (no QRIS rules then)',
    payload: enc(variant({ '58': null })),
    strict: ['FIELD_MISSING@58'],
  },
  {
    name: 'account template without GUID',
    payload: enc(
      variant({
        '26': tpl([
          ['01', '936000140014781630'],
          ['03', 'UMI'],
        ]),
      }),
    ),
    strict: ['FIELD_MISSING@26.00'],
  },
  {
    name: 'national template without NMID',
    payload: enc(
      variant({
        '51': tpl([
          ['00', 'ID.CO.QRIS.WWW'],
          ['03', 'UMI'],
        ]),
      }),
    ),
    strict: ['FIELD_MISSING@51.02'],
  },
  {
    name: 'language template without alternate name',
    payload: enc(variant({ '64': tpl([['00', 'ID']]) })),
    strict: ['FIELD_MISSING@64.01'],
  },
  {
    name: 'unreserved template without GUID',
    payload: enc(variant({ '80': tpl([['01', 'x']]) })),
    strict: ['FIELD_MISSING@80.00'],
  },
  {
    name: 'non-QRIS payload without any account',
    payload: enc(variant({ '26': null, '51': null, '53': '702', '58': 'SG', '61': null })),
    strict: ['FIELD_MISSING@02-51'],
  },
  { name: 'MCC not 4 digits', payload: enc(variant({ '52': '58A2' })), strict: ['FIELD_FORMAT@52'] },
  { name: 'currency not 3 digits', payload: enc(variant({ '53': '36' })), strict: ['FIELD_FORMAT@53'] },
  {
    name: 'country in lower case',
    payload: enc(variant({ '58': 'id' })),
    // Not 'ID', so no QRIS rules apply either.
    strict: ['FIELD_FORMAT@58'],
  },
  { name: 'point of initiation 13', payload: enc(variant({ '01': '13' })), strict: ['FIELD_FORMAT@01'] },
  { name: 'tip indicator 04', payload: enc(variant({ '55': '04' })), strict: ['FIELD_FORMAT@55'] },
  {
    name: 'percentage fee out of range',
    payload: enc(variant({ '01': '12', '54': '10000', '55': '03', '57': '150' })),
    strict: ['FIELD_FORMAT@57'],
  },
  {
    name: 'PAN with a letter',
    payload: enc(
      variant({
        '26': tpl([
          ['00', 'ID.CO.BCA.WWW'],
          ['01', '93600A'],
          ['03', 'UMI'],
        ]),
      }),
    ),
    strict: ['FIELD_FORMAT@26.01'],
  },
  {
    name: 'consumer data request letters',
    payload: enc(variant({ '62': tpl([['09', 'AX']]) })),
    strict: ['FIELD_FORMAT@62.09'],
  },
  {
    name: 'language not two letters',
    payload: enc(
      variant({
        '64': tpl([
          ['00', 'I'],
          ['01', 'X'],
        ]),
      }),
    ),
    strict: ['FIELD_FORMAT@64.00'],
  },
  {
    name: 'name and city too long',
    payload: enc(variant({ '59': 'TOKO DIGITAL HSN, DIGITAL & KREATIF', '60': 'KOTA JAKARTA UTARA' })),
    strict: ['FIELD_TOO_LONG@59', 'FIELD_TOO_LONG@60'],
    lenient: [],
    lenientWarnings: ['FIELD_TOO_LONG@59', 'FIELD_TOO_LONG@60'],
  },
  {
    name: 'merchant id and reference label too long',
    payload: enc(
      variant({
        '26': tpl([
          ['00', 'ID.CO.BCA.WWW'],
          ['02', '1234567890123456'],
          ['03', 'UMI'],
        ]),
        '62': tpl([['05', 'R'.repeat(26)]]),
      }),
    ),
    strict: ['FIELD_TOO_LONG@26.02', 'FIELD_TOO_LONG@62.05'],
    lenient: [],
  },
  {
    name: 'empty values',
    payload: enc(
      variant({
        '61': '',
        '62': tpl([
          ['01', ''],
          ['07', 'A01'],
        ]),
      }),
    ),
    strict: ['FIELD_EMPTY@61', 'FIELD_EMPTY@62.01'],
    lenient: [],
    lenientWarnings: ['FIELD_EMPTY@61', 'FIELD_EMPTY@62.01'],
  },
  {
    name: 'control character in the name, non-ASCII merchant id',
    payload: enc(
      variant({
        '59': 'TOKO\u0007',
        '26': tpl([
          ['00', 'ID.CO.BCA.WWW'],
          ['02', 'é12'],
          ['03', 'UMI'],
        ]),
      }),
    ),
    strict: ['FIELD_CHARSET@26.02', 'FIELD_CHARSET@59'],
    lenient: [],
  },
  ...['0', '000.00', '1.2.3', '12345678901234', '1,000', '.5', '5.', '-5', ''].map(
    (amount): Case => ({
      name: `amount "${amount}"`,
      payload: enc(variant({ '01': '12', '54': amount })),
      strict: ['AMOUNT_INVALID@54'],
    }),
  ),
  {
    name: 'fixed fee of zero',
    payload: enc(variant({ '01': '12', '54': '10000', '55': '02', '56': '0' })),
    strict: ['AMOUNT_INVALID@56'],
  },
  {
    name: 'fixed fee without tip indicator',
    payload: enc(variant({ '01': '12', '54': '10000', '56': '500' })),
    strict: ['TIP_FEE_RULE@56'],
  },
  {
    name: 'tip indicator 02 without fixed fee',
    payload: enc(variant({ '01': '12', '54': '10000', '55': '02' })),
    strict: ['TIP_FEE_RULE@56'],
  },
  {
    name: 'percentage fee with tip indicator 02',
    payload: enc(variant({ '01': '12', '54': '10000', '55': '02', '57': '5' })),
    strict: ['TIP_FEE_RULE@57', 'TIP_FEE_RULE@56'],
  },
  {
    name: 'tip indicator 03 without percentage',
    payload: enc(variant({ '01': '12', '54': '10000', '55': '03' })),
    strict: ['TIP_FEE_RULE@57'],
  },
  { name: 'QRIS in US dollars', payload: enc(variant({ '53': '840' })), strict: ['QRIS_CURRENCY@53'] },
  {
    name: 'QRIS without postal code',
    payload: enc(variant({ '61': null })),
    strict: ['QRIS_POSTAL_CODE_MISSING@61'],
    lenient: [],
    lenientWarnings: ['QRIS_POSTAL_CODE_MISSING@61'],
  },
  {
    name: 'QRIS with only a card-network account',
    payload: enc(variant({ '26': null, '51': null, '04': '5204123412341234' })),
    strict: ['QRIS_NO_ACCOUNT@51'],
  },
  {
    name: 'QRIS with 51 of another GUID only',
    payload: enc(
      variant({
        '26': null,
        '51': tpl([
          ['00', 'ID.CO.OTHER.WWW'],
          ['02', 'X'],
          ['03', 'UMI'],
        ]),
      }),
    ),
    strict: ['QRIS_NO_ACCOUNT@51'],
  },
  {
    name: 'unknown criteria',
    payload: enc(
      variant({
        '26': tpl([
          ['00', 'ID.CO.BCA.WWW'],
          ['03', 'XYZ'],
        ]),
      }),
    ),
    strict: ['QRIS_CRITERIA@26.03'],
    lenient: [],
    lenientWarnings: ['QRIS_CRITERIA@26.03'],
  },
  {
    name: 'no criteria anywhere',
    payload: enc(
      variant({
        '26': tpl([['00', 'ID.CO.BCA.WWW']]),
        '51': tpl([
          ['00', 'ID.CO.QRIS.WWW'],
          ['02', 'ID1020014868680'],
        ]),
      }),
    ),
    strict: ['QRIS_CRITERIA@26.03'],
    lenient: [],
  },
  {
    name: 'malformed NMID',
    payload: enc(
      variant({
        '51': tpl([
          ['00', 'ID.CO.QRIS.WWW'],
          ['02', 'ID123'],
          ['03', 'UMI'],
        ]),
      }),
    ),
    strict: ['QRIS_NMID@51.02'],
    lenient: [],
    lenientWarnings: ['QRIS_NMID@51.02'],
  },
];

describe('parse: each rule, strict and lenient', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { strict, lenient } = strictAndLenient(c.payload);
      note(strict);
      note(lenient);
      expect(tags(strict.errors)).toEqual(c.strict);
      expect(strict.valid).toBe(c.strict.length === 0);
      expect(tags(lenient.errors)).toEqual(c.lenient ?? c.strict);
      for (const w of c.lenientWarnings ?? []) expect(tags(lenient.warnings)).toContain(w);
      if (c.dataNull) {
        expect(strict.data).toBeNull();
        expect(lenient.data).toBeNull();
      } else expect(strict.data).not.toBeNull();
    });
  }

  it('warns, in both modes, of a static code with an amount', () => {
    const { strict, lenient } = strictAndLenient(enc(variant({ '54': '10000' })));
    note(strict);
    expect(strict.valid).toBe(true);
    expect(tags(strict.warnings)).toEqual(['STATIC_WITH_AMOUNT@54']);
    expect(tags(lenient.warnings)).toEqual(['STATIC_WITH_AMOUNT@54']);
  });

  it('warns, in both modes, of one template without criteria when another has them', () => {
    const r = parse(
      enc(
        variant({
          '51': tpl([
            ['00', 'ID.CO.QRIS.WWW'],
            ['02', 'ID1020014868680'],
          ]),
        }),
      ),
    );
    expect(r.valid).toBe(true);
    expect(tags(r.warnings)).toEqual(['QRIS_CRITERIA@51.03']);
  });

  it('keeps structural breaks as errors in lenient mode', () => {
    for (const p of [
      valid.replace('JAKARTA', 'JAKARTO'),
      body + '6304XYZ1',
      '000201X10211',
      enc([...BASE, ['52', '5812']]),
    ]) {
      const r = parse(p, { lenient: true });
      expect(r.valid).toBe(false);
      expect(
        r.errors.every(
          (e) => !LENIENT_CODES.includes(e.code) || e.code === 'DUPLICATE_ID' || e.code === 'CRC_FORMAT',
        ),
      ).toBe(true);
    }
  });

  it('turns a real-world mix of strict-only breaches into warnings', () => {
    const payload = enc(
      variant({
        '26': tpl([
          ['00', 'ID.CO.BCA.WWW'],
          ['01', '936000140014781630'],
          ['03', 'UMKM'],
          ['03', 'UMI'],
        ]),
        '59': 'TOKO DIGITAL HSN, DIGITAL & KREATIF',
        '61': null,
      }),
    );
    const { strict, lenient } = strictAndLenient(payload);
    expect(new Set(strict.errors.map((e) => e.code))).toEqual(
      new Set(['DUPLICATE_ID', 'FIELD_TOO_LONG', 'QRIS_POSTAL_CODE_MISSING', 'QRIS_CRITERIA']),
    );
    expect(lenient.valid).toBe(true);
    expect(lenient.errors).toEqual([]);
    expect(lenient.warnings.length).toBe(strict.errors.length);
    // The first occurrence wins.
    expect(lenient.data!.accounts[0].criteria).toBe('UMKM');
  });

  it('has triggered every issue code', () => {
    expect([...seenCodes].sort()).toEqual([...ISSUE_CODES].sort());
  });
});
