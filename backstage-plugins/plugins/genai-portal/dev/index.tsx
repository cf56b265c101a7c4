import { ReactNode } from 'react';
import { createDevApp } from '@backstage/dev-utils';
import { Content, Header, HeaderLabel, Page } from '@backstage/core-components';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { useParams } from 'react-router-dom';
import {
  EntityGenAiContent,
  GenAiPortalPage,
  genAiPortalPlugin,
} from '../src';

/** What the catalog would hold for a demo app: a Component labelled with its kubernetes-id. */
function demoEntity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/demo' },
  };
}

/** Stands in for the catalog's entity page around the GenAI tab of one app. */
function DevEntityPage(props: { children: ReactNode }) {
  const { name = 'support-assistant' } = useParams();
  return (
    <EntityProvider entity={demoEntity(name)}>
      <Page themeId="service">
        <Header title={name} type="component">
          <HeaderLabel label="Tab" value="GenAI" />
        </Header>
        <Content>
          {props.children}
        </Content>
      </Page>
    </EntityProvider>
  );
}

// The dev app has no auth backend: sign in with the legacy guest identity without asking.
localStorage.setItem('enableLegacyGuestToken', 'true');
localStorage.setItem('@backstage/core:SignInPage:provider', 'guest');

createDevApp()
  .registerPlugin(genAiPortalPlugin)
  .addPage({
    path: '/genai',
    title: 'GenAI (org)',
    element: <GenAiPortalPage />,
  })
  .addPage({
    path: '/catalog/default/component/support-assistant/genai',
    title: 'GenAI tab',
    element: (
      <DevEntityPage>
        <EntityGenAiContent />
      </DevEntityPage>
    ),
  })
  // Any other app, as linked from the org page's table.
  .addPage({
    path: '/catalog/default/component/:name/genai',
    element: (
      <DevEntityPage>
        <EntityGenAiContent />
      </DevEntityPage>
    ),
  })
  .render();
