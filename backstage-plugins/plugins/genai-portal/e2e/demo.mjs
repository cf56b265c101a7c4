#!/usr/bin/env node
// `make demo` with Node.js: the portal's demo API plus the plugin's dev app in front of it, so
// a newcomer sees the dashboards in a browser. Ctrl-C stops everything.
//
// Ports: PORT (API, default 8000), DEV_APP_PORT (default 3000), DEV_PROXY_PORT (default 7007).
import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { portalCommand, repoRoot, startDevApp, stopAll, waitFor } from './stack.mjs';
import { startProxy } from '../dev/proxy.mjs';

const apiPort = Number(process.env.PORT ?? 8000);
const appPort = Number(process.env.DEV_APP_PORT ?? 3000);
const proxyPort = Number(process.env.DEV_PROXY_PORT ?? 7007);

const token = execFileSync(
  resolve(repoRoot, '.venv/bin/python'),
  ['-c', 'from portal_api.demo import DEMO_TOKEN; print(DEMO_TOKEN)'],
  { cwd: repoRoot, encoding: 'utf8' },
).trim();

const api = spawn(portalCommand(), ['demo', '--port', String(apiPort)], {
  cwd: repoRoot,
  stdio: 'inherit',
  detached: true,
});
const stop = code => {
  stopAll();
  try {
    process.kill(-api.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
api.on('exit', code => stop(code ?? 1));

await waitFor(`http://127.0.0.1:${apiPort}/healthz`, { timeoutMs: 120_000 });
await startProxy({
  target: `http://127.0.0.1:${apiPort}`,
  token,
  port: proxyPort,
  appOrigin: `http://localhost:${appPort}`,
});
const app = startDevApp({
  appPort,
  backendUrl: `http://127.0.0.1:${proxyPort}`,
  quiet: true,
});
app.on('exit', code => stop(code ?? 1));
await waitFor(`http://localhost:${appPort}`, { timeoutMs: 240_000, child: app });
console.log(`
GenAI Portal dashboards (the Backstage plugin's dev app):
  org page:           http://localhost:${appPort}/genai
  an app's GenAI tab: http://localhost:${appPort}/catalog/default/component/support-assistant/genai
Ctrl-C stops the API and the dev app.`);
