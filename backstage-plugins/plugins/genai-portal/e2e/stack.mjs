// Starts the pieces the dev app needs: a portal on demo data, the dev proxy, and the dev app
// (`backstage-cli package start`). Used by the browser test and by `make demo`.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProxy } from '../dev/proxy.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const pluginDir = resolve(here, '..');
export const repoRoot = resolve(pluginDir, '../../..');

export function portalCommand() {
  const cli = process.env.GENAI_PORTAL_BIN ?? resolve(repoRoot, '.venv/bin/genai-portal');
  if (!existsSync(cli)) {
    throw new Error(`${cli} not found: run \`make venv\` at the repository root`);
  }
  return cli;
}

/** Loads the demo organisation into a SQLite file (the portal's own `demo --no-serve`). */
export function seedDemo(database) {
  execFileSync(portalCommand(), ['demo', '--no-serve', '--database', database], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const children = new Set();

function track(child, name) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.name = name;
  return child;
}

/** Ends every process this module started (each is the leader of its own group). */
export function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** Serves the portal API on a database file, with one read token. */
export function servePortal({ database, port, token }) {
  const child = spawn(portalCommand(), ['serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORTAL_DATABASE_URL: `sqlite:///${database}`,
      PORTAL_API_TOKENS: JSON.stringify([{ name: 'backstage', token, scopes: ['read'] }]),
      PORTAL_SYNC_INTERVAL_SECONDS: '0',
      PORTAL_KUBERNETES: 'off',
    },
  });
  let log = '';
  child.stderr.on('data', chunk => {
    log = (log + chunk).slice(-4000);
  });
  child.log = () => log;
  return track(child, 'portal');
}

/** Starts the plugin's dev app; its discovery points the proxy at `backendUrl`. */
export function startDevApp({ appPort, backendUrl, quiet = true }) {
  const child = spawn('npx', ['backstage-cli', 'package', 'start'], {
    cwd: pluginDir,
    detached: true,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'pipe' : 'inherit'],
    env: {
      ...process.env,
      BROWSER: 'none',
      APP_CONFIG_app_baseUrl: `http://localhost:${appPort}`,
      APP_CONFIG_backend_baseUrl: backendUrl,
    },
  });
  let log = '';
  child.stderr?.on('data', chunk => {
    log = (log + chunk).slice(-4000);
  });
  child.log = () => log;
  return track(child, 'dev app');
}

export async function waitFor(url, { timeoutMs, child, headers }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) {
      throw new Error(`${child.name} exited (${child.exitCode}) before ${url} answered:\n${child.log?.() ?? ''}`);
    }
    try {
      const response = await fetch(url, { headers });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within ${timeoutMs / 1000}s:\n${child?.log?.() ?? ''}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Fails when something already listens on the port: the test must talk to its own servers. */
export function assertPortFree(port) {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(new Error(`port ${port} is in use: stop what listens there or choose other ports`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort()));
  });
}

/** Portal + proxy + dev app; returns their URLs. */
export async function startStack({ database, ports, token, quiet = true }) {
  for (const port of Object.values(ports)) await assertPortFree(port);
  const portalUrl = `http://127.0.0.1:${ports.portal}`;
  const backendUrl = `http://127.0.0.1:${ports.proxy}`;
  const appUrl = `http://localhost:${ports.app}`;
  const portal = servePortal({ database, port: ports.portal, token });
  await waitFor(`${portalUrl}/healthz`, { timeoutMs: 30_000, child: portal });
  const proxy = await startProxy({
    target: portalUrl,
    token,
    port: ports.proxy,
    host: '127.0.0.1',
    appOrigin: appUrl,
  });
  const app = startDevApp({ appPort: ports.app, backendUrl, quiet });
  await waitFor(appUrl, { timeoutMs: 240_000, child: app });
  return { portalUrl, backendUrl, appUrl, proxy };
}
