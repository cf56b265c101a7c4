import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import { Chip } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { genAiPortalApiRef } from '../../api/GenAiPortalApi';
import type { GenAiApp } from '../../api/types';
import { AsyncContent } from '../common/AsyncContent';
import { formatDay } from '../common/format';
import { withRowIds } from '../common/rows';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';

type AppRow = GenAiApp & { entity?: CompoundEntityRef };

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

const columns: TableColumn<AppRow>[] = [
  {
    title: 'App',
    field: 'name',
    highlight: true,
    render: a =>
      a.entity ? (
        <EntityRefLink entityRef={a.entity} title={a.title ?? a.name} />
      ) : (
        <span title="not in the catalog">{a.title ?? a.name}</span>
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
  const catalogApi = useApiHolder().get(catalogApiRef);
  const state = useAsync(async (): Promise<AppRow[]> => {
    const apps = await api.listAllApps();
    // The table still lists apps when the catalog cannot be asked (they show unlinked).
    const entities = await catalogEntities(
      catalogApi,
      apps.map(a => a.name),
    ).catch(() => new Map<string, CompoundEntityRef>());
    return apps.map(a => ({ ...a, entity: entities.get(a.name) }));
  }, [api, catalogApi]);
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
            <Table<AppRow>
              options={{ paging: apps.length > 20, pageSize: 20, padding: 'dense' }}
              columns={columns}
              data={withRowIds(apps, a =>
                a.entity ? stringifyEntityRef(a.entity) : a.name,
              )}
              title={`${apps.length} apps`}
            />
          </div>
        )}
      </AsyncContent>
    </InfoCard>
  );
}
