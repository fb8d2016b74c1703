/**
 * The participant's QRIS profile over HTTP on a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE_URL): save by payload or image, verification with separation of duties, swapped
 * stickers, notifications, images with an amount, rollups, scope and malformed input.
 */
import { Resvg } from '@resvg/resvg-js';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrImage } from '../src/modules/qris/decode.ts';
import { qrPng, renderPng } from '../src/modules/qris/image.ts';
import { verifyStats } from '../src/modules/stats/service.ts';
import {
  appendCrc,
  build,
  type MerchantProfile,
  parse,
  serializeTlvs,
  toDynamic,
} from '../src/qris/index.ts';
import { body, expectProblem, person, V } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
let officer: string; // 31.71
let officerSelatan: string; // 31.74
let mentor: string; // 31.71.01
let mentorSelatan: string; // 31.74
let self: string; // participant A's own account
let other: string; // participant B's own account
const P: Record<string, { id: string; regNo: string }> = {};

const merchant = (o: Partial<MerchantProfile>): string =>
  build({
    name: 'SARI RASA',
    city: 'JAKARTA PUSAT',
    postalCode: '10110',
    mcc: '5812',
    nmid: 'ID1234567890123',
    criteria: 'UMI',
    accounts: [{ guid: 'ID.CO.BANKDKI.WWW', pan: '9360011100000000017', merchantId: '000000000000017' }],
    ...o,
  });
const SARI = merchant({});
const SARI_NEW = merchant({ name: 'SARI RASA GAMBIR', nmid: 'ID1234567890999' });
const SWAPPED = merchant({ name: 'TOKO LAIN JAYA', nmid: 'ID9999999999999' });
const BAD_CRC = SARI.slice(0, -4) + (SARI.endsWith('0000') ? '1111' : '0000');

const url = (key: string, rest = '') => `/api/v1/participants/${P[key].id}/qris${rest}`;

