import { useState } from 'react';
import { InfoCard, TableColumn } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Box, Button, Grid, MenuItem, Select, Typography } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { BudgetState, CostReport, CostReportLine } from '../../api/models';
import { AsyncContent } from '../common/AsyncContent';
import { CostSplitChart, formatPer1k } from '../CostCard/CostSplitChart';
import {
  change,
  formatChange,
  formatCount,
  formatMoney,
  monthOf,
  previousMonth,
} from '../common/format';
import { StaleChip } from '../common/StaleChip';
import { Stat } from '../common/Stat';
import { withRowIds } from '../common/rows';
import { CardTable } from '../common/CardTable';
import { usePortal } from '../common/usePortal';

function lineColumns(
  title: string,
  currency: string,
  split = true,
): TableColumn<CostReportLine>[] {
  const parts: TableColumn<CostReportLine>[] = split
    ? [
        {
          title: 'Model spend',
          field: 'modelCost',
          type: 'numeric',
          render: l => formatMoney(l.modelCost, currency),
        },
        {
          title: 'Compute',
          field: 'computeCost',
          type: 'numeric',
          render: l => formatMoney(l.computeCost, currency),
        },
      ]
    : [];
  return [
    { title, field: 'key' },
    ...parts,
    {
      title: split ? 'Total' : 'Cost',
      field: 'cost',
      type: 'numeric',
      defaultSort: 'desc',
      render: l => formatMoney(l.cost, currency),
    },
    {
      title: 'Last month, same days',
      field: 'previous',
      type: 'numeric',
      render: l => (l.previous === null ? '–' : formatMoney(l.previous, currency)),
    },
    {
      title: 'Change',
      field: 'changePct',
      type: 'numeric',
      customSort: (a, b) => (a.changePct ?? Infinity) - (b.changePct ?? Infinity),
      render: l => formatChange(l.changePct),
    },
    {
      title: 'Per 1,000 requests',
      field: 'costPer1kRequests',
      type: 'numeric',
      render: l => (l.costPer1kRequests === null ? '–' : formatPer1k(l.costPer1kRequests, currency)),
    },
  ];
}

/** Columns a narrow card leaves out: the split and the comparisons; the total and change stay. */
const OPTIONAL_LINE_COLUMNS = ['Model spend', 'Compute', 'Last month, same days', 'Per 1,000 requests'];

/** A report table that shows its essential columns only when its box is narrow. */
function LineTable(props: {
  title: string;
  keyTitle: string;
  lines: CostReportLine[];
  currency: string;
  split?: boolean;
  pageSize?: number;
}) {
  const { lines, pageSize } = props;
  return (
    <CardTable
      title={props.title}
      options={{ paging: pageSize !== undefined && lines.length > pageSize, pageSize, toolbar: true }}
      columns={lineColumns(props.keyTitle, props.currency, props.split ?? true)}
      optional={OPTIONAL_LINE_COLUMNS}
      data={withRowIds(lines, l => l.key)}
    />
  );
}

/** The apps whose cost moved most against the month before, up or down. */
export function topMovers(lines: CostReportLine[], count = 5): CostReportLine[] {
  return [...lines]
    .sort(
      (a, b) =>
        Math.abs(b.cost - (b.previous ?? 0)) - Math.abs(a.cost - (a.previous ?? 0)),
    )
    .slice(0, count);
}

function signedMoney(value: number, currency: string): string {
  return `${value >= 0 ? '+' : '−'}${formatMoney(Math.abs(value), currency)}`;
}

function downloadText(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

function ReportView(props: { report: CostReport }) {
  const { report } = props;
  const { currency } = report;
  const movers = report.topMovers.length ? report.topMovers : topMovers(report.byApp);
  const teamRows = report.byTeam.map(l => ({
    x: l.key,
    model: l.modelCost,
    compute: l.computeCost,
    previous: l.previous ?? 0,
  }));
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <Stat label={`Total ${report.month}`} value={formatMoney(report.total, currency)} testId="report-total" />
        <Stat label="Model spend" value={formatMoney(report.modelTotal, currency)} testId="report-model" />
        <Stat
          label="Compute"
          value={formatMoney(report.computeTotal, currency)}
          testId="report-compute"
          hint="the apps' own pods"
        />
        <Stat
          label="Last month, same days"
          value={report.previousTotal === null ? '–' : formatMoney(report.previousTotal, currency)}
          testId="report-previous"
          hint={formatChange(change(report.total, report.previousTotal))}
        />
        <StaleChip freshness={report.freshness} />
      </Box>
      {report.unpricedTokens > 0 && (
        <Alert severity="warning" data-testid="report-unpriced">
          {formatCount(report.unpricedTokens)} tokens have no price: the totals leave them out.
        </Alert>
      )}
      {report.unallocated.length > 0 && (
        <Alert severity="info" data-testid="report-unallocated">
          Pods without an app label (unallocated):{' '}
          {report.unallocated
            .map(u => `${u.namespace} ${formatMoney(u.cost, currency)}`)
            .join(', ')}
        </Alert>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={7}>
          <Typography variant="subtitle2">By team, month over month</Typography>
          <CostSplitChart
            testId="team-chart"
            rows={teamRows}
            currency={currency}
            previousLabel={`${previousMonth(report.month)} (total)`}
            height={260}
          />
        </Grid>
        <Grid item xs={12} md={5}>
          <Typography variant="subtitle2">Top movers</Typography>
          <Box data-testid="top-movers">
            {movers.map(m => (
              <Typography key={m.key} variant="body2" data-testid={`mover-${m.key}`}>
                {m.key}: {formatMoney(m.cost, currency)} (
                {signedMoney(m.cost - (m.previous ?? 0), currency)}, {formatChange(m.changePct)})
                {m.explanation && (
                  <Typography component="span" variant="caption" color="textSecondary" display="block">
                    {m.explanation}
                  </Typography>
                )}
              </Typography>
            ))}
          </Box>
        </Grid>
        {[
          { title: 'Teams', keyTitle: 'Team', lines: report.byTeam, md: 6 as const },
          { title: 'Models', keyTitle: 'Model', lines: report.byModel, md: 6 as const, split: false },
          { title: 'Apps', keyTitle: 'App', lines: report.byApp, md: 12 as const, pageSize: 10 },
        ].map(({ md, ...table }) => (
          <Grid item xs={12} md={md} key={table.title}>
            <LineTable {...table} currency={currency} />
          </Grid>
        ))}
      </Grid>
    </>
  );
}

function lastMonths(count: number): string[] {
  const now = new Date();
  return Array.from({ length: count }, (_, i) =>
    monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1))),
  );
}

