/* JSON bodies as the portal returns them, for the tests, typed by the portal's OpenAPI types. */
import type { components } from '../api/schema';

type Shape<K extends keyof components['schemas']> = components['schemas'][K];

export const appsPage = {
  items: [
    {
      name: 'support-assistant',
      namespace: 'support',
      title: 'Support Assistant',
      description: 'Answers tickets.',
      team: 'customer-care',
      lifecycle: 'production',
      system: 'genai-apps',
      cost_center: 'cc-1',
      origin: 'kubernetes',
      status: 'active',
      owner: 'group:default/customer-care',
      links: [],
      first_seen: '2026-09-01T00:00:00Z',
      last_seen: '2026-11-26T10:00:00Z',
      gone_since: null,
    },
    {
      name: 'marketing-copy',
      namespace: 'growth',
      title: null,
      description: null,
      team: 'growth',
      lifecycle: 'experimental',
      system: null,
      cost_center: null,
      origin: 'api',
      status: 'gone',
      owner: null,
      links: [],
      first_seen: '2026-09-01T00:00:00Z',
      last_seen: '2026-11-20T10:00:00Z',
      gone_since: '2026-11-21T00:00:00Z',
    },
  ],
  total: 2,
  limit: 500,
  offset: 0,
};

const fresh = { source: 'prometheus', as_of: '2026-11-26T09:00:00Z', stale: false, last_error: null, state: 'ok' };
const clusterFresh = { ...fresh, source: 'kubernetes' };

/** GET /apps/{app}/usage (AppUsage). */
export const usage: Shape<'AppUsage'> = {
  app: 'support-assistant',
  start: '2026-11-24T00:00:00Z',
  end: '2026-11-26T00:00:00Z',
  step: 'day',
  buckets: [
    { start: '2026-11-24T00:00:00Z', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500, cached_input_tokens: 0, requests: 10, errors: 1, latency_p50: 0.8, latency_p95: 1.9, ttft_p50: 0.2, ttft_p95: 0.5, partial: false },
    { start: '2026-11-25T00:00:00Z', model: 'gpt-4o', input_tokens: 2000, output_tokens: 700, cached_input_tokens: 100, requests: 30, errors: 0, latency_p50: 1.0, latency_p95: 2.1, ttft_p50: 0.2, ttft_p95: 0.4, partial: true },
    { start: '2026-11-25T00:00:00Z', model: 'gpt-4o-mini', input_tokens: 300, output_tokens: 100, cached_input_tokens: 0, requests: 5, errors: 0, latency_p50: 0.3, latency_p95: 0.6, ttft_p50: null, ttft_p95: null, partial: true },
  ],
  totals: [
    { model: 'gpt-4o', input_tokens: 3000, output_tokens: 1200, cached_input_tokens: 100, requests: 40, errors: 1 },
    { model: 'gpt-4o-mini', input_tokens: 300, output_tokens: 100, cached_input_tokens: 0, requests: 5, errors: 0 },
  ],
  freshness: fresh,
  // The last day is still going on: synced up to 09:00 (its buckets are partial).
  covered_until: '2026-11-25T09:00:00Z',
};

export const emptyUsage: Shape<'AppUsage'> = { ...usage, buckets: [], totals: [] };

export const costBucket = (
  start: string,
  model: string,
  cost: string | null,
): Shape<'CostBucket'> => ({
  start,
  model,
  cost,
  input_cost: cost,
  cached_input_cost: null,
  output_cost: null,
  gpu_cost: null,
  partial: false,
  input_tokens: 1000,
  output_tokens: 200,
  cached_input_tokens: 0,
  priced: cost !== null,
});

// Cost buckets fall in this month and the one before, whenever the tests run.
const now = new Date();
const day = (monthOffset: number, dayOfMonth: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthOffset, dayOfMonth)).toISOString();

function computeBucket(start: string, cost: string): Shape<'ComputeBucket'> {
  return {
    start,
    cost,
    cpu_cost: (Number(cost) * 0.7).toFixed(2),
    memory_cost: (Number(cost) * 0.3).toFixed(2),
    gpu_cost: '0',
    cpu_hours: 100,
    memory_gib_hours: 200,
    gpu_hours: 0,
  };
}

