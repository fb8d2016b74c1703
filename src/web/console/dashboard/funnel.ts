import type { Bucket } from '../../types.ts';

/** Conversion from the previous stage, in per cent (one decimal); null for the first stage or an empty one. */
export function conversions(funnel: Bucket[]): (number | null)[] {
  return funnel.map((s, i) => {
    const prev = funnel[i - 1];
    if (!prev || prev.count === 0) return null;
    return Math.round((s.count / prev.count) * 1000) / 10;
  });
}
