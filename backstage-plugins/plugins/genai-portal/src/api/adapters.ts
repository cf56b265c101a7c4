/*
 * Maps the portal's JSON onto the models the cards show (src/api/models.ts). Routes of
 * domains that are not in src/api/schema.ts yet are read defensively: a missing field
 * becomes an empty value, never a crash.
 */
import type {
  AppCost,
  AppEvals,
  AppUsage,
  BudgetState,
  CostReport,
  CostReportLine,
  DeployMarker,
  EvalRegression,
  EvalRun,
  Finding,
  ModelUsage,
  Prompt,
  PromptDiff,
  UsagePoint,
} from './models';
import type { Freshness } from './types';

type Json = Record<string, any>;

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

/** Items of a list answer, whether a bare array or a Page. */
export const items = (body: unknown): Json[] =>
  Array.isArray(body) ? body : list((body as Json | null)?.items);

export function toFreshness(body: Json | null | undefined): Freshness {
  const fresh = body?.freshness ?? body;
  return {
    stale: Boolean(fresh?.stale),
    asOf: str(fresh?.as_of),
    source: str(fresh?.source) ?? undefined,
  };
}

function toDeploys(value: unknown): DeployMarker[] {
  return list(value).map(d => ({
    at: String(d.at ?? d.first_seen ?? d.created_at),
    prompt: String(d.prompt ?? d.name ?? ''),
    version: num(d.version),
  }));
}

export function toUsage(body: Json): AppUsage {
  const points: UsagePoint[] = list(body.points ?? body.series).map(p => ({
    bucket: String(p.bucket ?? p.ts ?? p.time),
    model: String(p.model),
    inputTokens: num(p.input_tokens),
    outputTokens: num(p.output_tokens),
    requests: num(p.requests),
    errors: num(p.errors),
    latencySeconds: numOrNull(p.latency_seconds ?? p.mean_latency_seconds),
  }));
  const byModel: ModelUsage[] = list(body.by_model ?? body.models).map(m => ({
    model: String(m.model),
    inputTokens: num(m.input_tokens),
    outputTokens: num(m.output_tokens),
    requests: num(m.requests),
    errors: num(m.errors),
    latencySeconds: numOrNull(m.latency_seconds ?? m.mean_latency_seconds),
  }));
  return {
    start: String(body.start ?? ''),
    end: String(body.end ?? ''),
    granularity: body.granularity === 'hour' ? 'hour' : 'day',
    points,
    byModel,
    deploys: toDeploys(body.deploys),
    freshness: toFreshness(body),
  };
}

function toBudget(b: Json | null | undefined): BudgetState | null {
  if (!b) return null;
  return {
    name: String(b.name ?? b.scope ?? ''),
    amount: num(b.amount),
    spent: num(b.spent ?? b.month_to_date),
    forecast: numOrNull(b.forecast),
    state: String(b.state ?? b.status ?? 'ok'),
  };
}

export function toCost(body: Json): AppCost {
  return {
    currency: String(body.currency ?? 'USD'),
    monthToDate: num(body.month_to_date),
    forecast: numOrNull(body.forecast),
    previousMonth: numOrNull(body.previous_month),
    trend: list(body.trend ?? body.daily).map(p => ({
      date: String(p.date ?? p.day),
      cost: num(p.cost),
    })),
    byModel: list(body.by_model).map(m => ({
      model: String(m.model),
      cost: num(m.cost),
    })),
    budget: toBudget(body.budget),
    unpricedTokens: num(body.unpriced_tokens),
    unpricedModels: list(body.unpriced_models).map(String),
    deploys: toDeploys(body.deploys),
    freshness: toFreshness(body),
  };
}

export function toPrompts(body: unknown): Prompt[] {
  return items(body).map(p => ({
    name: String(p.name),
    versions: list(p.versions).map(v => ({
      version: num(v.version),
      hash: String(v.hash ?? v.content_hash ?? ''),
      createdAt: String(v.created_at ?? v.first_seen ?? ''),
      labels: list(v.labels).map(String),
      source: str(v.source),
    })),
    labels: Object.fromEntries(
      Object.entries((p.labels as Json | undefined) ?? {}).map(([k, v]) => [
        k,
        num(v),
      ]),
    ),
    running: list(p.running).map(r => ({
      workload: String(r.workload ?? r.name),
      version: numOrNull(r.version),
    })),
  }));
}

export function toPromptDiff(
  body: Json,
  name: string,
  from: number,
  to: number,
): PromptDiff {
  return {
    name,
    from: num(body.against ?? body.from ?? from),
    to: num(body.version ?? body.to ?? to),
    diff: String(body.diff ?? body.unified ?? ''),
  };
}

export function toEvals(body: unknown): AppEvals {
  const runs: EvalRun[] = items(
    Array.isArray(body) ? body : (body as Json).runs,
  ).map(r => ({
    id: String(r.id),
    prompt: str(r.prompt ?? r.prompt_name),
    version: numOrNull(r.version ?? r.prompt_version),
    createdAt: String(r.created_at ?? r.started_at ?? ''),
    model: str(r.model),
    dataset: str(r.dataset),
    scores: Object.fromEntries(
      Object.entries((r.scores as Json | undefined) ?? {}).map(([k, v]) => [
        k,
        num(v),
      ]),
    ),
    passed: num(r.passed),
    failed: num(r.failed),
  }));
  const regressions: EvalRegression[] = Array.isArray(body)
    ? []
    : list((body as Json).regressions).map(g => ({
        prompt: str(g.prompt),
        metric: String(g.metric ?? g.score),
        fromVersion: numOrNull(g.from_version),
        toVersion: numOrNull(g.to_version),
        before: num(g.before),
        after: num(g.after),
      }));
  return { runs, regressions };
}

export function toFindings(body: unknown): Finding[] {
  return items(body).map(f => ({
    id: String(f.id),
    app: str(f.app),
    source: String(f.source ?? ''),
    severity: String(f.severity ?? 'info').toLowerCase(),
    title: String(f.title ?? ''),
    resource: str(f.resource),
    owaspId: str(f.owasp_id ?? f.owasp),
    firstSeen: str(f.first_seen),
    lastSeen: str(f.last_seen),
    status: String(f.status ?? 'open'),
  }));
}

function toLines(value: unknown, key: string): CostReportLine[] {
  return list(value).map(l => ({
    key: String(l[key] ?? l.name ?? l.key),
    team: str(l.team),
    cost: num(l.cost),
    previous: numOrNull(l.previous ?? l.previous_cost),
  }));
}

export function toCostReport(body: Json): CostReport {
  return {
    month: String(body.month ?? ''),
    currency: String(body.currency ?? 'USD'),
    total: num(body.total),
    previousTotal: numOrNull(body.previous_total),
    byTeam: toLines(body.by_team, 'team'),
    byApp: toLines(body.by_app, 'app'),
    byModel: toLines(body.by_model, 'model'),
    freshness: toFreshness(body),
  };
}

export function toBudgets(body: unknown): BudgetState[] {
  return items(body)
    .map(b => toBudget(b))
    .filter((b): b is BudgetState => b !== null);
}
