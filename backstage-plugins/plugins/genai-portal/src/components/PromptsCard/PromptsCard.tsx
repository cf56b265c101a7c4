import { useState } from 'react';
import { CodeSnippet, InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Chip, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { Prompt } from '../../api/models';
import type { PromptDiff, PromptVersion } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { formatDay } from '../common/format';
import { StaleChip } from '../common/StaleChip';
import { useAppName } from '../common/useAppName';
import { withRowIds } from '../common/rows';
import { columnsFor, useNarrow } from '../common/narrow';

/** The diff as one unified text: the template's, then the parameters'. */
export function unifiedDiff(d: PromptDiff): string {
  return [d.template_diff, d.parameters_diff].filter(part => part.trim() !== '').join('\n');
}

function DiffView(props: { app: string; prompt: string; version: number; against: number }) {
  const api = useApi(genAiPortalApiRef);
  const { app, prompt, version, against } = props;
  const state = useAsync(
    () => api.getPromptDiff(app, prompt, version, against),
    [api, app, prompt, version, against],
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

function PromptView(props: { app: string; prompt: Prompt }) {
  // Essential columns only when the card is narrow: nothing clips, no word breaks mid-word.
  const [tableBox, narrow] = useNarrow<HTMLDivElement>();
  const { app, prompt } = props;
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
      <div ref={tableBox} style={{ width: '100%', minWidth: 0 }}>
        <Table<PromptVersion>
          options={{
            paging: versions.length > 5,
            pageSize: 5,
            search: false,
            toolbar: false,
            padding: 'dense',
          }}
          columns={columnsFor(columns, narrow, ['Created', 'Model'])}
          data={withRowIds(
            [...versions].sort((a, b) => b.number - a.number),
            v => v.number,
          )}
          title={`${versions.length} versions`}
        />
      </div>
      {diffOf !== null && (
        <DiffView app={app} prompt={prompt.name} version={diffOf} against={diffOf - 1} />
      )}
    </Box>
  );
}

/** Prompt versions, labels, what runs now, and a diff view. @public */
export function PromptsCard() {
  const app = useAppName();
  const api = useApi(genAiPortalApiRef);
  const state = useAsync(() => api.listPrompts(app), [api, app]);
  const freshness = state.value?.freshness;
  return (
    <div data-testid="card-prompts">
<InfoCard title="Prompts" subheader="Versions, labels and what runs now">
      <AsyncContent
        state={state}
        what="prompt versions"
        isEmpty={p => p.prompts.length === 0}
        empty="No prompts recorded for this app."
      >
        {({ prompts }) => (
          <>
            <StaleChip freshness={freshness} />
            {prompts.map(p => (
              <PromptView key={p.name} app={app} prompt={p} />
            ))}
          </>
        )}
      </AsyncContent>
    </InfoCard>
</div>
  );
}
