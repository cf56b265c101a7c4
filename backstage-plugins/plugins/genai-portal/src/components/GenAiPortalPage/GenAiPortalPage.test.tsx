import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GenAiPortalPage } from './GenAiPortalPage';
import { topMovers } from './CostReportSection';
import * as fixtures from '../../__testUtils__/fixtures';
import { answer, PORTAL, renderWithPortal, routeMissing, server, sourceDown } from '../../__testUtils__/portal';
import { http, HttpResponse } from 'msw';
import { toCostReport } from '../../api/adapters';

// The whole page renders several cards and charts: seconds on a busy machine.
const TIMEOUT = 60_000;

describe('GenAiPortalPage', () => {
  it('shows the cost report, budgets, top movers and every app', async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    answer('/api/v1/reports/costs', fixtures.report);
    answer('/api/v1/budgets', fixtures.budgets);
    await renderWithPortal(<GenAiPortalPage />);
    // Totals are model spend plus compute: 1500.00 + 300.00, before 1200.00 + 240.00.
    expect(await screen.findByTestId('report-total')).toHaveTextContent('$1,800.00');
    expect(screen.getByTestId('report-previous')).toHaveTextContent('$1,440.00');
    expect(screen.getByText('+25.0%')).toBeInTheDocument();
    expect(screen.getByTestId('report-model')).toHaveTextContent('$1,500.00');
    expect(screen.getByTestId('report-compute')).toHaveTextContent('$300.00');
    expect(screen.getByTestId('report-unallocated')).toHaveTextContent('search $42.50');
    expect(screen.getByTestId('team-chart')).toBeInTheDocument();
    expect(screen.getByTestId('mover-support-assistant')).toHaveTextContent(
      'support-assistant: $850.00 (+$330.00, +63.5%)',
    );
    // The apps table: model spend, compute, total and cost per 1,000 requests.
    const appRow = screen.getAllByText('support-assistant').map(e => e.closest('tr'))
      .find(r => r && within(r).queryByText('$150.00'));
    expect(appRow).toBeTruthy();
    expect(within(appRow!).getByText('$700.00')).toBeInTheDocument();
    expect(within(appRow!).getByText('$850.00')).toBeInTheDocument();
    expect(within(appRow!).getByText('$4.25')).toBeInTheDocument();
    expect(screen.getByTestId('mover-support-assistant')).toHaveTextContent(
      'cost +75 % after prompt answer v5 (gpt-4o) moved to production on 11-03',
    );
    expect(await screen.findByText(/team customer-care: over budget/)).toBeInTheDocument();
    expect(screen.getByText(/app support-assistant: forecast over budget/)).toBeInTheDocument();
    const table = await screen.findByTestId('apps-table');
    expect(table).toHaveAttribute('data-count', '2');
    expect(within(table).getByText('Support Assistant')).toBeInTheDocument();
    expect(within(table).getByText('gone')).toBeInTheDocument();
  }, TIMEOUT);

  it('downloads the report as CSV', async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    answer('/api/v1/budgets', fixtures.budgets);
    const formats: string[] = [];
    server.use(
      http.get(`${PORTAL}/api/v1/reports/costs`, ({ request }) => {
        const format = new URL(request.url).searchParams.get('format')!;
        formats.push(format);
        return format === 'csv'
          ? new HttpResponse('app,cost\n', { headers: { 'content-type': 'text/csv' } })
          : HttpResponse.json(fixtures.report);
      }),
    );
    const created: Blob[] = [];
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return 'blob:report';
    };
    URL.revokeObjectURL = () => {};
    await renderWithPortal(<GenAiPortalPage />);
    await screen.findByTestId('report-total');
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await screen.findByTestId('report-total');
    expect(formats).toEqual(['json', 'csv']);
    expect(created).toHaveLength(1);
    expect(await created[0].text()).toBe('app,cost\n');
  }, TIMEOUT);

  it('says "not available" per section while the cost API is missing', async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    routeMissing('/api/v1/reports/costs');
    routeMissing('/api/v1/budgets');
    await renderWithPortal(<GenAiPortalPage />);
    const missing = await screen.findAllByTestId('not-available');
    expect(missing.map(m => m.textContent)).toEqual([
      'Not available: this GenAI Portal does not provide cost reports yet.',
      'Not available: this GenAI Portal does not provide budgets yet.',
    ]);
    expect(await screen.findByTestId('apps-table')).toHaveAttribute('data-count', '2');
  }, TIMEOUT);

  it('says so when there are no apps, and shows errors', async () => {
    answer('/api/v1/apps', { items: [], total: 0, limit: 500, offset: 0 });
    sourceDown('/api/v1/reports/costs', 'database');
    answer('/api/v1/budgets', { month: '2026-11', items: [], freshness: {} });
    await renderWithPortal(<GenAiPortalPage />);
    expect(await screen.findByText(/No GenAI apps found/)).toBeInTheDocument();
    expect(await screen.findByText('No budgets defined.')).toBeInTheDocument();
    expect((await screen.findAllByText(/database: connection refused/))[0]).toBeInTheDocument();
  }, TIMEOUT);

  it('ranks top movers by absolute change', () => {
    const movers = topMovers(toCostReport(fixtures.report).byApp, 2);
    expect(movers.map(m => m.key)).toEqual(['support-assistant', 'search-rag']);
  });
});
