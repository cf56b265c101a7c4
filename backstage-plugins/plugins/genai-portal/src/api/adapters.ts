/*
 * Maps the portal's JSON onto the models the cards show (src/api/models.ts). Each input is typed
 * by the portal's generated OpenAPI types (src/api/schema.ts) once the schema exists there, so
 * `tsc` catches a shape that changed; until a domain's API is in the document its input is loose
 * JSON. Fields are read defensively (a missing field becomes an empty value, never a crash).
 * Money arrives as exact decimal strings.
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
  EvalRun,
  Finding,
  FindingList,
  ModelUsage,
  Prompt,
  PromptDiff,
  PromptVersion,
  UsagePoint,
} from './models';
import type { Freshness } from './types';

type Json = Record<string, any>;
type Schemas = components['schemas'];
/** The generated type of schema K when the portal's document has it, else loose JSON. */
export type Shape<K extends string> = K extends keyof Schemas ? Schemas[K] : Json;

const num = (value: unknown): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : 0;
  }
  return 0;
};

const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : num(value);

const str = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

const list = (value: unknown): Json[] => (Array.isArray(value) ? value : []);

/** Elements of an array field: typed by the schema when there is one, else loose JSON. */
type Items<V> = 0 extends 1 & V ? Json[] : V extends readonly (infer T)[] ? T[] : Json[];

/** The array, or none when the field is missing. */
function arr<V>(value: V): Items<NonNullable<V>> {
  return (Array.isArray(value) ? value : []) as Items<NonNullable<V>>;
}

/** Items of a list answer, whether a bare array or a Page. */
export const items = (body: unknown): Json[] =>
  Array.isArray(body) ? body : list((body as Json | null)?.items);

export function toFreshness(body: { freshness?: unknown } | null | undefined): Freshness {
  const fresh: Json = body?.freshness ?? {};
  return {
    stale: Boolean(fresh.stale),
    asOf: str(fresh.as_of),
    source: str(fresh.source) ?? undefined,
    state: str(fresh.state) ?? undefined,
  };
}

function forecastBasis(
  budget: BudgetState | null,
  linear: number | null,
): AppCost['forecastBasis'] {
  if (budget?.forecast !== undefined && budget.forecast !== null) return 'budget';
  return linear === null ? null : 'linear';
}

