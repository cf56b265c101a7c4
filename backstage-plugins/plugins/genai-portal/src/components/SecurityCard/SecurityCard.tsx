import { TableColumn } from '@backstage/core-components';
import { Box, Chip } from '@material-ui/core';
import type { Finding, FindingList } from '../../api/types';
import { CardTable } from '../common/CardTable';
import { EntityCard } from '../common/EntityCard';
import { formatDay } from '../common/format';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

const SEVERITY_COLOR: Record<string, string> = {
  critical: '#7b1fa2',
  high: '#d32f2f',
  medium: '#f57c00',
  low: '#1976d2',
  info: '#616161',
};

/** Non-zero counts in severity order. */
export function orderedCounts(counts: Record<string, number>): [string, number][] {
  const known = SEVERITIES.filter(s => counts[s] > 0).map(
    s => [s, counts[s]] as [string, number],
  );
  const other = Object.entries(counts).filter(
    ([s, n]) => !SEVERITIES.includes(s) && n > 0,
  );
  return [...known, ...other];
}

export function SeverityChip(props: { severity: string; count?: number }) {
  const { severity, count } = props;
  return (
    <Chip
      size="small"
      data-testid={count === undefined ? undefined : `severity-${severity}`}
      label={count === undefined ? severity : `${severity}: ${count}`}
      style={{ background: SEVERITY_COLOR[severity] ?? '#616161', color: '#fff', marginRight: 4 }}
    />
  );
}

const columns: TableColumn<Finding>[] = [
  { title: 'Severity', field: 'severity', render: f => <SeverityChip severity={f.severity} /> },
  { title: 'OWASP LLM', field: 'owasp', render: f => f.owasp ?? '–' },
  { title: 'Finding', field: 'title' },
  { title: 'Resource', field: 'resource' },
  { title: 'Source', field: 'source' },
  { title: 'Last seen', field: 'last_seen', render: f => formatDay(f.last_seen) },
];

const rank = (s: string) => {
  const i = SEVERITIES.indexOf(s);
  return i === -1 ? SEVERITIES.length : i;
};

function FindingsView(props: { findings: FindingList }) {
  const open = props.findings.items.filter(f => f.status === 'open');
  return (
    <>
      <Box mb={1} data-testid="severity-counts">
        {orderedCounts(props.findings.counts).map(([severity, count]) => (
          <SeverityChip key={severity} severity={severity} count={count} />
        ))}
      </Box>
      <CardTable
        options={{ paging: true, pageSize: 5 }}
        columns={columns}
        optional={['OWASP LLM', 'Source', 'Last seen']}
        data={[...open].sort((a, b) => rank(a.severity) - rank(b.severity))}
      />
    </>
  );
}

/** Open findings by severity, with their OWASP Top 10 for LLM ids. @public */
export function SecurityCard() {
  return <EntityCard id="security">{findings => <FindingsView findings={findings} />}</EntityCard>;
}
