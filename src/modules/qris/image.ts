import { crc32 } from 'node:zlib';
import QRCode from 'qrcode';
import { strokeText, textWidth } from './glyphs.ts';

/**
 * QR images of a QRIS payload: SVG (vector) and PNG (the same SVG rasterised by resvg, with no system
 * font: every mark is drawn as paths). Error correction M (the level QRIS stickers use), a quiet zone of
 * four modules.
 *
 * A code made from invented merchant data routes to no acquirer, so its image is a SPECIMEN: a diagonal
 * mark across the code (light enough that scanners still read it, so that it can be tested) and a caption
 * band under the quiet zone in English and Indonesian. Codes read from a merchant's real sticker are not
 * specimens.
 */
export const QUIET_ZONE = 4;
export const SPECIMEN_COLOR = '#d40000';
const SPECIMEN_CAPTION = ['SPECIMEN - NOT A PAYMENT CODE', 'CONTOH - BUKAN KODE PEMBAYARAN'];
export const SPECIMEN_NOTE = 'SPECIMEN - not a payment code (contoh - bukan kode pembayaran)';

export type QrImageOptions = {
  /** Mark the image SPECIMEN (the merchant data was not read from a real code). */
  specimen: boolean;
  /** Accessible title (default "QRIS"). */
  title?: string;
};

export type PngOptions = QrImageOptions & {
  /** Pixels per module (default 8, 1-40). */
  scale?: number;
};

export type QrMatrix = { size: number; dark: (row: number, col: number) => boolean };

/** The module matrix (error correction M). Throws a RangeError when the text does not fit a QR code. */
export function qrMatrix(payload: string): QrMatrix {
  let code: QRCode.QRCode;
  try {
    code = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  } catch (e) {
    throw new RangeError(`cannot make a QR code of this text: ${(e as Error).message}`);
  }
  const m = code.modules;
  return { size: m.size, dark: (r, c) => m.get(r, c) === 1 || (m.get(r, c) as unknown) === true };
}

/** Path data of the dark modules, one unit per module, offset by `origin` (row runs merged). */
export function modulesPath(matrix: QrMatrix, origin = 0): string {
  let d = '';
  const n = matrix.size;
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!matrix.dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && matrix.dark(r, c)) c++;
      d += `M${start + origin} ${r + origin}h${c - start}v1h${start - c}z`;
    }
  }
  return d;
}

/** The diagonal SPECIMEN mark over a w x h area (user units). */
export function specimenOverlay(w: number, h: number): string {
  const angle = (-Math.atan2(h, w) * 180) / Math.PI;
  const diag = Math.hypot(w, h);
  // the word spans about 65% of the diagonal
  const height = Math.min((diag * 0.65 * 6) / textWidth('SPECIMEN'), Math.min(w, h) * 0.2);
  return strokeText('SPECIMEN', {
    cx: w / 2,
    cy: h / 2,
    height,
    angle,
    color: SPECIMEN_COLOR,
    opacity: 0.5,
    weight: 1.1,
  });
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** An SVG of the code; 1 user unit = 1 module. `pxPerModule` sets the width/height attributes. */
export function qrSvg(payload: string, opts: QrImageOptions, pxPerModule = 8): string {
  const matrix = qrMatrix(payload);
  const side = matrix.size + 2 * QUIET_ZONE;
  const band = opts.specimen ? 6 : 0;
  const height = side + band;
  const title = opts.specimen ? `${opts.title ?? 'QRIS'} - ${SPECIMEN_NOTE}` : (opts.title ?? 'QRIS');
  let svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${height}"` +
    ` width="${side * pxPerModule}" height="${height * pxPerModule}" role="img"` +
    ` aria-label="${escapeXml(title)}"${opts.specimen ? ' data-specimen="true"' : ''}>` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${side}" height="${height}" fill="#ffffff"/>` +
    `<path shape-rendering="crispEdges" fill="#000000" d="${modulesPath(matrix, QUIET_ZONE)}"/>`;
  if (opts.specimen) {
    svg += specimenOverlay(side, side);
    // two caption lines under the quiet zone, as wide as fits
    const lineHeight = Math.min(1.6, ((side - 2) * 6) / Math.max(...SPECIMEN_CAPTION.map(textWidth)));
    SPECIMEN_CAPTION.forEach((line, i) => {
      svg += strokeText(line, {
        cx: side / 2,
        cy: side + 0.8 + lineHeight / 2 + i * (lineHeight + 1.4),
        height: lineHeight,
        color: SPECIMEN_COLOR,
        weight: 1,
      });
    });
  }
  return `${svg}</svg>`;
}

/** A PNG of the code (`scale` pixels per module); a specimen also carries a tEXt "Comment" saying so. */
export async function qrPng(payload: string, opts: PngOptions): Promise<Buffer> {
  const scale = Math.max(1, Math.min(40, Math.round(opts.scale ?? 8)));
  const svg = qrSvg(payload, opts, scale);
  const png = await renderPng(svg);
  return opts.specimen ? withTextChunk(png, 'Comment', SPECIMEN_NOTE) : png;
}

/** Rasterises an SVG at its own width/height, without any system font (text must be paths). */
export async function renderPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: false },
    background: '#ffffff',
    shapeRendering: 2,
  });
  return r.render().asPng();
}

/** Inserts a PNG tEXt chunk right after IHDR (Latin-1 keyword and text). */
export function withTextChunk(png: Buffer, keyword: string, text: string): Buffer {
  const data = Buffer.from(`${keyword}\u0000${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

/** The tEXt chunks of a PNG (keyword -> text). */
export function pngTextChunks(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let p = 8;
  while (p + 12 <= png.length) {
    const len = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    if (type === 'tEXt' && p + 8 + len <= png.length) {
      const body = png.toString('latin1', p + 8, p + 8 + len);
      const z = body.indexOf('\u0000');
      if (z > 0) out[body.slice(0, z)] = body.slice(z + 1);
    }
    if (type === 'IEND') break;
    p += 12 + len;
  }
  return out;
}
