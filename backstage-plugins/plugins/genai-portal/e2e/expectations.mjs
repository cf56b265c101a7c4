// What each card must show, computed from the portal's own answer to the request the page made.
// Cards whose route the portal does not serve must show their "not available" state instead
// (checked by browser-test.mjs). Formats match src/components/common/format.ts.
export const money = value =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(Number(value));
export const count = value =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(Number(value));

const sum = (rows, pick) => rows.reduce((total, row) => total + Number(pick(row) ?? 0), 0);

function monthStart(offset = 0) {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1);
}

export const expectations = {
  entity: app => [
    {
      id: 'usage',
      name: 'usage',
      path: `/api/v1/apps/${app}/usage`,
      values: async body => [
        ['usage-tokens', count(sum(body.totals, t => t.input_tokens + t.output_tokens))],
        ['usage-requests', count(sum(body.totals, t => t.requests))],
        ['usage-errors', count(sum(body.totals, t => t.errors))],
      ],
    },
    {
      id: 'cost',
      name: 'cost',
      path: `/api/v1/apps/${app}/costs`,
      values: async (body, api) => {
        const priced = body.buckets.filter(b => b.cost !== null);
        const thisMonth = priced.filter(b => Date.parse(b.start) >= monthStart());
        const lastMonth = priced.filter(
          b => Date.parse(b.start) >= monthStart(-1) && Date.parse(b.start) < monthStart(),
        );
        // The app's own compute (its pods) adds to model spend, per day.
        const compute = body.compute ?? [];
        const computeThisMonth = compute.filter(c => Date.parse(c.start) >= monthStart());
        const computeLastMonth = compute.filter(
          c => Date.parse(c.start) >= monthStart(-1) && Date.parse(c.start) < monthStart(),
        );
        const model = sum(thisMonth, b => b.cost);
        const own = sum(computeThisMonth, c => c.cost);
        const pairs = [
          ['cost-mtd', money(model + own)],
          ['cost-split', `${money(model)} model spend + ${money(own)} compute`],
          ['cost-previous', money(sum(lastMonth, b => b.cost) + sum(computeLastMonth, c => c.cost))],
        ];
        const budgets = await api('/api/v1/budgets');
        const budget = budgets.body?.items?.find(b => b.scope === 'app' && b.name === app);
        if (budget) {
          // The forecast itself moves with the clock (spend per elapsed second): not compared.
          const firing = budget.alerts.filter(a => a.firing).map(a => `${a.threshold}% ${a.basis}`);
          pairs.push([
            'budget-state',
            `Budget ${money(budget.amount)}: ${budget.state}${firing.length ? ` (${firing.join(', ')})` : ''}`,
          ]);
        }
        return pairs;
      },
    },
    {
      id: 'prompts',
      name: 'prompts',
      path: `/api/v1/apps/${app}/prompts`,
      values: async body =>
        body.prompts.map(p => {
          const labels = p.labels.map(l => `${l.label} → v${l.version}`).join(', ');
          return [`prompt-${p.name}-summary`, `${p.versions} versions${labels ? ` · ${labels}` : ''}`];
        }),
    },
    {
      id: 'evals',
      name: 'evaluations',
      path: `/api/v1/apps/${app}/evals`,
      values: async (body, api) => {
        const standing = await api(`/api/v1/apps/${app}/evals/regressions`);
        const regressions =
          standing.status === 200 ? standing.body : body.items.filter(r => r.regression);
        return [
          ['evals-runs', String(body.items.length)],
          ['evals-regressions', String(regressions.length)],
        ];
      },
    },
    {
      id: 'security',
      name: 'security',
      path: `/api/v1/apps/${app}/findings`,
      values: async body =>
        Object.entries(body.counts)
          .filter(([, n]) => n > 0)
          .map(([severity, n]) => [`severity-${severity}`, `${severity}: ${n}`]),
    },
    {
      id: 'readiness',
      name: 'readiness',
      path: `/api/v1/apps/${app}/readiness`,
      values: async body => [
        ['readiness-level', body.level ?? 'none'],
        ['readiness-score', `${body.score}%`],
        ['readiness-failed', String(body.failed)],
        ['readiness-unknown', String(body.unknown)],
      ],
    },
    {
      id: 'timeline',
      name: 'timeline',
      path: `/api/v1/apps/${app}/timeline`,
      // Several cards ask for the timeline over different periods: the newest change is the
      // same in all of them.
      values: async body => [
        [
          'timeline-latest',
          `Latest: ${body.items[0].summary} (${body.items[0].at.slice(0, 10)} ${body.items[0].at.slice(11, 16)})`,
        ],
      ],
    },
  ],
  org: () => [
    {
      id: 'cost-report',
      name: 'cost report',
      path: '/api/v1/reports/costs',
      values: async body => [
        // Totals are the cost of ownership: model spend plus the apps' own compute.
        ['report-total', money(body.total_cost)],
        ['report-previous', money(body.previous_total_cost)],
        ['report-model', money(body.total)],
        ['report-compute', money(body.compute_total)],
        ...body.top_movers.map(m => [`mover-${m.key}`, null, `${m.key}: ${money(m.total_cost)} (`]),
      ],
    },
    {
      id: 'budgets',
      name: 'budgets',
      path: '/api/v1/budgets',
      values: async body => [
        [
          'budgets-summary',
          `${body.items.length} budgets, ${body.items.filter(b => b.state !== 'ok').length} alerting`,
        ],
      ],
    },
  ],
};