/** GET /apps/{app}/costs (AppCosts): 180.10 last month, 120.20 this month, some unpriced. */
export const cost: Shape<'AppCosts'> = {
  app: 'support-assistant',
  start: day(-1, 1),
  end: now.toISOString(),
  step: 'day',
  currency: 'USD',
  total: '300.30',
  by_model: { 'gpt-4o': '290.20', 'gpt-4o-mini': '10.10' },
  buckets: [
    costBucket(day(-1, 20), 'gpt-4o', '100.10'),
    costBucket(day(-1, 21), 'gpt-4o', '80.00'),
    costBucket(day(0, 1), 'gpt-4o', '60.05'),
    costBucket(day(0, 1), 'gpt-4o-mini', '10.10'),
    costBucket(day(0, 2), 'gpt-4o', '50.05'),
    costBucket(day(0, 2), 'llama-3.1-8b-instruct', null),
  ],
  unpriced: [
    { app: 'support-assistant', model: 'llama-3.1-8b-instruct', input_tokens: 4000, output_tokens: 200, cached_input_tokens: 0 },
  ],
  // The app's pods: 15.00 last month, 20.00 this month (12.50 + 7.50).
  compute_cost: '35.00',
  total_cost: '335.30',
  compute_by_resource: { cpu: '25.00', memory: '10.00' },
  compute: [
    computeBucket(day(-1, 20), '15.00'),
    computeBucket(day(0, 1), '12.50'),
    computeBucket(day(0, 2), '7.50'),
  ],
  requests: 120000,
  cost_per_1k_requests: '2.7942',
  freshness: { ...fresh, stale: true, state: 'failing' },
};

export const emptyCost: Shape<'AppCosts'> = {
  ...cost,
  total: '0',
  by_model: {},
  buckets: [],
  unpriced: [],
  compute_cost: '0',
  total_cost: '0',
  compute_by_resource: {},
  compute: [],
  requests: 0,
  cost_per_1k_requests: null,
};

const budgetStatus = (
  id: number,
  scope: Shape<'BudgetStatus'>['scope'],
  name: string,
  amount: string,
  spent: string,
  forecast: string,
  state: Shape<'BudgetStatus'>['state'],
  basis: Shape<'BudgetStatus'>['basis'] = 'model',
): Shape<'BudgetStatus'> => ({
  id,
  scope,
  name,
  basis,
  month: '2026-11',
  amount,
  currency: 'USD',
  spent,
  forecast,
  utilisation: Number(spent) / Number(amount),
  forecast_utilisation: Number(forecast) / Number(amount),
  state,
  alerts: [
    { threshold: 80, basis: 'actual' as const, firing: Number(spent) / Number(amount) >= 0.8 },
    { threshold: 100, basis: 'forecast' as const, firing: Number(forecast) >= Number(amount) },
  ],
});

/** GET /budgets (BudgetList). */
export const budgets: Shape<'BudgetList'> = {
  month: '2026-11',
  items: [
    // On the total cost (model spend 120.20 + compute 20.00 this month).
    budgetStatus(1, 'app', 'support-assistant', '300.00', '140.20', '360.40', 'warning', 'total'),
    budgetStatus(2, 'team', 'customer-care', '1000.00', '900.00', '1200.00', 'exceeded'),
    budgetStatus(3, 'team', 'search', '2000.00', '600.00', '900.00', 'ok'),
  ],
  freshness: fresh,
};

const summary = (
  number: number,
  labels: string[],
  running: string[],
  score: number | null,
  regression = false,
): Shape<'PromptVersionSummary'> => ({
  name: 'answer',
  number,
  content_hash: `${number}`.repeat(16),
  model: 'gpt-4o',
  source: number === 3 ? 'kubernetes' : 'ci',
  source_ref: null,
  author: null,
  created: `2026-11-${String(number * 5).padStart(2, '0')}T08:00:00Z`,
  labels,
  running_in: running,
  scores: { runs: score === null ? 0 : 1, mean_scores: {}, aggregate_score: score, pass_rate: null, regression, latest_run_id: null },
  usage: null,
});

/** GET /apps/{app}/prompts/answer/versions (Page of PromptVersionSummary, newest first). */
export const versions: Shape<'PromptVersionPage'> = {
  items: [
    summary(3, ['staging'], [], 0.79, true),
    summary(2, ['production'], ['support/support-assistant'], 0.88),
    summary(1, [], [], 0.82),
  ],
  total: 3,
  limit: 500,
  offset: 0,
  freshness: clusterFresh,
};

