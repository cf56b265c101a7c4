import type { components, paths } from './schema';

// The portal's answers, as its OpenAPI document (src/api/schema.ts) names them.

/** A GenAI app as the portal's app registry lists it. @public */
export type GenAiApp = components['schemas']['AppPublic'];
/** One app with its workloads. @public */
export type GenAiAppDetail = components['schemas']['AppDetail'];
/** A page of apps. @public */
export type GenAiAppPage = components['schemas']['AppPage'];
/** The sync state of one data source. @public */
export type SourceStatus = components['schemas']['SourceStatusPublic'];

/**
 * How fresh data read from the portal's store is: `state` is ok, failing, never-synced or off
 * (a source that is off is never stale).
 * @public
 */
export type Freshness = components['schemas']['Freshness'];

/** A page of security findings with the count of open ones by severity. @public */
export type FindingList = components['schemas']['FindingPage'];
/** A security finding. @public */
export type Finding = components['schemas']['FindingPublic'];

/** One version of a prompt, with its scores and the workloads running it. @public */
export type PromptVersion = components['schemas']['PromptVersionSummary'];

/** One evaluation run. @public */
export type EvalRun = components['schemas']['EvalRunPublic'];

/** A diff between two versions of a prompt (template and parameters as unified diffs). @public */
export type PromptDiff = components['schemas']['PromptDiff'];

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

// What the plugin asks: query parameters and periods.

/** Filters of the app list. @public */
export type AppQuery = NonNullable<
  paths['/api/v1/apps']['get']['parameters']['query']
>;

/** Filters of the org readiness table (a team, a level). @public */
export type ReadinessQuery = Omit<
  NonNullable<paths['/api/v1/readiness']['get']['parameters']['query']>,
  'format'
>;

/**
 * A period of time to show, as the number of days that end now.
 * @public
 */
export type PeriodDays = 7 | 30 | 90;
