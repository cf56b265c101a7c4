import {
  ApiBlueprint,
  PageBlueprint,
  configApiRef,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import BubbleChartIcon from '@material-ui/icons/BubbleChart';
import { genAiPortalApiRef } from '../api/GenAiPortalApi';
import { GenAiPortalClient } from '../api/GenAiPortalClient';
import { isGenAiApp } from '../components/common/useAppName';
import { rootRouteRef } from '../routes';

const filter = (entity: Entity) => isGenAiApp(entity);

/** @alpha */
export const genAiPortalApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: genAiPortalApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
      },
      factory: deps => GenAiPortalClient.fromConfig(deps),
    }),
});

/** @alpha */
export const genAiPortalPage = PageBlueprint.make({
  params: {
    path: '/genai',
    title: 'GenAI',
    // The icon makes the app's sidebar list the page (nav items come from pages that have one).
    icon: <BubbleChartIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('../components/GenAiPortalPage').then(m =>
        compatWrapper(<m.GenAiPortalPage />),
      ),
  },
});

/** @alpha */
export const entityGenAiContent = EntityContentBlueprint.make({
  name: 'genai',
  params: {
    path: '/genai',
    title: 'GenAI',
    filter,
    loader: () =>
      import('../components/EntityGenAiContent').then(m =>
        compatWrapper(<m.EntityGenAiContent />),
      ),
  },
});

/** @alpha */
export const entityGenAiUsageCard = EntityCardBlueprint.make({
  name: 'usage',
  // Off by default: the GenAI tab shows all five; enable one for the Overview in app-config
  // (app.extensions: - entity-card:genai-portal/<name>: true).
  disabled: true,
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/UsageCard').then(m => compatWrapper(<m.UsageCard />)),
  },
});

/** @alpha */
export const entityGenAiCostCard = EntityCardBlueprint.make({
  name: 'cost',
  // Off by default: the GenAI tab shows all five; enable one for the Overview in app-config
  // (app.extensions: - entity-card:genai-portal/<name>: true).
  disabled: true,
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/CostCard').then(m => compatWrapper(<m.CostCard />)),
  },
});

/** @alpha */
export const entityGenAiPromptsCard = EntityCardBlueprint.make({
  name: 'prompts',
  // Off by default: the GenAI tab shows all five; enable one for the Overview in app-config
  // (app.extensions: - entity-card:genai-portal/<name>: true).
  disabled: true,
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/PromptsCard').then(m => compatWrapper(<m.PromptsCard />)),
  },
});

/** @alpha */
export const entityGenAiEvalsCard = EntityCardBlueprint.make({
  name: 'evals',
  // Off by default: the GenAI tab shows all five; enable one for the Overview in app-config
  // (app.extensions: - entity-card:genai-portal/<name>: true).
  disabled: true,
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/EvalsCard').then(m => compatWrapper(<m.EvalsCard />)),
  },
});

/** @alpha */
export const entityGenAiSecurityCard = EntityCardBlueprint.make({
  name: 'security',
  // Off by default: the GenAI tab shows all five; enable one for the Overview in app-config
  // (app.extensions: - entity-card:genai-portal/<name>: true).
  disabled: true,
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/SecurityCard').then(m => compatWrapper(<m.SecurityCard />)),
  },
});

/** @alpha */
export const entityGenAiReadinessCard = EntityCardBlueprint.make({
  name: 'readiness',
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/ReadinessCard').then(m => compatWrapper(<m.ReadinessCard />)),
  },
});

/** @alpha */
export const entityGenAiTimelineCard = EntityCardBlueprint.make({
  name: 'timeline',
  params: {
    type: 'content',
    filter,
    loader: () =>
      import('../components/TimelineCard').then(m => compatWrapper(<m.TimelineCard />)),
  },
});

/**
 * The GenAI Portal plugin for Backstage's new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'genai-portal',
  title: 'GenAI',
  icon: <BubbleChartIcon />,
  extensions: [
    genAiPortalApi,
    genAiPortalPage,
    entityGenAiContent,
    entityGenAiUsageCard,
    entityGenAiCostCard,
    entityGenAiPromptsCard,
    entityGenAiEvalsCard,
    entityGenAiSecurityCard,
    entityGenAiReadinessCard,
    entityGenAiTimelineCard,
  ],
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
});
