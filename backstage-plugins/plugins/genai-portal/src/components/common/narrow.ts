import { useEffect, useState } from 'react';
import type { TableColumn } from '@backstage/core-components';

/** Below this width (px) a card's table shows its essential columns only. */
export const NARROW_CARD_PX = 720;

/**
 * Whether the element is narrower than `width`: a card's own width, not the window's, since the
 * same card is full width on one page and half width on another.
 */
export function useNarrow<T extends HTMLElement>(width: number = NARROW_CARD_PX) {
  // A callback ref: the element may appear after the first render (when the data has loaded).
  const [element, setElement] = useState<T | null>(null);
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(([entry]) =>
      setNarrow(entry.contentRect.width < width),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, width]);
  return [setElement, narrow] as const;
}

/** The columns to show: without the `optional` ones (by title) when the card is narrow. */
export function columnsFor<T extends object>(
  columns: TableColumn<T>[],
  narrow: boolean,
  optional: string[],
): TableColumn<T>[] {
  return narrow ? columns.filter(c => !optional.includes(String(c.title))) : columns;
}
