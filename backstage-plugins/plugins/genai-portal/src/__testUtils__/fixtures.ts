/* JSON bodies as the portal returns them, for the tests. */

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

export const usage = {
  start: '2026-11-24T00:00:00Z',
  end: '2026-11-26T00:00:00Z',
  granularity: 'day',
  points: [
    { bucket: '2026-11-24T00:00:00Z', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500, requests: 10, errors: 1, latency_seconds: 0.8 },
    { bucket: '2026-11-25T00:00:00Z', model: 'gpt-4o', input_tokens: 2000, output_tokens: 700, requests: 20, errors: 0, latency_seconds: 0.9 },
    { bucket: '2026-11-25T00:00:00Z', model: 'gpt-4o-mini', input_tokens: 300, output_tokens: 100, requests: 5, errors: 0, latency_seconds: 0.3 },
  ],
  by_model: [
    { model: 'gpt-4o', input_tokens: 3000, output_tokens: 1200, requests: 30, errors: 1, latency_seconds: 0.87 },
    { model: 'gpt-4o-mini', input_tokens: 300, output_tokens: 100, requests: 5, errors: 0, latency_seconds: 0.3 },
  ],
  deploys: [{ at: '2026-11-25T06:00:00Z', prompt: 'answer', version: 3 }],
  freshness: { source: 'prometheus', as_of: '2026-11-26T09:00:00Z', stale: false },
};

export const emptyUsage = { ...usage, points: [], by_model: [], deploys: [] };

export const cost = {
  currency: 'USD',
  month_to_date: '123.45',
  forecast: '310.00',
  previous_month: '280.10',
  trend: [
    { date: '2026-11-24', cost: '4.10' },
    { date: '2026-11-25', cost: '5.20' },
  ],
  by_model: [{ model: 'gpt-4o', cost: '120.00' }],
  budget: { name: 'support-assistant', amount: '300.00', spent: '123.45', forecast: '310.00', state: 'warning' },
  unpriced_tokens: 4200,
  unpriced_models: ['llama-3.1-8b-instruct'],
  deploys: [],
  freshness: { source: 'prometheus', as_of: '2026-11-26T09:00:00Z', stale: true },
};

export const emptyCost = {
  ...cost,
  month_to_date: '0',
  trend: [],
  by_model: [],
  budget: null,
  unpriced_tokens: 0,
  unpriced_models: [],
};

export const prompts = [
  {
    name: 'answer',
    versions: [
      { version: 1, hash: 'aaaaaaaaaaaaaaaa', created_at: '2026-10-01T00:00:00Z', labels: [], source: 'ci' },
      { version: 2, hash: 'bbbbbbbbbbbbbbbb', created_at: '2026-11-01T00:00:00Z', labels: ['production'], source: 'ci' },
      { version: 3, hash: 'cccccccccccccccc', created_at: '2026-11-25T00:00:00Z', labels: ['staging'], source: 'cluster' },
    ],
    labels: { production: 2, staging: 3 },
    running: [{ workload: 'Deployment/support/support-assistant', version: 2 }],
  },
];

export const diff = {
  version: 2,
  against: 1,
  diff: '--- v1\n+++ v2\n-You are a helpful assistant.\n+You are a concise support assistant.\n',
};

export const evals = {
  runs: [
    { id: 'r1', prompt: 'answer', version: 1, created_at: '2026-10-02T00:00:00Z', model: 'gpt-4o', dataset: 'tickets', scores: { accuracy: 0.82, faithfulness: 0.9 }, passed: 41, failed: 9 },
    { id: 'r2', prompt: 'answer', version: 2, created_at: '2026-11-02T00:00:00Z', model: 'gpt-4o', dataset: 'tickets', scores: { accuracy: 0.88, faithfulness: 0.93 }, passed: 44, failed: 6 },
    { id: 'r3', prompt: 'answer', version: 3, created_at: '2026-11-25T00:00:00Z', model: 'gpt-4o', dataset: 'tickets', scores: { accuracy: 0.79, faithfulness: 0.94 }, passed: 39, failed: 11 },
  ],
  regressions: [
    { prompt: 'answer', metric: 'accuracy', from_version: 2, to_version: 3, before: 0.88, after: 0.79 },
  ],
};

export const findings = [
  { id: 'f1', app: 'support-assistant', source: 'guardrail', severity: 'high', title: 'Prompt injection attempts blocked', resource: 'Deployment/support/support-assistant', owasp_id: 'LLM01', first_seen: '2026-11-20T00:00:00Z', last_seen: '2026-11-26T00:00:00Z', status: 'open' },
  { id: 'f2', app: 'support-assistant', source: 'trivy-operator', severity: 'critical', title: 'CVE-2026-0001 in openssl', resource: 'Deployment/support/support-assistant', owasp_id: null, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-26T00:00:00Z', status: 'open' },
  { id: 'f3', app: 'support-assistant', source: 'posture', severity: 'medium', title: 'No NetworkPolicy', resource: 'Namespace/support', owasp_id: 'LLM06', first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-26T00:00:00Z', status: 'open' },
  { id: 'f4', app: 'support-assistant', source: 'posture', severity: 'high', title: 'Fixed already', resource: null, owasp_id: null, first_seen: '2026-10-01T00:00:00Z', last_seen: '2026-10-02T00:00:00Z', status: 'resolved' },
];

export const report = {
  month: '2026-11',
  currency: 'USD',
  total: '1500.00',
  previous_total: '1200.00',
  by_team: [
    { team: 'customer-care', cost: '900.00', previous: '600.00' },
    { team: 'search', cost: '600.00', previous: '600.00' },
  ],
  by_app: [
    { app: 'support-assistant', team: 'customer-care', cost: '700.00', previous: '400.00' },
    { app: 'ticket-triage', team: 'customer-care', cost: '200.00', previous: '200.00' },
    { app: 'search-rag', team: 'search', cost: '600.00', previous: '600.00' },
  ],
  by_model: [
    { model: 'gpt-4o', cost: '1100.00', previous: '900.00' },
    { model: 'gpt-4o-mini', cost: '400.00', previous: '300.00' },
  ],
  freshness: { stale: false },
};

export const budgets = [
  { name: 'customer-care', amount: '1000.00', spent: '900.00', forecast: '1200.00', state: 'warning' },
  { name: 'search', amount: '2000.00', spent: '600.00', forecast: '900.00', state: 'ok' },
];
