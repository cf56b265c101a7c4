/* Readiness and timeline bodies as the portal returns them, typed by its OpenAPI types. */
import type { components } from '../api/schema';

type S<K extends keyof components['schemas']> = components['schemas'][K];

const fresh = [
  { source: 'kubernetes', as_of: '2026-11-26T10:00:00Z', stale: false, last_error: null, state: 'ok' },
  { source: 'prometheus', as_of: '2026-11-26T10:00:00Z', stale: false, last_error: null, state: 'ok' },
];

const check = (
  id: string,
  pillar: S<'Pillar'>,
  level: string,
  status: S<'CheckStatus'>,
  why: string,
): S<'CheckResult'> => ({
  id,
  pillar,
  title: `title of ${id}`,
  level,
  status,
  why,
  fix: `how to fix ${id}`,
  evidence: [{ title: 'Findings', url: '/api/v1/apps/support-assistant/findings?status=open' }],
});

export const readiness: S<'AppReadiness'> = {
  app: 'support-assistant',
  team: 'customer-care',
  lifecycle: 'production',
  level: 'silver',
  next_level: 'gold',
  score: 86,
  passed: 18,
  failed: 2,
  unknown: 1,
  levels: [
    { name: 'bronze', title: 'Observable and owned', checks: ['OBS-BUDGET'], reached: true },
    { name: 'silver', title: 'Guarded and evaluated', checks: ['SEC-NON-ROOT'], reached: true },
    { name: 'gold', title: 'Production grade', checks: ['REL-PDB', 'REL-IMAGE-DIGEST', 'QUAL-NO-REGRESSION'], reached: false },
  ],
  pillars: [
    { pillar: 'observability', passed: 5, failed: 0, unknown: 0 },
    { pillar: 'quality', passed: 3, failed: 0, unknown: 1 },
    { pillar: 'security', passed: 6, failed: 0, unknown: 0 },
    { pillar: 'reliability', passed: 3, failed: 2, unknown: 0 },
    { pillar: 'cost', passed: 1, failed: 0, unknown: 0 },
  ],
  checks: [
    check('OBS-BUDGET', 'observability', 'bronze', 'pass', 'App budget of $1,000.00 a month.'),
    check('SEC-NON-ROOT', 'security', 'silver', 'pass', 'Every container sets runAsNonRoot.'),
    check('REL-PDB', 'reliability', 'gold', 'fail', 'No PodDisruptionBudget selects: Deployment support/chat.'),
    check('REL-IMAGE-DIGEST', 'reliability', 'gold', 'fail', 'Not pinned by digest: chat:1.8.0.'),
    check('QUAL-NO-REGRESSION', 'quality', 'gold', 'unknown', 'The running prompt versions have no evaluation to judge.'),
  ],
  history: [
    { day: '2026-11-24T00:00:00Z', level: 'bronze', score: 76, passed: 16, failed: 4, unknown: 1 },
    { day: '2026-11-25T00:00:00Z', level: 'silver', score: 86, passed: 18, failed: 2, unknown: 1 },
  ],
  evaluated_at: '2026-11-26T10:05:00Z',
  freshness: fresh,
};

const row = (app: string, level: string | null, score: number): S<'ReadinessRow'> => ({
  app,
  team: 'customer-care',
  lifecycle: 'production',
  level,
  score,
  passed: Math.round((score * 21) / 100),
  failed: 21 - Math.round((score * 21) / 100),
  unknown: 0,
  pillars: [],
  failing: [],
  unknown_checks: [],
});

export const orgReadiness: S<'OrgReadiness'> = {
  levels: ['bronze', 'silver', 'gold'],
  items: [row('marketing-copy', 'gold', 100), row('support-assistant', null, 43)],
  total: 2,
  evaluated_at: '2026-11-26T10:05:00Z',
  freshness: fresh,
};

const change = (
  id: string,
  kind: S<'ChangeKind'>,
  at: string,
  summary: string,
): S<'ChangePublic'> => ({
  id,
  app: 'support-assistant',
  team: 'customer-care',
  kind,
  at,
  summary,
  data: {},
  link: null,
});

export const timeline: S<'Timeline'> = {
  app: 'support-assistant',
  start: '2026-10-27T00:00:00Z',
  end: '2026-11-26T12:00:00Z',
  kinds: [],
  items: [
    change('change-3', 'image', '2026-11-25T14:00:00Z', 'Deployment support/chat container app: chat:1.7.0 → chat:1.8.0'),
    change('change-2', 'model-switch', '2026-11-25T03:00:00Z', 'model switch: gpt-4o → gpt-4o-mini'),
    change('label-7', 'prompt-label', '2026-11-24T09:00:00Z', 'prompt answer v4 (gpt-4o-mini) moved to production (was v3)'),
    change('change-1', 'budget', '2026-10-01T09:00:00Z', 'team budget customer-care set: $2,000.00 a month'),
  ],
  freshness: fresh,
};
