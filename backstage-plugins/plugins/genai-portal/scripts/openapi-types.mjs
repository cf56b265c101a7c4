#!/usr/bin/env node
// Generates src/api/schema.ts from the portal's OpenAPI document, or checks that the checked-in
// file is current.
//
//   node scripts/openapi-types.mjs write   regenerate src/api/schema.ts
//   node scripts/openapi-types.mjs check   exit 1 when src/api/schema.ts differs from the API
//
// The document is the portal's one OpenAPI artifact, catalog/openapi.json, which `make openapi`
// writes (and a Python test keeps current with the app): no second dump of the app here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const pluginDir = resolve(here, '..');
const repoRoot = resolve(pluginDir, '../../..');
const target = resolve(pluginDir, 'src/api/schema.ts');
const source = resolve(repoRoot, 'catalog/openapi.json');

const HEADER = `/*
 * Generated from catalog/openapi.json (the GenAI Portal's OpenAPI document) by scripts/openapi-types.mjs.
 * Do not edit: run \`make openapi plugins-types\` at the repository root.
 */
/* eslint-disable */
`;

function readOpenApi() {
  if (!existsSync(source)) {
    throw new Error(`no OpenAPI document at ${source}: run \`make openapi\` at the repository root`);
  }
  return JSON.parse(readFileSync(source, 'utf8'));
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
  const document = dropDanglingRefs(readOpenApi());
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
      'src/api/schema.ts is out of date with catalog/openapi.json: run `make plugins-types` (or ' +
        '`yarn types:generate` in backstage-plugins) and commit the result.',
    );
    process.exit(1);
  }
  console.log('src/api/schema.ts matches the portal API (catalog/openapi.json)');
}

main().catch(err => {
  console.error(err.message ?? err);
  process.exit(1);
});
