/*
 * The msw server that answers as the portal does, behind a Backstage-like proxy base URL. Every
 * test of the plugin runs with it (setupTests.ts); src/__testUtils__/portal.tsx has the helpers.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const PROXY_BASE = 'http://backstage.test/api/proxy';
export const PORTAL = `${PROXY_BASE}/genai-portal`;

const notFound = () =>
  HttpResponse.json({ error: 'NotFound', detail: 'Not Found' }, { status: 404 });
const never = { as_of: null, stale: false };

// What every test gets unless it says more: routes newer than most tests answered as a portal
// without them, and no prompts (so no deploy markers on charts) and no budgets.
export const server = setupServer(
  http.get(`${PORTAL}/api/v1/readiness`, notFound),
  http.get(`${PORTAL}/api/v1/apps/:app/timeline`, notFound),
  http.get(`${PORTAL}/api/v1/apps/:app/prompts`, () =>
    HttpResponse.json({ prompts: [], cluster: { source: 'kubernetes', ...never } }),
  ),
  http.get(`${PORTAL}/api/v1/budgets`, () =>
    HttpResponse.json({ month: '2026-11', items: [], freshness: { source: 'prometheus', ...never } }),
  ),
);
