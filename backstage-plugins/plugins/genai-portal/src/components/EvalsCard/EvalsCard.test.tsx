import { screen } from '@testing-library/react';
import { EvalsCard, scoreRows } from './EvalsCard';
import * as fixtures from '../../__testUtils__/fixtures';
import {
  answer,
  entity,
  renderWithPortal,
  routeMissing,
  sourceDown,
  setupPortalServer,
} from '../../__testUtils__/portal';
import { toEvals } from '../../api/adapters';

setupPortalServer();
jest.setTimeout(60_000);
const PATH = '/api/v1/apps/support-assistant/evals';

beforeEach(() => answer(`${PATH}/regressions`, []));

describe('EvalsCard', () => {
  it('shows runs, the score trend and regressions', async () => {
    answer(PATH, fixtures.evals);
    answer(`${PATH}/regressions`, fixtures.standingRegressions);
    await renderWithPortal(<EvalsCard />, entity());
    expect(await screen.findByTestId('evals-runs')).toHaveTextContent('3');
    expect(screen.getByTestId('evals-regressions')).toHaveTextContent('1');
    expect(
      screen.getByText(/answer v3: aggregate score fell from 0.88 \(baseline\) to 0.79/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('evals-chart')).toBeInTheDocument();
    expect(screen.getByText('78.0%')).toBeInTheDocument();
  });

  it('averages scores per prompt version', () => {
    const { rows, metrics } = scoreRows(toEvals(fixtures.evals).runs);
    expect(metrics).toEqual(['accuracy', 'aggregate', 'faithfulness']);
    expect(rows.map(r => r.x)).toEqual(['answer v1', 'answer v2', 'answer v3']);
    expect(rows[2].accuracy).toBe(0.79);
  });

  it('says so when there are no runs', async () => {
    answer(PATH, { items: [], total: 0, limit: 500, offset: 0 });
    await renderWithPortal(<EvalsCard />, entity());
    expect(await screen.findByTestId('empty')).toHaveTextContent('No evaluation runs');
  });

  it('shows the error', async () => {
    sourceDown(PATH, 'openai');
    await renderWithPortal(<EvalsCard />, entity());
    expect((await screen.findAllByText(/openai: connection refused/))[0]).toBeInTheDocument();
  });

  it('says "not available" without the evals route', async () => {
    routeMissing(PATH);
    await renderWithPortal(<EvalsCard />, entity());
    expect(await screen.findByTestId('not-available')).toHaveTextContent('evaluations');
  });
});
