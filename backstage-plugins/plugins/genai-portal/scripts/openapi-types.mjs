#!/usr/bin/env node
// Generates src/api/schema.ts from the portal's OpenAPI document, or checks that the checked-in
// file is current.
//
//   node scripts/openapi-types.mjs write   regenerate src/api/schema.ts
//   node scripts/openapi-types.mjs check   exit 1 when src/api/schema.ts differs from the API
//
// The document comes from the Python app itself (create_app().openapi()), so no server has to
// run. PORTAL_PYTHON names the interpreter (default: the repository's .venv).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const pluginDir = resolve(here, '..');
const repoRoot = resolve(pluginDir, '../../..');
const target = resolve(pluginDir, 'src/api/schema.ts');

const HEADER = `/*
 * Generated from the GenAI Portal's OpenAPI document by scripts/openapi-types.mjs.
 * Do not edit: run \`npm run types:generate\` in backstage-plugins/plugins/genai-portal.
 */
/* eslint-disable */
`;

function dumpOpenApi() {
  const python =
    process.env.PORTAL_PYTHON ?? resolve(repoRoot, '.venv/bin/python');
  if (!existsSync(python)) {
    throw new Error(
      `no Python interpreter at ${python}: run \`make venv\` at the repository root or set PORTAL_PYTHON`,
    );
  }
  const out = execFileSync(
    python,
    [
      '-c',
      'import json; from portal_api.main import create_app; ' +
        'print(json.dumps(create_app().openapi(), sort_keys=True))',
    ],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      // The dump needs no tokens or database; keep a developer's environment out of it.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORTAL_API_TOKENS: '[]' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(out);
}

/**
 * Replaces $refs to schemas the document does not define with an unknown type, and says so:
 * such a ref is a bug of the portal's document, but it must not stop the plugin's types.
 */
function dropDanglingRefs(document) {
  const defined = new Set(Object.keys(document.components?.schemas ?? {}));
  const dangling = new Set();
  const walk = node => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!defined.has(name)) {
        dangling.add(ref);
        return { description: `unresolved ${ref} in the portal's OpenAPI document` };
      }
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
  };
  const fixed = walk(document);
  for (const ref of dangling) {
    console.warn(`warning: the portal's OpenAPI document refers to ${ref}, which it does not define`);
  }
  return fixed;
}

export async function generate() {
  const document = dropDanglingRefs(dumpOpenApi());
  const ast = await openapiTS(document, { alphabetize: true });
  return `${HEADER}\n${astToString(ast)}`;
}

async function main() {
  const mode = process.argv[2] ?? 'check';
  const fresh = await generate();
  if (mode === 'write') {
    writeFileSync(target, fresh);
    console.log(`wrote ${target}`);
    return;
  }
  if (mode !== 'check') {
    console.error(`unknown mode ${mode}: use write or check`);
    process.exit(2);
  }
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== fresh) {
    console.error(
      'src/api/schema.ts is out of date with the portal API: run `npm run types:generate` in ' +
        'backstage-plugins/plugins/genai-portal and commit the result.',
    );
    process.exit(1);
  }
  console.log('src/api/schema.ts matches the portal API');
}

main().catch(err => {
  console.error(err.message ?? err);
  process.exit(1);
});
