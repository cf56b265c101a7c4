import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppName, AppsTable, withReadiness } from './AppsTable';
import * as fixtures from '../../__testUtils__/fixtures';
import { orgReadiness } from '../../__testUtils__/readinessFixtures';
import { answer, renderWithPortal } from '../../__testUtils__/portal';

describe('AppsTable readiness', () => {
  it('shows each app level and score, most ready first, and filters by level', async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    answer('/api/v1/readiness', orgReadiness);
    await renderWithPortal(<AppsTable />);
    const table = await screen.findByTestId('apps-table');
    expect(within(table).getByTestId('readiness-marketing-copy')).toHaveTextContent('gold100%');
    expect(within(table).getByTestId('level-support-assistant')).toHaveTextContent('none');
    await userEvent.click(screen.getByRole('button', { name: 'Readiness level' }));
    await userEvent.click(await screen.findByRole('option', { name: 'gold' }));
    expect(screen.getByTestId('apps-table')).toHaveAttribute('data-count', '1');
    await userEvent.click(screen.getByRole('button', { name: 'Readiness level' }));
    await userEvent.click(await screen.findByRole('option', { name: 'No level' }));
    expect(screen.getByTestId('apps-table')).toHaveAttribute('data-count', '1');
    expect(within(screen.getByTestId('apps-table')).getByText('Support Assistant')).toBeInTheDocument();
  });

  it('still lists apps when the portal has no scorecard', async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    await renderWithPortal(<AppsTable />);
    expect(await screen.findByTestId('apps-table')).toHaveAttribute('data-count', '2');
    expect(screen.queryByRole('button', { name: 'Readiness level' })).not.toBeInTheDocument();
  });

  it('ranks by level, then score', () => {
    const rows = withReadiness(
      fixtures.appsPage.items as any,
      orgReadiness,
    );
    expect(rows.map(r => r.name)).toEqual(['marketing-copy', 'support-assistant']);
  });
});

describe('AppName', () => {
  it('offers line breaks after separators only, so a long name never wraps mid-word', () => {
    const { container } = render(<AppName name="customer-care.support_assistant/v2" testId="n" />);
    const name = screen.getByTestId('n');
    expect(name).toHaveTextContent('customer-care.support_assistant/v2');
    // A break opportunity after each of -, ., _ and /, and nowhere else.
    expect(container.querySelectorAll('wbr')).toHaveLength(4);
    const parts = [...name.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent);
    expect(parts).toEqual(['customer-', 'care.', 'support_', 'assistant/', 'v2']);
    expect(name).toHaveStyle({ wordBreak: 'normal', overflowWrap: 'normal' });
  });

  it('keeps a name without separators whole', () => {
    const { container } = render(<AppName name="summariser" />);
    expect(container.querySelectorAll('wbr')).toHaveLength(0);
    expect(container).toHaveTextContent('summariser');
  });
});
