// What each card must show, derived from the API's own answer. Cards whose route the portal
// does not serve must show their "not available" state instead (checked by browser-test.mjs).
const money = (value, currency = 'USD') =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(Number(value));
const count = value =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(Number(value));

export const expectations = {
  entity: app => [
    { id: 'usage', name: 'usage', path: `/api/v1/apps/${app}/usage`, values: () => [] },
    { id: 'cost', name: 'cost', path: `/api/v1/apps/${app}/costs`, values: () => [] },
    { id: 'prompts', name: 'prompts', path: `/api/v1/apps/${app}/prompts`, values: () => [] },
    { id: 'evals', name: 'evaluations', path: `/api/v1/apps/${app}/evals`, values: () => [] },
    { id: 'security', name: 'security', path: `/api/v1/apps/${app}/findings`, values: () => [] },
  ],
  org: () => [
    { id: 'cost-report', name: 'cost report', path: '/api/v1/reports/costs?format=json', values: () => [] },
    { id: 'budgets', name: 'budgets', path: '/api/v1/budgets', values: () => [] },
  ],
};
export { money, count };
