import { screen, within } from '@testing-library/react';
import { ReadinessCard, sortedChecks } from './ReadinessCard';
import { readiness } from '../../__testUtils__/readinessFixtures';
import { choose, itShowsTheCardStates, renderCardWith } from '../../__testUtils__/portal';

const PATH = '/api/v1/apps/support-assistant/readiness';

describe('ReadinessCard', () => {
  it('shows the level, the score and every check, failing first', async () => {
    await renderCardWith(<ReadinessCard />, PATH, readiness);
    expect(await screen.findByTestId('readiness-level')).toHaveTextContent('silver');
    expect(screen.getByTestId('readiness-score')).toHaveTextContent('86%');
    expect(screen.getByTestId('readiness-failed')).toHaveTextContent('2');
    expect(screen.getByTestId('readiness-unknown')).toHaveTextContent('1');
    expect(screen.getByTestId('readiness-next')).toHaveTextContent(
      '3 checks to fix for gold (Production grade).',
    );
    const checks = screen.getByTestId('readiness-checks');
    expect(checks).toHaveAttribute('data-count', '5');
    expect(within(checks).getByText('Not pinned by digest: chat:1.8.0.')).toBeInTheDocument();
    expect(within(checks).getByText('how to fix REL-PDB')).toBeInTheDocument();
    expect(within(checks).getByTestId('check-QUAL-NO-REGRESSION')).toHaveTextContent('unknown');
    // A passing check needs no fix.
    expect(within(checks).queryByText('how to fix OBS-BUDGET')).not.toBeInTheDocument();
    expect(screen.queryByTestId('stale')).not.toBeInTheDocument();
  });

  it('filters the checks by status', async () => {
    await renderCardWith(<ReadinessCard />, PATH, readiness);
    await screen.findByTestId('readiness-checks');
    await choose('Checks', 'Failing');
    expect(screen.getByTestId('readiness-checks')).toHaveAttribute('data-count', '2');
  });

  it('marks a stale source', async () => {
    await renderCardWith(<ReadinessCard />, PATH, {
      ...readiness,
      freshness: [{ source: 'kubernetes', as_of: null, stale: true, last_error: 'unreachable' }],
    });
    expect(await screen.findByTestId('stale')).toBeInTheDocument();
  });

  itShowsTheCardStates(<ReadinessCard />, PATH, {
    source: 'kubernetes',
    what: 'readiness checks',
  });

  it('orders checks failing, unknown, passing, then by level', () => {
    const order = sortedChecks(readiness.checks, ['bronze', 'silver', 'gold']).map(c => c.id);
    expect(order).toEqual([
      'REL-IMAGE-DIGEST',
      'REL-PDB',
      'QUAL-NO-REGRESSION',
      'OBS-BUDGET',
      'SEC-NON-ROOT',
    ]);
  });
});
