import { http, HttpResponse } from 'msw';
import { ResponseError } from '@backstage/errors';
import { isNotAvailable, NotAvailableError, PortalResponseError } from './errors';
import { answer, portalClient, PORTAL, routeMissing, server, sourceDown } from '../__testUtils__/portal';
import * as fixtures from '../__testUtils__/fixtures';
import { toBudgets, toCost } from './adapters';

describe('GenAiPortalClient', () => {
  it('reaches the portal through the proxy endpoint /genai-portal with the filters', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${PORTAL}/api/v1/apps`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json(fixtures.appsPage);
      }),
    );
    const page = await portalClient().listApps({ team: 'customer-care', limit: 10 });
    expect(page.total).toBe(2);
    expect(page.items[0].name).toBe('support-assistant');
    expect(seen?.pathname).toBe('/api/proxy/genai-portal/api/v1/apps');
    expect(seen?.searchParams.get('team')).toBe('customer-care');
    expect(seen?.searchParams.get('limit')).toBe('10');
    expect(seen?.searchParams.has('q')).toBe(false);
  });

  it('follows the pages of the app list', async () => {
    const offsets: string[] = [];
    server.use(
      http.get(`${PORTAL}/api/v1/apps`, ({ request }) => {
        const offset = new URL(request.url).searchParams.get('offset') ?? '0';
        offsets.push(offset);
        const items = offset === '0' ? fixtures.appsPage.items.slice(0, 1) : fixtures.appsPage.items.slice(1);
        return HttpResponse.json({ ...fixtures.appsPage, items, total: 2 });
      }),
    );
    const apps = await portalClient().listAllApps();
    expect(apps.map(a => a.name)).toEqual(['support-assistant', 'marketing-copy']);
    expect(offsets).toEqual(['0', '1']);
  });

  it('escapes app names in paths', async () => {
    let path = '';
    server.use(
      http.get(`${PORTAL}/api/v1/apps/:app`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ ...fixtures.appsPage.items[0], workloads: [] });
      }),
    );
    await portalClient().getApp('a b');
    expect(path).toBe('/api/proxy/genai-portal/api/v1/apps/a%20b');
  });

  it('says "not available" when the portal lacks the route', async () => {
    routeMissing('/api/v1/apps/support-assistant/usage');
    const error = await portalClient()
      .getUsage('support-assistant', { days: 7 })
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAvailableError);
    expect(isNotAvailable(error)).toBe(true);
  });

  it('keeps the portal error of a missing app apart from a missing route', async () => {
    answer('/api/v1/apps/nope', { error: 'NotFound', detail: "app 'nope' not found" }, 404);
    const error = await portalClient().getApp('nope').catch(e => e);
    expect(isNotAvailable(error)).toBe(false);
    expect(error).toBeInstanceOf(PortalResponseError);
    expect(error.status).toBe(404);
    expect(error.message).toContain("app 'nope' not found");
  });

  it('reports a source that is down with its kind and detail', async () => {
    sourceDown('/api/v1/apps/support-assistant/costs');
    routeMissing('/api/v1/budgets');
    routeMissing('/api/v1/apps/support-assistant/prompts');
    const error = await portalClient().getCost('support-assistant').catch(e => e);
    expect(error).toBeInstanceOf(PortalResponseError);
    expect(error.kind).toBe('SourceUnavailable');
    expect(error.message).toContain('prometheus: connection refused');
  });

  it("keeps Backstage's own errors (auth, proxy) as its ResponseError", async () => {
    server.use(
      http.get(`${PORTAL}/api/v1/sources`, () =>
        HttpResponse.json(
          {
            error: { name: 'AuthenticationError', message: 'Missing credentials' },
            request: { method: 'GET', url: '/api/proxy/genai-portal/api/v1/sources' },
            response: { statusCode: 401 },
          },
          { status: 401 },
        ),
      ),
    );
    const error = await portalClient().listSources().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(401);
    expect(error.cause.name).toBe('AuthenticationError');
    expect(error.cause.message).toBe('Missing credentials');
  });

  it('points at the proxy configuration when nobody answers the endpoint', async () => {
    server.use(
      http.get(`${PORTAL}/api/v1/sources`, () => new HttpResponse('nope', { status: 404 })),
    );
    const error = await portalClient().listSources().catch(e => e);
    expect(error.message).toContain('proxy endpoint /genai-portal');
  });

  it('asks for usage over the chosen period and marks prompt deploys', async () => {
    let params: URLSearchParams | undefined;
    server.use(
      http.get(`${PORTAL}/api/v1/apps/support-assistant/usage`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json(fixtures.usage);
      }),
    );
    answer('/api/v1/apps/support-assistant/prompts', fixtures.promptList);
    answer('/api/v1/apps/support-assistant/prompts/answer/timeline', fixtures.timeline);
    const usage = await portalClient().getUsage('support-assistant', { days: 7 });
    const start = Date.parse(params!.get('from')!);
    const end = Date.parse(params!.get('to')!);
    expect(Math.round((end - start) / 86_400_000)).toBe(7);
    expect(params!.get('step')).toBe('hour');
    expect(usage.byModel[0]).toEqual({
      model: 'gpt-4o',
      inputTokens: 3000,
      outputTokens: 1200,
      cachedInputTokens: 100,
      requests: 40,
      errors: 1,
      // (0.8 * 10 + 1.0 * 30) / 40
      latencySeconds: 0.95,
    });
    // The first start of each version in any workload.
    expect(usage.deploys).toEqual([
      { at: '2026-10-05T09:00:00Z', prompt: 'answer', version: 1 },
      { at: '2026-11-10T09:00:00Z', prompt: 'answer', version: 2 },
    ]);
  });

  it('shows usage without markers when the portal has no prompts API', async () => {
    answer('/api/v1/apps/support-assistant/usage', fixtures.usage);
    routeMissing('/api/v1/apps/support-assistant/prompts');
    const usage = await portalClient().getUsage('support-assistant', { days: 30 });
    expect(usage.deploys).toEqual([]);
    expect(usage.points).toHaveLength(3);
  });

  it('sums cost per month from the daily buckets and takes the budget forecast', async () => {
    let from = '';
    server.use(
      http.get(`${PORTAL}/api/v1/apps/support-assistant/costs`, ({ request }) => {
        from = new URL(request.url).searchParams.get('from')!;
        return HttpResponse.json(fixtures.cost);
      }),
    );
    answer('/api/v1/budgets', fixtures.budgets);
    routeMissing('/api/v1/apps/support-assistant/prompts');
    const cost = await portalClient().getCost('support-assistant');
    const now = new Date();
    expect(from).toBe(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString(),
    );
    // Model spend 120.20 + compute 20.00 this month; 180.10 + 15.00 last month.
    expect(cost.monthToDate).toBeCloseTo(140.2, 6);
    expect(cost.modelMonthToDate).toBeCloseTo(120.2, 6);
    expect(cost.computeMonthToDate).toBeCloseTo(20, 6);
    expect(cost.previousMonth).toBeCloseTo(195.1, 6);
    expect(cost.costPer1kRequests).toBe(2.7942);
    const second = cost.trend.find(p => p.date === fixtures.cost.compute![2].start.slice(0, 10));
    expect(second).toMatchObject({ cost: 50.05, compute: 7.5 });
    expect(cost.forecast).toBe(360.4);
    expect(cost.forecastBasis).toBe('budget');
    expect(cost.budget?.state).toBe('warning');
    expect(cost.budget?.firing).toEqual(['100% forecast']);
    expect(cost.unpricedTokens).toBe(4200);
    expect(cost.unpricedModels).toEqual(['llama-3.1-8b-instruct']);
    expect(cost.freshness.stale).toBe(true);
  });

  it('projects the month linearly when the app has no budget', () => {
    const now = new Date('2026-11-16T00:00:00Z');
    const body = {
      ...fixtures.emptyCost,
      buckets: [
        fixtures.costBucket('2026-11-01T00:00:00Z', 'm', '15.00'),
        fixtures.costBucket('2026-11-10T00:00:00Z', 'm', '15.00'),
      ],
    };
    const cost = toCost(body, null, now);
    expect(cost.monthToDate).toBe(30);
    // 30 in 15 days -> 60 in the 30 days of November.
    expect(cost.forecast).toBe(60);
    expect(cost.forecastBasis).toBe('linear');
    // The app's own compute counts in the total and in the straight line.
    const withCompute = toCost(
      {
        ...body,
        compute: [{ ...fixtures.cost.compute![0], start: '2026-11-05T00:00:00Z', cost: '15.00' }],
      },
      null,
      now,
    );
    expect(withCompute.monthToDate).toBe(45);
    expect(withCompute.computeMonthToDate).toBe(15);
    expect(withCompute.forecast).toBe(90);
    // A budget on model spend does not forecast the total: the card keeps the straight line.
    const modelBudget = toBudgets(fixtures.budgets)[0];
    const onModel = toCost(
      {
        ...body,
        compute: [{ ...fixtures.cost.compute![0], start: '2026-11-05T00:00:00Z', cost: '15.00' }],
      },
      { ...modelBudget, basis: 'model' },
      now,
    );
    expect(onModel.forecast).toBe(90);
    expect(onModel.forecastBasis).toBe('linear');
    expect(toCost(body, { ...modelBudget, basis: 'model' }, now).forecastBasis).toBe('budget');
  });

  it('lists prompts with their versions and asks for diffs', async () => {
    answer('/api/v1/apps/support-assistant/prompts', fixtures.promptList);
    answer('/api/v1/apps/support-assistant/prompts/answer/versions', fixtures.versions);
    let url: URL | undefined;
    server.use(
      http.get(`${PORTAL}/api/v1/apps/support-assistant/prompts/answer/versions/2/diff`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(fixtures.diff);
      }),
    );
    const client = portalClient();
    const listed = await client.listPrompts('support-assistant');
    expect(listed.freshness).toEqual({
      stale: false,
      as_of: '2026-11-26T09:00:00Z',
      source: 'kubernetes',
      state: 'ok',
      last_error: null,
    });
    const [prompt] = listed.prompts;
    expect(prompt.name).toBe('answer');
    expect(prompt.history.map(v => [v.number, v.scores.aggregate_score, v.scores.regression])).toEqual([
      [3, 0.79, true],
      [2, 0.88, false],
      [1, 0.82, false],
    ]);
    const diff = await client.getPromptDiff('support-assistant', 'answer', 2, 1);
    expect(url?.searchParams.get('against')).toBe('1');
    expect(diff.template_diff).toContain('+You are a concise support assistant.');
    expect(diff.changed).toEqual(['template']);
  });

  it('counts every flagged run as a regression on a portal without standing regressions', async () => {
    answer('/api/v1/apps/support-assistant/evals', fixtures.evals);
    routeMissing('/api/v1/apps/support-assistant/evals/regressions');
    const evals = await portalClient().getEvals('support-assistant');
    expect(evals.regressions.map(r => r.toVersion)).toEqual([3]);
  });

  it('downloads the cost report as CSV text', async () => {
    server.use(
      http.get(`${PORTAL}/api/v1/reports/costs`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        expect(params.get('format')).toBe('csv');
        expect(params.get('month')).toBe('2026-10');
        return new HttpResponse('section,name\ntotal,2026-10\n', {
          headers: { 'content-type': 'text/csv' },
        });
      }),
    );
    await expect(portalClient().getCostReportCsv('2026-10')).resolves.toBe(
      'section,name\ntotal,2026-10\n',
    );
  });

  it('reads evaluations, findings, the report and budgets', async () => {
    answer('/api/v1/apps/support-assistant/evals', fixtures.evals);
    answer('/api/v1/apps/support-assistant/evals/regressions', fixtures.standingRegressions);
    answer('/api/v1/findings', fixtures.findings);
    answer('/api/v1/reports/costs', fixtures.report);
    answer('/api/v1/budgets', fixtures.budgets);
    const client = portalClient();
    const evals = await client.getEvals('support-assistant');
    expect(evals.runs[0]).toMatchObject({ version: 3, passed: 39, cases: 50, aggregate_score: 0.79 });
    expect(evals.regressions).toEqual([
      { prompt: 'answer', metric: 'aggregate score', fromVersion: null, toVersion: 3, before: 0.88, after: 0.79 },
    ]);
    const findings = await client.listFindings();
    expect(findings.items.map(f => f.owasp)).toEqual([null, 'LLM01', 'LLM06', null]);
    expect(findings.counts.critical).toBe(1);
    const report = await client.getCostReport('2026-11');
    // The report's lines are totals (model spend + compute), with the split beside them.
    expect(report.byApp[0]).toEqual({
      key: 'support-assistant',
      cost: 850,
      modelCost: 700,
      computeCost: 150,
      costPer1kRequests: 4.25,
      previous: 520,
      changePct: 0.6346,
    });
    expect(report.total).toBe(1800);
    expect(report.modelTotal).toBe(1500);
    expect(report.computeTotal).toBe(300);
    expect(report.unallocated).toEqual([{ namespace: 'search', cost: 42.5 }]);
    expect(report.topMovers.map(m => m.key)).toEqual(['support-assistant', 'search-rag']);
    expect((await client.listBudgets()).map(b => `${b.scope}:${b.name}:${b.state}`)).toEqual([
      'app:support-assistant:warning',
      'team:customer-care:exceeded',
      'team:search:ok',
    ]);
  });
});
