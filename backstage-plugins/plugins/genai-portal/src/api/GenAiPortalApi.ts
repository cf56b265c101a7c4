import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AppCost,
  AppEvals,
  AppPrompts,
  AppUsage,
  BudgetState,
  CostReport,
} from './models';
import type {
  AppQuery,
  AppReadiness,
  AppTimeline,
  FindingList,
  GenAiApp,
  GenAiAppDetail,
  GenAiAppPage,
  OrgReadiness,
  PeriodDays,
  PromptDiff,
  ReadinessQuery,
  SourceStatus,
} from './types';

/**
 * The GenAI Portal API as the plugin uses it. Every method rejects with
 * {@link NotAvailableError} when the portal does not serve the route.
 * @public
 */
export interface GenAiPortalApi {
  listApps(query?: AppQuery): Promise<GenAiAppPage>;
  /** Every app, following the pages. */
  listAllApps(query?: Omit<AppQuery, 'limit' | 'offset'>): Promise<GenAiApp[]>;
  getApp(app: string): Promise<GenAiAppDetail>;
  listSources(): Promise<SourceStatus[]>;
  /** Usage over the last `days`, with the app's new prompt versions as deploy markers. */
  getUsage(app: string, options: { days: PeriodDays }): Promise<AppUsage>;
  /** Cost since the first day of last month, with the app's budget and deploy markers. */
  getCost(app: string): Promise<AppCost>;
  listPrompts(app: string): Promise<AppPrompts>;
  getPromptDiff(
    app: string,
    prompt: string,
    version: number,
    against: number,
  ): Promise<PromptDiff>;
  getEvals(app: string): Promise<AppEvals>;
  listFindings(app?: string): Promise<FindingList>;
  /** The monthly cost report (month as YYYY-MM). */
  getCostReport(month: string): Promise<CostReport>;
  /** The same report as CSV text, for download. */
  getCostReportCsv(month: string): Promise<string>;
  listBudgets(): Promise<BudgetState[]>;
  /** An app's readiness checks, level and history. */
  getReadiness(app: string): Promise<AppReadiness>;
  /** Every app's readiness (optionally one team's, or one level's), most ready first. */
  listReadiness(query?: ReadinessQuery): Promise<OrgReadiness>;
  /** An app's changes from `from` (ISO time) until now, newest first. */
  getTimeline(app: string, options: { from: string }): Promise<AppTimeline>;
}

/** @public */
export const genAiPortalApiRef = createApiRef<GenAiPortalApi>({
  id: 'plugin.genai-portal.service',
});
