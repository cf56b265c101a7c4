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
  /** ok | failing | never-synced | off (a source that is off is never stale). */
  state?: string;
}

/**
 * A period of time to show, as the number of days that end now.
 * @public
 */
export type PeriodDays = 7 | 30 | 90;

/** An app's production readiness: checks with reasons, level, daily history. @public */
export type AppReadiness = components['schemas']['AppReadiness'];
/** One readiness check of one app. @public */
export type ReadinessCheck = components['schemas']['CheckResult'];
/** Every app's readiness, most ready first. @public */
export type OrgReadiness = components['schemas']['OrgReadiness'];
/** One app's row in the org readiness table. @public */
export type ReadinessRow = components['schemas']['ReadinessRow'];
/** A change to an app (deploy, model switch, image, scale, budget, finding...). @public */
export type Change = components['schemas']['ChangePublic'];
/** What kind of change. @public */
export type ChangeKind = components['schemas']['ChangeKind'];
/** An app's changes over a period. @public */
export type AppTimeline = components['schemas']['Timeline'];
