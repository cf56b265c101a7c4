/**
 * Rows with the unique `id` that Backstage's Table (material-table) keys its row state by; it
 * warns about every row without one. `key` names a row; a repeated name gets a suffix.
 */
export function withRowIds<T extends object>(
  rows: readonly T[],
  key: (row: T) => string | number,
): (T & { id: string })[] {
  const seen = new Map<string, number>();
  return rows.map(row => {
    const base = String(key(row));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { ...row, id: count ? `${base}#${count}` : base };
  });
}
