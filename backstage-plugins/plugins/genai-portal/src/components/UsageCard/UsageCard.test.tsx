import { screen } from '@testing-library/react';
import { UsageCard, usageRows } from './UsageCard';
import * as fixtures from '../../__testUtils__/fixtures';
import {
  answerPerPeriod,
  choose,
  itShowsTheCardStates,
  renderCardWith,
  renderOnEntityPage,
} from '../../__testUtils__/portal';
import { toUsage } from '../../api/adapters';

const PATH = '/api/v1/apps/support-assistant/usage';

describe('UsageCard', () => {
  it('shows totals and the per-model table', async () => {
    await renderCardWith(<UsageCard />, PATH, fixtures.usage);
    expect(await screen.findByTestId('usage-tokens')).toHaveTextContent('4,600');
    expect(screen.getByTestId('usage-requests')).toHaveTextContent('45');
    expect(screen.getByTestId('usage-errors')).toHaveTextContent('1');
    expect(screen.getByText('gpt-4o-mini')).toBeInTheDocument();
    expect(screen.getByText('1 (2.5%)')).toBeInTheDocument();
    expect(screen.getByText('950 ms')).toBeInTheDocument();
    expect(screen.getByTestId('usage-chart')).toBeInTheDocument();
    expect(screen.queryByTestId('stale')).not.toBeInTheDocument();
    // The last day is still going on: it is marked partial, with the time it is synced to.
    expect(screen.getByTestId('usage-partial')).toHaveTextContent(
      'Current day is partial: so far, up to 09:00 UTC',
    );
  });

  it('marks nothing partial when every bucket is complete', async () => {
    await renderCardWith(<UsageCard />, PATH, {
      ...fixtures.usage,
      buckets: fixtures.usage.buckets.map(b => ({ ...b, partial: false })),
    });
    expect(await screen.findByTestId('usage-tokens')).toHaveTextContent('4,600');
    expect(screen.queryByTestId('usage-partial')).not.toBeInTheDocument();
  });

  it('asks again when the period changes', async () => {
    const spans = answerPerPeriod(PATH, days => (days < 10 ? fixtures.emptyUsage : fixtures.usage));
    await renderOnEntityPage(<UsageCard />);
    await screen.findByTestId('usage-tokens');
    await choose('Period', 'Last 7 days');
    expect(await screen.findByTestId('empty')).toHaveTextContent('No model usage recorded');
    expect(spans).toEqual([30, 7]);
  });

  itShowsTheCardStates(<UsageCard />, PATH, {
    source: 'prometheus',
    what: 'usage data',
    empty: { body: fixtures.emptyUsage, text: 'No model usage recorded' },
  });

  it('pivots points into one row per bucket with a column per model', () => {
    const rows = usageRows(toUsage(fixtures.usage), 'tokens');
    expect(rows).toEqual([
      { x: '11-24', 'gpt-4o': 1500 },
      { x: '11-25', 'gpt-4o': 2700, 'gpt-4o-mini': 400 },
    ]);
  });
});
