import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Reads QR codes from a photo or a screenshot (PNG or JPEG) with ZXing-C++ compiled to WebAssembly
 * (zxing-wasm): it decodes the image file itself and finds codes that are rotated, small, inverted or
 * photographed at an angle. The .wasm file is read from the installed package, never fetched.
 */
export type ImageKind = 'png' | 'jpeg';

export class ImageError extends Error {
  readonly code: 'IMAGE_EMPTY' | 'IMAGE_TYPE' | 'IMAGE_CORRUPT' | 'IMAGE_TOO_LARGE';
  constructor(code: ImageError['code'], message: string) {
    super(message);
    this.name = 'ImageError';
    this.code = code;
  }
}

/** Images above this many pixels are refused before decoding (a 24-megapixel photo is 96 MB of pixels). */
export const MAX_PIXELS = 24_000_000;

export function sniffImage(buf: Uint8Array): ImageKind | null {
  if (buf.length >= 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47)
    return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  return null;
}

/** Width and height from the file header (PNG IHDR, JPEG SOFn), or null when the header is unreadable. */
export function imageSize(buf: Uint8Array, kind: ImageKind): { width: number; height: number } | null {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (kind === 'png') {
    if (buf.length < 24 || String.fromCharCode(...buf.subarray(12, 16)) !== 'IHDR') return null;
    return { width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  let p = 2;
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) return null;
    const marker = buf[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    const len = dv.getUint16(p + 2);
    if (len < 2) return null;
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (sof) {
      if (p + 9 > buf.length) return null;
      return { height: dv.getUint16(p + 5), width: dv.getUint16(p + 7) };
    }
    if (marker === 0xda || marker === 0xd9) return null;
    p += 2 + len;
  }
  return null;
}

let prepared: Promise<typeof import('zxing-wasm/reader')> | null = null;

function reader() {
  prepared ??= (async () => {
    const mod = await import('zxing-wasm/reader');
    const require = createRequire(import.meta.url);
    const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
    mod.prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
    return mod;
  })();
  return prepared;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The texts of the QR codes found in an image file (PNG or JPEG), in the order found, duplicates
 * removed. An image without a code gives an empty list; a file that is not a readable PNG/JPEG or is too
 * large throws an {@link ImageError}.
 */
export async function decodeQrImage(buf: Uint8Array): Promise<string[]> {
  return (await readQrCodes(buf)).map((c) => c.text);
}

/** As {@link decodeQrImage}, with each code's error-correction level ("L", "M", "Q", "H"). */
export async function readQrCodes(buf: Uint8Array): Promise<{ text: string; ecLevel: string }[]> {
  if (buf.length === 0) throw new ImageError('IMAGE_EMPTY', 'the file is empty');
  const kind = sniffImage(buf);
  if (!kind) throw new ImageError('IMAGE_TYPE', 'not a PNG or JPEG image');
  const size = imageSize(buf, kind);
  if (!size || size.width === 0 || size.height === 0)
    throw new ImageError('IMAGE_CORRUPT', `the ${kind.toUpperCase()} header cannot be read`);
  if (size.width * size.height > MAX_PIXELS)
    throw new ImageError(
      'IMAGE_TOO_LARGE',
      `${size.width} x ${size.height} pixels is more than ${MAX_PIXELS / 1e6} megapixels`,
    );
  const { readBarcodes } = await reader();
  let results: Awaited<ReturnType<typeof readBarcodes>>;
  try {
    results = await readBarcodes(buf, {
      formats: ['QRCode'],
      tryHarder: true,
      tryRotate: true,
      tryInvert: true,
      tryDownscale: true,
      maxNumberOfSymbols: 8,
    });
  } catch (e) {
    throw new ImageError('IMAGE_CORRUPT', `the image cannot be decoded (${(e as Error).message})`);
  }
  const out: { text: string; ecLevel: string }[] = [];
  for (const r of results) {
    if (!r.isValid) continue;
    let text: string;
    try {
      // QRIS payloads are UTF-8; read the raw bytes as such rather than trusting a guessed character set
      text = r.bytes.length > 0 ? utf8.decode(r.bytes) : r.text;
    } catch {
      text = r.text;
    }
    if (!out.some((c) => c.text === text)) out.push({ text, ecLevel: r.ecLevel });
  }
  return out;
}
