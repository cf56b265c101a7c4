/*
 * The entity cards as data: what each asks the portal about the entity's app, what it says, and
 * when its answer counts as empty. EntityCard draws a card from its entry; the card's own file
 * draws the answer.
 */
import type { GenAiPortalApi } from '../../api/GenAiPortalApi';
import type { AppCost, AppEvals, AppPrompts, AppUsage } from '../../api/models';
import type { AppReadiness, AppTimeline, FindingList, PeriodDays } from '../../api/types';

const DAY_MS = 86_400_000;

/** One entity card. */
export interface CardSpec<T> {
  /** The card's question to the portal; `days` is the chosen period (30 on cards without one). */
  load: (api: GenAiPortalApi, app: string, days: PeriodDays) => Promise<T>;
  title: string;
  subheader: string;
  /** What the card shows, in "this GenAI Portal does not provide <what> yet". */
  what: string;
  /** What the card says when `isEmpty` holds for the answer. */
  empty?: string;
  isEmpty?: (value: T) => boolean;
  /** The card lets the user choose a period: the label of that select. */
  period?: string;
}

/** What each card's question answers, by the card's id. */
interface CardValues {
  readiness: AppReadiness;
  usage: AppUsage;
  cost: AppCost;
  security: FindingList;
  prompts: AppPrompts;
  evals: AppEvals;
  timeline: AppTimeline;
}

export type CardId = keyof CardValues;
export type CardValue<K extends CardId> = CardValues[K];

/** Every entity card by its id (the test id of the card is `card-<id>`). */
export const CARDS: { [K in CardId]: CardSpec<CardValues[K]> } = {
  readiness: {
    load: (api, app) => api.getReadiness(app),
    title: 'Production readiness',
    subheader: 'Observability, quality, security, reliability and cost checks',
    what: 'readiness checks',
  },
  usage: {
    load: (api, app, days) => api.getUsage(app, { days }),
    title: 'Usage',
    subheader: 'Tokens, requests, errors and latency by model',
    what: 'usage data',
    empty: 'No model usage recorded in this period.',
    isEmpty: u => u.points.length === 0 && u.byModel.length === 0,
    period: 'Period',
  },
  cost: {
    load: (api, app) => api.getCost(app),
    title: 'Cost',
    subheader: 'Daily model spend and compute, month to date and forecast',
    what: 'cost data',
    empty: 'No cost recorded for this app yet.',
    isEmpty: c => c.trend.length === 0 && c.monthToDate === 0,
  },
  security: {
    load: (api, app) => api.listFindings(app),
    title: 'Security',
    subheader: 'Open findings by severity (OWASP Top 10 for LLM)',
    what: 'security findings',
    empty: 'No open findings.',
    isEmpty: f => Object.values(f.counts).every(n => n === 0),
  },
  prompts: {
    load: (api, app) => api.listPrompts(app),
    title: 'Prompts',
    subheader: 'Versions, labels and what runs now',
    what: 'prompt versions',
    empty: 'No prompts recorded for this app.',
    isEmpty: p => p.prompts.length === 0,
  },
  evals: {
    load: (api, app) => api.getEvals(app),
    title: 'Evaluations',
    subheader: 'Scores per prompt version and regressions',
    what: 'evaluations',
    empty: 'No evaluation runs for this app yet.',
    isEmpty: e => e.runs.length === 0,
  },
  timeline: {
    load: (api, app, days) =>
      api.getTimeline(app, { from: new Date(Date.now() - days * DAY_MS).toISOString() }),
    title: 'Timeline',
    subheader: 'What changed: prompts, models, images, scaling, budgets, findings, evaluations',
    what: 'a change timeline',
    empty: 'No changes recorded in this period.',
    isEmpty: t => t.items.length === 0,
    period: 'Timeline period',
  },
};