/** A multipart/form-data body with one file part (or none). */
function multipart(
  file: { name?: string; type?: string; data: Buffer } | null,
  fields: Record<string, string> = {},
) {
  const boundary = `----jkp${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name ?? 'qris.png'}"\r\n` +
          `Content-Type: ${file.type ?? 'image/png'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (token: string | null, key: string, file: Parameters<typeof multipart>[0]) => {
  const m = multipart(file);
  return t.call(token, 'POST', url(key, '/image'), m.payload, m.headers);
};

async function rollup(metric: string, key: string, district = '31.71.01') {
  const r = await t.svc.db.kysely
    .selectFrom('stat_rollup')
    .select('count')
    .where('district_code', '=', district)
    .where('metric', '=', metric)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(r?.count ?? 0);
}

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@qris.test', 'admin');
  officer = await t.user('officer@qris.test', 'officer', { areas: ['31.71'] });
  officerSelatan = await t.user('selatan@qris.test', 'officer', { areas: ['31.74'] });
  mentor = await t.user('mentor@qris.test', 'mentor', { areas: ['31.71.01'] });
  mentorSelatan = await t.user('mentor-selatan@qris.test', 'mentor', { areas: ['31.74'] });
  const make = async (key: string, village: string, business: Record<string, unknown>) => {
    const res = await t.call(admin, 'POST', '/api/v1/participants', body(person({ village, business })));
    expect(res.statusCode, res.body).toBe(201);
    P[key] = { id: res.json().id, regNo: res.json().registrationNumber };
  };
  await make('a', V.gambir, { name: 'Warung Sari Rasa', capital: 50_000_000 }); // micro -> UMI
  await make('b', V.cideng, { name: 'Toko Batik Cideng', capital: 6_000_000_000 }); // medium -> UME
  await make('c', V.tebetTimur, { name: 'Kedai Tebet', capital: 10_000_000 });
  await make('d', V.gambir, { name: 'Warung Gambar', capital: 10_000_000 });
  await make('e', V.setiaBudi, { name: 'Warung Tanpa QRIS', capital: 10_000_000 });
  self = await t.user('a@qris.test', 'participant', { participant: P.a.regNo });
  other = await t.user('b@qris.test', 'participant', { participant: P.b.regNo });
});
afterAll(async () => t.cleanup());

describe('PUT /participants/{id}/qris', () => {
  it('refuses a payload that does not parse: 422 with codes and paths, nothing saved', async () => {
    const res = await t.call(officer, 'PUT', url('a'), { payload: BAD_CRC }, { 'accept-language': 'en' });
    const j = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(j.errors).toEqual([expect.objectContaining({ path: 'payload.63', code: 'CRC_MISMATCH' })]);
    const truncated = await t.call(officer, 'PUT', url('a'), { payload: SARI.slice(0, 60) });
    const k = expectProblem(truncated, 422, 'VALIDATION_FAILED');
    expect(k.errors![0].code).toMatch(/^TLV_|CRC_NOT_LAST/);
    // Indonesian by default
    expect(k.detail).toMatch(/Kode QRIS tidak valid/);
    const sg = build({
      name: 'SHOP',
      city: 'SINGAPORE',
      postalCode: '018956',
      mcc: '5812',
      nmid: 'ID1234567890123',
      criteria: 'UMI',
      countryCode: 'SG',
      currency: '702',
      accounts: [{ guid: 'SG.PAYNOW', merchantId: 'X' }],
    });
    const foreign = await t.call(officer, 'PUT', url('a'), { payload: sg });
    expect(expectProblem(foreign, 422).errors![0]).toMatchObject({
      path: 'payload.58',
      code: 'QRIS_NOT_INDONESIAN',
    });
    expectProblem(await t.call(officer, 'GET', url('a')), 404, 'QRIS_PROFILE_MISSING');
  });

  it('saves a valid code as unverified, with its parsed fields, and counts the profile', async () => {
    const res = await t.call(officer, 'PUT', url('a'), { payload: `  ${SARI}\n` });
    expect(res.statusCode, res.body).toBe(200);
    const j = res.json();
    expect(j).toMatchObject({
      participantId: P.a.id,
      status: 'unverified',
      payload: SARI,
      merchantName: 'SARI RASA',
      merchantCity: 'JAKARTA PUSAT',
      nmid: 'ID1234567890123',
      criteria: 'UMI',
      mcc: '5812',
      source: 'text',
      sizeClass: 'micro',
      expectedCriteria: 'UMI',
      warnings: [],
      version: 1,
    });
    expect(j.fields.accounts[0].guid).toBe('ID.CO.BANKDKI.WWW');
    expect(j.fields.tlvs).toBeUndefined();
    const got = await t.call(self, 'GET', url('a'));
    expect(got.statusCode).toBe(200);
    expect(got.json().payload).toBe(SARI);
    expect(await rollup('qris', 'profile')).toBe(1);
    // the same code again changes nothing
    const again = await t.call(officer, 'PUT', url('a'), { payload: SARI });
    expect(again.json().version).toBe(1);
  });

  it('keeps lenient breaches and platform checks as warnings (criteria vs size class is not a refusal)', async () => {
    const withFee = toDynamic(SARI, { amount: 5000, fee: { fixed: 500 } });
    const res = await t.call(other, 'PUT', url('b'), { payload: withFee }, { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(200);
    const codes = res.json().warnings.map((w: { code: string }) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'QRIS_DYNAMIC_CODE',
        'QRIS_AMOUNT_OR_FEE_PRESENT',
        'QRIS_CRITERIA_SIZE_MISMATCH',
        'QRIS_NAME_MISMATCH',
      ]),
    );
    expect(res.json().expectedCriteria).toBe('UME');
    const w = res.json().warnings.find((x: { code: string }) => x.code === 'QRIS_CRITERIA_SIZE_MISMATCH');
    expect(w.message).toMatch(/UMI.*medium.*UME/);
    // the codec's lenient rules: a 26-character name is a warning, not an error
    const longName = appendCrc(
      serializeTlvs(
        parse(SARI)
          .data!.tlvs.filter((x) => x.id !== '63')
          .map((x) => (x.id === '59' ? { id: '59', value: 'BATIK CIDENG SEJAHTERA ABC' } : x)),
      ),
    );
    expect(parse(longName).valid).toBe(false);
    const lr = await t.call(other, 'PUT', url('b'), { payload: longName });
    expect(lr.statusCode, lr.body).toBe(200);
    expect(lr.json().warnings.map((x: { code: string }) => x.code)).toContain('FIELD_TOO_LONG');
    // Indonesian messages by default
    const id = await t.call(other, 'GET', url('b'));
    expect(
      id.json().warnings.find((x: { code: string }) => x.code === 'QRIS_CRITERIA_SIZE_MISMATCH').message,
    ).toMatch(/tidak sesuai dengan skala usaha/);
  });
});

describe('POST /participants/{id}/qris/verify', () => {
  it('needs a mentor or officer other than the submitter, within scope', async () => {
    const submitterTry = await t.call(officer, 'POST', url('a', '/verify'), {});
    expectProblem(submitterTry, 403, 'SOD_SUBMITTER_CANNOT_VERIFY');
    expectProblem(await t.call(self, 'POST', url('a', '/verify'), {}), 403, 'FORBIDDEN');
    expectProblem(await t.call(mentorSelatan, 'POST', url('a', '/verify'), {}), 404, 'NOT_FOUND');
    expectProblem(
      await t.call(mentor, 'POST', url('a', '/verify'), { version: 7 }),
      409,
      'QRIS_PROFILE_CHANGED',
    );
    expect(await rollup('qris', 'verified')).toBe(0);
    const ok = await t.call(mentor, 'POST', url('a', '/verify'), {
      version: 1,
      note: 'sticker seen at the stall',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'verified', version: 2, verifiedAt: expect.any(String) });
    expectProblem(await t.call(mentor, 'POST', url('a', '/verify')), 409, 'QRIS_ALREADY_VERIFIED');
    expect(await rollup('qris', 'verified')).toBe(1);
    expect(await rollup('qris_sector', 'kuliner')).toBe(1);
    expect(await rollup('milestone', 'P5:qris-verified')).toBe(1);
    // the participant hears about it
    const n = await t.call(self, 'GET', '/api/v1/me/notifications', undefined, { 'accept-language': 'en' });
    expect(n.json().items.map((i: { kind: string }) => i.kind)).toEqual(['qris.verified']);
  });

  it('an officer of the area confirms a code the participant submitted', async () => {
    const ok = await t.call(officer, 'POST', url('b', '/verify'), {});
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('swapped stickers', () => {
  it('refuses a verified profile change whose merchant name is not the business (422), keeps the profile', async () => {
    const res = await t.call(self, 'PUT', url('a'), { payload: SWAPPED }, { 'accept-language': 'en' });
    const j = expectProblem(res, 422, 'QRIS_MERCHANT_NAME_MISMATCH');
    expect(j.detail).toMatch(/TOKO LAIN JAYA.*Warung Sari Rasa/);
    expect(j.errors![0]).toMatchObject({ path: 'payload.59', code: 'QRIS_MERCHANT_NAME_MISMATCH' });
    const id = await t.call(self, 'PUT', url('a'), { payload: SWAPPED });
    expect(expectProblem(id, 422).detail).toMatch(/stiker QRIS ditukar/);
    const got = (await t.call(self, 'GET', url('a'))).json();
    expect([got.status, got.payload, got.version]).toEqual(['verified', SARI, 2]);
    expect(await rollup('qris', 'verified')).toBe(2);
  });

  it('accepts a matching change as unverified, notifies the participant and audits it, in one go', async () => {
    const res = await t.call(self, 'PUT', url('a'), { payload: SARI_NEW });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'unverified',
      nmid: 'ID1234567890999',
      verifiedBy: null,
      version: 3,
    });
    expect(await rollup('qris', 'verified')).toBe(1);
    expect(await rollup('qris_sector', 'kuliner')).toBe(1);
    const rows = await t.svc.db.kysely
      .selectFrom('notifications')
      .selectAll()
      .where('participant_id', '=', P.a.id)
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.kind)).toEqual(['qris.verified', 'qris.changed']);
    expect(JSON.parse(rows[1].payload)).toMatchObject({
      merchantName: 'SARI RASA GAMBIR',
      previousNmid: 'ID1234567890123',
      status: 'unverified',
    });
    const list = await t.call(self, 'GET', '/api/v1/me/notifications?unread=true', undefined, {
      'accept-language': 'en',
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items[0]).toMatchObject({
      kind: 'qris.changed',
      title: 'Your QRIS code was changed',
      readAt: null,
    });
    expect(list.json().unread).toBe(2);
    const read = await t.call(self, 'POST', `/api/v1/me/notifications/${items[0].id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect((await t.call(self, 'GET', '/api/v1/me/notifications?unread=true')).json().unread).toBe(1);
    // someone else's notification is not found; other roles have none
    expectProblem(await t.call(other, 'POST', `/api/v1/me/notifications/${items[1].id}/read`), 404);
    expect((await t.call(officer, 'GET', '/api/v1/me/notifications')).json()).toEqual({
      items: [],
      unread: 0,
    });
    expectProblem(await t.call(null, 'GET', '/api/v1/me/notifications'), 401);
    // the history, from the audit log
    const h = await t.call(officer, 'GET', url('a', '/history'));
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json().items.map((i: { action: string }) => i.action)).toEqual([
      'qris.replace',
      'qris.verify',
      'qris.submit',
    ]);
    expect(h.json().items[0].data.before.payload).toBe(SARI);
    // a mentor confirms the new code again
    expect((await t.call(mentor, 'POST', url('a', '/verify'), { version: 3 })).statusCode).toBe(200);
  });
});

