import { screen } from '@testing-library/react';
import { EvalsCard, scoreRows } from './EvalsCard';
import * as fixtures from '../../__testUtils__/fixtures';
import { answer, itShowsTheCardStates, renderOnEntityPage } from '../../__testUtils__/portal';
import { toEvals } from '../../api/adapters';

const PATH = '/api/v1/apps/support-assistant/evals';

beforeEach(() => answer(`${PATH}/regressions`, []));

describe('EvalsCard', () => {
  it('shows runs, the score trend and regressions', async () => {
    answer(PATH, fixtures.evals);
    answer(`${PATH}/regressions`, fixtures.standingRegressions);
    await renderOnEntityPage(<EvalsCard />);
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

  itShowsTheCardStates(<EvalsCard />, PATH, {
    source: 'openai',
    what: 'evaluations',
    empty: { body: { items: [], total: 0, limit: 500, offset: 0 }, text: 'No evaluation runs' },
  });
});
