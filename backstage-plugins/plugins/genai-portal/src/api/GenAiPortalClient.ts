import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import createClient, { type Client } from 'openapi-fetch';
import {
  toAppPrompts,
  toBudgets,
  toCost,
  toCostReport,
  toDeploys,
  toEvals,
  toUsage,
} from './adapters';
import {
  isNotAvailable,
  NotAvailableError,
  PortalResponseError,
} from './errors';
import type {
  AppCost,
  AppEvals,
  AppPrompts,
  AppUsage,
  BudgetState,
  CostReport,
  DeployMarker,
} from './models';
import type { paths } from './schema';
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

/** The proxy endpoint that the README tells Backstage operators to configure. @public */
export const DEFAULT_PROXY_PATH = '/genai-portal';

/** The portal's routes as `tsc` knows them from catalog/openapi.json (JSON answers). */
type Portal = Client<paths, 'application/json'>;

const PAGE_SIZE = 500;
const DAY_MS = 86_400_000;

/**
 * Reaches the portal through Backstage's proxy (`proxy.endpoints['/genai-portal']`), which
 * adds the portal's bearer token; the browser never holds it. Every method rejects with
 * {@link NotAvailableError} when the portal does not serve the route.
 * @public
 */
export class GenAiPortalClient {
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

  async listApps(query: AppQuery = {}): Promise<GenAiAppPage> {
    const portal = await this.portal();
    return body(await portal.GET('/api/v1/apps', { params: { query } }));
  }

  /** Every app, following the pages. */
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

  async getApp(app: string): Promise<GenAiAppDetail> {
    const portal = await this.portal();
    return body(
      await portal.GET('/api/v1/apps/{app}', { params: { path: { app } } }),
    );
  }

  async listSources(): Promise<SourceStatus[]> {
    const portal = await this.portal();
    return body(await portal.GET('/api/v1/sources'));
  }

  /** Usage over the last `days`, with the app's new prompt versions as deploy markers. */
  async getUsage(
    app: string,
    options: { days: PeriodDays },
  ): Promise<AppUsage> {
    const portal = await this.portal();
    const end = new Date();
    const start = new Date(end.getTime() - options.days * DAY_MS);
    const [usage, deploys] = await Promise.all([
      portal.GET('/api/v1/apps/{app}/usage', {
        params: {
          path: { app },
          query: {
            from: start.toISOString(),
            to: end.toISOString(),
            step: options.days <= 7 ? 'hour' : 'day',
          },
        },
      }),
      this.deploys(portal, app),
    ]);
    return { ...toUsage(body(usage)), deploys };
  }

