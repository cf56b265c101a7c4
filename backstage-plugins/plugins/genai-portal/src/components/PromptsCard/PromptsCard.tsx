import { useState } from 'react';
import { CodeSnippet, TableColumn } from '@backstage/core-components';
import { Box, Button, Chip, Typography } from '@material-ui/core';
import type { Prompt } from '../../api/models';
import type { PromptDiff, PromptVersion } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { CardTable } from '../common/CardTable';
import { EntityCard } from '../common/EntityCard';
import { formatDay } from '../common/format';
import { StaleChip } from '../common/StaleChip';
import { useAppName } from '../common/useAppName';
import { usePortal } from '../common/usePortal';
import { withRowIds } from '../common/rows';

/** The diff as one unified text: the template's, then the parameters'. */
export function unifiedDiff(d: PromptDiff): string {
  return [d.template_diff, d.parameters_diff].filter(part => part.trim() !== '').join('\n');
}

function DiffView(props: { app: string; prompt: string; version: number; against: number }) {
  const { app, prompt, version, against } = props;
  const state = usePortal(
    api => api.getPromptDiff(app, prompt, version, against),
    [app, prompt, version, against],
  );
  return (
    <Box mt={1} data-testid="prompt-diff">
      <Typography variant="subtitle2">
        {prompt}: v{against} → v{version}
        {state.value?.changed.length ? ` (changed: ${state.value.changed.join(', ')})` : ''}
      </Typography>
      <AsyncContent
        state={state}
        what="prompt diffs"
        isEmpty={d => unifiedDiff(d) === ''}
        empty="The two versions are identical."
      >
        {d => <CodeSnippet text={unifiedDiff(d)} language="diff" />}
      </AsyncContent>
    </Box>
  );
}

function PromptView(props: { prompt: Prompt }) {
  const { prompt } = props;
  const app = useAppName();
  const [diffOf, setDiffOf] = useState<number | null>(null);
  const runningVersions = new Set(prompt.running.map(r => r.version));
  const versions = prompt.history;
  const columns: TableColumn<PromptVersion>[] = [
    { title: 'Version', field: 'number', render: v => `v${v.number}` },
    { title: 'Created', field: 'created', render: v => formatDay(v.created) },
    { title: 'Model', field: 'model', render: v => v.model ?? '–' },
    {
      title: 'Eval score',
      field: 'scores.aggregate_score',
      render: ({ scores }) =>
        scores.aggregate_score === null || scores.aggregate_score === undefined
          ? '–'
          : `${scores.aggregate_score.toFixed(2)}${scores.regression ? ' ⚠ regression' : ''}`,
    },
    {
      title: 'Labels',
      field: 'labels',
      render: v => (
        <>
          {v.labels.map(l => (
            <Chip key={l} size="small" label={l} />
          ))}
          {(runningVersions.has(v.number) || v.running_in.length > 0) && (
            <Chip size="small" color="primary" label="running" />
          )}
        </>
      ),
    },
    {
      title: 'Diff',
      field: 'number',
      render: v =>
        v.number > 1 ? (
          <Button size="small" onClick={() => setDiffOf(v.number)}>
            vs v{v.number - 1}
          </Button>
        ) : null,
    },
  ];
  return (
    <Box mb={2} data-testid={`prompt-${prompt.name}`}>
      <Typography variant="h6">{prompt.name}</Typography>
      <Typography variant="body2" data-testid={`prompt-${prompt.name}-summary`}>
        {versions.length} versions
        {prompt.labels.length > 0 &&
          ` · ${prompt.labels.map(l => `${l.label} → v${l.version}`).join(', ')}`}
      </Typography>
      {prompt.running.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Running now:{' '}
          {prompt.running
            .map(
              r =>
                `${[r.workload_kind, r.namespace, r.workload].filter(Boolean).join('/')} → v${
                  r.version
                } since ${formatDay(r.started)}`,
            )
            .join(', ')}
        </Typography>
      )}
      <CardTable
        options={{ paging: versions.length > 5, pageSize: 5 }}
        columns={columns}
        optional={['Created', 'Model']}
        data={withRowIds(
          [...versions].sort((a, b) => b.number - a.number),
          v => v.number,
        )}
        title={`${versions.length} versions`}
      />
      {diffOf !== null && (
        <DiffView app={app} prompt={prompt.name} version={diffOf} against={diffOf - 1} />
      )}
    </Box>
  );
}

/** Prompt versions, labels, what runs now, and a diff view. @public */
export function PromptsCard() {
  return (
    <EntityCard id="prompts">
      {({ prompts, freshness }) => (
        <>
          <StaleChip freshness={freshness} />
          {prompts.map(p => (
            <PromptView key={p.name} prompt={p} />
          ))}
        </>
      )}
    </EntityCard>
  );
}
