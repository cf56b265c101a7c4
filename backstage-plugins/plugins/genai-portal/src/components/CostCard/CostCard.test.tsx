import { screen } from '@testing-library/react';
import { CostCard } from './CostCard';
import * as fixtures from '../../__testUtils__/fixtures';
import {
  answer,
  entity,
  renderWithPortal,
  noPromptsNoBudgets,
  routeMissing,
  sourceDown,
  setupPortalServer,
} from '../../__testUtils__/portal';

setupPortalServer();
jest.setTimeout(60_000);
const PATH = '/api/v1/apps/support-assistant/costs';

describe('CostCard', () => {
  beforeEach(() => noPromptsNoBudgets());

  it('shows month to date, forecast, budget, unpriced usage and staleness', async () => {
    answer(PATH, fixtures.cost);
    answer('/api/v1/budgets', fixtures.budgets);
    await renderWithPortal(<CostCard />, entity());
    expect(await screen.findByTestId('cost-mtd')).toHaveTextContent('$120.20');
    expect(screen.getByTestId('cost-forecast')).toHaveTextContent('$360.40');
    expect(screen.getByTestId('cost-previous')).toHaveTextContent('$180.10');
    expect(screen.getByTestId('budget-state')).toHaveTextContent(
      'Budget $300.00: warning (100% forecast)',
    );
    expect(screen.getByText('gpt-4o: $110.10')).toBeInTheDocument();
    expect(screen.getByTestId('unpriced')).toHaveTextContent('4,200 tokens have no price (llama-3.1-8b-instruct)');
    expect(screen.getByTestId('stale')).toBeInTheDocument();
    expect(screen.getByTestId('cost-chart')).toBeInTheDocument();
  });

  it('says so when nothing was spent', async () => {
    answer(PATH, fixtures.emptyCost);
    await renderWithPortal(<CostCard />, entity());
    expect(await screen.findByTestId('empty')).toHaveTextContent('No cost recorded');
  });

  it('shows the error', async () => {
    sourceDown(PATH);
    await renderWithPortal(<CostCard />, entity());
    expect((await screen.findAllByText(/connection refused/))[0]).toBeInTheDocument();
  });

  it('says "not available" without the costs route', async () => {
    routeMissing(PATH);
    await renderWithPortal(<CostCard />, entity());
    expect(await screen.findByTestId('not-available')).toHaveTextContent('cost data');
  });
});
