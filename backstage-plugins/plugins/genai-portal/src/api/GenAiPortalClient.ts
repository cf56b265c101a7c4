import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Shape,
  toAppPrompts,
  toBudgets,
  toCost,
  toCostReport,
  toDeploys,
  toEvals,
  toFindings,
  toPromptDiff,
  toUsage,
} from './adapters';
import { isNotAvailable, NotAvailableError, PortalResponseError } from './errors';
import type { GenAiPortalApi } from './GenAiPortalApi';
import type {
  AppCost,
  AppEvals,
  AppPrompts,
  AppUsage,
  BudgetState,
  CostReport,
  DeployMarker,
  FindingList,
  PromptDiff,
} from './models';
import type {
  AppQuery,
  AppReadiness,
  AppTimeline,
  GenAiApp,
  GenAiAppDetail,
  GenAiAppPage,
  OrgReadiness,
  PeriodDays,
  SourceStatus,
} from './types';

/** The proxy endpoint that the README tells Backstage operators to configure. @public */
export const DEFAULT_PROXY_PATH = '/genai-portal';

const enc = encodeURIComponent;

type Query = Record<string, string | number | undefined>;

const PAGE_SIZE = 500;
const DAY_MS = 86_400_000;

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

  /** The client as both frontend systems build it: the proxy path from `genaiPortal.proxyPath`. */
  static fromConfig(deps: {
    configApi: { getOptionalString(key: string): string | undefined };
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
  }): GenAiPortalClient {
    return new GenAiPortalClient({
      discoveryApi: deps.discoveryApi,
      fetchApi: deps.fetchApi,
      proxyPath: deps.configApi.getOptionalString('genaiPortal.proxyPath'),
    });
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
    const start = new Date(end.getTime() - options.days * DAY_MS);
    const [body, deploys] = await Promise.all([
      this.get(`/api/v1/apps/${enc(app)}/usage`, {
        from: start.toISOString(),
        to: end.toISOString(),
        step: options.days <= 7 ? 'hour' : 'day',
      }),
      this.deploys(app),
    ]);
    return { ...toUsage(body), deploys };
  }

  async getCost(app: string): Promise<AppCost> {
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const [body, budgets, deploys] = await Promise.all([
      this.get(`/api/v1/apps/${enc(app)}/costs`, {
        from: from.toISOString(),
        step: 'day',
      }),
      // A portal without budgets still shows costs.
      this.listBudgets().catch(() => [] as BudgetState[]),
      this.deploys(app),
    ]);
    const budget = budgets.find(b => b.scope === 'app' && b.name === app) ?? null;
    return { ...toCost(body, budget, now), deploys };
  }

  async listPrompts(app: string): Promise<AppPrompts> {
    const body = await this.get<Shape<'PromptList'>>(
      `/api/v1/apps/${enc(app)}/prompts`,
    );
    const versions = await Promise.all(
      (body.prompts ?? []).map(p =>
        this.get<Shape<'PromptVersionPage'>>(
          `/api/v1/apps/${enc(app)}/prompts/${enc(p.name)}/versions`,
          { limit: PAGE_SIZE },
        ),
      ),
    );
    return toAppPrompts(body, versions);
  }

  async getPromptDiff(
    app: string,
    prompt: string,
    version: number,
    against: number,
  ): Promise<PromptDiff> {
    return toPromptDiff(
      await this.get(
        `/api/v1/apps/${enc(app)}/prompts/${enc(prompt)}/versions/${version}/diff`,
        { against },
      ),
    );
  }

  async getEvals(app: string): Promise<AppEvals> {
    const base = `/api/v1/apps/${enc(app)}/evals`;
    const [runs, standing] = await Promise.all([
      this.get<Shape<'Page_EvalRunPublic_'>>(base, { limit: PAGE_SIZE }),
      // An older portal has no list of standing regressions: then every flagged run counts.
      this.get<Shape<'EvalRunPublic'>[]>(`${base}/regressions`).catch(error => {
        if (isNotAvailable(error)) return undefined;
        throw error;
      }),
    ]);
    return toEvals(runs, standing);
  }

  async listFindings(app?: string): Promise<FindingList> {
    const path = app
      ? `/api/v1/apps/${enc(app)}/findings`
      : '/api/v1/findings';
    return toFindings(await this.get(path, { limit: PAGE_SIZE }));
  }

  async getCostReport(month: string): Promise<CostReport> {
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

  getReadiness(app: string): Promise<AppReadiness> {
    return this.get<AppReadiness>(`/api/v1/apps/${enc(app)}/readiness`);
  }

  listReadiness(query: { team?: string; level?: string } = {}): Promise<OrgReadiness> {
    return this.get<OrgReadiness>('/api/v1/readiness', { ...query });
  }

  getTimeline(app: string, options: { from: string }): Promise<AppTimeline> {
    return this.get<AppTimeline>(`/api/v1/apps/${enc(app)}/timeline`, {
      from: options.from,
      to: new Date(Date.now() + 60_000).toISOString(),
    });
  }

  /** Deploys of prompt versions to mark on charts; none when the portal has no prompts API. */
  private async deploys(app: string): Promise<DeployMarker[]> {
    try {
      const body = await this.get<Shape<'PromptList'>>(
        `/api/v1/apps/${enc(app)}/prompts`,
      );
      const timelines = await Promise.all(
        (body.prompts ?? []).map(async p => ({
          prompt: String(p.name),
          timeline: await this.get<Shape<'DeploymentPublic'>[]>(
            `/api/v1/apps/${enc(app)}/prompts/${enc(p.name)}/timeline`,
          ),
        })),
      );
      return toDeploys(timelines);
    } catch {
      return [];
    }
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
      throw await toError(response, path, this.proxyPath);
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

async function toError(
  response: Response,
  path: string,
  proxyPath: string,
): Promise<Error> {
  // Read a copy: a body that is not the portal's goes to ResponseError whole.
  const raw = response.clone();
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
      `no answer from the GenAI Portal: is the proxy endpoint ${proxyPath} configured?`,
      path,
    );
  }
  // Backstage answered itself (auth, the proxy's own errors): keep its error as Backstage does.
  return ResponseError.fromResponse(raw);
}
