import { Bar, BarChart, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, MarkerOptions } from '../common/charts';
import { formatMoney } from '../common/format';

/** Model spend and compute, stacked: what the model calls and GPUs cost, and the pods. */
export const SPLIT_COLORS = { model: '#1f77b4', compute: '#2ca02c' };
export const SPLIT_LABELS = { model: 'Model spend', compute: 'Compute' };

export type SplitRow = { x: string; model: number; compute: number };

/** Money per 1,000 requests: cents are too coarse for cheap apps, so up to 4 decimals. */
export function formatPer1k(value: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: value < 1 ? 4 : 2,
  }).format(value);
}

/**
 * Stacked columns of model spend and compute per x value (a day, a team), with an optional
 * extra column (e.g. last month's total) beside each stack.
 */
export function CostSplitChart(
  props: {
    rows: (SplitRow & { previous?: number })[];
    currency: string;
    previousLabel?: string;
    height?: number;
  } & MarkerOptions,
) {
  const { rows, currency, previousLabel, height = 220 } = props;
  const money = (v: unknown) => formatMoney(Number(v), currency);
  return (
    <ChartFrame chart={BarChart} rows={rows} height={height} markers={props}>
      <XAxis dataKey="x" tick={{ fontSize: 11 }} minTickGap={8} />
      <YAxis tickFormatter={money} width={80} tick={{ fontSize: 11 }} />
      <Tooltip formatter={money} />
      <Legend />
      {previousLabel && (
        <Bar dataKey="previous" name={previousLabel} fill="#17becf" isAnimationActive={false} />
      )}
      {(['model', 'compute'] as const).map(part => (
        <Bar
          key={part}
          dataKey={part}
          name={SPLIT_LABELS[part]}
          stackId="cost"
          fill={SPLIT_COLORS[part]}
          isAnimationActive={false}
        />
      ))}
    </ChartFrame>
  );
}
