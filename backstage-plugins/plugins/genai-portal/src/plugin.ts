import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { genAiPortalApiRef } from './api/GenAiPortalApi';
import { GenAiPortalClient } from './api/GenAiPortalClient';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The GenAI Portal plugin for Backstage's legacy frontend system.
 * @public
 */
export const genAiPortalPlugin = createPlugin({
  id: 'genai-portal',
  apis: [
    createApiFactory({
      api: genAiPortalApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
      },
      factory: deps => GenAiPortalClient.fromConfig(deps),
    }),
  ],
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

/** @public */
export const EntityGenAiUsageCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiUsageCard',
    component: { lazy: () => import('./components/UsageCard').then(m => m.UsageCard) },
  }),
);

/** @public */
export const EntityGenAiCostCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiCostCard',
    component: { lazy: () => import('./components/CostCard').then(m => m.CostCard) },
  }),
);

/** @public */
export const EntityGenAiPromptsCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiPromptsCard',
    component: { lazy: () => import('./components/PromptsCard').then(m => m.PromptsCard) },
  }),
);

/** @public */
export const EntityGenAiEvalsCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiEvalsCard',
    component: { lazy: () => import('./components/EvalsCard').then(m => m.EvalsCard) },
  }),
);

/** @public */
export const EntityGenAiSecurityCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiSecurityCard',
    component: {
      lazy: () => import('./components/SecurityCard').then(m => m.SecurityCard),
    },
  }),
);

/** @public */
export const EntityGenAiReadinessCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiReadinessCard',
    component: {
      lazy: () => import('./components/ReadinessCard').then(m => m.ReadinessCard),
    },
  }),
);

/** @public */
export const EntityGenAiTimelineCard = genAiPortalPlugin.provide(
  createComponentExtension({
    name: 'EntityGenAiTimelineCard',
    component: {
      lazy: () => import('./components/TimelineCard').then(m => m.TimelineCard),
    },
  }),
);
