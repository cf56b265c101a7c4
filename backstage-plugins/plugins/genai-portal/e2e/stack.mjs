// Starts the demo: a portal on demo data and the workspace's real Backstage app (the backend of
// packages/backend with its proxy, catalog, scaffolder and guest sign-in, serving the production
// build of packages/app). Used by the browser test and by `make demo`.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const pluginDir = resolve(here, '..');
export const workspaceDir = resolve(pluginDir, '../..');
export const repoRoot = resolve(workspaceDir, '..');

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

/**
 * The demo apps as catalog entities: the portal's own `GET /api/v1/catalog/entities` (the url
 * location the README describes needs the portal reachable without a token; the demo writes the
 * same YAML to a file location instead).
 */
export async function writeDemoCatalog({ portalUrl, token, file }) {
  const response = await fetch(`${portalUrl}/api/v1/catalog/entities`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`catalog entities: ${response.status} ${await response.text()}`);
  writeFileSync(file, await response.text());
}

/**
 * The workspace's Backstage backend on `port`, serving packages/app's build, with the proxy
 * endpoint /genai-portal to `portalUrl` (adding `token`) and the catalog of this repository plus
 * `catalogFiles`. `cookiecutter` comes from the project's .venv (the templates under Create).
 */
export function startBackstage({ port, portalUrl, token, catalogFiles, configFile, quiet = true }) {
  const url = `http://localhost:${port}`;
  const config = {
    app: { baseUrl: url, title: 'GenAI Portal demo' },
    backend: {
      baseUrl: url,
      listen: { port },
      cors: { origin: url },
    },
    proxy: { endpoints: { '/genai-portal': { target: portalUrl } } },
    catalog: {
      locations: [resolve(repoRoot, 'catalog/all.yaml'), ...catalogFiles].map(target => ({
        type: 'file',
        target,
      })),
    },
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  if (!existsSync(resolve(workspaceDir, 'packages/app/dist/index.html'))) {
    throw new Error('packages/app is not built: run `yarn workspace app build` in backstage-plugins/');
  }
  const child = spawn(
    'yarn',
    ['backstage-cli', 'package', 'start', '--config', '../../app-config.yaml', '--config', configFile],
    {
      cwd: resolve(workspaceDir, 'packages/backend'),
      detached: true,
      stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'pipe' : 'inherit'],
      env: {
        ...process.env,
        PATH: `${resolve(repoRoot, '.venv/bin')}:${process.env.PATH}`,
        GENAI_PORTAL_TOKEN: token,
      },
    },
  );
  let log = '';
  child.stderr?.on('data', chunk => {
    log = (log + chunk).slice(-6000);
  });
  child.log = () => log;
  child.url = url;
  return track(child, 'backstage');
}

/** Portal + Backstage; returns their URLs. */
export async function startStack({ database, ports, token, work, quiet = true }) {
  for (const port of Object.values(ports)) await assertPortFree(port);
  const portalUrl = `http://127.0.0.1:${ports.portal}`;
  const portal = servePortal({ database, port: ports.portal, token });
  // Sized for a busy machine, as the portal's own test harness waits; ends when it answers.
  await waitFor(`${portalUrl}/healthz`, { timeoutMs: 180_000, child: portal });
  const demoCatalog = resolve(work, 'demo-apps.yaml');
  await writeDemoCatalog({ portalUrl, token, file: demoCatalog });
  const backstage = startBackstage({
    port: ports.backstage,
    portalUrl,
    token,
    catalogFiles: [demoCatalog],
    configFile: resolve(work, 'app-config.demo.yaml'),
    quiet,
  });
  await waitFor(`${backstage.url}/.backstage/health/v1/readiness`, {
    timeoutMs: 300_000,
    child: backstage,
  });
  return { portalUrl, appUrl: backstage.url, backendUrl: backstage.url };
}
