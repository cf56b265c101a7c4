import { screen } from '@testing-library/react';
import { EntityGenAiContent } from './EntityGenAiContent';
import * as fixtures from '../../__testUtils__/fixtures';
import { answer, entity, renderOnEntityPage, routeMissing } from '../../__testUtils__/portal';
import { isGenAiApp } from '../common/useAppName';
import { readiness, timeline } from '../../__testUtils__/readinessFixtures';

const APP = '/api/v1/apps/support-assistant';

describe('EntityGenAiContent', () => {
  it('fills the cards whose routes exist and marks the others not available', async () => {
    answer(`${APP}/usage`, fixtures.usage);
    answer(`${APP}/costs`, fixtures.cost);
    answer('/api/v1/budgets', fixtures.budgets);
    routeMissing(`${APP}/prompts`);
    routeMissing(`${APP}/evals`);
    routeMissing(`${APP}/evals/regressions`);
    answer(`${APP}/findings`, fixtures.findings);
    answer(`${APP}/readiness`, readiness);
    answer(`${APP}/timeline`, timeline);
    await renderOnEntityPage(<EntityGenAiContent />);
    expect(await screen.findByTestId('readiness-level')).toHaveTextContent('silver');
    expect(await screen.findByTestId('timeline-items')).toHaveAttribute('data-count', '4');
    expect(await screen.findByTestId('usage-tokens')).toHaveTextContent('4,600');
    expect(await screen.findByTestId('cost-mtd')).toHaveTextContent('$140.20'); // model spend + compute
    expect(await screen.findByTestId('severity-critical')).toBeInTheDocument();
    expect(await screen.findAllByTestId('not-available')).toHaveLength(2);
  });

  it('shows on Components with a kubernetes-id only', () => {
    expect(isGenAiApp(entity())).toBe(true);
    const plain = entity();
    plain.metadata.annotations = {};
    expect(isGenAiApp(plain)).toBe(false);
    expect(isGenAiApp({ ...entity(), kind: 'API' })).toBe(false);
  });
});
