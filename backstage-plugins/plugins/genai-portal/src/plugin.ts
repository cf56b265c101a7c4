import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { genAiPortalApiFactory } from './apiFactory';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The GenAI Portal plugin for Backstage's legacy frontend system.
 * @public
 */
export const genAiPortalPlugin = createPlugin({
  id: 'genai-portal',
  apis: [genAiPortalApiFactory],
  routes: { root: rootRouteRef },
});

/** The org page: cost report, budgets, top movers and the table of apps. @public */
export const GenAiPortalPage = genAiPortalPlugin.provide(
  createRoutableExtension({
    name: 'GenAiPortalPage',
    component: () =>
      import('./components/GenAiPortalPage').then(m => m.GenAiPortalPage),
    mountPoint: rootRouteRef,
  }),
);

/** The GenAI tab of a Component's entity page. @public */
export const EntityGenAiContent = genAiPortalPlugin.provide(
  createRoutableExtension({
    name: 'EntityGenAiContent',
    component: () =>
      import('./components/EntityGenAiContent').then(m => m.EntityGenAiContent),
    mountPoint: entityContentRouteRef,
  }),
);

/** A card for an entity page's Overview, loaded when first shown. */
function entityCard(name: string, card: () => Promise<() => JSX.Element>) {
  return genAiPortalPlugin.provide(createComponentExtension({ name, component: { lazy: card } }));
}

/** @public */
export const EntityGenAiUsageCard = entityCard('EntityGenAiUsageCard', () =>
  import('./components/UsageCard').then(m => m.UsageCard),
);

/** @public */
export const EntityGenAiCostCard = entityCard('EntityGenAiCostCard', () =>
  import('./components/CostCard').then(m => m.CostCard),
);

/** @public */
export const EntityGenAiPromptsCard = entityCard('EntityGenAiPromptsCard', () =>
  import('./components/PromptsCard').then(m => m.PromptsCard),
);

/** @public */
export const EntityGenAiEvalsCard = entityCard('EntityGenAiEvalsCard', () =>
  import('./components/EvalsCard').then(m => m.EvalsCard),
);

/** @public */
export const EntityGenAiSecurityCard = entityCard('EntityGenAiSecurityCard', () =>
  import('./components/SecurityCard').then(m => m.SecurityCard),
);

/** @public */
export const EntityGenAiReadinessCard = entityCard('EntityGenAiReadinessCard', () =>
  import('./components/ReadinessCard').then(m => m.ReadinessCard),
);

/** @public */
export const EntityGenAiTimelineCard = entityCard('EntityGenAiTimelineCard', () =>
  import('./components/TimelineCard').then(m => m.TimelineCard),
);
