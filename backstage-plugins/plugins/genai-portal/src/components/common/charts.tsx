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
}) {
  const { rows, series, deploys = [], toX, formatValue, height = 220 } = props;
  const markers = deployMarkers(
    deploys,
    rows.map(r => r.x),
    toX,
  );
  return (
    <div data-testid={props.testId} style={{ width: '100%', height }}>
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
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
