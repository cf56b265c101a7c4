import { screen, within } from '@testing-library/react';
import { SecurityCard } from './SecurityCard';
import * as fixtures from '../../__testUtils__/fixtures';
import {
  answer,
  entity,
  renderWithPortal,
  routeMissing,
  sourceDown,
  setupPortalServer,
} from '../../__testUtils__/portal';

setupPortalServer();
const PATH = '/api/v1/apps/support-assistant/findings';

describe('SecurityCard', () => {
  it('counts open findings by severity and names OWASP LLM ids', async () => {
    answer(PATH, fixtures.findings);
    await renderWithPortal(<SecurityCard />, entity());
    const counts = await screen.findByTestId('severity-counts');
    expect(within(counts).getByTestId('severity-critical')).toHaveTextContent('critical: 1');
    expect(within(counts).getByTestId('severity-high')).toHaveTextContent('high: 1');
    expect(within(counts).getByTestId('severity-medium')).toHaveTextContent('medium: 1');
    expect(screen.getByText('LLM01')).toBeInTheDocument();
    expect(screen.getByText('LLM06')).toBeInTheDocument();
    expect(screen.queryByText('Fixed already')).not.toBeInTheDocument();
  });

  it('says so when nothing is open', async () => {
    answer(PATH, fixtures.noOpenFindings);
    await renderWithPortal(<SecurityCard />, entity());
    expect(await screen.findByTestId('empty')).toHaveTextContent('No open findings');
  });

  it('shows the error', async () => {
    sourceDown(PATH, 'kubernetes');
    await renderWithPortal(<SecurityCard />, entity());
    expect((await screen.findAllByText(/kubernetes: connection refused/))[0]).toBeInTheDocument();
  });

  it('says "not available" without the findings route', async () => {
    routeMissing(PATH);
    await renderWithPortal(<SecurityCard />, entity());
    expect(await screen.findByTestId('not-available')).toHaveTextContent('security findings');
  });
});