/** GET /apps/{app}/prompts (list of PromptPublic). */
export const prompts: Shape<'PromptPublic'>[] = [
  {
    name: 'answer',
    versions: 3,
    latest: versions.items[0],
    labels: [
      { label: 'production', version: 2, updated: '2026-11-10T08:00:00Z', updated_by: 'ci' },
      { label: 'staging', version: 3, updated: '2026-11-15T08:00:00Z', updated_by: 'ci' },
    ],
    running: [
      { version: 2, content_hash: '2222', workload_kind: 'Deployment', namespace: 'support', workload: 'support-assistant', via: 'configmap', started: '2026-11-10T09:00:00Z', ended: null },
    ],
    regression: true,
  },
];

/** GET /apps/{app}/prompts (PromptList). */
export const promptList: Shape<'PromptList'> = {
  prompts,
  cluster: { source: 'kubernetes', as_of: '2026-11-26T09:00:00Z', stale: false, last_error: null, state: 'ok' },
};

/** GET .../prompts/answer/timeline (DeploymentPublic list, newest first). */
export const timeline: Shape<'DeploymentPublic'>[] = [
  { version: 2, content_hash: '2222', workload_kind: 'Deployment', namespace: 'support', workload: 'support-assistant', via: 'configmap', started: '2026-11-10T09:00:00Z', ended: null },
  { version: 2, content_hash: '2222', workload_kind: 'Deployment', namespace: 'support', workload: 'support-assistant-canary', via: 'configmap', started: '2026-11-11T09:00:00Z', ended: null },
  { version: 1, content_hash: '1111', workload_kind: 'Deployment', namespace: 'support', workload: 'support-assistant', via: 'configmap', started: '2026-10-05T09:00:00Z', ended: '2026-11-10T09:00:00Z' },
];

/** GET .../prompts/answer/versions/2/diff?against=1 (PromptDiff). */
export const diff: Shape<'PromptDiff'> = {
  name: 'answer',
  from_version: 1,
  to_version: 2,
  template_diff: '--- v1\n+++ v2\n-You are a helpful assistant.\n+You are a concise support assistant.\n',
  parameters_diff: '',
  changed: ['template'],
  freshness: clusterFresh,
};

const run = (
  id: number,
  version: number,
  accuracy: number,
  faithfulness: number,
  aggregate: number,
  passed: number,
  regression = false,
  baseline: number | null = null,
): Shape<'EvalRunPublic'> => ({
  id,
  app: 'support-assistant',
  prompt: 'answer',
  version,
  content_hash: `${version}`.repeat(16),
  model: 'gpt-4o',
  dataset: 'tickets',
  source: 'ci',
  started: `2026-11-${String(version * 5).padStart(2, '0')}T09:00:00Z`,
  finished: `2026-11-${String(version * 5).padStart(2, '0')}T09:05:00Z`,
  cases: 50,
  passed,
  errors: 0,
  pass_rate: passed / 50,
  scores: { accuracy, faithfulness },
  aggregate_score: aggregate,
  input_tokens: 10000,
  output_tokens: 2000,
  cost: '0.42',
  regression,
  baseline_run_id: baseline === null ? null : id - 1,
  baseline_score: baseline,
  margin: baseline === null ? null : 0.05,
});

/** GET /apps/{app}/evals (Page of EvalRunPublic, newest first). */
export const evals: Shape<'Page_EvalRunPublic_'> = {
  items: [
    run(3, 3, 0.79, 0.94, 0.79, 39, true, 0.88),
    run(2, 2, 0.88, 0.93, 0.88, 44),
    run(1, 1, 0.82, 0.9, 0.82, 41),
  ],
  total: 3,
  limit: 500,
  offset: 0,
};

type FindingShape = Shape<'FindingPublic'>;
const finding = (
  id: number,
  source: FindingShape['source'],
  severity: FindingShape['severity'],
  title: string,
  owasp: FindingShape['owasp'],
  status: FindingShape['status'] = 'open',
): FindingShape => ({
  id,
  app: 'support-assistant',
  team: 'customer-care',
  source,
  check_id: `check-${id}`,
  severity,
  title,
  detail: '',
  remediation: '',
  resource: 'Deployment/support/support-assistant',
  owasp,
  data: {},
  status,
  first_seen: '2026-11-01T00:00:00Z',
  last_seen: '2026-11-26T00:00:00Z',
  resolved_at: status === 'resolved' ? '2026-11-02T00:00:00Z' : null,
  suppressed_until: null,
  suppression_reason: null,
  suppressed_by: null,
});

