/*
 * The few answers the cards need in another shape (src/api/models.ts): numbers from the portal's
 * exact decimal strings where the cards sum and chart money, sums per month, deploy markers merged
 * from several timelines, and standing regressions. Every input is typed by the generated
 * OpenAPI types (src/api/schema.ts), so `tsc` catches a route whose shape changed.
 */
import type { components } from './schema';
import type {
  AppCost,
  AppEvals,
  AppPrompts,
  AppUsage,
  BudgetState,
  CostPoint,
  CostReport,
  CostReportLine,
  DeployMarker,
  EvalRegression,
  ModelUsage,
  UsagePoint,
} from './models';

type Schemas = components['schemas'];

/** A decimal string (money) or a number as a number. */
const num = (value: string | number): number => Number(value);

const numOrNull = (value: string | number | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);

/** Usage (GET /apps/{app}/usage): buckets per model, totals per model. */
export function toUsage(body: Schemas['AppUsage']): AppUsage {
  const points: UsagePoint[] = body.buckets.map(b => ({
    bucket: b.start,
    model: b.model,
    inputTokens: b.input_tokens,
    outputTokens: b.output_tokens,
    cachedInputTokens: b.cached_input_tokens,
    requests: b.requests,
    errors: b.errors,
    latencySeconds: b.latency_p50,
    latencyP95Seconds: b.latency_p95,
    partial: b.partial,
  }));
  // The totals carry no latency: weigh each bucket's median by its requests.
  const latency = new Map<string, { sum: number; requests: number }>();
  for (const p of points) {
    if (p.latencySeconds === null || p.requests === 0) continue;
    const acc = latency.get(p.model) ?? { sum: 0, requests: 0 };
    acc.sum += p.latencySeconds * p.requests;
    acc.requests += p.requests;
    latency.set(p.model, acc);
  }
  const byModel: ModelUsage[] = body.totals.map(t => {
    const acc = latency.get(t.model);
    return {
      model: t.model,
      inputTokens: t.input_tokens,
      outputTokens: t.output_tokens,
      cachedInputTokens: t.cached_input_tokens,
      requests: t.requests,
      errors: t.errors,
      latencySeconds: acc ? acc.sum / acc.requests : null,
    };
  });
  return {
    app: body.app,
    start: body.start,
    end: body.end,
    granularity: body.step === 'hour' ? 'hour' : 'day',
    points,
    byModel,
    deploys: [],
    freshness: body.freshness,
    coveredUntil: body.covered_until ?? null,
  };
}

/** A budget (BudgetStatus of GET /budgets or of the cost report). */
export function toBudget(b: Schemas['BudgetStatus']): BudgetState {
  return {
    scope: b.scope,
    name: b.name,
    basis: b.basis,
    month: b.month,
    amount: num(b.amount),
    spent: num(b.spent),
    forecast: numOrNull(b.forecast),
    state: b.state,
    firing: b.alerts
      .filter(a => a.firing)
      .map(a => `${a.threshold}% ${a.basis}`),
  };
}

export function toBudgets(body: Schemas['BudgetList']): BudgetState[] {
  return body.items.map(toBudget);
}

const DAY_MS = 86_400_000;

function monthStart(date: Date, offset = 0): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1),
  );
}

/**
 * An app's cost card (GET /apps/{app}/costs from the first day of last month, plus the app's
 * budget when there is one). Month to date and last month are summed from the daily buckets;
 * the forecast is the budget's, else a straight line from the days so far.
 */
