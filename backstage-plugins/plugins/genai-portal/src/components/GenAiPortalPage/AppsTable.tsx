import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import { Box, Chip, MenuItem, Select } from '@material-ui/core';
import { Fragment, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { GenAiApp, OrgReadiness, ReadinessRow } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { formatDay } from '../common/format';
import { withRowIds } from '../common/rows';
import { LevelChip, levelRank } from '../common/ReadinessLevel';
import { columnsFor, useNarrow } from '../common/narrow';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * The catalog entity of each app: the one whose `backstage.io/kubernetes-id` names it, in any
 * namespace (the portal knows apps by that id, not by entity ref).
 */
async function catalogEntities(
  catalogApi: typeof catalogApiRef.T | undefined,
  names: string[],
): Promise<Map<string, CompoundEntityRef>> {
  const found = new Map<string, CompoundEntityRef>();
  if (!catalogApi || names.length === 0) return found;
  const { items } = await catalogApi.getEntities({
    filter: { kind: 'Component', [`metadata.annotations.${KUBERNETES_ID}`]: names },
    fields: ['kind', 'metadata.name', 'metadata.namespace', `metadata.annotations.${KUBERNETES_ID}`],
  });
  for (const entity of items) {
    const id = entity.metadata.annotations?.[KUBERNETES_ID];
    if (id && !found.has(id)) {
      found.set(id, {
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
      });
    }
  }
  return found;
}

type AppRow = GenAiApp & { entity?: CompoundEntityRef; readiness?: ReadinessRow; rank: number };

/** Apps with their readiness, most ready first (level, then score), then by name. */
export function withReadiness(apps: GenAiApp[], readiness: OrgReadiness | null): AppRow[] {
  const byApp = new Map((readiness?.items ?? []).map(r => [r.app, r]));
  const levels = readiness?.levels ?? [];
  return apps
    .map(a => {
      const r = byApp.get(a.name);
      return { ...a, readiness: r, rank: r ? levelRank(levels, r.level) * 1000 + r.score : -1 };
    })
    .sort((a, b) => b.rank - a.rank || a.name.localeCompare(b.name));
}

const readinessColumn: TableColumn<AppRow> = {
  title: 'Readiness',
  field: 'rank',
  defaultSort: 'desc',
  render: a =>
    a.readiness ? (
      <Box display="flex" alignItems="center" data-testid={`readiness-${a.name}`}>
        <LevelChip level={a.readiness.level} testId={`level-${a.name}`} />
        <Box ml={1}>{a.readiness.score}%</Box>
      </Box>
    ) : (
      '–'
    ),
};

/**
 * A name that wraps only after its separators (`-`, `_`, `.`, `/`), never inside a word: the
 * table's cells would otherwise break "customer-care" as "custome|r-care".
 */
export function AppName(props: { name: string; title?: string; testId?: string }) {
  const parts = props.name.split(/(?<=[-_./])/);
  return (
    <span
      title={props.title}
      data-testid={props.testId}
      style={{ wordBreak: 'normal', overflowWrap: 'normal', whiteSpace: 'normal' }}
    >
      {parts.map((part, i) => (
        <Fragment key={`${i}-${part}`}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </span>
  );
}

const columns: TableColumn<AppRow>[] = [
  {
    title: 'App',
    field: 'name',
    highlight: true,
    render: a =>
      a.entity ? (
        <EntityRefLink entityRef={a.entity}>
          <AppName name={a.title ?? a.name} />
        </EntityRefLink>
      ) : (
        <AppName name={a.title ?? a.name} title="not in the catalog" />
      ),
  },
  {
    title: 'Name',
    field: 'name',
    render: a => <AppName name={a.name} testId={`app-name-${a.name}`} />,
  },
  {
    title: 'Team',
    field: 'team',
    render: a => (a.team ? <AppName name={a.team} testId={`app-team-${a.name}`} /> : '–'),
  },
  {
    title: 'Namespace',
    field: 'namespace',
    render: a => (a.namespace ? <AppName name={a.namespace} /> : '–'),
  },
  { title: 'Lifecycle', field: 'lifecycle', render: a => a.lifecycle ?? '–' },
  {
    title: 'Status',
    field: 'status',
    render: a => (
      <Chip size="small" label={a.status} color={a.status === 'active' ? 'primary' : 'default'} />
    ),
  },
  { title: 'Origin', field: 'origin' },
  { title: 'Last seen', field: 'last_seen', render: a => formatDay(a.last_seen) },
  readinessColumn,
];

/** Columns a narrow table leaves out: it keeps the app, its id, team and readiness. */
const NARROW_HIDDEN = ['Namespace', 'Lifecycle', 'Status', 'Origin', 'Last seen'];

/** Every GenAI app the portal knows. @public */
export function AppsTable() {
  const api = useApi(genAiPortalApiRef);
  const catalogApi = useApiHolder().get(catalogApiRef);
  const [level, setLevel] = useState<string>('all');
  const state = useAsync(async () => {
    // A portal without the scorecard still lists its apps.
    const [apps, readiness] = await Promise.all([
      api.listAllApps(),
      api.listReadiness().catch(() => null),
    ]);
    // The table still lists apps when the catalog cannot be asked (they show unlinked).
    const entities = await catalogEntities(
      catalogApi,
      apps.map(a => a.name),
    ).catch(() => new Map<string, CompoundEntityRef>());
    const rows = withReadiness(apps, readiness).map(a => ({ ...a, entity: entities.get(a.name) }));
    return { rows, levels: readiness?.levels ?? [] };
  }, [api, catalogApi]);
  const levels = state.value?.levels ?? [];
  // Essential columns only when the table is narrow: names wrap at their separators, not mid-word.
  const [tableBox, narrow] = useNarrow<HTMLDivElement>();
  return (
    <div data-testid="section-apps">
    <InfoCard
      title="GenAI apps"
      noPadding
      action={
        levels.length > 0 && (
          <Select
            value={level}
            onChange={e => setLevel(String(e.target.value))}
            inputProps={{ 'aria-label': 'Readiness level' }}
          >
            <MenuItem value="all">All levels</MenuItem>
            {[...levels].reverse().map(l => (
              <MenuItem key={l} value={l}>
                {l}
              </MenuItem>
            ))}
            <MenuItem value="none">No level</MenuItem>
          </Select>
        )
      }
    >
      <AsyncContent
        state={state}
        what="the app registry"
        isEmpty={v => v.rows.length === 0}
        empty="No GenAI apps found: the portal has not discovered or registered any."
      >
        {v => {
          const apps = v.rows.filter(
            a =>
              level === 'all' ||
              (a.readiness && (a.readiness.level ?? 'none') === level),
          );
          return (
          <div
            ref={tableBox}
            data-testid="apps-table"
            data-count={apps.length}
            style={{ width: '100%', minWidth: 0 }}
          >
            <Table<AppRow>
              options={{ paging: apps.length > 20, pageSize: 20, padding: 'dense' }}
              columns={columnsFor(columns, narrow, NARROW_HIDDEN)}
              data={withRowIds(apps, a =>
                a.entity ? stringifyEntityRef(a.entity) : a.name,
              )}
              title={`${apps.length} apps`}
            />
          </div>
          );
        }}
      </AsyncContent>
    </InfoCard>
    </div>
  );
}
