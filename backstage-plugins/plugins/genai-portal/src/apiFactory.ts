import {
  configApiRef,
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { genAiPortalApiRef } from './api/GenAiPortalApi';
import { GenAiPortalClient } from './api/GenAiPortalClient';

/**
 * The plugin's API as both frontend systems install it: the client on the proxy path of
 * `genaiPortal.proxyPath`, through Backstage's discovery and fetch APIs.
 */
export const genAiPortalApiFactory = createApiFactory({
  api: genAiPortalApiRef,
  deps: { configApi: configApiRef, discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: deps => GenAiPortalClient.fromConfig(deps),
});