  /** Cost since the first day of last month, with the app's budget and deploy markers. */
  async getCost(app: string): Promise<AppCost> {
    const portal = await this.portal();
    const now = new Date();
    const from = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1),
    );
    const [costs, budgets, deploys] = await Promise.all([
      portal.GET('/api/v1/apps/{app}/costs', {
        params: {
          path: { app },
          query: { from: from.toISOString(), step: 'day' },
        },
      }),
      // A portal without budgets still shows costs.
      this.listBudgets().catch(() => [] as BudgetState[]),
      this.deploys(portal, app),
    ]);
    const budget =
      budgets.find(b => b.scope === 'app' && b.name === app) ?? null;
    return { ...toCost(body(costs), budget, now), deploys };
  }

  async listPrompts(app: string): Promise<AppPrompts> {
    const portal = await this.portal();
    const list = body(
      await portal.GET('/api/v1/apps/{app}/prompts', {
        params: { path: { app } },
      }),
    );
    const versions = await Promise.all(
      list.prompts.map(async p =>
        body(
          await portal.GET('/api/v1/apps/{app}/prompts/{name}/versions', {
            params: {
              path: { app, name: p.name },
              query: { limit: PAGE_SIZE },
            },
          }),
        ),
      ),
    );
    return toAppPrompts(list, versions);
  }

  async getPromptDiff(
    app: string,
    prompt: string,
    version: number,
    against: number,
  ): Promise<PromptDiff> {
    const portal = await this.portal();
    return body(
      await portal.GET(
        '/api/v1/apps/{app}/prompts/{name}/versions/{number}/diff',
        {
          params: {
            path: { app, name: prompt, number: version },
            query: { against },
          },
        },
      ),
    );
  }

  async getEvals(app: string): Promise<AppEvals> {
    const portal = await this.portal();
    const [runs, standing] = await Promise.all([
      portal.GET('/api/v1/apps/{app}/evals', {
        params: { path: { app }, query: { limit: PAGE_SIZE } },
      }),
      // An older portal has no list of standing regressions: then every flagged run counts.
      portal
        .GET('/api/v1/apps/{app}/evals/regressions', {
          params: { path: { app } },
        })
        .then(body)
        .catch(error => {
          if (isNotAvailable(error)) return undefined;
          throw error;
        }),
    ]);
    return toEvals(body(runs), standing);
  }

  async listFindings(app?: string): Promise<FindingList> {
    const portal = await this.portal();
    const query = { limit: PAGE_SIZE };
    return body(
      app
        ? await portal.GET('/api/v1/apps/{app}/findings', {
            params: { path: { app }, query },
          })
        : await portal.GET('/api/v1/findings', { params: { query } }),
    );
  }

  /** The monthly cost report (month as YYYY-MM). */
  async getCostReport(month: string): Promise<CostReport> {
    const portal = await this.portal();
    return toCostReport(
      body(
        await portal.GET('/api/v1/reports/costs', {
          params: { query: { month, format: 'json' } },
        }),
      ),
    );
  }

  /** The same report as CSV text, for download. */
  async getCostReportCsv(month: string): Promise<string> {
    const portal = await this.portal();
    const { data } = await portal.GET('/api/v1/reports/costs', {
      params: { query: { month, format: 'csv' } },
      parseAs: 'text',
    });
    return data ?? '';
  }

  async listBudgets(): Promise<BudgetState[]> {
    const portal = await this.portal();
    return toBudgets(body(await portal.GET('/api/v1/budgets')));
  }

  /** An app's readiness checks, level and history. */
  async getReadiness(app: string): Promise<AppReadiness> {
    const portal = await this.portal();
    return body(
      await portal.GET('/api/v1/apps/{app}/readiness', {
        params: { path: { app } },
      }),
    );
  }

  /** Every app's readiness (optionally one team's, or one level's), most ready first. */
  async listReadiness(query: ReadinessQuery = {}): Promise<OrgReadiness> {
    const portal = await this.portal();
    return body(await portal.GET('/api/v1/readiness', { params: { query } }));
  }

  /** An app's changes from `from` (ISO time) until now, newest first. */
  async getTimeline(
    app: string,
    options: { from: string },
  ): Promise<AppTimeline> {
    const portal = await this.portal();
    return body(
      await portal.GET('/api/v1/apps/{app}/timeline', {
        params: {
          path: { app },
          query: {
            from: options.from,
            to: new Date(Date.now() + 60_000).toISOString(),
          },
        },
      }),
    );
  }

  /** Deploys of prompt versions to mark on charts; none when the portal has no prompts API. */
  private async deploys(portal: Portal, app: string): Promise<DeployMarker[]> {
    try {
      const list = body(
        await portal.GET('/api/v1/apps/{app}/prompts', {
          params: { path: { app } },
        }),
      );
      const timelines = await Promise.all(
        list.prompts.map(async p => ({
          prompt: p.name,
          timeline: body(
            await portal.GET('/api/v1/apps/{app}/prompts/{name}/timeline', {
              params: { path: { app, name: p.name } },
            }),
          ),
        })),
      );
      return toDeploys(timelines);
    } catch {
      return [];
    }
  }

  /**
   * The typed client on the proxy's base URL. Every answer that is not ok is thrown as the
   * plugin's errors before openapi-fetch reads it, so a result always holds its data.
   */
  private async portal(): Promise<Portal> {
    const base = `${await this.discoveryApi.getBaseUrl('proxy')}${
      this.proxyPath
    }`;
    return createClient<paths, 'application/json'>({
      baseUrl: base,
      querySerializer: toSearch,
      fetch: async (request: Request) => {
        const response = await this.fetchApi.fetch(request);
        if (!response.ok) {
          const path = request.url.slice(base.length).split('?')[0];
          throw await toError(response, path, this.proxyPath);
        }
        return response;
      },
    });
  }
}

/** The data of an answer; answers that are not ok never get here (see `portal()`). */
function body<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(
      `GenAI Portal ${result.response.url}: answered without a body`,
    );
  }
  return result.data;
}

/** The query string: filters left empty are not sent. */
function toSearch(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '')
      params.set(key, String(value));
  }
  return params.toString();
}

async function toError(
  response: Response,
  path: string,
  proxyPath: string,
): Promise<Error> {
  // Read a copy: a body that is not the portal's goes to ResponseError whole.
  const raw = response.clone();
  let parsed: any = undefined;
  try {
    parsed = await response.json();
  } catch {
    // Not JSON: neither the portal nor Backstage's proxy wrote it.
  }
  const portalShaped =
    parsed && typeof parsed.error === 'string' && 'detail' in parsed;
  // FastAPI answers a route it does not have with its default detail "Not Found"; a missing
  // app or prompt comes from the portal's own NotFoundError with a sentence as detail.
  if (
    response.status === 404 &&
    portalShaped &&
    parsed.detail === 'Not Found'
  ) {
    return new NotAvailableError(path);
  }
  if (portalShaped) {
    const detail =
      typeof parsed.detail === 'string'
        ? parsed.detail
        : JSON.stringify(parsed.detail);
    return new PortalResponseError(response.status, parsed.error, detail, path);
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
