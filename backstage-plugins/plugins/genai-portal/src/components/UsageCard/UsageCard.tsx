import { useState } from 'react';
import { TableColumn } from '@backstage/core-components';
import { Box, Tab, Tabs, Typography } from '@material-ui/core';
import type { AppUsage, ModelUsage, UsagePoint } from '../../api/models';
import type { PeriodDays } from '../../api/types';
import { CardTable } from '../common/CardTable';
import { ChartRow, SeriesChart } from '../common/charts';
import { EntityCard } from '../common/EntityCard';
import {
  formatBucket,
  formatCompact,
  formatCount,
  formatPercent,
  formatSeconds,
  formatSoFar,
} from '../common/format';
import { StaleChip } from '../common/StaleChip';
import { Stat } from '../common/Stat';
import { useAppChanges } from '../common/useAppChanges';
import { useAppName } from '../common/useAppName';
import { withRowIds } from '../common/rows';

type Metric = 'tokens' | 'requests' | 'errors' | 'latency';

const METRIC_VALUE: Record<Metric, (p: UsagePoint) => number | null> = {
  tokens: p => p.inputTokens + p.outputTokens,
  requests: p => p.requests,
  errors: p => p.errors,
  latency: p => p.latencySeconds,
};

export function usageRows(usage: AppUsage, metric: Metric): ChartRow[] {
  const rows = new Map<string, ChartRow>();
  for (const point of usage.points) {
    const x = formatBucket(point.bucket, usage.granularity);
    const row = rows.get(x) ?? { x };
    const value = METRIC_VALUE[metric](point);
    if (value !== null) row[point.model] = value;
    rows.set(x, row);
  }
  return [...rows.values()].sort((a, b) => a.x.localeCompare(b.x));
}

const columns: TableColumn<ModelUsage>[] = [
  { title: 'Model', field: 'model' },
  {
    title: 'Input tokens',
    field: 'inputTokens',
    type: 'numeric',
    render: m => formatCount(m.inputTokens),
  },
  {
    title: 'Output tokens',
    field: 'outputTokens',
    type: 'numeric',
    render: m => formatCount(m.outputTokens),
  },
  {
    title: 'Cached input',
    field: 'cachedInputTokens',
    type: 'numeric',
    render: m => formatCount(m.cachedInputTokens),
  },
  {
    title: 'Requests',
    field: 'requests',
    type: 'numeric',
    render: m => formatCount(m.requests),
  },
  {
    title: 'Errors',
    field: 'errors',
    type: 'numeric',
    render: m =>
      `${formatCount(m.errors)} (${formatPercent(m.requests ? m.errors / m.requests : 0)})`,
  },
  {
    title: 'Latency (p50)',
    field: 'latencySeconds',
    type: 'numeric',
    render: m => formatSeconds(m.latencySeconds),
  },
];

function UsageView(props: { usage: AppUsage; days: PeriodDays }) {
  const { usage } = props;
  const changes = useAppChanges(useAppName(), props.days);
  const [metric, setMetric] = useState<Metric>('tokens');
  const models = usage.byModel.map(m => m.model);
  const totals = usage.byModel.reduce(
    (acc, m) => ({
      tokens: acc.tokens + m.inputTokens + m.outputTokens,
      requests: acc.requests + m.requests,
      errors: acc.errors + m.errors,
    }),
    { tokens: 0, requests: 0, errors: 0 },
  );
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <Stat label="Tokens" value={formatCount(totals.tokens)} testId="usage-tokens" />
        <Stat label="Requests" value={formatCount(totals.requests)} testId="usage-requests" />
        <Stat label="Errors" value={formatCount(totals.errors)} testId="usage-errors" />
        <StaleChip freshness={usage.freshness} />
        {usage.points.some(p => p.partial) && (
          <Typography variant="caption" color="textSecondary" data-testid="usage-partial">
            Current {usage.granularity} is partial: {formatSoFar(usage.coveredUntil)}
          </Typography>
        )}
      </Box>
      <Tabs
        value={metric}
        onChange={(_, value) => setMetric(value)}
        indicatorColor="primary"
        variant="fullWidth"
      >
        {/* No minimum tab width: four tabs share a half-width or 800 px card without clipping. */}
        <Tab value="tokens" label="Tokens" style={{ minWidth: 0 }} />
        <Tab value="requests" label="Requests" style={{ minWidth: 0 }} />
        <Tab value="errors" label="Errors" style={{ minWidth: 0 }} />
        <Tab value="latency" label="Latency p50" style={{ minWidth: 0 }} />
      </Tabs>
      <SeriesChart
        testId="usage-chart"
        rows={usageRows(usage, metric)}
        series={models}
        deploys={usage.deploys}
        changes={changes}
        toX={iso => formatBucket(iso, usage.granularity)}
        formatValue={metric === 'latency' ? v => formatSeconds(v) : formatCompact}
      />
      <CardTable
        options={{ paging: false }}
        columns={columns}
        optional={['Cached input', 'Requests', 'Errors']}
        data={withRowIds(usage.byModel, m => m.model)}
      />
    </>
  );
}

/** Tokens, requests, errors and latency by model over a chosen period. @public */
export function UsageCard() {
  return (
    <EntityCard id="usage">
      {(usage, days) => <UsageView usage={usage} days={days} />}
    </EntityCard>
  );
}