describe('POST /participants/{id}/qris/image', () => {
  it('reads the code from a PNG of the sticker and saves it like PUT', async () => {
    const payload = merchant({ name: 'WARUNG GAMBAR', nmid: 'ID5555555555555' });
    const png = await qrPng(payload, { specimen: false, scale: 5 });
    const res = await upload(officer, 'd', { data: png });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ payload, source: 'image', status: 'unverified', warnings: [] });
  });

  it('a JPEG photo: the code small, rotated, off-centre, on a grey background', async () => {
    const payload = merchant({ name: 'KEDAI TEBET', nmid: 'ID7777777777777' });
    const inner = (await qrPng(payload, { specimen: false, scale: 3 })).toString('base64');
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="700"><rect width="900" height="700" fill="#9a9a9a"/>' +
      `<image x="420" y="260" width="260" height="260" transform="rotate(8 550 390)" href="data:image/png;base64,${inner}"/></svg>`;
    const img = new Resvg(svg).render();
    const photo = jpeg.encode({ data: img.pixels, width: img.width, height: img.height }, 75).data;
    const res = await upload(admin, 'c', { data: photo, name: 'IMG_0001.jpg', type: 'image/jpeg' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payload).toBe(payload);
  });

  it('answers 4xx, never 500, for garbage, empty or missing files and non-multipart bodies', async () => {
    const garbage = await upload(officer, 'd', {
      data: Buffer.from('definitely not an image'),
      type: 'image/png',
    });
    expectProblem(garbage, 415, 'IMAGE_TYPE');
    const brokenPng = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 1),
    ]);
    const broken = await upload(officer, 'd', { data: brokenPng });
    expect([415, 422]).toContain(broken.statusCode);
    expectProblem(broken, broken.statusCode);
    const jpegJunk = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.alloc(300, 9)]);
    expectProblem(await upload(officer, 'd', { data: jpegJunk, type: 'image/jpeg' }), 422, 'IMAGE_CORRUPT');
    expectProblem(await upload(officer, 'd', { data: Buffer.alloc(0) }), 422, 'IMAGE_EMPTY');
    const blank = await renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"/>');
    const none = await upload(officer, 'd', { data: blank });
    expect(expectProblem(none, 422).errors![0].code).toBe('QR_NOT_FOUND');
    const noFile = multipart(null, { note: 'hello' });
    const empty = await t.call(officer, 'POST', url('d', '/image'), noFile.payload, noFile.headers);
    expectProblem(empty, 422);
    const bare = await t.call(officer, 'POST', url('d', '/image'), Buffer.from(''), {
      'content-type': 'multipart/form-data; boundary=xyz',
    });
    expect(bare.statusCode).toBeGreaterThanOrEqual(400);
    expect(bare.statusCode).toBeLessThan(500);
    const json = await t.call(officer, 'POST', url('d', '/image'), { payload: SARI });
    expectProblem(json, 415, 'MULTIPART_REQUIRED');
    // a code that is not a valid QRIS is reported with its parse errors
    const notQris = await upload(officer, 'd', { data: await qrPng('hello world', { specimen: false }) });
    expect(expectProblem(notQris, 422).errors![0].path).toMatch(/^payload/);
    // the profile was left as it was
    expect((await t.call(officer, 'GET', url('d'))).json().nmid).toBe('ID5555555555555');
  });
});

