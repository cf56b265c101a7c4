import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UsageCard } from './UsageCard';
import { usageRows } from './UsageCard';
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
import { toUsage } from '../../api/adapters';
import { http, HttpResponse } from 'msw';
import { PORTAL, server } from '../../__testUtils__/portal';

setupPortalServer();
const PATH = '/api/v1/apps/support-assistant/usage';

describe('UsageCard', () => {
  beforeEach(() => noPromptsNoBudgets());

  it('shows totals and the per-model table', async () => {
    answer(PATH, fixtures.usage);
    await renderWithPortal(<UsageCard />, entity());
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
    answer(PATH, {
      ...fixtures.usage,
      buckets: fixtures.usage.buckets.map(b => ({ ...b, partial: false })),
    });
    await renderWithPortal(<UsageCard />, entity());
    expect(await screen.findByTestId('usage-tokens')).toHaveTextContent('4,600');
    expect(screen.queryByTestId('usage-partial')).not.toBeInTheDocument();
  });

  it('asks again when the period changes', async () => {
    const spans: number[] = [];
    server.use(
      http.get(`${PORTAL}${PATH}`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        const days = (Date.parse(params.get('to')!) - Date.parse(params.get('from')!)) / 86_400_000;
        spans.push(Math.round(days));
        return HttpResponse.json(days < 10 ? fixtures.emptyUsage : fixtures.usage);
      }),
    );
    await renderWithPortal(<UsageCard />, entity());
    await screen.findByTestId('usage-tokens');
    await userEvent.click(screen.getByRole('button', { name: 'Period' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Last 7 days' }));
    expect(await screen.findByTestId('empty')).toHaveTextContent('No model usage recorded');
    expect(spans).toEqual([30, 7]);
  });

  it('says so when there is no usage', async () => {
    answer(PATH, fixtures.emptyUsage);
    await renderWithPortal(<UsageCard />, entity());
    expect(await screen.findByTestId('empty')).toBeInTheDocument();
  });

  it('shows the error of a source that is down', async () => {
    sourceDown(PATH);
    await renderWithPortal(<UsageCard />, entity());
    expect((await screen.findAllByText(/prometheus: connection refused/))[0]).toBeInTheDocument();
  });

  it('says "not available" when the portal has no usage route', async () => {
    routeMissing(PATH);
    await renderWithPortal(<UsageCard />, entity());
    expect(await screen.findByTestId('not-available')).toHaveTextContent(
      'Not available: this GenAI Portal does not provide usage data yet.',
    );
  });

  it('pivots points into one row per bucket with a column per model', () => {
    const rows = usageRows(toUsage(fixtures.usage), 'tokens');
    expect(rows).toEqual([
      { x: '11-24', 'gpt-4o': 1500 },
      { x: '11-25', 'gpt-4o': 2700, 'gpt-4o-mini': 400 },
    ]);
  });
});
