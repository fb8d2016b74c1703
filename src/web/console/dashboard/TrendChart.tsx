import { useElementSize } from '@mantine/hooks';
import { useId } from 'react';
import { useFormat } from '../../format.ts';
import type { Bucket } from '../../types.ts';
import { labelEvery, niceTicks } from './chart.ts';

const HEIGHT = 200;
const FONT = 12;
/** a rough width of one character of the 12 px axis font, for room and label spacing */
const CHAR = 7;

/**
 * A trend chart in plain SVG (bars by year, a line by month): drawn at once, no animation, no chart library.
 * The SVG is one image for screen readers, named by `label`; its numbers are in the table beside it. Hovering
 * a bar or a point shows its value (SVG titles).
 */
export default function TrendChart({
  data,
  kind,
  label,
}: {
  data: Bucket[];
  kind: 'bar' | 'line';
  label: string;
}) {
  const f = useFormat();
  const titleId = useId();
  const { ref, width: measured } = useElementSize();
  const width = Math.max(200, Math.round(measured) || 480);
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.count)));
  const top = ticks[ticks.length - 1];
  const left = 8 + CHAR * Math.max(...ticks.map((t) => f.number(t).length));
  const right = 8;
  const plotTop = 8;
  const plotBottom = HEIGHT - 24;
  const plotW = width - left - right;
  const y = (v: number) => plotBottom - (v / top) * (plotBottom - plotTop);
  const band = data.length > 0 ? plotW / data.length : plotW;
  const cx = (i: number) => left + band * (i + 0.5);
  const every = labelEvery(data.length, plotW, CHAR * Math.max(4, ...data.map((d) => d.name.length)) + 12);
  const title = (d: Bucket) => `${d.name}: ${f.number(d.count)}`;
  // category labels: every `every`-th, one that would run off an edge aligned to it, one that would then
  // touch the label before it left out
  const xLabels: { key: string; x: number; anchor: 'start' | 'middle' | 'end'; text: string }[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  data.forEach((d, i) => {
    if (i % every !== 0) return;
    const w = CHAR * d.name.length;
    const [x, anchor, start]: [number, 'start' | 'middle' | 'end', number] =
      cx(i) + w / 2 > width
        ? [width - 1, 'end', width - 1 - w]
        : cx(i) - w / 2 < 0
          ? [1, 'start', 1]
          : [cx(i), 'middle', cx(i) - w / 2];
    if (start < lastEnd + 6) return;
    xLabels.push({ key: d.key, x, anchor, text: d.name });
    lastEnd = start + w;
  });
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        style={{ display: 'block', maxWidth: '100%', fontSize: FONT }}
      >
        <title id={titleId}>{label}</title>
        <g>
          {ticks.map((t) => (
            <g key={t}>
              <line
                x1={left}
                x2={width - right}
                y1={y(t)}
                y2={y(t)}
                stroke="var(--mantine-color-gray-3)"
                strokeDasharray={t === 0 ? undefined : '3 3'}
              />
              <text x={left - 6} y={y(t)} dy="0.32em" textAnchor="end" fill="var(--mantine-color-gray-7)">
                {f.number(t)}
              </text>
            </g>
          ))}
          {xLabels.map((l) => (
            <text
              key={l.key}
              x={l.x}
              y={plotBottom + 16}
              textAnchor={l.anchor}
              fill="var(--mantine-color-gray-7)"
            >
              {l.text}
            </text>
          ))}
          {kind === 'bar' ? (
            data.map((d, i) => {
              const w = Math.max(2, band * 0.7);
              return (
                <rect
                  key={d.key}
                  x={cx(i) - w / 2}
                  y={y(d.count)}
                  width={w}
                  height={Math.max(0, plotBottom - y(d.count))}
                  fill="var(--mantine-color-blue-8)"
                >
                  <title>{title(d)}</title>
                </rect>
              );
            })
          ) : (
            <>
              <polyline
                points={data.map((d, i) => `${cx(i)},${y(d.count)}`).join(' ')}
                fill="none"
                stroke="var(--mantine-color-blue-8)"
                strokeWidth={2}
                strokeLinejoin="round"
              />
              {data.map((d, i) => (
                <circle key={d.key} cx={cx(i)} cy={y(d.count)} r={Math.min(6, band / 2)} fill="transparent">
                  <title>{title(d)}</title>
                </circle>
              ))}
            </>
          )}
        </g>
      </svg>
    </div>
  );
}
