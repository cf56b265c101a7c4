import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { StaleChip } from './StaleChip';

describe('StaleChip', () => {
  it('says nothing for a source that is off, even with no data', async () => {
    await renderInTestApp(
      <StaleChip freshness={{ stale: false, as_of: null, source: 'prometheus', state: 'off' }} />,
    );
    expect(screen.queryByTestId('stale')).not.toBeInTheDocument();
  });

  it('says "never synced" for a configured source that has not synced yet', async () => {
    await renderInTestApp(
      <StaleChip
        freshness={{ stale: true, as_of: null, source: 'prometheus', state: 'never-synced' }}
      />,
    );
    expect(screen.getByTestId('stale')).toHaveTextContent('never synced');
  });

  it('says "stale" for data older than the sync allows', async () => {
    await renderInTestApp(
      <StaleChip
        freshness={{
          stale: true,
          as_of: '2026-11-27T10:00:00Z',
          source: 'kubernetes',
          state: 'failing',
        }}
      />,
    );
    expect(screen.getByTestId('stale')).toHaveTextContent('stale');
  });
});
