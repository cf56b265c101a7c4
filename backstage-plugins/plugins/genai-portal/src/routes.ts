import { createRouteRef } from '@backstage/core-plugin-api';

/** The org page (`/genai`). */
export const rootRouteRef = createRouteRef({ id: 'genai-portal' });

/** The GenAI tab of an entity page. */
export const entityContentRouteRef = createRouteRef({
  id: 'genai-portal:entity-content',
});
