#!/usr/bin/env node
// `make demo`: the portal's demo API and the workspace's Backstage app in front of it (the
// backend with the proxy, the catalog of this repository plus the demo apps, the scaffolder with
// the templates, guest sign-in; it serves packages/app's production build). Ctrl-C stops all.
//
// Ports: PORT (API, default 8000), BACKSTAGE_PORT (default 7007).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portalCommand, repoRoot, startBackstage, stopAll, waitFor, writeDemoCatalog } from './stack.mjs';

const apiPort = Number(process.env.PORT ?? 8000);
const backstagePort = Number(process.env.BACKSTAGE_PORT ?? 7007);
// The proxy's read token: the demo API takes it from PORTAL_API_TOKENS, as in production.
const token = `demo-read-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const work = mkdtempSync(join(tmpdir(), 'genai-portal-demo-'));

const api = spawn(portalCommand(), ['demo', '--port', String(apiPort)], {
  cwd: repoRoot,
  stdio: 'inherit',
  detached: true,
  env: {
    ...process.env,
    PORTAL_API_TOKENS: JSON.stringify([{ name: 'backstage', token, scopes: ['read'] }]),
  },
});
const stop = code => {
  stopAll();
  try {
    process.kill(-api.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
api.on('exit', code => stop(code ?? 1));

const portalUrl = `http://127.0.0.1:${apiPort}`;
await waitFor(`${portalUrl}/healthz`, { timeoutMs: 120_000 });
const demoApps = join(work, 'demo-apps.yaml');
await writeDemoCatalog({ portalUrl, token, file: demoApps });
const backstage = startBackstage({
  port: backstagePort,
  portalUrl,
  token,
  catalogFiles: [demoApps],
  configFile: join(work, 'app-config.demo.yaml'),
  quiet: false,
});
backstage.on('exit', code => stop(code ?? 1));
await waitFor(`${backstage.url}/.backstage/health/v1/readiness`, {
  timeoutMs: 300_000,
  child: backstage,
});
console.log(`
GenAI Portal in Backstage (sign in as guest):
  org page:           ${backstage.url}/genai   (sidebar: GenAI)
  an app's GenAI tab: ${backstage.url}/catalog/default/component/support-assistant/genai
  templates:          ${backstage.url}/create
The portal API: ${portalUrl}/docs. Ctrl-C stops both.`);
