import type React from 'react';
import { Link } from 'react-router';
import classes from './BarList.module.css';

/** One bar; `to` makes the row a link (to the records behind the number). */
export type Bar = { key: string; label: string; value: number; note?: string; to?: string };

/**
 * Horizontal bars in plain CSS with the number beside each bar (no chart library in the public bundle).
 * A list for screen readers: each item reads "label: number" (a link when the bar has `to`).
 */
export function BarList({
  bars,
  label,
  format,
  max,
}: {
  bars: Bar[];
  /** accessible name of the list */
  label: string;
  format: (n: number) => string;
  /** the value of a full bar; defaults to the largest value */
  max?: number;
}) {
  const top = max ?? Math.max(1, ...bars.map((b) => b.value));
  // one width for the number column, so every track has the same length and the bars compare
  const valueChars = Math.max(
    3,
    ...bars.map((b) => format(b.value).length + (b.note ? b.note.length + 1 : 0)),
  );
  return (
    <ul
      className={classes.list}
      aria-label={label}
      style={{ '--jkp-value-width': `${valueChars + 1}ch` } as React.CSSProperties}
    >
      {bars.map((b) => {
        const pct = Math.max(0, Math.min(100, (b.value / top) * 100));
        const content = (
          <>
            <span className={classes.label}>{b.label}</span>
            <span className={classes.track} aria-hidden="true">
              <span className={classes.fill} style={{ width: `${pct}%` }} />
            </span>
            <span className={classes.value}>
              <span className="jkp-visually-hidden">: </span>
              {format(b.value)}
              {b.note ? <span className={classes.note}> {b.note}</span> : null}
            </span>
          </>
        );
        return b.to ? (
          <li key={b.key}>
            <Link to={b.to} className={`${classes.item} ${classes.link}`}>
              {content}
            </Link>
          </li>
        ) : (
          <li key={b.key} className={classes.item}>
            {content}
          </li>
        );
      })}
    </ul>
  );
}
