import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { entityGenAiContent } from './plugin';
import { genAiPortalTranslationRef } from '../alpha';
import { genAiPortalApiRef } from '../api/GenAiPortalApi';
import * as fixtures from '../__testUtils__/fixtures';
import { answer, entity, portalClient, routeMissing } from '../__testUtils__/portal';

describe('new frontend system', () => {
  it('mounts the org page at /genai', async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    routeMissing('/api/v1/reports/costs');
    routeMissing('/api/v1/budgets');
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/genai'],
      apis: [[genAiPortalApiRef, portalClient()]],
    });
    expect(await screen.findByTestId('apps-table')).toHaveAttribute('data-count', '2');
  });

  it("shows an app's own texts (genAiPortalTranslationRef overridden by the app)", async () => {
    answer('/api/v1/apps', fixtures.appsPage);
    routeMissing('/api/v1/reports/costs');
    routeMissing('/api/v1/budgets');
    const texts = createFrontendModule({
      pluginId: 'app',
      extensions: [
        TranslationBlueprint.make({
          name: 'genai-portal',
          params: {
            resource: createTranslationMessages({
              ref: genAiPortalTranslationRef,
              messages: { notAvailable: 'This portal has no {{what}}.' },
            }),
          },
        }),
      ],
    });
    renderTestApp({
      features: [plugin, texts],
      initialRouteEntries: ['/genai'],
      apis: [[genAiPortalApiRef, portalClient()]],
    });
    const missing = await screen.findAllByTestId('not-available');
    expect(missing[0].textContent).toMatch(/^This portal has no .+\.$/);
  });

  it('adds the GenAI tab for Components with a kubernetes-id', () => {
    const tester = createExtensionTester(entityGenAiContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('GenAI');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity())).toBe(true);
    expect(filter?.({ ...entity(), kind: 'Group' })).toBe(false);
  });
});

describe('extension ids (as the README names them for app-config)', () => {
  it.each([
    'api:genai-portal',
    'page:genai-portal',
    'entity-content:genai-portal/genai',
    'entity-card:genai-portal/usage',
    'entity-card:genai-portal/cost',
    'entity-card:genai-portal/prompts',
    'entity-card:genai-portal/evals',
    'entity-card:genai-portal/security',
    'entity-card:genai-portal/readiness',
    'entity-card:genai-portal/timeline',
  ])('has %s', id => {
    expect(plugin.getExtension(id as any)).toBeDefined();
  });
});
