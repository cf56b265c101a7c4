/*
 * What the cards show. The client maps the portal's JSON onto these, so a change in a route's
 * shape changes one adapter (src/api/adapters.ts), not every card.
 */
import type { Freshness } from './types';

/** A deploy of a new prompt version, marked on the usage and cost charts. @public */
export interface DeployMarker {
  at: string;
  prompt: string;
  version: number;
}

/** Usage of one model in one time bucket. @public */
export interface UsagePoint {
  bucket: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  requests: number;
  errors: number;
  /** Median latency of the bucket in seconds, when known. */
  latencySeconds: number | null;
  /** 95th percentile latency of the bucket in seconds, when known. */
  latencyP95Seconds: number | null;
  /** The bucket is not over or not synced to its end yet (the current hour or day so far). */
  partial?: boolean;
}

/** Usage totals of one model over the period. @public */
export interface ModelUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  requests: number;
  errors: number;
  /** Request-weighted mean of the buckets' median latency. */
  latencySeconds: number | null;
}

/** An app's usage over a period. @public */
export interface AppUsage {
  start: string;
  end: string;
  granularity: 'hour' | 'day';
  app: string;
  points: UsagePoint[];
  byModel: ModelUsage[];
  deploys: DeployMarker[];
  freshness: Freshness;
  /** Up to when the stored usage is complete (the last sync); later buckets are partial. */
  coveredUntil?: string | null;
}

/** One day of cost. @public */
export interface CostPoint {
  date: string;
  cost: number;
}

/** The state of a budget. @public */
export interface BudgetState {
  /** team or app */
  scope: string;
  name: string;
  month: string;
  amount: number;
  spent: number;
  forecast: number | null;
  /** ok, warning (forecast over), exceeded (spent over). */
  state: 'ok' | 'warning' | 'exceeded' | string;
  /** Alert thresholds that fire now, e.g. "80% actual", "100% forecast". */
  firing: string[];
}

/** An app's cost. @public */
export interface AppCost {
  currency: string;
  monthToDate: number;
  forecast: number | null;
  /** Where the forecast comes from: the app's budget, or a straight line from the days so far. */
  forecastBasis: 'budget' | 'linear' | null;
  previousMonth: number | null;
  trend: CostPoint[];
  byModel: { model: string; cost: number }[];
  budget: BudgetState | null;
  /** Tokens used by models without a price; their cost is unknown. */
  unpricedTokens: number;
  unpricedModels: string[];
  deploys: DeployMarker[];
  freshness: Freshness;
  /** Up to when the stored usage is complete: month to date counts up to then. */
  coveredUntil?: string | null;
}

/** One version of a prompt. @public */
export interface PromptVersion {
  version: number;
  hash: string;
  createdAt: string;
  labels: string[];
  source: string | null;
  model: string | null;
  /** Workloads ("namespace/workload") running this version now. */
  runningIn: string[];
  /** Mean aggregate evaluation score, when evaluated. */
  score: number | null;
  regression: boolean;
}

/** A prompt of an app with its versions. @public */
export interface Prompt {
  name: string;
  versions: PromptVersion[];
  labels: Record<string, number>;
  /** The versions that workloads run now, by workload. */
  running: { workload: string; version: number | null; since: string | null }[];
  regression: boolean;
}

/** An app's prompts, and how fresh the reading of what runs now is. @public */
export interface AppPrompts {
  prompts: Prompt[];
  freshness: Freshness;
}

/** A diff between two versions of a prompt. @public */
export interface PromptDiff {
  name: string;
  from: number;
  to: number;
  /** Unified diff text (template, then parameters). */
  diff: string;
  /** Which fields differ: template, variables, model, parameters. */
  changed: string[];
}

/** One evaluation run. @public */
export interface EvalRun {
  id: string;
  prompt: string | null;
  version: number | null;
  createdAt: string;
  model: string | null;
  dataset: string | null;
  scores: Record<string, number>;
  aggregateScore: number | null;
  passed: number;
  failed: number;
  regression: boolean;
}

/** A score that fell between two consecutive versions. @public */
export interface EvalRegression {
  prompt: string | null;
  metric: string;
  fromVersion: number | null;
  toVersion: number | null;
  before: number;
  after: number;
}

/** An app's evaluations. @public */
export interface AppEvals {
  runs: EvalRun[];
  regressions: EvalRegression[];
}

/** A security finding. @public */
export interface Finding {
  id: string;
  app: string | null;
  source: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info' | string;
  title: string;
  resource: string | null;
  owaspId: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  status: string;
}

/** An app's findings with the count of open ones by severity. @public */
export interface FindingList {
  items: Finding[];
  total: number;
  /** Open findings by severity, as the portal counts them. */
  counts: Record<string, number>;
}

/** A line of the cost report: this month and the month before. @public */
export interface CostReportLine {
  key: string;
  cost: number;
  previous: number | null;
  /** Relative change (0.25 = +25%), null when there was nothing before. */
  changePct: number | null;
}

/** The monthly cost report of the organisation. @public */
export interface CostReport {
  month: string;
  currency: string;
  total: number;
  previousTotal: number | null;
  byTeam: CostReportLine[];
  byApp: CostReportLine[];
  byModel: CostReportLine[];
  topMovers: CostReportLine[];
  unpricedTokens: number;
  freshness: Freshness;
}