export function toCost(
  body: Schemas['AppCosts'],
  budget: BudgetState | null,
  now: Date = new Date(),
): AppCost {
  const thisMonth = monthStart(now).getTime();
  const lastMonth = monthStart(now, -1).getTime();
  const perDay = new Map<string, CostPoint>();
  const perModel = new Map<string, number>();
  let modelMonthToDate = 0;
  let computeMonthToDate = 0;
  let previousMonth = 0;
  const add = (start: string, part: 'cost' | 'compute', amount: number) => {
    const date = start.slice(0, 10);
    const point = perDay.get(date) ?? { date, cost: 0, compute: 0 };
    point[part] += amount;
    perDay.set(date, point);
    const at = Date.parse(start);
    if (at >= thisMonth) {
      if (part === 'cost') modelMonthToDate += amount;
      else computeMonthToDate += amount;
    } else if (at >= lastMonth) {
      previousMonth += amount;
    }
    return at >= thisMonth;
  };
  for (const b of body.buckets) {
    if (b.cost === null) continue;
    const cost = num(b.cost);
    if (add(b.start, 'cost', cost)) {
      perModel.set(b.model, (perModel.get(b.model) ?? 0) + cost);
    }
  }
  for (const c of body.compute ?? []) add(c.start, 'compute', num(c.cost));
  const monthToDate = modelMonthToDate + computeMonthToDate;
  const trend: CostPoint[] = [...perDay.values()].sort((a, b) =>
    a.date.localeCompare(b.date),
  );
  const daysInMonth = (monthStart(now, 1).getTime() - thisMonth) / DAY_MS;
  const elapsedDays = (now.getTime() - thisMonth) / DAY_MS;
  const linear =
    elapsedDays > 0 ? (monthToDate / elapsedDays) * daysInMonth : null;
  // The budget's forecast only where it counts what the card shows (its total, or an app
  // without compute); else the straight line through the total so far.
  const sameBasis =
    budget && (budget.basis === 'total' || computeMonthToDate === 0)
      ? budget
      : null;
  const budgetForecast = sameBasis?.forecast ?? null;
  let forecastBasis: AppCost['forecastBasis'] =
    linear === null ? null : 'linear';
  if (budgetForecast !== null) forecastBasis = 'budget';
  return {
    currency: body.currency,
    monthToDate,
    forecast: budgetForecast ?? linear,
    forecastBasis,
    modelMonthToDate,
    computeMonthToDate,
    costPer1kRequests: numOrNull(body.cost_per_1k_requests),
    previousMonth: trend.length ? previousMonth : null,
    trend,
    byModel: [...perModel.entries()]
      .map(([model, cost]) => ({ model, cost }))
      .sort((a, b) => b.cost - a.cost),
    budget,
    unpricedTokens: unpricedTokens(body.unpriced),
    unpricedModels: [...new Set(body.unpriced.map(u => u.model))],
    deploys: [],
    freshness: body.freshness,
    coveredUntil: body.covered_until ?? null,
  };
}

function unpricedTokens(unpriced: Schemas['UnpricedUsage'][]): number {
  return unpriced.reduce(
    (sum, u) => sum + u.input_tokens + u.output_tokens + u.cached_input_tokens,
    0,
  );
}

/** An app's prompts (GET /apps/{app}/prompts), each with its versions (a page of them). */
export function toAppPrompts(
  body: Schemas['PromptList'],
  versions: Schemas['PromptVersionPage'][],
): AppPrompts {
  return {
    prompts: body.prompts.map((prompt, i) => {
      const known = versions[i]?.items ?? [];
      return { ...prompt, history: known.length ? known : [prompt.latest] };
    }),
    freshness: body.cluster,
  };
}

/**
 * Deploys of prompt versions (GET .../prompts/{name}/timeline), as chart markers: the first
 * time each version started in any workload.
 */
export function toDeploys(
  timelines: { prompt: string; timeline: Schemas['DeploymentPublic'][] }[],
): DeployMarker[] {
  const first = new Map<string, DeployMarker>();
  for (const { prompt, timeline } of timelines) {
    for (const d of timeline) {
      const key = `${prompt}@${d.version}`;
      const seen = first.get(key);
      if (!seen || d.started < seen.at) {
        first.set(key, { at: d.started, prompt, version: d.version });
      }
    }
  }
  return [...first.values()].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Evaluation runs (a page of GET /apps/{app}/evals) and the regressions that still stand
 * (GET /apps/{app}/evals/regressions; without it, every flagged run).
 */
export function toEvals(
  body: Schemas['Page_EvalRunPublic_'],
  standing?: Schemas['EvalRunPublic'][],
): AppEvals {
  const regressions: EvalRegression[] = (
    standing ?? body.items.filter(r => r.regression)
  ).map(r => ({
    prompt: r.prompt,
    metric: 'aggregate score',
    fromVersion: null,
    toVersion: r.version,
    before: r.baseline_score ?? 0,
    after: r.aggregate_score,
  }));
  return { runs: body.items, regressions };
}

/** A line of the report as totals (model spend + compute), with the split beside them. */
function toLines(groups: Schemas['CostGroup'][]): CostReportLine[] {
  return groups.map(l => ({
    key: l.key,
    cost: num(l.total_cost),
    modelCost: num(l.cost),
    computeCost: num(l.compute_cost),
    costPer1kRequests: numOrNull(l.cost_per_1k_requests),
    previous: num(l.previous_total_cost),
    changePct:
      l.total_change_pct === null || l.total_change_pct === undefined
        ? null
        : l.total_change_pct / 100,
  }));
}

/** The monthly cost report (GET /reports/costs?format=json). */
export function toCostReport(body: Schemas['CostReport']): CostReport {
  return {
    month: body.month,
    currency: body.currency,
    total: num(body.total_cost),
    previousTotal: num(body.previous_total_cost),
    modelTotal: num(body.total),
    computeTotal: num(body.compute_total),
    unallocated: (body.unallocated ?? []).map(u => ({
      namespace: u.namespace,
      cost: num(u.cost),
    })),
    byTeam: toLines(body.by_team),
    byApp: toLines(body.by_app),
    byModel: toLines(body.by_model),
    topMovers: toLines(body.top_movers).map((line, i) => ({
      ...line,
      explanation: body.top_movers[i].explanation ?? null,
    })),
    unpricedTokens: unpricedTokens(body.unpriced),
    freshness: body.freshness,
  };
}
