import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { server } from './__testUtils__/server';

// The machine running CI is shared: give lazy-loaded pages time to appear.
configure({ asyncUtilTimeout: 10_000 });
// Jest's default 5 s per test is too short for a Backstage page rendering on a busy machine;
// tests that need more still say so explicitly.
jest.setTimeout(60_000);

// jsdom has no layout, so no ResizeObserver; recharts' ResponsiveContainer needs one.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= NoLayoutResizeObserver;

// Every test runs against the msw portal of src/__testUtils__/server.ts: a request no handler
// answers fails the test.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
