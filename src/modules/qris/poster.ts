import { parse } from '../../qris/index.ts';
import { strokeText } from './glyphs.ts';
import { modulesPath, QUIET_ZONE, qrMatrix, SPECIMEN_COLOR, specimenOverlay } from './image.ts';

/**
 * A printable A6 poster (105 x 148 mm, portrait) as SVG: the "QRIS" label, the business name, the amount
 * when the code carries one, the code itself, the merchant name and NMID as the code states them, and a
 * line on how to pay. Text uses the viewer's sans-serif font (browsers print it); a SPECIMEN poster also
 * carries the diagonal mark drawn as paths. Meant for the participant's QRIS page to show and print.
 */
export type PosterInput = {
  /** The payload to show (already dynamic when an amount is wanted). */
  payload: string;
  businessName: string;
  specimen: boolean;
};

const W = 105;
const H = 148;
const FONT = "font-family=\"'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif\"";

function esc(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** "25000" -> "Rp25.000", "1234.5" -> "Rp1.234,5" (Indonesian grouping). */
export function formatRupiah(amount: string): string {
  const [int, frac] = amount.split('.');
  const grouped = int.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `Rp${grouped}${frac !== undefined ? `,${frac}` : ''}`;
}

/** Splits a name into at most `maxLines` lines of about `width` characters (the last one shortened). */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if ([...next].length <= width || !cur) cur = next;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur) lines.push(cur);
  const out = lines
    .slice(0, maxLines)
    .map((l) => ([...l].length > width ? `${[...l].slice(0, width - 1).join('')}…` : l));
  if (lines.length > maxLines) {
    const last = out[maxLines - 1];
    out[maxLines - 1] = `${[...last].slice(0, Math.max(1, width - 1)).join('')}…`;
  }
  return out;
}

export function posterSvg(input: PosterInput): string {
  const r = parse(input.payload, { lenient: true });
  const data = r.data;
  const amount = data?.amount ?? null;
  const matrix = qrMatrix(input.payload);
  const side = matrix.size + 2 * QUIET_ZONE;
  const nameLines = wrapText(input.businessName || data?.name || '', 22, 2);
  let y = 13;
  let s =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}mm" height="${H}mm" viewBox="0 0 ${W} ${H}"` +
    ` role="img" aria-label="${esc(`QRIS ${input.businessName}${input.specimen ? ' - SPECIMEN' : ''}`)}"` +
    `${input.specimen ? ' data-specimen="true"' : ''}>` +
    `<title>${esc(`QRIS - ${input.businessName}`)}</title>` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>` +
    `<rect x="3" y="3" width="${W - 6}" height="${H - 6}" rx="4" fill="none" stroke="#c8102e" stroke-width="0.8"/>` +
    `<g ${FONT} text-anchor="middle" fill="#111111">` +
    `<text x="${W / 2}" y="${y + 5}" font-size="13" font-weight="700" letter-spacing="1.5" fill="#c8102e">QRIS</text>`;
  y += 10;
  s += `<text x="${W / 2}" y="${y}" font-size="3.2" fill="#444444">Pindai untuk membayar · Scan to pay</text>`;
  y += 8;
  for (const line of nameLines) {
    s += `<text x="${W / 2}" y="${y}" font-size="6" font-weight="700">${esc(line)}</text>`;
    y += 7;
  }
  if (amount) {
    s += `<text x="${W / 2}" y="${y + 1}" font-size="7.5" font-weight="700">${esc(formatRupiah(amount))}</text>`;
    y += 8;
  }
  s += '</g>';
  // the code fills what is left above the footer, at most 80 mm
  const qrTop = y - 2;
  const qrSize = Math.min(80, H - 30 - qrTop);
  s +=
    `<svg x="${(W - qrSize) / 2}" y="${qrTop}" width="${qrSize}" height="${qrSize}" viewBox="0 0 ${side} ${side}">` +
    `<rect width="${side}" height="${side}" fill="#ffffff"/>` +
    `<path shape-rendering="crispEdges" fill="#000000" d="${modulesPath(matrix, QUIET_ZONE)}"/></svg>`;
  let fy = qrTop + qrSize + 4;
  s += `<g ${FONT} text-anchor="middle" fill="#333333">`;
  if (data?.name) {
    s += `<text x="${W / 2}" y="${fy}" font-size="3.4">${esc(data.name)}${data.city ? `, ${esc(data.city)}` : ''}</text>`;
    fy += 4.5;
  }
  if (data?.nmid) {
    s += `<text x="${W / 2}" y="${fy}" font-size="3.2">NMID: ${esc(data.nmid)}</text>`;
    fy += 4.5;
  }
  s +=
    `<text x="${W / 2}" y="${H - 10}" font-size="2.8" fill="#555555">Satu QRIS untuk semua aplikasi pembayaran</text>` +
    `<text x="${W / 2}" y="${H - 6.5}" font-size="2.8" fill="#555555">One QRIS for every payment app</text></g>`;
  if (input.specimen) {
    s += specimenOverlay(W, H);
    s += strokeText('SPECIMEN - BUKAN KODE PEMBAYARAN', {
      cx: W / 2,
      cy: H - 16,
      height: 2.4,
      color: SPECIMEN_COLOR,
      weight: 1,
    });
  }
  return `${s}</svg>`;
}
