/*
 * Test harness: the real GenAiPortalClient against an msw server that answers as the portal
 * does (its JSON bodies and its error shape), behind a Backstage-like proxy base URL.
 */
import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { genAiPortalApiRef } from '../api/GenAiPortalApi';
import { GenAiPortalClient } from '../api/GenAiPortalClient';

export const PROXY_BASE = 'http://backstage.test/api/proxy';
export const PORTAL = `${PROXY_BASE}/genai-portal`;

// Routes newer than most tests: answered as a portal without them unless a test says more.
export const server = setupServer(
  http.get(`${PORTAL}/api/v1/readiness`, () =>
    HttpResponse.json({ error: 'NotFound', detail: 'Not Found' }, { status: 404 }),
  ),
  http.get(`${PORTAL}/api/v1/apps/:app/timeline`, () =>
    HttpResponse.json({ error: 'NotFound', detail: 'Not Found' }, { status: 404 }),
  ),
);

/** Registers the msw server's lifecycle in the calling test file. */
export function setupPortalServer() {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
}

export function portalClient() {
  return new GenAiPortalClient({
    discoveryApi: { getBaseUrl: async () => PROXY_BASE },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

/** The portal answers `path` with `body` (status 200 unless given). */
export function answer(path: string, body: unknown, status = 200) {
  server.use(
    http.get(`${PORTAL}${path}`, () => HttpResponse.json(body as any, { status })),
  );
}

/** The portal does not have the route (FastAPI's default 404 in the portal's error shape). */
export function routeMissing(path: string) {
  answer(path, { error: 'NotFound', detail: 'Not Found' }, 404);
}

/** The app has no prompts (so no deploy markers on charts) and no budget. */
export function noPromptsNoBudgets(app = 'support-assistant') {
  answer(`/api/v1/apps/${app}/prompts`, {
    prompts: [],
    cluster: { source: 'kubernetes', as_of: null, stale: false },
  });
  answer('/api/v1/budgets', { month: '2026-11', items: [], freshness: { source: 'prometheus', as_of: null, stale: false } });
}

/** A source is down. */
export function sourceDown(path: string, source = 'prometheus') {
  answer(
    path,
    { error: 'SourceUnavailable', detail: `${source}: connection refused`, source },
    503,
  );
}

export function entity(name = 'support-assistant'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${name}-component`,
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

export function renderWithPortal(element: ReactElement, forEntity?: Entity) {
  const content = forEntity ? (
    <EntityProvider entity={forEntity}>{element}</EntityProvider>
  ) : (
    element
  );
  return renderInTestApp(
    <TestApiProvider apis={[[genAiPortalApiRef, portalClient()]]}>
      {content}
    </TestApiProvider>,
  );
}
