import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Chip, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { AppCost, BudgetState } from '../../api/models';
import { AsyncContent } from '../common/AsyncContent';
import { SeriesChart } from '../common/charts';
import { formatCount, formatDay, formatMoney, formatSoFar } from '../common/format';
import { StaleChip } from '../common/StaleChip';
import { Stat } from '../common/Stat';
import { useAppName } from '../common/useAppName';

const BUDGET_COLOR: Record<string, 'default' | 'primary' | 'secondary'> = {
  ok: 'primary',
  warning: 'secondary',
  exceeded: 'secondary',
};

export function BudgetChip(props: { budget: BudgetState; currency: string }) {
  const { budget, currency } = props;
  return (
    <Chip
      data-testid="budget-state"
      color={BUDGET_COLOR[budget.state] ?? 'default'}
      label={`Budget ${formatMoney(budget.amount, currency)}: ${budget.state}${
        budget.firing.length ? ` (${budget.firing.join(', ')})` : ''
      }`}
    />
  );
}

function CostView(props: { cost: AppCost }) {
  const { cost } = props;
  const rows = cost.trend.map(p => ({ x: formatDay(p.date), cost: p.cost }));
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <Stat
          label="Month to date"
          value={formatMoney(cost.monthToDate, cost.currency)}
          testId="cost-mtd"
          hint={cost.coveredUntil ? `today ${formatSoFar(cost.coveredUntil)}` : undefined}
        />
        <Stat
          label="Forecast (month)"
          value={cost.forecast === null ? '–' : formatMoney(cost.forecast, cost.currency)}
          testId="cost-forecast"
          hint={cost.forecastBasis === 'linear' ? 'straight line from the days so far' : undefined}
        />
        {cost.previousMonth !== null && (
          <Stat
            label="Last month (whole)"
            value={formatMoney(cost.previousMonth, cost.currency)}
            testId="cost-previous"
          />
        )}
        {cost.budget && <BudgetChip budget={cost.budget} currency={cost.currency} />}
        <StaleChip freshness={cost.freshness} />
      </Box>
      {cost.unpricedTokens > 0 && (
        <Alert severity="warning" data-testid="unpriced">
          {formatCount(cost.unpricedTokens)} tokens have no price
          {cost.unpricedModels.length > 0 && ` (${cost.unpricedModels.join(', ')})`}: the
          cost shown leaves them out.
        </Alert>
      )}
      <SeriesChart
        testId="cost-chart"
        rows={rows}
        series={['cost']}
        deploys={cost.deploys}
        toX={formatDay}
        formatValue={v => formatMoney(v, cost.currency)}
      />
      {cost.byModel.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2">This month by model</Typography>
          {cost.byModel.map(m => (
            <Typography key={m.model} variant="body2">
              {m.model}: {formatMoney(m.cost, cost.currency)}
            </Typography>
          ))}
        </Box>
      )}
    </>
  );
}

/** Cost trend, month to date, forecast, budget state and unpriced usage. @public */
export function CostCard() {
  const app = useAppName();
  const api = useApi(genAiPortalApiRef);
  const state = useAsync(() => api.getCost(app), [api, app]);
  return (
    <div data-testid="card-cost">
<InfoCard title="Cost" subheader="Daily cost, month to date and forecast">
      <AsyncContent
        state={state}
        what="cost data"
        isEmpty={c => c.trend.length === 0 && c.monthToDate === 0}
        empty="No cost recorded for this app yet."
      >
        {cost => <CostView cost={cost} />}
      </AsyncContent>
    </InfoCard>
</div>
  );
}
