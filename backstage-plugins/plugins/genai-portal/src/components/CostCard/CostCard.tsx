import { Box, Chip, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { AppCost, BudgetState } from '../../api/models';
import { EntityCard } from '../common/EntityCard';
import { CostSplitChart, formatPer1k } from './CostSplitChart';
import { formatCount, formatDay, formatMoney, formatSoFar } from '../common/format';
import { StaleChip } from '../common/StaleChip';
import { Stat } from '../common/Stat';
import { useAppChanges } from '../common/useAppChanges';
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
  // The chart starts on the first day of last month: at most 62 days back.
  const changes = useAppChanges(useAppName(), 62);
  const rows = cost.trend.map(p => ({
    x: formatDay(p.date),
    model: p.cost,
    compute: p.compute,
  }));
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <Stat
          label="Month to date"
          value={formatMoney(cost.monthToDate, cost.currency)}
          testId="cost-mtd"
          hint={
            <>
              <span data-testid="cost-split">
                {formatMoney(cost.modelMonthToDate, cost.currency)} model spend +{' '}
                {formatMoney(cost.computeMonthToDate, cost.currency)} compute
              </span>
              {cost.coveredUntil && <span>, today {formatSoFar(cost.coveredUntil)}</span>}
            </>
          }
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
        {cost.costPer1kRequests !== null && (
          <Stat
            label="Per 1,000 requests"
            value={formatPer1k(cost.costPer1kRequests, cost.currency)}
            testId="cost-per-1k"
            hint="total cost, since last month"
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
      <CostSplitChart
        testId="cost-chart"
        rows={rows}
        currency={cost.currency}
        deploys={cost.deploys}
        changes={changes}
        toX={formatDay}
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

/**
 * Cost trend (model spend and the app's own compute, stacked), month to date, forecast, cost
 * per 1,000 requests, budget state and unpriced usage. @public
 */
export function CostCard() {
  return <EntityCard id="cost">{cost => <CostView cost={cost} />}</EntityCard>;
}
