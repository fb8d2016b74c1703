/**
 * QR images of QRIS payloads: SVG and PNG that read back (with the decoder the upload endpoint uses) to
 * the very payload, error correction M, a quiet zone, the SPECIMEN mark; the poster; the decoder's
 * refusals; the name rule against swapped stickers; the static form used for images.
 */
import { Resvg } from '@resvg/resvg-js';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeQrImage, ImageError, imageSize, MAX_PIXELS, readQrCodes } from '../src/modules/qris/decode.ts';
import {
  modulesPath,
  pngTextChunks,
  QUIET_ZONE,
  qrMatrix,
  qrPng,
  qrSvg,
  renderPng,
  SPECIMEN_NOTE,
} from '../src/modules/qris/image.ts';
import { namesMatch } from '../src/modules/qris/names.ts';
import { formatRupiah, posterSvg, wrapText } from '../src/modules/qris/poster.ts';
import { payableCode, toStatic } from '../src/modules/qris/service.ts';
import { REAL_WORLD } from '../src/qris/fixtures.ts';
import { build, parse, toDynamic } from '../src/qris/index.ts';

const VALID = REAL_WORLD.filter((f) => f.valid).map((f) => f.payload);
const NOBU = VALID[0];

/** RGBA pixels of a PNG (rasterised through resvg, the renderer the PNGs come from). */
function pixels(png: Buffer): { data: Buffer; width: number; height: number } {
  const size = imageSize(png, 'png')!;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${size.width}" height="${size.height}">` +
    `<image width="${size.width}" height="${size.height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const img = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
  return { data: img.pixels, width: img.width, height: img.height };
}

function redPixels(png: Buffer): number {
  const { data } = pixels(png);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] > 150 && data[i + 1] < 120 && data[i + 2] < 120) n++;
  return n;
}

describe('QR images', () => {
  it('PNG and SVG of real payloads read back to the same payload, error correction M', async () => {
    for (const payload of VALID) {
      for (const specimen of [false, true]) {
        const png = await qrPng(payload, { specimen });
        const codes = await readQrCodes(png);
        expect(codes.map((c) => c.text)).toEqual([payload]);
        expect(codes[0].ecLevel).toBe('M');
        const fromSvg = await renderPng(qrSvg(payload, { specimen }, 6));
        expect(await decodeQrImage(fromSvg)).toEqual([payload]);
      }
    }
  });

  it('reads a JPEG photo: a small, rotated code on a grey background, lossy compression', async () => {
    const inner = (await qrPng(NOBU, { specimen: false, scale: 3 })).toString('base64');
    const scene =
      '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="1200" height="900" fill="#8a8f96"/>' +
      `<image x="300" y="200" width="330" height="330" transform="rotate(-12 465 365)" href="data:image/png;base64,${inner}"/></svg>`;
    const img = new Resvg(scene).render();
    const jpg = jpeg.encode({ data: img.pixels, width: img.width, height: img.height }, 70).data;
    expect(imageSize(jpg, 'jpeg')).toEqual({ width: 1200, height: 900 });
    expect(await decodeQrImage(jpg)).toEqual([NOBU]);
  });

  it('keeps non-ASCII names (UTF-8 bytes) and dynamic codes intact', async () => {
    const payload = build({
      name: 'Kopi Ñoño Café',
      city: 'Bandung',
      postalCode: '40111',
      mcc: '5814',
      nmid: 'ID1234567890123',
      criteria: 'UMI',
    });
    expect(await decodeQrImage(await qrPng(payload, { specimen: true }))).toEqual([payload]);
    const dyn = toDynamic(NOBU, { amount: 123456 });
    expect(await decodeQrImage(await qrPng(dyn, { specimen: false, scale: 3 }))).toEqual([dyn]);
  });

  it('leaves a quiet zone of four modules on every side', () => {
    const m = qrMatrix(NOBU);
    const side = m.size + 2 * QUIET_ZONE;
    const d = modulesPath(m, QUIET_ZONE);
    for (const [, x, y] of d.matchAll(/M(\d+) (\d+)/g)) {
      expect(Number(x)).toBeGreaterThanOrEqual(QUIET_ZONE);
      expect(Number(y)).toBeGreaterThanOrEqual(QUIET_ZONE);
      expect(Number(x)).toBeLessThan(side - QUIET_ZONE);
      expect(Number(y)).toBeLessThan(side - QUIET_ZONE);
    }
    expect(qrSvg(NOBU, { specimen: false })).toContain(`viewBox="0 0 ${side} ${side}"`);
  });

  it('marks specimens in SVG and PNG, and only specimens', async () => {
    const svg = qrSvg(NOBU, { specimen: true });
    expect(svg).toContain('data-specimen="true"');
    expect(svg).toContain('SPECIMEN');
    const plainSvg = qrSvg(NOBU, { specimen: false });
    expect(plainSvg).not.toContain('SPECIMEN');
    expect(plainSvg).not.toContain('data-specimen');

    const png = await qrPng(NOBU, { specimen: true });
    const plain = await qrPng(NOBU, { specimen: false });
    expect(pngTextChunks(png).Comment).toBe(SPECIMEN_NOTE);
    expect(pngTextChunks(plain).Comment).toBeUndefined();
    // the mark is drawn (red strokes over the code and a caption band), not only written in metadata
    expect(redPixels(png)).toBeGreaterThan(2000);
    expect(redPixels(plain)).toBe(0);
    expect(pixels(png).height).toBeGreaterThan(pixels(png).width);
  });

  it('makes an A6 poster with the business name, the amount and the code', async () => {
    const dyn = toDynamic(NOBU, { amount: '25000' });
    const svg = posterSvg({ payload: dyn, businessName: 'Warung <Sari> & "Rasa"', specimen: false });
    expect(svg).toContain('width="105mm" height="148mm"');
    expect(svg).toContain('Warung &lt;Sari&gt; &amp; &quot;Rasa&quot;');
    expect(svg).toContain('Rp25.000');
    expect(svg).toContain('>QRIS<');
    expect(svg).toContain('NMID: ID2023270994163');
    expect(svg).not.toContain('data-specimen');
    expect(posterSvg({ payload: NOBU, businessName: 'X', specimen: true })).toContain('data-specimen="true"');
    // the poster's code reads back (rasterised with the system's fonts for the text)
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: 700 } }).render().asPng();
    expect(await decodeQrImage(png)).toEqual([dyn]);
    expect(formatRupiah('1234567.5')).toBe('Rp1.234.567,5');
    expect(wrapText('Warung Makan Sederhana Bu Siti Rahayu Sejahtera Abadi', 22, 2)).toHaveLength(2);
  });
});

describe('decoder refusals', () => {
  const refuse = async (buf: Uint8Array, code: string) => {
    const e = await decodeQrImage(buf).then(
      () => null,
      (x) => x,
    );
    expect(e).toBeInstanceOf(ImageError);
    expect(e.code).toBe(code);
  };

  it('refuses empty files, other formats, broken headers and oversized images', async () => {
    await refuse(new Uint8Array(0), 'IMAGE_EMPTY');
    await refuse(Buffer.from('GIF89a garbage'), 'IMAGE_TYPE');
    await refuse(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'IMAGE_TYPE');
    await refuse(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'IMAGE_CORRUPT');
    const png = await qrPng(NOBU, { specimen: false });
    const huge = Buffer.from(png);
    huge.writeUInt32BE(20_000, 16);
    huge.writeUInt32BE(20_000, 20);
    await refuse(huge, 'IMAGE_TOO_LARGE');
    expect(20_000 * 20_000).toBeGreaterThan(MAX_PIXELS);
  });

  it('returns no code for a picture without one, and never throws on garbage after a valid header', async () => {
    const blank = await renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"/>');
    expect(await decodeQrImage(blank)).toEqual([]);
    const png = await qrPng(NOBU, { specimen: false });
    const cut = png.subarray(0, Math.floor(png.length / 3));
    const r = await decodeQrImage(cut).catch((e) => e);
    expect(Array.isArray(r) || r instanceof ImageError).toBe(true);
    const jpegish = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(200, 7)]);
    const j = await decodeQrImage(jpegish).catch((e) => e);
    expect(j).toBeInstanceOf(ImageError);
  });

  it('reads JPEG dimensions from the SOF header', () => {
    const sof = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80,
    ]);
    expect(imageSize(Buffer.concat([sof, Buffer.alloc(20)]), 'jpeg')).toEqual({ width: 640, height: 480 });
  });
});

describe('merchant name rule (swapped stickers)', () => {
  it.each([
    ['SARI RASA', 'Warung Sari Rasa'],
    ['WARUNG SARI RASA', 'Sari Rasa'],
    ['Sari-Rasa', 'sari rasa'],
    ['gh store Perlengkapan Ind', 'GH Store Perlengkapan Industri'],
    ['Kedai Kopi Bu Ani', 'Kopi Ani'],
    ['RM SEDERHANA', 'Rumah Makan Sederhana'],
    ['Café Ñoño', 'Cafe Nono'],
    ['SARI RASA GAMBIR', 'Warung Sari Rasa'],
    ['Batik & Tenun', 'Batik dan Tenun'],
  ])('%s matches %s', (a, b) => {
    expect(namesMatch(a, b)).toBe(true);
  });
  it.each([
    ['TOKO LAIN JAYA', 'Warung Sari Rasa'],
    ['Warung', 'Warung Sari Rasa'],
    ['SARI', 'Sate Rasa'],
    ['', 'Sari Rasa'],
    ['ABC', 'ABCD Store'],
  ])('%s does not match %s', (a, b) => {
    expect(namesMatch(a, b)).toBe(false);
  });
});

describe('codes for images', () => {
  it('drops any amount, tip or fee for the static image and never adds a fee to a dynamic one', () => {
    const withFee = toDynamic(NOBU, { amount: 5000, fee: { fixed: 1000 } });
    const s = parse(toStatic(withFee));
    expect(s.valid).toBe(true);
    expect(s.data!.pointOfInitiation).toBe('11');
    expect(s.data!.amount).toBeNull();
    expect(s.data!.tipIndicator).toBeNull();
    expect(toStatic(NOBU)).toBe(NOBU);
    const d = parse(payableCode(withFee, '7500', 'en'));
    expect(d.data!.amount).toBe('7500');
    expect(d.data!.tipIndicator).toBeNull();
    expect(d.data!.fixedFee).toBeNull();
    expect(() => payableCode(NOBU, '0', 'en')).toThrow();
  });
});
