/** The pure geometry of the dashboard's trend charts (tested without a browser). */

/** Round axis ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, whole numbers. */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = Math.max(1, (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v));
  return ticks;
}

/** Every how many categories to print a label so that labels of `labelPx` never overlap on `widthPx`. */
export function labelEvery(count: number, widthPx: number, labelPx: number): number {
  if (count <= 0 || widthPx <= 0) return 1;
  return Math.max(1, Math.ceil((count * labelPx) / widthPx));
}
