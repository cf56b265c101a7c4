import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Chip } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { GenAiApp } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { formatDay } from '../common/format';

const columns: TableColumn<GenAiApp>[] = [
  {
    title: 'App',
    field: 'name',
    highlight: true,
    render: a => (
      <Link to={`/catalog/default/component/${a.name}/genai`}>{a.title ?? a.name}</Link>
    ),
  },
  { title: 'Name', field: 'name' },
  { title: 'Team', field: 'team', render: a => a.team ?? '–' },
  { title: 'Namespace', field: 'namespace', render: a => a.namespace ?? '–' },
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
];

/** Every GenAI app the portal knows. @public */
export function AppsTable() {
  const api = useApi(genAiPortalApiRef);
  const state = useAsync(() => api.listAllApps(), [api]);
  return (
    <InfoCard title="GenAI apps" noPadding>
      <AsyncContent
        state={state}
        what="the app registry"
        isEmpty={apps => apps.length === 0}
        empty="No GenAI apps found: the portal has not discovered or registered any."
      >
        {apps => (
          <div data-testid="apps-table" data-count={apps.length}>
            <Table<GenAiApp>
              options={{ paging: apps.length > 20, pageSize: 20, padding: 'dense' }}
              columns={columns}
              data={apps}
              title={`${apps.length} apps`}
            />
          </div>
        )}
      </AsyncContent>
    </InfoCard>
  );
}
