import { useState } from 'react';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, MenuItem, Select, Tab, Tabs, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { AppUsage, ModelUsage, UsagePoint } from '../../api/models';
import type { PeriodDays } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { ChartRow, SeriesChart } from '../common/charts';
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
import { useAppName } from '../common/useAppName';

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

function UsageView(props: { usage: AppUsage }) {
  const { usage } = props;
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
      >
        <Tab value="tokens" label="Tokens" />
        <Tab value="requests" label="Requests" />
        <Tab value="errors" label="Errors" />
        <Tab value="latency" label="Latency p50" />
      </Tabs>
      <SeriesChart
        testId="usage-chart"
        rows={usageRows(usage, metric)}
        series={models}
        deploys={usage.deploys}
        toX={iso => formatBucket(iso, usage.granularity)}
        formatValue={metric === 'latency' ? v => formatSeconds(v) : formatCompact}
      />
      <Table<ModelUsage>
        options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
        columns={columns}
        data={usage.byModel}
      />
    </>
  );
}

/** Tokens, requests, errors and latency by model over a chosen period. @public */
export function UsageCard() {
  const app = useAppName();
  const api = useApi(genAiPortalApiRef);
  const [days, setDays] = useState<PeriodDays>(30);
  const state = useAsync(() => api.getUsage(app, { days }), [api, app, days]);
  return (
    <div data-testid="card-usage">
<InfoCard
      title="Usage"
      subheader="Tokens, requests, errors and latency by model"
      action={
        <Select
          value={days}
          onChange={e => setDays(Number(e.target.value) as PeriodDays)}
          inputProps={{ 'aria-label': 'Period' }}
        >
          <MenuItem value={7}>Last 7 days</MenuItem>
          <MenuItem value={30}>Last 30 days</MenuItem>
          <MenuItem value={90}>Last 90 days</MenuItem>
        </Select>
      }
    >
      <AsyncContent
        state={state}
        what="usage data"
        isEmpty={u => u.points.length === 0 && u.byModel.length === 0}
        empty="No model usage recorded in this period."
      >
        {usage => <UsageView usage={usage} />}
      </AsyncContent>
    </InfoCard>
</div>
  );
}
