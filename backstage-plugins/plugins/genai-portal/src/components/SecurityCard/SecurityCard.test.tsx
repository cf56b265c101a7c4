import { screen, within } from '@testing-library/react';
import { SecurityCard } from './SecurityCard';
import * as fixtures from '../../__testUtils__/fixtures';
import { itShowsTheCardStates, renderCardWith } from '../../__testUtils__/portal';

const PATH = '/api/v1/apps/support-assistant/findings';

describe('SecurityCard', () => {
  it('counts open findings by severity and names OWASP LLM ids', async () => {
    await renderCardWith(<SecurityCard />, PATH, fixtures.findings);
    const counts = await screen.findByTestId('severity-counts');
    expect(within(counts).getByTestId('severity-critical')).toHaveTextContent('critical: 1');
    expect(within(counts).getByTestId('severity-high')).toHaveTextContent('high: 1');
    expect(within(counts).getByTestId('severity-medium')).toHaveTextContent('medium: 1');
    expect(screen.getByText('LLM01')).toBeInTheDocument();
    expect(screen.getByText('LLM06')).toBeInTheDocument();
    expect(screen.queryByText('Fixed already')).not.toBeInTheDocument();
  });

  itShowsTheCardStates(<SecurityCard />, PATH, {
    source: 'kubernetes',
    what: 'security findings',
    empty: { body: fixtures.noOpenFindings, text: 'No open findings' },
  });
});
