#!/usr/bin/env node
// Times reads as the plugin's users make them: in Debian's Chromium (headless), each run's
// requests sent by the page's own fetch() and decoded by response.json(), one after another
// or at once (Promise.all, as the plugin's cards ask). Used by bench/reads.py (its "browser"
// lines); prints one JSON line: {"sequential": [ms, ...], "parallel": [ms, ...]}.
//
// Input (stdin, JSON): {"origin": url the page is opened at (the reads are same-origin),
//   "headers": {...} sent with every read, "runs": [[path, ...], ...] one list per run}.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
// playwright-core comes with the plugin workspace's dependencies (make plugins-deps).
const require = createRequire(resolve(root, 'backstage-plugins/package.json'));
const { chromium } = require('playwright-core');

const input = JSON.parse(await new Promise((done, fail) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => (text += chunk));
  process.stdin.on('end', () => done(text));
  process.stdin.on('error', fail);
}));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(input.origin);
  const out = await page.evaluate(async ({ headers, runs }) => {
    const read = async path => {
      const response = await fetch(path, { headers, cache: 'no-store' });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return response.json();
    };
    const timed = async (paths, together) => {
      const t = performance.now();
      if (together) await Promise.all(paths.map(read));
      else for (const path of paths) await read(path);
      return performance.now() - t;
    };
    const half = Math.floor(runs.length / 2);
    await timed(runs[0], false); // warm-up: the connection opened, the code compiled
    const sequential = [];
    const parallel = [];
    for (const [i, paths] of runs.slice(1).entries()) {
      (i < half ? sequential : parallel).push(await timed(paths, i >= half));
    }
    return { sequential, parallel };
  }, { headers: input.headers, runs: input.runs });
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
