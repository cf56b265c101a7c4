import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Chip } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { Finding, FindingList } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { formatDay } from '../common/format';
import { useAppName } from '../common/useAppName';
import { columnsFor, useNarrow } from '../common/narrow';

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

const openCount = (list: FindingList) =>
  Object.values(list.counts).reduce((sum, n) => sum + n, 0);

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
  // Essential columns only when the card is narrow: nothing clips, no word breaks mid-word.
  const [tableBox, narrow] = useNarrow<HTMLDivElement>();
  const open = props.findings.items.filter(f => f.status === 'open');
  return (
    <>
      <Box mb={1} data-testid="severity-counts">
        {orderedCounts(props.findings.counts).map(([severity, count]) => (
          <SeverityChip key={severity} severity={severity} count={count} />
        ))}
      </Box>
      <div ref={tableBox} style={{ width: '100%', minWidth: 0 }}>
        <Table<Finding>
          options={{ paging: true, pageSize: 5, search: false, toolbar: false, padding: 'dense' }}
          columns={columnsFor(columns, narrow, ['OWASP LLM', 'Source', 'Last seen'])}
          data={[...open].sort((a, b) => rank(a.severity) - rank(b.severity))}
        />
      </div>
    </>
  );
}

/** Open findings by severity, with their OWASP Top 10 for LLM ids. @public */
export function SecurityCard() {
  const app = useAppName();
  const api = useApi(genAiPortalApiRef);
  const state = useAsync(() => api.listFindings(app), [api, app]);
  return (
    <div data-testid="card-security">
<InfoCard title="Security" subheader="Open findings by severity (OWASP Top 10 for LLM)">
      <AsyncContent
        state={state}
        what="security findings"
        isEmpty={f => openCount(f) === 0}
        empty="No open findings."
      >
        {findings => <FindingsView findings={findings} />}
      </AsyncContent>
    </InfoCard>
</div>
  );
}