/** Usage (GET /apps/{app}/usage): buckets per model, totals per model. */
export function toUsage(body: Shape<'AppUsage'>): AppUsage {
  const points: UsagePoint[] = arr(body.buckets).map(b => ({
    bucket: String(b.start),
    model: String(b.model),
    inputTokens: num(b.input_tokens),
    outputTokens: num(b.output_tokens),
    cachedInputTokens: num(b.cached_input_tokens),
    requests: num(b.requests),
    errors: num(b.errors),
    latencySeconds: numOrNull(b.latency_p50),
    latencyP95Seconds: numOrNull(b.latency_p95),
    partial: Boolean(b.partial),
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
  const byModel: ModelUsage[] = arr(body.totals).map(t => {
    const acc = latency.get(String(t.model));
    return {
      model: String(t.model),
      inputTokens: num(t.input_tokens),
      outputTokens: num(t.output_tokens),
      cachedInputTokens: num(t.cached_input_tokens),
      requests: num(t.requests),
      errors: num(t.errors),
      latencySeconds: acc ? acc.sum / acc.requests : null,
    };
  });
  return {
    app: String(body.app ?? ''),
    start: String(body.start ?? ''),
    end: String(body.end ?? ''),
    granularity: body.step === 'hour' ? 'hour' : 'day',
    points,
    byModel,
    deploys: [],
    freshness: toFreshness(body),
    coveredUntil: body.covered_until ? String(body.covered_until) : null,
  };
}

/** A budget (BudgetStatus of GET /budgets or of the cost report). */
export function toBudget(b: Shape<'BudgetStatus'>): BudgetState {
  return {
    scope: String(b.scope ?? ''),
    name: String(b.name ?? ''),
    basis: String(b.basis ?? 'model'),
    month: String(b.month ?? ''),
    amount: num(b.amount),
    spent: num(b.spent),
    forecast: numOrNull(b.forecast),
    state: String(b.state ?? 'ok'),
    firing: arr(b.alerts)
      .filter(a => a.firing)
      .map(a => `${a.threshold}% ${a.basis}`),
  };
}

export function toBudgets(body: Shape<'BudgetList'>): BudgetState[] {
  return arr(body.items).map(toBudget);
}

const DAY_MS = 86_400_000;

function monthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

/**
 * An app's cost card (GET /apps/{app}/costs from the first day of last month, plus the app's
 * budget when there is one). Month to date and last month are summed from the daily buckets;
 * the forecast is the budget's, else a straight line from the days so far.
 */
export function toCost(
  body: Shape<'AppCosts'>,
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
  const add = (start: unknown, part: 'cost' | 'compute', amount: number) => {
    const date = String(start).slice(0, 10);
    const point = perDay.get(date) ?? { date, cost: 0, compute: 0 };
    point[part] += amount;
    perDay.set(date, point);
    const at = Date.parse(String(start));
    if (at >= thisMonth) {
      if (part === 'cost') modelMonthToDate += amount;
      else computeMonthToDate += amount;
    } else if (at >= lastMonth) {
      previousMonth += amount;
    }
    return at >= thisMonth;
  };
  for (const b of arr(body.buckets)) {
    if (b.cost === null || b.cost === undefined) continue;
    const cost = num(b.cost);
    if (add(b.start, 'cost', cost)) {
      perModel.set(String(b.model), (perModel.get(String(b.model)) ?? 0) + cost);
    }
  }
  // An older portal has no compute: then the card shows model spend alone.
  for (const c of arr(body.compute)) add(c.start, 'compute', num(c.cost));
  const monthToDate = modelMonthToDate + computeMonthToDate;
  const trend: CostPoint[] = [...perDay.values()].sort((a, b) => a.date.localeCompare(b.date));
  const daysInMonth = (monthStart(now, 1).getTime() - thisMonth) / DAY_MS;
  const elapsedDays = (now.getTime() - thisMonth) / DAY_MS;
  const linear = elapsedDays > 0 ? (monthToDate / elapsedDays) * daysInMonth : null;
  const unpriced = arr(body.unpriced);
  // The budget's forecast only where it counts what the card shows (its total, or an app
  // without compute); else the straight line through the total so far.
  const sameBasis = budget && (budget.basis === 'total' || computeMonthToDate === 0) ? budget : null;
  return {
    currency: String(body.currency ?? 'USD'),
    monthToDate,
    forecast: sameBasis?.forecast ?? linear,
    forecastBasis: forecastBasis(sameBasis, linear),
    modelMonthToDate,
    computeMonthToDate,
    costPer1kRequests: numOrNull(body.cost_per_1k_requests),
    previousMonth: trend.length ? previousMonth : null,
    trend,
    byModel: [...perModel.entries()]
      .map(([model, cost]) => ({ model, cost }))
      .sort((a, b) => b.cost - a.cost),
    budget,
    unpricedTokens: unpriced.reduce(
      (sum, u) =>
        sum + num(u.input_tokens) + num(u.output_tokens) + num(u.cached_input_tokens),
      0,
    ),
    unpricedModels: [...new Set(unpriced.map(u => String(u.model)))],
    deploys: [],
    freshness: toFreshness(body),
    coveredUntil: body.covered_until ? String(body.covered_until) : null,
  };
}

export function toPromptVersion(v: Shape<'PromptVersionSummary'>): PromptVersion {
  return {
    version: num(v.number),
    hash: String(v.content_hash ?? ''),
    createdAt: String(v.created ?? ''),
    labels: arr(v.labels).map(String),
    source: str(v.source),
    model: str(v.model),
    runningIn: arr(v.running_in).map(String),
    score: numOrNull(v.scores?.aggregate_score),
    regression: Boolean(v.scores?.regression),
  };
}

/** A prompt (PromptPublic of GET /apps/{app}/prompts) with its versions (a page of them). */
export function toPrompt(
  p: Shape<'PromptPublic'>,
  versions: Shape<'PromptVersionPage'>,
): Prompt {
  let known = arr(versions.items).map(toPromptVersion);
  if (known.length === 0 && p.latest) known = [toPromptVersion(p.latest)];
  return {
    name: String(p.name),
    versions: known,
    labels: Object.fromEntries(
      arr(p.labels).map(l => [String(l.label), num(l.version)]),
    ),
    running: arr(p.running).map(r => ({
      workload: [r.workload_kind, r.namespace, r.workload].filter(Boolean).join('/'),
      version: numOrNull(r.version),
      since: str(r.started),
    })),
    regression: Boolean(p.regression),
  };
}

/** An app's prompts (PromptList of GET /apps/{app}/prompts), each with its versions. */
export function toAppPrompts(
  body: Shape<'PromptList'>,
  versions: Shape<'PromptVersionPage'>[],
): AppPrompts {
  return {
    prompts: arr(body.prompts).map((p, i) => toPrompt(p, versions[i] ?? { items: [] })),
    freshness: toFreshness({ freshness: body.cluster }),
  };
}

/**
 * Deploys of prompt versions (GET .../prompts/{name}/timeline), as chart markers: the first
 * time each version started in any workload.
 */
export function toDeploys(
  timelines: { prompt: string; timeline: Shape<'DeploymentPublic'>[] }[],
): DeployMarker[] {
  const first = new Map<string, DeployMarker>();
  for (const { prompt, timeline } of timelines) {
    for (const d of arr(timeline)) {
      const key = `${prompt}@${d.version}`;
      const at = String(d.started);
      const seen = first.get(key);
      if (!seen || at < seen.at) first.set(key, { at, prompt, version: num(d.version) });
    }
  }
  return [...first.values()].sort((a, b) => a.at.localeCompare(b.at));
}

export function toPromptDiff(body: Shape<'PromptDiff'>): PromptDiff {
  const parts = [body.template_diff, body.parameters_diff]
    .map(d => (d ? String(d) : ''))
    .filter(d => d.trim() !== '');
  return {
    name: String(body.name ?? ''),
    from: num(body.from_version),
    to: num(body.to_version),
    diff: parts.join('\n'),
    changed: arr(body.changed).map(String),
  };
}

/**
 * Evaluation runs (a page of EvalRunPublic of GET /apps/{app}/evals) and the regressions that
 * still stand (GET /apps/{app}/evals/regressions; without it, every flagged run).
 */
export function toEvals(
  body: Shape<'Page_EvalRunPublic_'>,
  standing?: Shape<'EvalRunPublic'>[],
): AppEvals {
  const all = arr(body.items);
  const runs: EvalRun[] = all.map(r => ({
    id: String(r.id),
    prompt: str(r.prompt),
    version: numOrNull(r.version),
    createdAt: String(r.finished ?? r.started ?? ''),
    model: str(r.model),
    dataset: str(r.dataset),
    scores: Object.fromEntries(
      Object.entries((r.scores as Json | undefined) ?? {}).map(([k, v]) => [k, num(v)]),
    ),
    aggregateScore: numOrNull(r.aggregate_score),
    passed: num(r.passed),
    failed: Math.max(num(r.cases) - num(r.passed), 0),
    regression: Boolean(r.regression),
  }));
  const regressions: EvalRegression[] = (standing ?? all.filter(r => r.regression))
    .map(r => ({
      prompt: str(r.prompt),
      metric: 'aggregate score',
      fromVersion: null,
      toVersion: numOrNull(r.version),
      before: num(r.baseline_score),
      after: num(r.aggregate_score),
    }));
  return { runs, regressions };
}

export function toFindings(body: Shape<'FindingPage'>): FindingList {
  const found: Finding[] = arr(body.items).map(f => ({
    id: String(f.id),
    app: str(f.app),
    source: String(f.source ?? ''),
    severity: String(f.severity ?? 'info').toLowerCase(),
    title: String(f.title ?? ''),
    resource: str(f.resource),
    owaspId: str(f.owasp),
    firstSeen: str(f.first_seen),
    lastSeen: str(f.last_seen),
    status: String(f.status ?? 'open'),
  }));
  const given: Json | undefined = body.counts;
  const counts: Record<string, number> = {};
  if (given && typeof given === 'object') {
    for (const [severity, n] of Object.entries(given)) counts[severity] = num(n);
  } else {
    for (const f of found) {
      if (f.status === 'open') counts[f.severity] = (counts[f.severity] ?? 0) + 1;
    }
  }
  return {
    items: found,
    total: num(body.total ?? found.length),
    counts,
  };
}

function toLines(value: Shape<'CostGroup'>[] | undefined): CostReportLine[] {
  return arr(value).map(l => {
    // An older portal has model spend only: then that is the total.
    const hasTotal = l.total_cost !== undefined && l.total_cost !== null;
    const pct = hasTotal ? l.total_change_pct : l.change_pct;
    return {
      key: String(l.key),
      cost: hasTotal ? num(l.total_cost) : num(l.cost),
      modelCost: num(l.cost),
      computeCost: num(l.compute_cost),
      costPer1kRequests: numOrNull(l.cost_per_1k_requests),
      previous: hasTotal ? numOrNull(l.previous_total_cost) : numOrNull(l.previous),
      changePct: pct === null || pct === undefined ? null : num(pct) / 100,
    };
  });
}

/** The monthly cost report (GET /reports/costs?format=json). */
export function toCostReport(body: Shape<'CostReport'>): CostReport {
  return {
    month: String(body.month ?? ''),
    currency: String(body.currency ?? 'USD'),
    total: body.total_cost === undefined ? num(body.total) : num(body.total_cost),
    previousTotal:
      body.previous_total_cost === undefined
        ? numOrNull(body.previous_total)
        : numOrNull(body.previous_total_cost),
    modelTotal: num(body.total),
    computeTotal: num(body.compute_total),
    unallocated: arr(body.unallocated).map(u => ({
      namespace: String(u.namespace),
      cost: num(u.cost),
    })),
    byTeam: toLines(body.by_team),
    byApp: toLines(body.by_app),
    byModel: toLines(body.by_model),
    topMovers: toLines(body.top_movers).map((line, i) => ({
      ...line,
      explanation: body.top_movers?.[i]?.explanation ?? null,
    })),
    unpricedTokens: arr(body.unpriced).reduce(
      (sum: number, u: Json) =>
        sum + num(u.input_tokens) + num(u.output_tokens) + num(u.cached_input_tokens),
      0,
    ),
    freshness: toFreshness(body),
  };
}
