import { screen } from '@testing-library/react';
import { CostCard } from './CostCard';
import * as fixtures from '../../__testUtils__/fixtures';
import { answer, itShowsTheCardStates, renderCardWith, renderOnEntityPage } from '../../__testUtils__/portal';

const PATH = '/api/v1/apps/support-assistant/costs';

describe('CostCard', () => {
  it('shows month to date, forecast, budget, unpriced usage and staleness', async () => {
    answer(PATH, fixtures.cost);
    answer('/api/v1/budgets', fixtures.budgets);
    await renderOnEntityPage(<CostCard />);
    // 120.20 model spend and 20.00 compute this month; 180.10 and 15.00 last month.
    expect(await screen.findByTestId('cost-mtd')).toHaveTextContent('$140.20');
    expect(screen.getByTestId('cost-split')).toHaveTextContent(
      '$120.20 model spend + $20.00 compute',
    );
    expect(screen.getByTestId('cost-per-1k')).toHaveTextContent('$2.79');
    expect(screen.getByTestId('cost-forecast')).toHaveTextContent('$360.40');
    expect(screen.getByTestId('cost-previous')).toHaveTextContent('$195.10');
    expect(screen.getByTestId('budget-state')).toHaveTextContent(
      'Budget $300.00: warning (100% forecast)',
    );
    expect(screen.getByText('gpt-4o: $110.10')).toBeInTheDocument();
    expect(screen.getByTestId('unpriced')).toHaveTextContent('4,200 tokens have no price (llama-3.1-8b-instruct)');
    expect(screen.getByTestId('stale')).toBeInTheDocument();
    expect(screen.getByTestId('cost-chart')).toBeInTheDocument();
  });

  it('shows model spend alone from a portal without compute costs', async () => {
    const {
      compute: _compute,
      compute_cost: _computeCost,
      total_cost: _totalCost,
      cost_per_1k_requests: _per1k,
      ...older
    } = fixtures.cost;
    await renderCardWith(<CostCard />, PATH, older);
    expect(await screen.findByTestId('cost-mtd')).toHaveTextContent('$120.20');
    expect(screen.getByTestId('cost-split')).toHaveTextContent('$120.20 model spend + $0.00 compute');
    expect(screen.queryByTestId('cost-per-1k')).not.toBeInTheDocument();
  });

  itShowsTheCardStates(<CostCard />, PATH, {
    source: 'prometheus',
    what: 'cost data',
    empty: { body: fixtures.emptyCost, text: 'No cost recorded' },
  });
});
