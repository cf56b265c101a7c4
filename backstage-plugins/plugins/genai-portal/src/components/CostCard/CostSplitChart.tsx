import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DeployMarker } from '../../api/models';
import type { Change } from '../../api/types';
import type { ChangeX } from '../common/ChangeMarkers';
import { changeMarkerLines } from '../common/ChangeMarkers';
import { deployLine, useChartMarkers } from '../common/charts';
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
export function CostSplitChart(props: {
  rows: (SplitRow & { previous?: number })[];
  currency: string;
  previousLabel?: string;
  /** Prompt deploys, drawn at the first x at or after them (needs toX). */
  deploys?: DeployMarker[];
  toX?: (iso: string) => string;
  height?: number;
  testId?: string;
  /** Timeline changes to mark (with a legend that filters them by kind). */
  changes?: Change[];
  changeX?: ChangeX;
}) {
  const { rows, currency, previousLabel, height = 220 } = props;
  const money = (v: unknown) => formatMoney(Number(v), currency);
  const { markers, placed, legend } = useChartMarkers({
    xs: rows.map(r => r.x),
    deploys: props.deploys ?? [],
    toX: props.toX,
    changes: props.changes,
    changeX: props.changeX,
    testId: props.testId,
  });
  return (
    <>
    <div data-testid={props.testId} data-changes={placed.length} style={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" tick={{ fontSize: 11 }} minTickGap={8} />
          <YAxis tickFormatter={money} width={80} tick={{ fontSize: 11 }} />
          <Tooltip formatter={money} />
          <Legend />
          {previousLabel && (
            <Bar dataKey="previous" name={previousLabel} fill="#17becf" isAnimationActive={false} />
          )}
          <Bar
            dataKey="model"
            name={SPLIT_LABELS.model}
            stackId="cost"
            fill={SPLIT_COLORS.model}
            isAnimationActive={false}
          />
          <Bar
            dataKey="compute"
            name={SPLIT_LABELS.compute}
            stackId="cost"
            fill={SPLIT_COLORS.compute}
            isAnimationActive={false}
          />
          {markers.map(deployLine)}
          {changeMarkerLines(placed)}
        </BarChart>
      </ResponsiveContainer>
    </div>
    {legend}
    </>
  );
}
