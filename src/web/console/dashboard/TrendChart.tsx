import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useFormat } from '../../format.ts';
import type { Bucket } from '../../types.ts';

/** A trend chart (bars by year, a line by month); recharts lives in this lazily loaded chunk only. */
export default function TrendChart({
  data,
  kind,
  label,
  seriesName,
}: {
  data: Bucket[];
  kind: 'bar' | 'line';
  label: string;
  seriesName: string;
}) {
  const f = useFormat();
  const axis = (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="name" fontSize={12} minTickGap={kind === 'line' ? 24 : 4} />
      <YAxis fontSize={12} width={56} tickFormatter={(v: number) => f.number(v)} />
      <Tooltip formatter={(v) => f.number(Number(v))} />
    </>
  );
  return (
    <div role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={200}>
        {kind === 'bar' ? (
          <BarChart data={data} accessibilityLayer={false} margin={{ left: 8, right: 8 }}>
            {axis}
            <Bar
              dataKey="count"
              name={seriesName}
              fill="var(--mantine-color-blue-8)"
              isAnimationActive={false}
            />
          </BarChart>
        ) : (
          <LineChart data={data} accessibilityLayer={false} margin={{ left: 8, right: 8 }}>
            {axis}
            <Line
              dataKey="count"
              name={seriesName}
              stroke="var(--mantine-color-blue-8)"
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
