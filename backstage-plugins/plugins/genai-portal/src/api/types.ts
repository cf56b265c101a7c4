import type { components } from './schema';

/** A GenAI app as the portal's app registry lists it. @public */
export type GenAiApp = components['schemas']['AppPublic'];
/** One app with its workloads. @public */
export type GenAiAppDetail = components['schemas']['AppDetail'];
/** A page of apps. @public */
export type GenAiAppPage = components['schemas']['AppPage'];
/** The sync state of one data source. @public */
export type SourceStatus = components['schemas']['SourceStatusPublic'];

/** Filters of the app list. @public */
export interface AppQuery {
  team?: string;
  namespace?: string;
  status?: 'active' | 'gone';
  q?: string;
  limit?: number;
  offset?: number;
}

/** How fresh data read from the portal's store is. @public */
export interface Freshness {
  stale: boolean;
  asOf?: string | null;
  source?: string;
}

/**
 * A period of time to show, as the number of days that end now.
 * @public
 */
export type PeriodDays = 7 | 30 | 90;
