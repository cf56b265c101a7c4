/*
 * The plugin's user-facing texts as a Backstage translation ref: an app overrides or translates
 * them (createTranslationMessages / createTranslationResource, given to the app; see the
 * plugin's docs) without forking the plugin. The components read them with useTranslationRef.
 */
import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The GenAI Portal plugin's texts, by key. `cards.<id>` holds each entity card's title,
 * subheader, what it shows (in `notAvailable`), what it says when empty and its period label.
 * @alpha
 */
export const genAiPortalTranslationRef = createTranslationRef({
  id: 'plugin.genai-portal',
  messages: {
    // One row per entity card (by its id in CARDS).
    // prettier-ignore
    cards: {
      readiness: { title: 'Production readiness', subheader: 'Observability, quality, security, reliability and cost checks', what: 'readiness checks' },
      usage: { title: 'Usage', subheader: 'Tokens, requests, errors and latency by model', what: 'usage data', empty: 'No model usage recorded in this period.', period: 'Period' },
      cost: { title: 'Cost', subheader: 'Daily model spend and compute, month to date and forecast', what: 'cost data', empty: 'No cost recorded for this app yet.' },
      security: { title: 'Security', subheader: 'Open findings by severity (OWASP Top 10 for LLM)', what: 'security findings', empty: 'No open findings.' },
      prompts: { title: 'Prompts', subheader: 'Versions, labels and what runs now', what: 'prompt versions', empty: 'No prompts recorded for this app.' },
      evals: { title: 'Evaluations', subheader: 'Scores per prompt version and regressions', what: 'evaluations', empty: 'No evaluation runs for this app yet.' },
      timeline: { title: 'Timeline', subheader: 'What changed: prompts, models, images, scaling, budgets, findings, evaluations', what: 'a change timeline', empty: 'No changes recorded in this period.', period: 'Timeline period' },
    },
    /** A card or section whose API this portal does not serve. */
    notAvailable: 'Not available: this GenAI Portal does not provide {{what}} yet.',
    /** An option of a card's period select. */
    lastDays: 'Last {{days}} days',
    /** What a card or section says when its answer is empty and it has no text of its own. */
    empty: 'No {{what}} yet.',
  },
});

/** The key of one of the plugin's texts. */
export type GenAiPortalMessageKey = keyof typeof genAiPortalTranslationRef.T;
