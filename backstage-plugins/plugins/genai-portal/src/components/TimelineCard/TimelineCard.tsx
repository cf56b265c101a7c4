import { useState } from 'react';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Chip, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { AppTimeline, Change, PeriodDays } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { ChangeLegend, changeColor, changeLabel, toggled } from '../common/ChangeMarkers';
import { PeriodSelect } from '../common/PeriodSelect';
import { StaleChip } from '../common/StaleChip';
import { useAppName } from '../common/useAppName';

const DAY_MS = 86_400_000;

export function formatWhen(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

const columns: TableColumn<Change>[] = [
  { title: 'When (UTC)', field: 'at', render: c => formatWhen(c.at) },
  {
    title: 'Kind',
    field: 'kind',
    render: c => (
      <Chip
        size="small"
        label={changeLabel(c.kind)}
        style={{ borderLeft: `4px solid ${changeColor(c.kind)}` }}
        variant="outlined"
      />
    ),
  },
  { title: 'Change', field: 'summary' },
];

function TimelineView(props: { timeline: AppTimeline }) {
  const { timeline } = props;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const items = timeline.items.filter(c => !hidden.has(c.kind));
  return (
    <>
      {timeline.freshness.map(f => (
        <StaleChip
          key={f.source}
          freshness={f}
        />
      ))}
      <Typography variant="body2" data-testid="timeline-latest">
        Latest: {timeline.items[0].summary} ({formatWhen(timeline.items[0].at)})
      </Typography>
      <ChangeLegend
        changes={timeline.items}
        hidden={hidden}
        onToggle={kind => setHidden(h => toggled(h, kind))}
        testId="timeline-legend"
      />
      <div data-testid="timeline-items" data-count={items.length}>
        <Table<Change>
          options={{
            paging: items.length > 10,
            pageSize: 10,
            search: true,
            toolbar: true,
            padding: 'dense',
          }}
          columns={columns}
          data={items}
          title={`${items.length} changes`}
        />
      </div>
    </>
  );
}

/** What changed in this app, and when: deploys, models, images, scaling, budgets, findings. @public */
export function TimelineCard() {
  const app = useAppName();
  const api = useApi(genAiPortalApiRef);
  const [days, setDays] = useState<PeriodDays>(30);
  const state = useAsync(
    () => api.getTimeline(app, { from: new Date(Date.now() - days * DAY_MS).toISOString() }),
    [api, app, days],
  );
  return (
    <div data-testid="card-timeline">
      <InfoCard
        title="Timeline"
        subheader="What changed: prompts, models, images, scaling, budgets, findings, evaluations"
        action={<PeriodSelect value={days} onChange={setDays} label="Timeline period" />}
      >
        <AsyncContent
          state={state}
          what="a change timeline"
          isEmpty={t => t.items.length === 0}
          empty="No changes recorded in this period."
        >
          {timeline => <TimelineView timeline={timeline} />}
        </AsyncContent>
      </InfoCard>
    </div>
  );
}
