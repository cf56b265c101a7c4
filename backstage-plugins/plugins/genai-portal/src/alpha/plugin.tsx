import { ApiBlueprint, PageBlueprint, createFrontendPlugin } from '@backstage/frontend-plugin-api';
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
import { genAiPortalApiFactory } from '../apiFactory';
import { isGenAiApp } from '../components/common/useAppName';
import { rootRouteRef } from '../routes';

const filter = (entity: Entity) => isGenAiApp(entity);

/** @alpha */
export const genAiPortalApi = ApiBlueprint.make({
  params: defineParams => defineParams(genAiPortalApiFactory),
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

/**
 * An entity card for the Overview tab. The GenAI tab shows every card; the ones `disabled`
 * here are off by default on the Overview: enable one in app-config
 * (app.extensions: - entity-card:genai-portal/<name>: true).
 */
function entityCard<TName extends string>(
  name: TName,
  loader: () => Promise<JSX.Element>,
  disabled = true,
) {
  return EntityCardBlueprint.make({ name, disabled, params: { type: 'content', filter, loader } });
}

/** @alpha */
export const entityGenAiUsageCard = entityCard('usage', () =>
  import('../components/UsageCard').then(m => compatWrapper(<m.UsageCard />)),
);

/** @alpha */
export const entityGenAiCostCard = entityCard('cost', () =>
  import('../components/CostCard').then(m => compatWrapper(<m.CostCard />)),
);

/** @alpha */
export const entityGenAiPromptsCard = entityCard('prompts', () =>
  import('../components/PromptsCard').then(m => compatWrapper(<m.PromptsCard />)),
);

/** @alpha */
export const entityGenAiEvalsCard = entityCard('evals', () =>
  import('../components/EvalsCard').then(m => compatWrapper(<m.EvalsCard />)),
);

/** @alpha */
export const entityGenAiSecurityCard = entityCard('security', () =>
  import('../components/SecurityCard').then(m => compatWrapper(<m.SecurityCard />)),
);

/** @alpha */
export const entityGenAiReadinessCard = entityCard(
  'readiness',
  () => import('../components/ReadinessCard').then(m => compatWrapper(<m.ReadinessCard />)),
  false,
);

/** @alpha */
export const entityGenAiTimelineCard = entityCard(
  'timeline',
  () => import('../components/TimelineCard').then(m => compatWrapper(<m.TimelineCard />)),
  false,
);

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