describe('GET /participants/{id}/qris.png and .svg', () => {
  it('makes a dynamic code for the amount, never with a fee', async () => {
    const png = await t.call(self, 'GET', `${url('a')}.png?amount=15000`);
    expect(png.statusCode, png.body).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['x-qris-status']).toBe('verified');
    const [text] = await decodeQrImage(png.rawPayload);
    const d = parse(text).data!;
    expect(parse(text).valid).toBe(true);
    expect(d.pointOfInitiation).toBe('12');
    expect(d.amount).toBe('15000');
    expect([d.tipIndicator, d.fixedFee, d.percentageFee]).toEqual([null, null, null]);
    expect(text).not.toMatch(/55020[123]/);
    expect(d.nmid).toBe('ID1234567890999');

    const svg = await t.call(officer, 'GET', `${url('a')}.svg?amount=20000.50`);
    expect(svg.statusCode, svg.body).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).not.toContain('SPECIMEN');
    const [s] = await decodeQrImage(await renderPng(svg.body));
    expect(parse(s).data!.amount).toBe('20000.50');
  });

  it('without an amount gives the static code, stripped of any amount, tip or fee it carried', async () => {
    const png = await t.call(self, 'GET', `${url('a')}.png`);
    expect(await decodeQrImage(png.rawPayload)).toEqual([SARI_NEW]);
    const big = await t.call(self, 'GET', `${url('a')}.png?size=1000`);
    expect(big.rawPayload.length).toBeGreaterThan(png.rawPayload.length);
    // D's stored code carries an amount and a percentage fee (kept, with warnings)
    const dFee = toDynamic(merchant({ name: 'WARUNG GAMBAR', nmid: 'ID5555555555555' }), {
      amount: 5000,
      fee: { percent: '2.5' },
    });
    const put = await t.call(officer, 'PUT', url('d'), { payload: dFee });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().warnings.map((w: { code: string }) => w.code)).toContain('QRIS_AMOUNT_OR_FEE_PRESENT');
    const [st] = await decodeQrImage((await t.call(officer, 'GET', `${url('d')}.png`)).rawPayload);
    const sd = parse(st).data!;
    expect([sd.pointOfInitiation, sd.amount, sd.tipIndicator, sd.percentageFee]).toEqual([
      '11',
      null,
      null,
      null,
    ]);
    const [dy] = await decodeQrImage(
      (await t.call(officer, 'GET', `${url('d')}.png?amount=9000`)).rawPayload,
    );
    const dd = parse(dy).data!;
    expect([dd.pointOfInitiation, dd.amount, dd.tipIndicator, dd.percentageFee]).toEqual([
      '12',
      '9000',
      null,
      null,
    ]);
  });

  it('serves an A6 poster with the business name and the amount', async () => {
    const res = await t.call(self, 'GET', `${url('a')}/poster.svg?amount=25000`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Warung Sari Rasa');
    expect(res.body).toContain('Rp25.000');
    expect(res.body).not.toContain('data-specimen');
  });

  it('refuses bad amounts and unknown profiles with problems', async () => {
    expectProblem(await t.call(self, 'GET', `${url('a')}.png?amount=0`), 422, 'VALIDATION_FAILED');
    expectProblem(await t.call(self, 'GET', `${url('a')}.png?amount=abc`), 422, 'VALIDATION_FAILED');
    expectProblem(await t.call(self, 'GET', `${url('a')}.svg?amount=-5`), 422, 'VALIDATION_FAILED');
    expectProblem(await t.call(self, 'GET', `${url('a')}.png?amount=${'9'.repeat(40)}`), 422);
    expectProblem(await t.call(self, 'GET', `${url('a')}.png?size=5`), 422);
    expectProblem(
      await t.call(admin, 'GET', `/api/v1/participants/${P.e.id}/qris.png`),
      404,
      'QRIS_PROFILE_MISSING',
    );
  });
});