/** GET /apps/{app}/evals/regressions (the regressions that still stand). */
export const standingRegressions: Shape<'EvalRunPublic'>[] = [evals.items[0]];

/** GET /apps/{app}/findings (FindingPage). */
export const findings: Shape<'FindingPage'> = {
  items: [
    finding(2, 'trivy-operator', 'critical', 'CVE-2026-0001 in openssl', null),
    finding(1, 'guardrail', 'high', 'Prompt injection attempts blocked', 'LLM01'),
    finding(3, 'posture', 'medium', 'No NetworkPolicy', 'LLM06'),
    finding(4, 'posture', 'high', 'Fixed already', null, 'resolved'),
  ],
  total: 4,
  limit: 500,
  offset: 0,
  counts: { critical: 1, high: 1, medium: 1, low: 0, info: 0 },
  freshness: clusterFresh,
};

export const noOpenFindings: Shape<'FindingPage'> = {
  items: [findings.items[3]],
  total: 1,
  limit: 500,
  offset: 0,
  counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  freshness: clusterFresh,
};

/** A cost group: model spend now and before, plus compute now and before (default none). */
const group = (
  key: string,
  costNow: string,
  previous: string,
  compute = '0',
  previousCompute = '0',
  requests: number | null = null,
): Shape<'CostGroup'> => {
  const change = Number(costNow) - Number(previous);
  const total = Number(costNow) + Number(compute);
  const previousTotal = Number(previous) + Number(previousCompute);
  const pct = (d: number, base: number) => (base ? Math.round((d / base) * 10000) / 100 : null);
  return {
    key,
    cost: costNow,
    previous,
    change: change.toFixed(2),
    change_pct: pct(change, Number(previous)),
    compute_cost: compute,
    previous_compute_cost: previousCompute,
    total_cost: total.toFixed(2),
    previous_total_cost: previousTotal.toFixed(2),
    total_change: (total - previousTotal).toFixed(2),
    total_change_pct: pct(total - previousTotal, previousTotal),
    requests,
    cost_per_1k_requests: requests ? ((total * 1000) / requests).toFixed(4) : null,
  };
};

/** GET /reports/costs?month=2026-11&format=json (CostReport). */
export const report: Shape<'CostReport'> = {
  month: '2026-11',
  previous_month: '2026-10',
  currency: 'USD',
  generated_at: '2026-11-26T10:00:00Z',
  // Model spend 1500.00 (1200.00 before) plus compute 300.00 (240.00 before).
  total: '1500.00',
  previous_total: '1200.00',
  compute_total: '300.00',
  previous_compute_total: '240.00',
  total_cost: '1800.00',
  previous_total_cost: '1440.00',
  compute_by_resource: { cpu: '210.00', memory: '90.00' },
  unallocated: [
    { namespace: 'search', cost: '42.50', cpu_hours: 900, memory_gib_hours: 3600, gpu_hours: 0 },
  ],
  by_team: [
    group('customer-care', '900.00', '600.00', '200.00', '160.00', 300000),
    group('search', '600.00', '600.00', '100.00', '80.00', 250000),
  ],
  by_app: [
    group('support-assistant', '700.00', '400.00', '150.00', '120.00', 200000),
    group('search-rag', '600.00', '600.00', '100.00', '80.00', 250000),
    group('ticket-triage', '200.00', '200.00', '50.00', '40.00', 100000),
  ],
  by_model: [group('gpt-4o', '1100.00', '900.00'), group('gpt-4o-mini', '400.00', '300.00')],
  top_movers: [
    {
      ...group('support-assistant', '700.00', '400.00', '150.00', '120.00', 200000),
      changes: [],
      explanation: 'cost +75 % after prompt answer v5 (gpt-4o) moved to production on 11-03',
    },
    {
      ...group('search-rag', '600.00', '600.00', '100.00', '80.00', 250000),
      changes: [],
      explanation: null,
    },
  ],
  daily: [],
  budgets: budgets.items,
  anomalies: [],
  unpriced: [],
  freshness: fresh,
};
