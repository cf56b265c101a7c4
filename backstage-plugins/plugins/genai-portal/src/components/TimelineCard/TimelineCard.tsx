import { useState } from 'react';
import { TableColumn } from '@backstage/core-components';
import { Chip, Typography } from '@material-ui/core';
import type { AppTimeline, Change } from '../../api/types';
import { CardTable } from '../common/CardTable';
import { ChangeLegend, changeColor, changeLabel, toggled } from '../common/ChangeMarkers';
import { EntityCard } from '../common/EntityCard';
import { StaleChip } from '../common/StaleChip';

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
      <CardTable
        testId="timeline-items"
        options={{ paging: items.length > 10, pageSize: 10, search: true, toolbar: true }}
        columns={columns}
        data={items}
        title={`${items.length} changes`}
      />
    </>
  );
}

/** What changed in this app, and when: deploys, models, images, scaling, budgets, findings. @public */
export function TimelineCard() {
  return <EntityCard id="timeline">{timeline => <TimelineView timeline={timeline} />}</EntityCard>;
}
