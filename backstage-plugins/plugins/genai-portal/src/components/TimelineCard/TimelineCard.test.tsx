import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TimelineCard } from './TimelineCard';
import { timeline } from '../../__testUtils__/readinessFixtures';
import { answerPerPeriod, choose, renderCardWith, renderOnEntityPage } from '../../__testUtils__/portal';

const PATH = '/api/v1/apps/support-assistant/timeline';

describe('TimelineCard', () => {
  it('lists the changes newest first with a legend per kind', async () => {
    await renderCardWith(<TimelineCard />, PATH, timeline);
    const items = await screen.findByTestId('timeline-items');
    expect(items).toHaveAttribute('data-count', '4');
    expect(within(items).getByText('model switch: gpt-4o → gpt-4o-mini')).toBeInTheDocument();
    expect(within(items).getByText('2026-11-25 14:00')).toBeInTheDocument();
    expect(screen.getByTestId('timeline-latest')).toHaveTextContent(
      'Latest: Deployment support/chat container app: chat:1.7.0 → chat:1.8.0 (2026-11-25 14:00)',
    );
    const legend = screen.getByTestId('timeline-legend');
    expect(within(legend).getByTestId('change-kind-image')).toHaveTextContent('Image (1)');
    expect(within(legend).queryByTestId('change-kind-scale')).not.toBeInTheDocument();
  });

  it('hides a kind from the legend and shows it again', async () => {
    await renderCardWith(<TimelineCard />, PATH, timeline);
    await screen.findByTestId('timeline-items');
    const chip = screen.getByTestId('change-kind-budget');
    await userEvent.click(chip);
    expect(screen.getByTestId('timeline-items')).toHaveAttribute('data-count', '3');
    expect(screen.getByTestId('change-kind-budget')).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(screen.getByTestId('change-kind-budget'));
    expect(screen.getByTestId('timeline-items')).toHaveAttribute('data-count', '4');
  });

  it('asks for the chosen period', async () => {
    const spans = answerPerPeriod(PATH, days => (days < 10 ? { ...timeline, items: [] } : timeline));
    await renderOnEntityPage(<TimelineCard />);
    await screen.findByTestId('timeline-items');
    await choose('Timeline period', 'Last 7 days');
    expect(await screen.findByTestId('empty')).toHaveTextContent('No changes recorded');
    expect(spans).toEqual([30, 7]);
  });
});
