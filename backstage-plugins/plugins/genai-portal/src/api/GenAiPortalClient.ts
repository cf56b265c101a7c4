import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  toBudgets,
  toCost,
  toCostReport,
  toEvals,
  toFindings,
  toPromptDiff,
  toPrompts,
  toUsage,
} from './adapters';
import { NotAvailableError, PortalResponseError } from './errors';
import type { GenAiPortalApi } from './GenAiPortalApi';
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

/** The proxy endpoint that the README tells Backstage operators to configure. @public */
export const DEFAULT_PROXY_PATH = '/genai-portal';

const enc = encodeURIComponent;

type Query = Record<string, string | number | undefined>;

const PAGE_SIZE = 500;

/**
 * Reaches the portal through Backstage's proxy (`proxy.endpoints['/genai-portal']`), which
 * adds the portal's bearer token; the browser never holds it.
 * @public
 */
export class GenAiPortalClient implements GenAiPortalApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly proxyPath: string;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    proxyPath?: string;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.proxyPath = options.proxyPath ?? DEFAULT_PROXY_PATH;
  }

  listApps(query: AppQuery = {}): Promise<GenAiAppPage> {
    return this.get<GenAiAppPage>('/api/v1/apps', { ...query });
  }

  async listAllApps(
    query: Omit<AppQuery, 'limit' | 'offset'> = {},
  ): Promise<GenAiApp[]> {
    const all: GenAiApp[] = [];
    for (;;) {
      const page = await this.listApps({
        ...query,
        limit: PAGE_SIZE,
        offset: all.length,
      });
      all.push(...page.items);
      if (page.items.length === 0 || all.length >= page.total) return all;
    }
  }

  getApp(app: string): Promise<GenAiAppDetail> {
    return this.get<GenAiAppDetail>(`/api/v1/apps/${enc(app)}`);
  }

  listSources(): Promise<SourceStatus[]> {
    return this.get<SourceStatus[]>('/api/v1/sources');
  }

  async getUsage(app: string, options: { days: PeriodDays }): Promise<AppUsage> {
    const end = new Date();
    const start = new Date(end.getTime() - options.days * 24 * 3600 * 1000);
    return toUsage(
      await this.get(`/api/v1/apps/${enc(app)}/usage`, {
        start: start.toISOString(),
        end: end.toISOString(),
        granularity: options.days <= 7 ? 'hour' : 'day',
      }),
    );
  }

  async getCost(app: string): Promise<AppCost> {
    return toCost(await this.get(`/api/v1/apps/${enc(app)}/costs`));
  }

  async listPrompts(app: string): Promise<Prompt[]> {
    return toPrompts(await this.get(`/api/v1/apps/${enc(app)}/prompts`));
  }

  async getPromptDiff(
    app: string,
    prompt: string,
    version: number,
    against: number,
  ): Promise<PromptDiff> {
    const body = await this.get<Record<string, unknown>>(
      `/api/v1/apps/${enc(app)}/prompts/${enc(prompt)}/versions/${version}/diff`,
      { against },
    );
    return toPromptDiff(body, prompt, against, version);
  }

  async getEvals(app: string): Promise<AppEvals> {
    return toEvals(await this.get(`/api/v1/apps/${enc(app)}/evals`));
  }

  async listFindings(app?: string): Promise<Finding[]> {
    const path = app
      ? `/api/v1/apps/${enc(app)}/findings`
      : '/api/v1/findings';
    return toFindings(await this.get(path));
  }

  async getCostReport(month?: string): Promise<CostReport> {
    return toCostReport(
      await this.get('/api/v1/reports/costs', { month, format: 'json' }),
    );
  }

  async getCostReportCsv(month: string): Promise<string> {
    const response = await this.request('/api/v1/reports/costs', {
      month,
      format: 'csv',
    });
    return response.text();
  }

  async listBudgets(): Promise<BudgetState[]> {
    return toBudgets(await this.get('/api/v1/budgets'));
  }

  private async get<T = any>(path: string, query?: Query): Promise<T> {
    const response = await this.request(path, query);
    return (await response.json()) as T;
  }

  private async request(path: string, query?: Query): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('proxy');
    const url = `${base}${this.proxyPath}${path}${toSearch(query)}`;
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await toError(response, path);
    }
    return response;
  }
}

function toSearch(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toError(response: Response, path: string): Promise<Error> {
  let body: any = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON: neither the portal nor Backstage's proxy wrote it.
  }
  const portalShaped =
    body && typeof body.error === 'string' && 'detail' in body;
  // FastAPI answers a route it does not have with its default detail "Not Found"; a missing
  // app or prompt comes from the portal's own NotFoundError with a sentence as detail.
  if (response.status === 404 && portalShaped && body.detail === 'Not Found') {
    return new NotAvailableError(path);
  }
  if (portalShaped) {
    const detail =
      typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail);
    return new PortalResponseError(response.status, body.error, detail, path);
  }
  if (response.status === 404) {
    return new PortalResponseError(
      404,
      'NotFound',
      `no answer from the GenAI Portal: is the proxy endpoint ${DEFAULT_PROXY_PATH} configured?`,
      path,
    );
  }
  const message =
    body?.error?.message ?? response.statusText ?? 'request failed';
  return new PortalResponseError(response.status, 'Error', message, path);
}
