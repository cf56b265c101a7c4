import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The machine running CI is shared: give lazy-loaded pages time to appear.
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no layout, so no ResizeObserver; recharts' ResponsiveContainer needs one.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= NoLayoutResizeObserver;
