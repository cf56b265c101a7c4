#!/usr/bin/env node
// Browser test: the plugin's dev app, proxied to a real portal on demo data, rendered in
// Debian's Chromium. It opens the GenAI tab of an app and the org page, checks that the numbers
// shown match what the API returns, and saves screenshots to test-artifacts/plugins/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, seedDemo, startStack, stopAll } from './stack.mjs';
import { expectations } from './expectations.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ports = {
  portal: Number(process.env.E2E_PORTAL_PORT ?? 18620),
  proxy: Number(process.env.E2E_PROXY_PORT ?? 18621),
  app: Number(process.env.E2E_APP_PORT ?? 18622),
};
const TOKEN = 'browser-test-read-token-0123456789';
const APP = 'support-assistant';
const artifacts = resolve(repoRoot, 'test-artifacts/plugins');

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${err.message}`);
  }
}

function assertEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: page shows ${JSON.stringify(actual)}, API says ${JSON.stringify(expected)}`);
  }
}

async function main() {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'genai-plugin-e2e-'));
  mkdirSync(artifacts, { recursive: true });
  const database = join(work, 'demo.db');
  let browser;
  let stack;
  let failurePage;
  try {
    seedDemo(database);
    stack = await startStack({ database, ports, token: TOKEN });
    console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const api = async path => {
      const response = await fetch(`${stack.portalUrl}${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    };
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    page.setDefaultTimeout(60_000);
    const consoleErrors = [];
    page.on('pageerror', err => consoleErrors.push(err.message));
    page.on('console', msg => {
      if (msg.type() === 'error' && !msg.text().startsWith('Warning:')) console.log(`  [browser] ${msg.text().slice(0, 300)}`);
    });
    failurePage = page;

    // The GenAI tab of one app.
    await page.goto(`${stack.appUrl}/catalog/default/component/${APP}/genai`);
    await page.getByText('Usage', { exact: true }).first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[role="progressbar"]').length === 0, null, {
      timeout: 60_000,
    });
    for (const card of expectations.entity(APP)) {
      await check(`entity tab: ${card.name}`, async () => {
        const answer = await api(card.path);
        const cardRoot = page.locator(`[data-testid="card-${card.id}"]`);
        if (answer.status === 404 && answer.body?.detail === 'Not Found') {
          await cardRoot.getByTestId('not-available').waitFor({ timeout: 10_000 });
          return;
        }
        assertEqual(answer.status, 200, `${card.path} status`);
        for (const [testId, expected] of card.values(answer.body)) {
          const shown = (await cardRoot.getByTestId(testId).first().innerText()).trim();
          assertEqual(shown, expected, `${card.name} ${testId}`);
        }
      });
    }
    await page.screenshot({ path: join(artifacts, 'entity-genai-tab.png'), fullPage: true });

    // The org page.
    await page.goto(`${stack.appUrl}/genai`);
    await page.getByTestId('apps-table').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[role="progressbar"]').length === 0, null, {
      timeout: 60_000,
    });
    await check('org page: every app of the registry', async () => {
      const answer = await api('/api/v1/apps?limit=500');
      const count = await page.getByTestId('apps-table').getAttribute('data-count');
      assertEqual(Number(count), answer.body.total, 'apps');
      for (const app of answer.body.items) {
        await page.getByText(app.title ?? app.name, { exact: true }).first().waitFor({ timeout: 5_000 });
      }
    });
    for (const section of expectations.org()) {
      await check(`org page: ${section.name}`, async () => {
        const answer = await api(section.path);
        const root = page.locator(`[data-testid="section-${section.id}"]`);
        if (answer.status === 404 && answer.body?.detail === 'Not Found') {
          await root.getByTestId('not-available').waitFor({ timeout: 10_000 });
          return;
        }
        assertEqual(answer.status, 200, `${section.path} status`);
        for (const [testId, expected] of section.values(answer.body)) {
          const shown = (await root.getByTestId(testId).first().innerText()).trim();
          assertEqual(shown, expected, `${section.name} ${testId}`);
        }
      });
    }
    await page.screenshot({ path: join(artifacts, 'org-page.png'), fullPage: true });
    await check('no uncaught errors in the page', async () => {
      if (consoleErrors.length) throw new Error(consoleErrors.join('; '));
    });
  } catch (err) {
    await failurePage
      ?.screenshot({ path: join(artifacts, 'failure.png'), fullPage: true })
      .catch(() => {});
    throw err;
  } finally {
    await browser?.close().catch(() => {});
    stack?.proxy.close();
    stopAll();
    rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter(r => !r.ok).length;
  console.log(`browser test took ${((Date.now() - started) / 1000).toFixed(1)}s; screenshots in ${artifacts}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed || results.length === 0 ? 1 : 0);
}

main().catch(err => {
  console.error(err);
  stopAll();
  process.exit(1);
});
