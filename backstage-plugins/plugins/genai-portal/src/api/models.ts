/*
 * What the cards show where they need another shape than the portal's answer: sums, merges and
 * numbers from decimal strings, made in src/api/adapters.ts. Everything else the cards read as
 * the portal sends it, typed by src/api/schema.ts (see src/api/types.ts).
 */
import type { components } from './schema';
import type { EvalRun, Freshness, PromptVersion } from './types';

/** A deploy of a new prompt version, marked on the usage and cost charts. @public */
export interface DeployMarker {
  at: string;
  prompt: string;
  version: number;
}

/** What one model did: tokens, requests and errors. @public */
export interface ModelCounts {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  requests: number;
  errors: number;
}

/** Usage of one model in one time bucket. @public */
export interface UsagePoint extends ModelCounts {
  bucket: string;
  /** Median latency of the bucket in seconds, when known. */
  latencySeconds: number | null;
  /** 95th percentile latency of the bucket in seconds, when known. */
  latencyP95Seconds: number | null;
  /** The bucket is not over or not synced to its end yet (the current hour or day so far). */
  partial?: boolean;
}

/** Usage totals of one model over the period. @public */
export interface ModelUsage extends ModelCounts {
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
  /** Model spend: tokens and self-hosted GPUs. */
  cost: number;
  /** The app's own pods (CPU, memory, GPUs not already in model spend). */
  compute: number;
}

/** The state of a budget. @public */
export interface BudgetState {
  /** team or app */
  scope: string;
  name: string;
  /** What the budget counts: model spend (the default) or the total with compute. */
  basis: 'model' | 'total' | string;
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
  /** Model spend this month (tokens and self-hosted GPUs). */
  modelMonthToDate: number;
  /** The app's own compute this month. */
  computeMonthToDate: number;
  /** Total cost per 1,000 model requests over the card's range (null without requests). */
  costPer1kRequests: number | null;
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

/** A prompt of an app as the portal lists it, with its versions. @public */
export type Prompt = components['schemas']['PromptPublic'] & {
  /** The stored versions (at least the latest). */
  history: PromptVersion[];
};

/** An app's prompts, and how fresh the reading of what runs now is. @public */
export interface AppPrompts {
  prompts: Prompt[];
  freshness: Freshness;
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

/** A line of the cost report: this month and the month before. @public */
export interface CostReportLine {
  key: string;
  /** Total cost (model spend + compute). */
  cost: number;
  modelCost: number;
  computeCost: number;
  costPer1kRequests: number | null;
  previous: number | null;
  /** Relative change (0.25 = +25%), null when there was nothing before. */
  changePct: number | null;
  /** Top movers: the change around the day the cost moved ("cost +38 % after ..."). */
  explanation?: string | null;
}

/** The monthly cost report of the organisation. @public */
export interface CostReport {
  month: string;
  currency: string;
  /** Total cost of ownership: model spend + compute. */
  total: number;
  previousTotal: number | null;
  modelTotal: number;
  computeTotal: number;
  /** Compute of pods without an app label, per namespace. */
  unallocated: { namespace: string; cost: number }[];
  byTeam: CostReportLine[];
  byApp: CostReportLine[];
  byModel: CostReportLine[];
  topMovers: CostReportLine[];
  unpricedTokens: number;
  freshness: Freshness;
}