/** The monthly cost report by team, app and model, with a CSV download. @public */
export function CostReportSection() {
  const api = useApi(genAiPortalApiRef);
  const alertApi = useApi(alertApiRef);
  const months = lastMonths(6);
  const [month, setMonth] = useState(months[0]);
  const state = useAsync(() => api.getCostReport(month), [api, month]);
  const download = async () => {
    try {
      downloadText(await api.getCostReportCsv(month), `genai-costs-${month}.csv`);
    } catch (e) {
      alertApi.post({ message: `CSV download failed: ${(e as Error).message}`, severity: 'error' });
    }
  };
  return (
    <div data-testid="section-cost-report">
<InfoCard
      title="Monthly cost report"
      subheader="Model spend and compute by team, app and model, month over month"
      action={
        <Box display="flex" alignItems="center">
          <Select
            value={month}
            onChange={e => setMonth(String(e.target.value))}
            inputProps={{ 'aria-label': 'Month' }}
          >
            {months.map(m => (
              <MenuItem key={m} value={m}>
                {m}
              </MenuItem>
            ))}
          </Select>
          <Button
            startIcon={<GetAppIcon />}
            onClick={download}
            disabled={!state.value}
            aria-label="Download CSV"
          >
            CSV
          </Button>
        </Box>
      }
    >
      <AsyncContent
        state={state}
        what="cost reports"
        isEmpty={r => r.byApp.length === 0 && r.total === 0}
        empty={`No costs recorded for ${month}.`}
      >
        {report => <ReportView report={report} />}
      </AsyncContent>
    </InfoCard>
</div>
  );
}

/** Budgets and their alerts. @public */
export function BudgetsSection() {
  const state = usePortal(api => api.listBudgets());
  const columns: TableColumn<BudgetState>[] = [
    {
      title: 'Budget',
      field: 'name',
      render: b => `${b.scope} ${b.name}${b.basis === 'total' ? ' (total cost)' : ''}`,
    },
    { title: 'Amount', field: 'amount', type: 'numeric', render: b => formatMoney(b.amount) },
    { title: 'Spent', field: 'spent', type: 'numeric', render: b => formatMoney(b.spent) },
    {
      title: 'Forecast',
      field: 'forecast',
      type: 'numeric',
      render: b => (b.forecast === null ? '–' : formatMoney(b.forecast)),
    },
    { title: 'State', field: 'state' },
    { title: 'Alerts firing', field: 'firing', render: b => b.firing.join(', ') || '–' },
  ];
  return (
    <div data-testid="section-budgets">
<InfoCard title="Budgets and alerts">
      <AsyncContent
        state={state}
        what="budgets"
        isEmpty={b => b.length === 0}
        empty="No budgets defined."
      >
        {budgets => (
          <>
            <Typography variant="body2" data-testid="budgets-summary">
              {budgets.length} budgets, {budgets.filter(b => b.state !== 'ok').length} alerting
            </Typography>
            {budgets
              .filter(b => b.state !== 'ok')
              .map(b => (
                <Alert
                  key={`${b.scope}-${b.name}`}
                  severity={b.state === 'exceeded' ? 'error' : 'warning'}
                >
                  {b.scope} {b.name}: {b.state === 'exceeded' ? 'over budget' : 'forecast over budget'}{' '}
                  ({formatMoney(b.spent)} spent of {formatMoney(b.amount)}, forecast{' '}
                  {b.forecast === null ? '–' : formatMoney(b.forecast)})
                </Alert>
              ))}
            <CardTable
              options={{ paging: false }}
              columns={columns}
              optional={['Amount', 'Forecast']}
              data={withRowIds(budgets, b => `${b.scope}:${b.name}:${b.month}`)}
            />
          </>
        )}
      </AsyncContent>
    </InfoCard>
</div>
  );
}
