/**
 * A tiny stroke font (upper-case Latin letters, digits, a few signs) drawn as SVG path data, so that
 * marks such as SPECIMEN render the same in every SVG viewer and in PNGs made without any system font
 * (the PNG renderer is told to load none). Each glyph sits on a 4 x 6 grid, y downwards, baseline at 6.
 */
const GLYPHS: Record<string, string> = {
  A: 'M0 6L2 0L4 6M0.67 4H3.33',
  B: 'M0 6V0H2.5Q4 0 4 1.5Q4 3 2.5 3H0M2.5 3Q4 3 4 4.5Q4 6 2.5 6H0',
  C: 'M4 1Q3.3 0 2 0Q0 0 0 3Q0 6 2 6Q3.3 6 4 5',
  D: 'M0 0V6H1.8Q4 6 4 3Q4 0 1.8 0Z',
  E: 'M4 0H0V6H4M0 3H3',
  F: 'M4 0H0V6M0 3H3',
  G: 'M4 1Q3.3 0 2 0Q0 0 0 3Q0 6 2 6Q4 6 4 3.5H2.2',
  H: 'M0 0V6M4 0V6M0 3H4',
  I: 'M1 0H3M2 0V6M1 6H3',
  J: 'M1 0H4V4.5Q4 6 2.3 6Q0.7 6 0.3 4.8',
  K: 'M0 0V6M4 0L0 3.6M1.3 2.5L4 6',
  L: 'M0 0V6H4',
  M: 'M0 6V0L2 3.5L4 0V6',
  N: 'M0 6V0L4 6V0',
  O: 'M2 0Q0 0 0 3Q0 6 2 6Q4 6 4 3Q4 0 2 0Z',
  P: 'M0 6V0H2.5Q4 0 4 1.6Q4 3.2 2.5 3.2H0',
  Q: 'M2 0Q0 0 0 3Q0 6 2 6Q4 6 4 3Q4 0 2 0ZM2.6 4.4L4 6.2',
  R: 'M0 6V0H2.5Q4 0 4 1.6Q4 3.2 2.5 3.2H0M2.2 3.2L4 6',
  S: 'M4 0.9Q3.4 0 2 0Q0.1 0 0.1 1.5Q0.1 2.8 2 3Q3.9 3.2 3.9 4.5Q3.9 6 2 6Q0.6 6 0 5.1',
  T: 'M0 0H4M2 0V6',
  U: 'M0 0V4Q0 6 2 6Q4 6 4 4V0',
  V: 'M0 0L2 6L4 0',
  W: 'M0 0L1 6L2 2.5L3 6L4 0',
  X: 'M0 0L4 6M4 0L0 6',
  Y: 'M0 0L2 3L4 0M2 3V6',
  Z: 'M0 0H4L0 6H4',
  '0': 'M2 0Q0 0 0 3Q0 6 2 6Q4 6 4 3Q4 0 2 0ZM3.6 1L0.4 5',
  '1': 'M0.8 1.2L2.2 0V6M0.8 6H3.6',
  '2': 'M0.2 1.2Q0.8 0 2 0Q3.8 0 3.8 1.7Q3.8 2.8 2.5 3.8L0 6H4',
  '3': 'M0.2 0.8Q0.9 0 2 0Q3.8 0 3.8 1.5Q3.8 3 2 3Q4 3 4 4.5Q4 6 2 6Q0.7 6 0 5.1M2 3H1.4',
  '4': 'M3 6V0L0 4.2H4',
  '5': 'M3.8 0H0.4L0.2 2.8Q0.9 2.3 2 2.3Q4 2.3 4 4.1Q4 6 2 6Q0.7 6 0 5.2',
  '6': 'M3.6 0.6Q3 0 2 0Q0 0 0 3.5Q0 6 2 6Q4 6 4 4.2Q4 2.5 2 2.5Q0.7 2.5 0 3.5',
  '7': 'M0 0H4L1.4 6',
  '8': 'M2 3Q0.2 3 0.2 1.5Q0.2 0 2 0Q3.8 0 3.8 1.5Q3.8 3 2 3Q0 3 0 4.5Q0 6 2 6Q4 6 4 4.5Q4 3 2 3Z',
  '9': 'M0.4 5.4Q1 6 2 6Q4 6 4 2.5Q4 0 2 0Q0 0 0 1.8Q0 3.5 2 3.5Q3.3 3.5 4 2.5',
  '.': 'M1.8 6H2.2',
  ',': 'M2.2 5.6L1.6 6.8',
  '-': 'M0.8 3.5H3.2',
  ':': 'M2 1.8V2.2M2 5.6V6',
  '/': 'M3.6 0L0.4 6',
  '(': 'M2.8 0Q1.2 1.5 1.2 3Q1.2 4.5 2.8 6',
  ')': 'M1.2 0Q2.8 1.5 2.8 3Q2.8 4.5 1.2 6',
  '·': 'M1.9 3H2.1',
};

