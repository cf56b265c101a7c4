/** Formats shared by the cards; the browser test formats API numbers the same way. */

export function formatMoney(value: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(
    value,
  );
}

export function formatCompact(value: number): string {
  return new Intl.NumberFormat('en-US', {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(value);
}

export function formatPercent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatSeconds(value: number | null): string {
  if (value === null) return '–';
  return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
}

/** Relative change from previous to current, or null when there is no base. */
export function change(current: number, previous: number | null): number | null {
  if (previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

export function formatChange(value: number | null): string {
  if (value === null) return 'new';
  const sign = value > 0 ? '+' : '';
  return `${sign}${(value * 100).toFixed(1)}%`;
}

export function formatDay(iso: string): string {
  return iso.slice(0, 10);
}

export function formatBucket(iso: string, granularity: 'hour' | 'day'): string {
  return granularity === 'hour'
    ? `${iso.slice(5, 13).replace('T', ' ')}h`
    : iso.slice(5, 10);
}

/** The month of a date as YYYY-MM (UTC). */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function previousMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, mon - 2, 1));
  return monthOf(date);
}

/** "so far, up to 14:05 UTC": the end of a partial bucket (the current hour or day). */
export function formatSoFar(iso: string | null | undefined): string {
  if (!iso) return 'so far';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'so far';
  return `so far, up to ${at.toISOString().slice(11, 16)} UTC`;
}
