import { http, HttpResponse } from 'msw';
import { isNotAvailable, NotAvailableError, PortalResponseError } from './errors';
import {
  answer,
  portalClient,
  PORTAL,
  routeMissing,
  server,
  sourceDown,
  setupPortalServer,
} from '../__testUtils__/portal';
import * as fixtures from '../__testUtils__/fixtures';

setupPortalServer();

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
    const error = await portalClient().getCost('support-assistant').catch(e => e);
    expect(error).toBeInstanceOf(PortalResponseError);
    expect(error.kind).toBe('SourceUnavailable');
    expect(error.message).toContain('prometheus: connection refused');
  });

  it('points at the proxy configuration when nobody answers the endpoint', async () => {
    server.use(
      http.get(`${PORTAL}/api/v1/sources`, () => new HttpResponse('nope', { status: 404 })),
    );
    const error = await portalClient().listSources().catch(e => e);
    expect(error.message).toContain('proxy endpoint /genai-portal');
  });

  it('asks for usage over the chosen period', async () => {
    let params: URLSearchParams | undefined;
    server.use(
      http.get(`${PORTAL}/api/v1/apps/support-assistant/usage`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json(fixtures.usage);
      }),
    );
    const usage = await portalClient().getUsage('support-assistant', { days: 7 });
    const start = Date.parse(params!.get('start')!);
    const end = Date.parse(params!.get('end')!);
    expect(Math.round((end - start) / 86_400_000)).toBe(7);
    expect(usage.byModel[0]).toEqual({
      model: 'gpt-4o',
      inputTokens: 3000,
      outputTokens: 1200,
      requests: 30,
      errors: 1,
      latencySeconds: 0.87,
    });
    expect(usage.deploys).toEqual([{ at: '2026-11-25T06:00:00Z', prompt: 'answer', version: 3 }]);
  });

  it('reads money given as decimal strings', async () => {
    answer('/api/v1/apps/support-assistant/costs', fixtures.cost);
    const cost = await portalClient().getCost('support-assistant');
    expect(cost.monthToDate).toBe(123.45);
    expect(cost.budget?.state).toBe('warning');
    expect(cost.freshness.stale).toBe(true);
  });

  it('asks for the diff of two prompt versions', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${PORTAL}/api/v1/apps/support-assistant/prompts/answer/versions/2/diff`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(fixtures.diff);
      }),
    );
    const diff = await portalClient().getPromptDiff('support-assistant', 'answer', 2, 1);
    expect(url?.searchParams.get('against')).toBe('1');
    expect(diff.diff).toContain('+You are a concise support assistant.');
  });

  it('downloads the cost report as CSV text', async () => {
    server.use(
      http.get(`${PORTAL}/api/v1/reports/costs`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        expect(params.get('format')).toBe('csv');
        expect(params.get('month')).toBe('2026-10');
        return new HttpResponse('team,cost\nsearch,1.00\n', {
          headers: { 'content-type': 'text/csv' },
        });
      }),
    );
    await expect(portalClient().getCostReportCsv('2026-10')).resolves.toBe(
      'team,cost\nsearch,1.00\n',
    );
  });

  it('reads org findings, the report and budgets', async () => {
    answer('/api/v1/findings', fixtures.findings);
    answer('/api/v1/reports/costs', fixtures.report);
    answer('/api/v1/budgets', fixtures.budgets);
    const client = portalClient();
    expect((await client.listFindings()).map(f => f.owaspId)).toEqual(['LLM01', null, 'LLM06', null]);
    const report = await client.getCostReport('2026-11');
    expect(report.byApp[0]).toEqual({ key: 'support-assistant', team: 'customer-care', cost: 700, previous: 400 });
    expect((await client.listBudgets()).map(b => b.state)).toEqual(['warning', 'ok']);
  });
});
