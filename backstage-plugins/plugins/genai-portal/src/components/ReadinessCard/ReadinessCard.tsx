import { useState } from 'react';
import { Link, TableColumn } from '@backstage/core-components';
import { Box, Chip, MenuItem, Select, Typography } from '@material-ui/core';
import type { AppReadiness, ReadinessCheck } from '../../api/types';
import { CardTable } from '../common/CardTable';
import { SeriesChart } from '../common/charts';
import { EntityCard } from '../common/EntityCard';
import { formatDay } from '../common/format';
import { LevelChip } from '../common/ReadinessLevel';
import { StaleChip } from '../common/StaleChip';
import { Stat } from '../common/Stat';

const STATUS_ORDER: Record<string, number> = { fail: 0, unknown: 1, pass: 2 };
const STATUS_COLORS: Record<string, string> = {
  pass: '#2e7d32',
  fail: '#c62828',
  unknown: '#757575',
};

type StatusFilter = 'all' | 'fail' | 'unknown' | 'pass';

/** Checks with the failing first, then unknown, then passing; by level within each. */
export function sortedChecks(checks: ReadinessCheck[], levels: string[]): ReadinessCheck[] {
  const rank = (c: ReadinessCheck) => (c.level ? levels.indexOf(c.level) : levels.length);
  return [...checks].sort(
    (a, b) =>
      (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) ||
      rank(a) - rank(b) ||
      a.id.localeCompare(b.id),
  );
}

const columns: TableColumn<ReadinessCheck>[] = [
  {
    title: 'Status',
    field: 'status',
    render: c => (
      <Chip
        size="small"
        label={c.status}
        data-testid={`check-${c.id}`}
        style={{ backgroundColor: STATUS_COLORS[c.status], color: '#fff' }}
      />
    ),
  },
  {
    title: 'Check',
    field: 'title',
    render: c => (
      <>
        <Typography variant="body2">{c.title}</Typography>
        <Typography variant="caption" color="textSecondary">
          {c.id} · {c.pillar}
          {c.level ? ` · ${c.level}` : ''}
        </Typography>
      </>
    ),
  },
  { title: 'Why', field: 'why' },
  {
    title: 'How to fix',
    field: 'fix',
    render: c =>
      c.status === 'pass' ? (
        '–'
      ) : (
        <>
          <Typography variant="body2">{c.fix}</Typography>
          {c.evidence.map(e => (
            <Box key={e.url} component="span" mr={1}>
              <Link to={e.url}>{e.title}</Link>
            </Box>
          ))}
        </>
      ),
  },
];

function ReadinessView(props: { readiness: AppReadiness }) {
  const { readiness } = props;
  const [filter, setFilter] = useState<StatusFilter>('all');
  const levels = readiness.levels.map(l => l.name);
  const next = readiness.levels.find(l => l.name === readiness.next_level);
  const toNext = next
    ? readiness.checks.filter(
        c =>
          c.status !== 'pass' &&
          c.level !== null &&
          levels.indexOf(c.level) <= levels.indexOf(next.name),
      ).length
    : 0;
  const checks = sortedChecks(readiness.checks, levels).filter(
    c => filter === 'all' || c.status === filter,
  );
  const history = readiness.history.map(h => ({ x: formatDay(h.day), score: h.score }));
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <Box mr={3}>
          <Typography variant="caption" color="textSecondary">
            Level
          </Typography>
          <Box>
            <LevelChip level={readiness.level} />
          </Box>
        </Box>
        <Stat label="Score" value={`${readiness.score}%`} testId="readiness-score" />
        <Stat label="Passing" value={readiness.passed} testId="readiness-passed" />
        <Stat label="Failing" value={readiness.failed} testId="readiness-failed" />
        <Stat label="Unknown" value={readiness.unknown} testId="readiness-unknown" />
        {readiness.freshness.map(f => (
          <StaleChip
            key={f.source}
            freshness={f}
          />
        ))}
      </Box>
      {next && (
        <Typography variant="body2" data-testid="readiness-next">
          {toNext} check{toNext === 1 ? '' : 's'} to fix for {next.name}
          {next.title ? ` (${next.title})` : ''}.
        </Typography>
      )}
      {history.length > 1 && (
        <SeriesChart
          testId="readiness-history"
          rows={history}
          series={['score']}
          height={120}
          formatValue={v => `${v}%`}
        />
      )}
      <Box display="flex" justifyContent="flex-end">
        <Select
          value={filter}
          onChange={e => setFilter(e.target.value as StatusFilter)}
          inputProps={{ 'aria-label': 'Checks' }}
        >
          <MenuItem value="all">All checks</MenuItem>
          <MenuItem value="fail">Failing</MenuItem>
          <MenuItem value="unknown">Unknown</MenuItem>
          <MenuItem value="pass">Passing</MenuItem>
        </Select>
      </Box>
      <CardTable
        testId="readiness-checks"
        options={{ paging: false }}
        columns={columns}
        data={checks}
      />
    </>
  );
}

/** Is this app production-ready? Every check with why and how to fix, level and trend. @public */
export function ReadinessCard() {
  return (
    <EntityCard id="readiness">
      {readiness => <ReadinessView readiness={readiness} />}
    </EntityCard>
  );
}
