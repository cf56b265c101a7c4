#!/usr/bin/env node
// The plugin as an adopter gets it: `npm pack` (backstage-cli prepack/postpack rewrite the
// package to its built dist/), the tarball installed into the workspace's app, then the app's
// type check and production build against that installed package. The browser test then runs
// this build, so what it shows is the packed plugin.
//
// "Installed" means what `yarn add ./genai-portal.tgz` lays out with nodeLinker node-modules:
// the tarball's package/ at node_modules/@genai-portal/plugin-genai-portal. Its dependencies are
// those of the workspace package, already installed, so nothing is fetched or installed twice;
// the workspace link is put back afterwards.
//
//   node e2e/packed-app.mjs     (after `backstage-cli package build` of the plugin)
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pluginDir, workspaceDir } from './stack.mjs';

const NAME = '@genai-portal/plugin-genai-portal';
const installed = join(workspaceDir, 'node_modules', NAME);

function timed(label, fn) {
  const started = Date.now();
  console.log(`== packed app: ${label}`);
  const result = fn();
  console.log(`== packed app: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result;
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** What the tarball's package.json promises, checked against the files it holds. */
function checkPackage(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const targets = [pkg.main, pkg.types, pkg.module];
  for (const [subpath, entry] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json') continue;
    targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  }
  // Export conditions also carry metadata (e.g. backstage: '@backstage/FrontendPlugin').
  for (const target of targets.filter(t => typeof t === 'string' && !t.startsWith('@'))) {
    assert(!target.includes('src/'), `${target} points into src/, which the tarball does not hold`);
    assert(existsSync(join(dir, target)), `${target} is named in package.json but not in the tarball`);
  }
  assert(pkg.exports?.['./alpha'], 'no ./alpha export');
  // prepack turns config.d.ts into the JSON schema Backstage validates app-config against.
  const schema = pkg.configSchema && join(dir, pkg.configSchema);
  assert(schema && existsSync(schema), `no config schema (${pkg.configSchema})`);
  assert(readFileSync(schema, 'utf8').includes('proxyPath'), 'config schema without genaiPortal.proxyPath');
  assert(!existsSync(join(dir, 'src')), 'the tarball ships src/');
  return pkg;
}

const work = mkdtempSync(join(tmpdir(), 'genai-plugin-pack-'));
const moved = `${installed}.workspace-link`;
try {
  const tarball = timed('npm pack', () => {
    const out = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], {
      cwd: pluginDir,
      encoding: 'utf8',
    });
    return join(work, JSON.parse(out)[0].filename);
  });
  // postpack put the workspace package.json back: src/ entry points for development.
  assert(
    JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')).main === 'src/index.ts',
    'postpack did not restore package.json',
  );
  const extracted = join(work, 'extracted');
  run('mkdir', ['-p', extracted], work);
  run('tar', ['-xzf', tarball, '-C', extracted], work);
  const pkg = checkPackage(join(extracted, 'package'));
  console.log(`tarball ${tarball}: main ${pkg.main}, types ${pkg.types}, exports ${JSON.stringify(pkg.exports)}`);

  timed('install the tarball into the app', () => {
    assert(lstatSync(installed).isSymbolicLink(), `${installed} is not the workspace link`);
    renameSync(installed, moved);
    cpSync(join(extracted, 'package'), installed, { recursive: true });
  });
  // The app alone, resolving the plugin through node_modules (its dist/*.d.ts), not src/.
  const tsconfig = join(workspaceDir, 'tsconfig.packed-app.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: './tsconfig.json',
      include: ['packages/app/src'],
      compilerOptions: { noEmit: true, incremental: false },
    }),
  );
  try {
    timed('app tsc', () => run('yarn', ['tsc', '-p', tsconfig], workspaceDir));
  } finally {
    rmSync(tsconfig, { force: true });
  }
  timed('app production build', () =>
    run('yarn', ['workspace', 'app', 'build'], workspaceDir),
  );
  const bundle = readFileSync(resolve(workspaceDir, 'packages/app/dist/index.html'), 'utf8');
  assert(bundle.includes('<script'), 'the app build has no script');
} finally {
  if (existsSync(moved)) {
    rmSync(installed, { recursive: true, force: true });
    renameSync(moved, installed);
    console.log(`workspace link restored: ${readlinkSync(installed)}`);
  }
  rmSync(work, { recursive: true, force: true });
}
