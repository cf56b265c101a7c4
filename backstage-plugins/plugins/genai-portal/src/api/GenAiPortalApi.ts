import { createApiRef } from '@backstage/core-plugin-api';
import type { GenAiPortalClient } from './GenAiPortalClient';

/**
 * The GenAI Portal API as the plugin uses it: the public methods of {@link GenAiPortalClient}
 * (each one documented there), so a test can stand in for the client without its internals.
 * @public
 */
export type GenAiPortalApi = Pick<GenAiPortalClient, keyof GenAiPortalClient>;

/** @public */
export const genAiPortalApiRef = createApiRef<GenAiPortalApi>({
  id: 'plugin.genai-portal.service',
});
