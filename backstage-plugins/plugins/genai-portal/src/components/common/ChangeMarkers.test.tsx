import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { atOrAfter, markerText, placeChanges } from './ChangeMarkers';
import { evalChangeX } from '../EvalsCard/EvalsCard';
import { UsageCard } from '../UsageCard';
import * as fixtures from '../../__testUtils__/fixtures';
import { timeline } from '../../__testUtils__/readinessFixtures';
import { answer, entity, renderWithPortal } from '../../__testUtils__/portal';
import { formatBucket } from './format';
import type { EvalRun } from '../../api/types';

describe('change markers', () => {
  it('puts each change on the first bucket at or after it, grouped per bucket', () => {
    const placed = placeChanges(timeline.items, ['11-24', '11-25'], atOrAfter(iso => formatBucket(iso, 'day')));
    expect(placed.map(p => [p.x, p.changes.map(c => c.kind)])).toEqual([
      ['11-24', ['prompt-label']],
      ['11-25', ['model-switch', 'image']],
    ]);
    // The October budget falls before the first bucket: it stays off the chart.
    const hidden = placeChanges(
      timeline.items,
      ['11-24', '11-25'],
      atOrAfter(iso => formatBucket(iso, 'day')),
      new Set(['image']),
    );
    expect(hidden[1].changes.map(c => c.kind)).toEqual(['model-switch']);
    expect(markerText(placed[1].changes)).toBe('Model switch +1');
  });

  it('marks a change on the version evaluated first after it', () => {
    const run = (version: number, finished: string) =>
      ({ prompt: 'answer', version, finished }) as EvalRun;
    const xOf = evalChangeX([run(3, '2026-11-20T10:00:00Z'), run(4, '2026-11-24T12:00:00Z')]);
    const xs = ['answer v3', 'answer v4'];
    expect(xOf(timeline.items[2], xs)).toBe('answer v4');
    expect(xOf(timeline.items[0], xs)).toBeUndefined();
  });

  it('overlays the timeline on the usage chart, with a legend that filters it', async () => {
    answer('/api/v1/apps/support-assistant/usage', fixtures.usage);
    answer('/api/v1/apps/support-assistant/timeline', timeline);
    await renderWithPortal(<UsageCard />, entity());
    const legend = await screen.findByTestId('usage-chart-legend');
    expect(within(legend).getByTestId('change-kind-model-switch')).toHaveTextContent(
      'Model switch (1)',
    );
    // Only changes that fall on the chart's buckets count.
    expect(within(legend).queryByTestId('change-kind-budget')).not.toBeInTheDocument();
    expect(screen.getByTestId('usage-chart')).toHaveAttribute('data-changes', '2');
    await userEvent.click(within(legend).getByTestId('change-kind-prompt-label'));
    expect(screen.getByTestId('usage-chart')).toHaveAttribute('data-changes', '1');
  });
});
