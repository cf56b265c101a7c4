/*
 * Test harness: the real GenAiPortalClient against an msw server that answers as the portal
 * does (its JSON bodies and its error shape), behind a Backstage-like proxy base URL.
 */
import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { PORTAL, PROXY_BASE, server } from './server';
import { genAiPortalApiRef } from '../api/GenAiPortalApi';
import { GenAiPortalClient } from '../api/GenAiPortalClient';

export { PORTAL, PROXY_BASE, server } from './server';

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

/** Renders `element` (a card, the GenAI tab) on the entity page of the default app. */
export function renderOnEntityPage(element: ReactElement) {
  return renderWithPortal(element, entity());
}

/** The portal answers `path` with `body`; then `card` renders on the default app's entity page. */
export function renderCardWith(card: ReactElement, path: string, body: unknown) {
  answer(path, body);
  return renderOnEntityPage(card);
}

/**
 * The states every card shows through AsyncContent, one test each: its source down (the
 * error names `source`), the portal without its route ("not available" names `what`), and,
 * when `empty` is given, an answer with nothing to show (the card says `empty.text`).
 */
export function itShowsTheCardStates(
  card: ReactElement,
  path: string,
  states: { source: string; what: string; empty?: { body: unknown; text: string } },
) {
  const { source, what, empty } = states;
  if (empty) {
    it('says so when there is nothing to show', async () => {
      await renderCardWith(card, path, empty.body);
      expect(await screen.findByTestId('empty')).toHaveTextContent(empty.text);
    });
  }

  it('shows the error of a source that is down', async () => {
    sourceDown(path, source);
    await renderOnEntityPage(card);
    const errors = await screen.findAllByText(new RegExp(`${source}: connection refused`));
    expect(errors[0]).toBeInTheDocument();
  });

  it(`says "not available" without the route`, async () => {
    routeMissing(path);
    await renderOnEntityPage(card);
    expect(await screen.findByTestId('not-available')).toHaveTextContent(
      `Not available: this GenAI Portal does not provide ${what} yet.`,
    );
  });
}

/**
 * Answers `path` with `bodyFor(days)` for the period each request asks for, and records those
 * periods (in days, from the request's from/to) in the array it returns.
 */
export function answerPerPeriod(path: string, bodyFor: (days: number) => unknown): number[] {
  const spans: number[] = [];
  server.use(
    http.get(`${PORTAL}${path}`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const days = (Date.parse(params.get('to')!) - Date.parse(params.get('from')!)) / 86_400_000;
      spans.push(Math.round(days));
      return HttpResponse.json(bodyFor(days) as any);
    }),
  );
  return spans;
}

/** Picks `option` in the select labelled `label` (a period, a filter). */
export async function choose(label: string, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}
