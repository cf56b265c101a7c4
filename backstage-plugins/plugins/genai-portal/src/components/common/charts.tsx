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

type Marker = { deploy: DeployMarker; x: string };

/** Prompt deploys placed at the first x value at or after them (none without toX). */
export function deployMarkers(
  deploys: DeployMarker[],
  xs: string[],
  toX?: (iso: string) => string,
): Marker[] {
  if (!toX) return [];
  return deploys
    .map(d => ({ deploy: d, x: xs.find(x => x >= toX(d.at)) }))
    .filter((m): m is Marker => !!m.x);
}

/** A deploy as a dashed vertical line (a direct child of a recharts chart). */
export function deployLine(m: Marker) {
  return (
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
  );
}

/**
 * What a chart marks: prompt deploys, or (when the timeline's changes are given) the changes,
 * placed on the x values, with a legend that filters them by kind. The timeline has prompt
 * deploys too: with changes, they are drawn once, as changes.
 */
export function useChartMarkers(opts: {
  xs: string[];
  deploys: DeployMarker[];
  toX?: (iso: string) => string;
  changes?: Change[];
  changeX?: ChangeX;
  testId?: string;
}) {
  const { xs, deploys, toX, changes } = opts;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const changeX = opts.changeX ?? (toX ? atOrAfter(toX) : undefined);
  const onChart = changes && changeX ? placeChanges(changes, xs, changeX) : [];
  const placed = onChart
    .map(p => ({ x: p.x, changes: p.changes.filter(c => !hidden.has(c.kind)) }))
    .filter(p => p.changes.length > 0);
  const markers = changes ? [] : deployMarkers(deploys, xs, toX);
  const legend = changes ? (
    <ChangeLegend
      changes={onChart.flatMap(p => p.changes)}
      hidden={hidden}
      onToggle={kind => setHidden(h => toggled(h, kind))}
      testId={opts.testId ? `${opts.testId}-legend` : undefined}
    />
  ) : null;
  return { markers, placed, legend };
}

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
  const { markers, placed, legend } = useChartMarkers({
    xs: rows.map(r => r.x),
    deploys,
    toX,
    changes,
    changeX: props.changeX,
    testId: props.testId,
  });
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
          {markers.map(deployLine)}
          {changeMarkerLines(placed)}
        </LineChart>
      </ResponsiveContainer>
    </div>
    {legend}
    </>
  );
}