/** Horizontal advance of one character, in glyph units (4 wide plus spacing). */
export const ADVANCE = 5.6;
/** Cap height in glyph units. */
export const CAP_HEIGHT = 6;

/** Width of a line of text in glyph units (letters are upper-cased; unknown characters are blanks). */
export function textWidth(text: string): number {
  const n = [...text].length;
  return n === 0 ? 0 : n * ADVANCE - (ADVANCE - 4);
}

function stripAccents(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '');
}

/** Path data of a line of text, glyph units, starting at (0, 0) with the baseline at y = 6. */
export function textPath(text: string): string {
  let out = '';
  let x = 0;
  for (const ch of stripAccents(text).toUpperCase()) {
    const g = GLYPHS[ch];
    if (g) out += translatePath(g, x);
    x += ADVANCE;
  }
  return out;
}

/** Shifts absolute path data horizontally (only M, L, H, V, Q and Z are used above). */
function translatePath(d: string, dx: number): string {
  if (dx === 0) return d;
  const out: string[] = [];
  const re = /([MLHVQZ])([^MLHVQZ]*)/g;
  for (let m = re.exec(d); m !== null; m = re.exec(d)) {
    const cmd = m[1];
    const nums =
      m[2].trim() === ''
        ? []
        : m[2]
            .trim()
            .split(/[\s,]+/)
            .map(Number);
    if (cmd === 'H') out.push(`H${round(nums[0] + dx)}`);
    else if (cmd === 'V') out.push(`V${nums[0]}`);
    else if (cmd === 'Z') out.push('Z');
    else {
      const moved = nums.map((v, i) => (i % 2 === 0 ? round(v + dx) : v));
      out.push(`${cmd}${moved.join(' ')}`);
    }
  }
  return out.join('');
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * An SVG group drawing `text` centred on (cx, cy), `height` user units tall (cap height), rotated by
 * `angle` degrees, as round-capped strokes.
 */
export function strokeText(
  text: string,
  o: {
    cx: number;
    cy: number;
    height: number;
    angle?: number;
    color: string;
    opacity?: number;
    weight?: number;
  },
): string {
  const s = o.height / CAP_HEIGHT;
  const w = textWidth(text);
  const tx = -w / 2;
  const ty = -CAP_HEIGHT / 2;
  const rot = o.angle ? ` rotate(${round(o.angle)})` : '';
  return (
    `<g transform="translate(${round(o.cx)} ${round(o.cy)})${rot} scale(${round(s)}) translate(${round(tx)} ${ty})"` +
    ` fill="none" stroke="${o.color}" stroke-width="${o.weight ?? 0.9}" stroke-linecap="round"` +
    ` stroke-linejoin="round"${o.opacity !== undefined ? ` stroke-opacity="${o.opacity}"` : ''}>` +
    `<path d="${textPath(text)}"/></g>`
  );
}
