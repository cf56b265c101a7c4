import { TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { AppEvals } from '../../api/models';
import { CardTable } from '../common/CardTable';
import { ChartRow, SeriesChart } from '../common/charts';
import { EntityCard } from '../common/EntityCard';
import { formatDay, formatPercent } from '../common/format';
import { Stat } from '../common/Stat';
import type { ChangeX } from '../common/ChangeMarkers';
import { useAppChanges } from '../common/useAppChanges';
import { useAppName } from '../common/useAppName';
import type { EvalRun } from '../../api/types';

/** The chart's x of a run: its prompt version. */
const versionX = (run: EvalRun) => `${run.prompt} v${run.version}`.trim();

/** Mean score per metric for each prompt version, in version order. */
export function scoreRows(runs: EvalRun[]): { rows: ChartRow[]; metrics: string[] } {
  const metrics = new Set<string>();
  const byVersion = new Map<string, { sums: Record<string, number>; counts: Record<string, number> }>();
  const sorted = [...runs].sort(
    (a, b) => a.prompt.localeCompare(b.prompt) || a.version - b.version,
  );
  for (const run of sorted) {
    const x = versionX(run);
    const acc = byVersion.get(x) ?? { sums: {}, counts: {} };
    const scores = { ...run.scores, aggregate: run.aggregate_score };
    for (const [metric, score] of Object.entries(scores)) {
      metrics.add(metric);
      acc.sums[metric] = (acc.sums[metric] ?? 0) + score;
      acc.counts[metric] = (acc.counts[metric] ?? 0) + 1;
    }
    byVersion.set(x, acc);
  }
  const rows = [...byVersion.entries()].map(([x, acc]) => {
    const row: ChartRow = { x };
    for (const metric of Object.keys(acc.sums)) {
      row[metric] = Number((acc.sums[metric] / acc.counts[metric]).toFixed(4));
    }
    return row;
  });
  return { rows, metrics: [...metrics].sort() };
}

const columns: TableColumn<EvalRun>[] = [
  { title: 'Run', field: 'finished', render: r => formatDay(r.finished) },
  { title: 'Prompt', field: 'prompt', render: r => `${r.prompt || '–'} v${r.version}` },
  { title: 'Model', field: 'model' },
  { title: 'Dataset', field: 'dataset' },
  {
    title: 'Score',
    field: 'aggregate_score',
    type: 'numeric',
    render: r => `${r.aggregate_score.toFixed(2)}${r.regression ? ' ⚠' : ''}`,
  },
  {
    title: 'Pass rate',
    field: 'passed',
    type: 'numeric',
    render: r => {
      const cases = Math.max(r.cases, r.passed);
      return cases > 0 ? formatPercent(r.passed / cases) : '–';
    },
  },
];

/** Marks a change on the version evaluated first after it. */
export function evalChangeX(runs: EvalRun[]): ChangeX {
  const sorted = [...runs].sort((a, b) => a.finished.localeCompare(b.finished));
  return (change, xs) => {
    const run = sorted.find(r => r.finished >= change.at);
    if (!run) return undefined;
    const x = versionX(run);
    return xs.includes(x) ? x : undefined;
  };
}

function EvalsView(props: { evals: AppEvals }) {
  const { evals } = props;
  const changes = useAppChanges(useAppName(), 90);
  const { rows, metrics } = scoreRows(evals.runs);
  return (
    <>
      <Box display="flex" flexWrap="wrap">
        <Stat label="Runs" value={evals.runs.length} testId="evals-runs" />
        <Stat label="Regressions" value={evals.regressions.length} testId="evals-regressions" />
      </Box>
      {evals.regressions.slice(0, 3).map(g => (
        <Alert severity="warning" key={`${g.prompt}-${g.metric}-${g.toVersion}-${g.after}`}>
          {g.prompt ?? 'prompt'} v{g.toVersion ?? '?'}: {g.metric} fell from{' '}
          {g.before.toFixed(2)} (baseline) to {g.after.toFixed(2)}
        </Alert>
      ))}
      <Typography variant="subtitle2">Mean score per version</Typography>
      <SeriesChart
        testId="evals-chart"
        rows={rows}
        series={metrics}
        formatValue={v => v.toFixed(2)}
        changes={changes}
        changeX={evalChangeX(evals.runs)}
      />
      <CardTable
        options={{ paging: true, pageSize: 5 }}
        columns={columns}
        optional={['Model', 'Dataset']}
        data={[...evals.runs].sort((a, b) => b.finished.localeCompare(a.finished))}
      />
    </>
  );
}

/** Score trend per prompt version, and regressions. @public */
export function EvalsCard() {
  return <EntityCard id="evals">{evals => <EvalsView evals={evals} />}</EntityCard>;
}
