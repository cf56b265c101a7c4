import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AppCost,
  AppEvals,
  AppUsage,
  BudgetState,
  CostReport,
  Finding,
  Prompt,
  PromptDiff,
} from './models';
import type {
  AppQuery,
  GenAiApp,
  GenAiAppDetail,
  GenAiAppPage,
  PeriodDays,
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
  getUsage(app: string, options: { days: PeriodDays }): Promise<AppUsage>;
  getCost(app: string): Promise<AppCost>;
  listPrompts(app: string): Promise<Prompt[]>;
  getPromptDiff(
    app: string,
    prompt: string,
    version: number,
    against: number,
  ): Promise<PromptDiff>;
  getEvals(app: string): Promise<AppEvals>;
  listFindings(app?: string): Promise<Finding[]>;
  /** The monthly cost report (month as YYYY-MM; default: the current month). */
  getCostReport(month?: string): Promise<CostReport>;
  /** The same report as CSV text, for download. */
  getCostReportCsv(month: string): Promise<string>;
  listBudgets(): Promise<BudgetState[]>;
}

/** @public */
export const genAiPortalApiRef = createApiRef<GenAiPortalApi>({
  id: 'plugin.genai-portal.service',
});
