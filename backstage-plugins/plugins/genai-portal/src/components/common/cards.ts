/*
 * The entity cards' behaviour as data: what each asks the portal about the entity's app, when
 * its answer counts as empty and whether it has a period select. What a card says (title,
 * subheader, ...) is in the translation ref (`cards.<id>` in ../../translation.ts). EntityCard
 * draws a card from both; the card's own file draws the answer.
 */
import type { GenAiPortalApi } from '../../api/GenAiPortalApi';
import type { AppCost, AppEvals, AppPrompts, AppUsage } from '../../api/models';
import type { AppReadiness, AppTimeline, FindingList, PeriodDays } from '../../api/types';

const DAY_MS = 86_400_000;

/** One entity card. */
export interface CardSpec<T> {
  /** The card's question to the portal; `days` is the chosen period (30 on cards without one). */
  load: (api: GenAiPortalApi, app: string, days: PeriodDays) => Promise<T>;
  /** The answer has nothing to show: the card says its `empty` text. */
  isEmpty?: (value: T) => boolean;
  /** The card lets the user choose a period (labelled with its `period` text). */
  period?: true;
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
  },
  usage: {
    load: (api, app, days) => api.getUsage(app, { days }),
    isEmpty: u => u.points.length === 0 && u.byModel.length === 0,
    period: true,
  },
  cost: {
    load: (api, app) => api.getCost(app),
    isEmpty: c => c.trend.length === 0 && c.monthToDate === 0,
  },
  security: {
    load: (api, app) => api.listFindings(app),
    isEmpty: f => Object.values(f.counts).every(n => n === 0),
  },
  prompts: {
    load: (api, app) => api.listPrompts(app),
    isEmpty: p => p.prompts.length === 0,
  },
  evals: {
    load: (api, app) => api.getEvals(app),
    isEmpty: e => e.runs.length === 0,
  },
  timeline: {
    load: (api, app, days) =>
      api.getTimeline(app, { from: new Date(Date.now() - days * DAY_MS).toISOString() }),
    isEmpty: t => t.items.length === 0,
    period: true,
  },
};
