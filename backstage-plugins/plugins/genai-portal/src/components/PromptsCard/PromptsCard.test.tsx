import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PromptsCard } from './PromptsCard';
import * as fixtures from '../../__testUtils__/fixtures';
import { answer, itShowsTheCardStates, renderOnEntityPage } from '../../__testUtils__/portal';

const PATH = '/api/v1/apps/support-assistant/prompts';

describe('PromptsCard', () => {
  it('lists versions with labels, what runs now, and shows a diff', async () => {
    answer(PATH, fixtures.promptList);
    answer(`${PATH}/answer/versions`, fixtures.versions);
    answer(`${PATH}/answer/versions/2/diff`, fixtures.diff);
    await renderOnEntityPage(<PromptsCard />);
    expect(await screen.findByText('answer')).toBeInTheDocument();
    expect(screen.getByText('v3')).toBeInTheDocument();
    expect(screen.getByTestId('prompt-answer-summary')).toHaveTextContent(
      '3 versions · production → v2, staging → v3',
    );
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('running')).toBeInTheDocument();
    expect(
      screen.getByText(/Deployment\/support\/support-assistant → v2 since 2026-11-10/),
    ).toBeInTheDocument();
    expect(screen.getByText('0.79 ⚠ regression')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'vs v1' }));
    const diff = await screen.findByTestId('prompt-diff');
    expect(diff).toHaveTextContent('answer: v1 → v2');
    expect(await screen.findByText(/changed: template/)).toBeInTheDocument();
    expect((await screen.findAllByText(/You are a concise support assistant/))[0]).toBeInTheDocument();
  });

  itShowsTheCardStates(<PromptsCard />, PATH, {
    source: 'kubernetes',
    what: 'prompt versions',
    empty: { body: { ...fixtures.promptList, prompts: [] }, text: 'No prompts recorded' },
  });
});