describe('scope and malformed input', () => {
  it('an officer of another area sees nothing (404) and cannot write', async () => {
    for (const [method, path, payload] of [
      ['GET', url('a'), undefined],
      ['PUT', url('a'), { payload: SARI }],
      ['POST', url('a', '/verify'), {}],
      ['GET', `${url('a')}.png`, undefined],
      ['GET', `${url('a')}.svg?amount=1000`, undefined],
      ['GET', url('a', '/history'), undefined],
    ] as const) {
      expectProblem(await t.call(officerSelatan, method, path, payload), 404, 'NOT_FOUND');
    }
    expectProblem(await upload(officerSelatan, 'a', { data: Buffer.from('x') }), 404, 'NOT_FOUND');
    // a participant sees only their own
    expectProblem(await t.call(other, 'GET', url('a')), 404, 'NOT_FOUND');
    expectProblem(await t.call(null, 'GET', url('a')), 401);
    expectProblem(await t.call(admin, 'GET', '/api/v1/participants/not-an-id/qris'), 404);
  });

  it('answers bad JSON, huge payloads and wrong types with 4xx, never 500', async () => {
    const badJson = await t.call(officer, 'PUT', url('a'), '{"payload": ', {
      'content-type': 'application/json',
    });
    expectProblem(badJson, 400, 'JSON_INVALID');
    const huge = await t.call(officer, 'PUT', url('a'), { payload: `000201${'9'.repeat(100_000)}` });
    expect(expectProblem(huge, 422).errors![0]).toMatchObject({ path: 'payload', code: 'TOO_BIG' });
    const tooBig = await t.call(officer, 'PUT', url('a'), { payload: 'x'.repeat(2_000_000) });
    expectProblem(tooBig, 413);
    expectProblem(await t.call(officer, 'PUT', url('a'), { payload: 42 }), 422);
    expectProblem(await t.call(officer, 'PUT', url('a'), { payload: SARI, extra: 1 }), 422);
    expectProblem(await t.call(officer, 'PUT', url('a'), {}), 422);
    expectProblem(await t.call(officer, 'PUT', url('a'), { payload: '   ' }), 422);
    expectProblem(await t.call(officer, 'PUT', url('a'), { payload: `${SARI.slice(0, 40)}\u0000` }), 422);
    expectProblem(await t.call(officer, 'PUT', url('a'), 'payload', { 'content-type': 'text/plain' }), 415);
    expectProblem(await t.call(mentor, 'POST', url('a', '/verify'), { version: 'x' }), 422);
    // random payload-shaped strings: always a 422 with codes, never a 500
    for (let i = 0; i < 30; i++) {
      const chars = '0123456789ABCDEF.-é';
      let s = '';
      const n = 1 + Math.floor(Math.random() * 300);
      for (let j = 0; j < n; j++) s += chars[Math.floor(Math.random() * chars.length)];
      const res = await t.call(admin, 'PUT', url('c'), { payload: s });
      expect(res.statusCode, s).toBe(422);
    }
  });
});

describe('figures', () => {
  it('rollups agree with a recount from the records, and the adoption summary reads them', async () => {
    const v = await verifyStats(t.svc);
    expect(v.differences).toEqual([]);
    const s = await t.call(admin, 'GET', '/api/v1/stats/qris');
    expect(s.statusCode, s.body).toBe(200);
    const j = s.json();
    expect(j).toMatchObject({ registered: 5, profiles: 4, verified: 2, verifiedPct: 40 });
    const pusat = j.byRegency.find((r: { key: string }) => r.key === '31.71');
    expect(pusat).toMatchObject({ registered: 3, profiles: 3, verified: 2 });
    expect(j.bySector.find((r: { key: string }) => r.key === 'kuliner')).toMatchObject({ verified: 2 });
    const scoped = (await t.call(officerSelatan, 'GET', '/api/v1/stats/qris')).json();
    expect(scoped).toMatchObject({ registered: 2, profiles: 1, verified: 0 });
    expectProblem(await t.call(self, 'GET', '/api/v1/stats/qris'), 403);
  });
});
