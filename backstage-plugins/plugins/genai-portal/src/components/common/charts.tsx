import { ReactNode, useState } from 'react';
import {
  BarChart,
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

/** What a chart marks, and how it finds its x values; the props every chart takes for that. */
export interface MarkerOptions {
  /** Prompt deploys, drawn at the first x at or after them (needs toX). */
  deploys?: DeployMarker[];
  toX?: (iso: string) => string;
  /** Timeline changes to mark (with a legend that filters them by kind). */
  changes?: Change[];
  /** Where a change goes on the x axis (default: the first x at or after it, via toX). */
  changeX?: ChangeX;
  testId?: string;
}

/**
 * What a chart over the x values `xs` marks: prompt deploys, or (when the timeline's changes
 * are given) the changes, with a legend that filters them by kind. The timeline has prompt
 * deploys too: with changes, they are drawn once, as changes. `lines` go into the chart as
 * direct children.
 */
export function useChartMarkers(xs: string[], opts: MarkerOptions) {
  const { deploys = [], toX, changes } = opts;
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
  return { lines: [...markers.map(deployLine), ...changeMarkerLines(placed)], placed, legend };
}

/**
 * A recharts `chart` (LineChart, BarChart) of `rows` over the full width and `height` px high,
 * with a grid, its `children` (axes, series) and the marks of `markers`; the box carries
 * `testId` and the count of changes placed on the chart (for the tests), the legend of the
 * changes goes below.
 */
export function ChartFrame(props: {
  chart: typeof LineChart | typeof BarChart;
  rows: { x: string }[];
  height: number;
  markers: MarkerOptions;
  children: ReactNode;
}) {
  const { chart: Chart, rows, height, markers } = props;
  const { lines, placed, legend } = useChartMarkers(rows.map(r => r.x), markers);
  return (
    <>
      <div data-testid={markers.testId} data-changes={placed.length} style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height={height}>
          <Chart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            {props.children}
            {lines}
          </Chart>
        </ResponsiveContainer>
      </div>
      {legend}
    </>
  );
}

/**
 * A line chart over categorical x values, with prompt deploys drawn as vertical markers at
 * the first x value at or after the deploy.
 */
export function SeriesChart(
  props: {
    rows: ChartRow[];
    series: string[];
    formatValue?: (value: number) => string;
    height?: number;
  } & MarkerOptions,
) {
  const { rows, series, formatValue, height = 220 } = props;
  return (
    <ChartFrame chart={LineChart} rows={rows} height={height} markers={props}>
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
    </ChartFrame>
  );
}
