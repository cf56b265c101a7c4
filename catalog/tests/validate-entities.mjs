// Validates Backstage entity files with Backstage's own validators: the catalog's default
// entity policies (envelope, schema, namespace, field formats, no foreign root fields) and the
// kind validators of @backstage/catalog-model and @backstage/plugin-scaffolder-common.
//
//   node validate-entities.mjs FILE...   -> one JSON line per document; exit 1 if any is invalid
//
// Placeholders ($yaml, $json, $text with a relative path) are resolved first, as the catalog's
// placeholder processor does for files read from a location.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as catalogModel from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { parseAllDocuments, parse } from 'yaml';

const {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} = catalogModel;

const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
// Every kind validator of @backstage/catalog-model (API, Component, Domain, Group, Location,
// Resource, System, User), and the scaffolder's Template.
const kindValidators = [
  ...Object.entries(catalogModel)
    .filter(([name]) => /^[a-z]+EntityV1alpha1Validator$/.test(name))
    .map(([, validator]) => validator),
  templateEntityV1beta3Validator,
];

function resolvePlaceholders(value, baseDir) {
  if (Array.isArray(value)) return value.map(v => resolvePlaceholders(v, baseDir));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && ['$yaml', '$json', '$text'].includes(keys[0])) {
    const path = resolve(baseDir, value[keys[0]]);
    const text = readFileSync(path, 'utf8');
    if (keys[0] === '$text') return text;
    return resolvePlaceholders(keys[0] === '$yaml' ? parse(text) : JSON.parse(text), dirname(path));
  }
  return Object.fromEntries(keys.map(k => [k, resolvePlaceholders(value[k], baseDir)]));
}

async function validate(entity) {
  const result = await policy.enforce(entity);
  if (!result) throw new Error('rejected by the entity policies');
  for (const validator of kindValidators) {
    if (await validator.check(entity)) return;
  }
  throw new Error(`no validator accepts ${entity.apiVersion} ${entity.kind}`);
}

let failed = false;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const [index, doc] of docs.entries()) {
    const line = { file, index };
    try {
      if (doc.errors.length) throw new Error(doc.errors.map(e => e.message).join('; '));
      const entity = resolvePlaceholders(doc.toJS(), dirname(resolve(file)));
      line.kind = entity?.kind;
      line.name = entity?.metadata?.name;
      await validate(entity);
      line.ok = true;
    } catch (error) {
      line.ok = false;
      line.error = String(error?.message ?? error);
      failed = true;
    }
    console.log(JSON.stringify(line));
  }
}
process.exit(failed ? 1 : 0);
