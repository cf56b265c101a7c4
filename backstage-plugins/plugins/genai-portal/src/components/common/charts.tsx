import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DeployMarker } from '../../api/models';
import type { Change } from '../../api/types';
import {
  atOrAfter,
  ChangeLegend,
  changeMarkerLines,
  ChangeX,
  placeChanges,
  toggled,
} from './ChangeMarkers';

export const SERIES_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];

export type ChartRow = { x: string } & Record<string, number | string>;

/**
 * A line chart over categorical x values, with prompt deploys drawn as vertical markers at
 * the first x value at or after the deploy.
 */
export function SeriesChart(props: {
  rows: ChartRow[];
  series: string[];
  deploys?: DeployMarker[];
  toX?: (iso: string) => string;
  formatValue?: (value: number) => string;
  height?: number;
  testId?: string;
  /** Timeline changes to mark (with a legend that filters them by kind). */
  changes?: Change[];
  /** Where a change goes on the x axis (default: the first x at or after it, via toX). */
  changeX?: ChangeX;
}) {
  const { rows, series, deploys = [], toX, formatValue, height = 220, changes } = props;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const xs = rows.map(r => r.x);
  const changeX = props.changeX ?? (toX ? atOrAfter(toX) : undefined);
  const onChart = changes && changeX ? placeChanges(changes, xs, changeX) : [];
  const placed = onChart
    .map(p => ({ x: p.x, changes: p.changes.filter(c => !hidden.has(c.kind)) }))
    .filter(p => p.changes.length > 0);
  const markers = toX
    ? deploys
        .map(d => ({ deploy: d, x: xs.find(x => x >= toX(d.at)) }))
        .filter((m): m is { deploy: DeployMarker; x: string } => !!m.x)
    : [];
  // The timeline has prompt deploys too: with changes, they are drawn once, as changes.
  const deployMarkers = changes ? [] : markers;
  return (
    <>
    <div data-testid={props.testId} data-changes={placed.length} style={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis
            tick={{ fontSize: 11 }}
            tickFormatter={formatValue}
            width={72}
          />
          <Tooltip formatter={(v: any) => (formatValue ? formatValue(Number(v)) : v)} />
          <Legend />
          {series.map((name, i) => (
            <Line
              key={name}
              type="monotone"
              dataKey={name}
              dot={false}
              isAnimationActive={false}
              stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
            />
          ))}
          {deployMarkers.map(m => (
            <ReferenceLine
              key={`${m.deploy.prompt}-${m.deploy.version}`}
              x={m.x}
              stroke="#888"
              strokeDasharray="4 2"
              label={{
                value: `${m.deploy.prompt} v${m.deploy.version}`,
                position: 'insideTopLeft',
                fontSize: 10,
              }}
            />
          ))}
          {changeMarkerLines(placed)}
        </LineChart>
      </ResponsiveContainer>
    </div>
    {changes && (
      <ChangeLegend
        changes={onChart.flatMap(p => p.changes)}
        hidden={hidden}
        onToggle={kind => setHidden(h => toggled(h, kind))}
        testId={props.testId ? `${props.testId}-legend` : undefined}
      />
    )}
    </>
  );
}
