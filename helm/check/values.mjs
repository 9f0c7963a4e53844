// Validates a chart's values the way `helm template` and `helm install` do before rendering: the chart's values.yaml,
// deep-merged with each -f file in order (maps merge key by key, a null deletes a default), checked against the chart's
// values.schema.json (JSON Schema draft-07). helm-render, the offline stand-in for helm, skips this step; helm/check.sh
// runs it first so a values file the schema rejects fails the render either way.
//
// usage: node values.mjs CHART_DIR [-f values.yaml]...
// Exit 0 when the values are valid, 1 with one line per violation (the value's path and what the schema wants).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const [chart, ...rest] = process.argv.slice(2);
if (!chart) {
  console.error('usage: node values.mjs CHART_DIR [-f values.yaml]...');
  process.exit(2);
}

const files = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] !== '-f' || i + 1 >= rest.length) {
    console.error(`values.mjs: unexpected argument '${rest[i]}'; only -f FILE is understood`);
    process.exit(2);
  }
  files.push(rest[++i]);
}

const isMap = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

// helm's coalescing of user values over defaults: maps merge recursively, anything else replaces, null removes.
function merge(base, over) {
  const result = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) {
    if (value === null) {
      delete result[key];
    } else if (isMap(value) && isMap(result[key])) {
      result[key] = merge(result[key], value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

const readYaml = (file) => parse(readFileSync(file, 'utf8')) ?? {};
let values = readYaml(join(chart, 'values.yaml'));
for (const file of files) {
  values = merge(values, readYaml(file));
}

const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
if (validate(values)) {
  process.exit(0);
}

const name = parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8')).name;
console.error(`Error: values don't meet the specifications of the schema(s) in the following chart(s):\n${name}:`);
for (const error of validate.errors) {
  const path = error.instancePath.split('/').filter(Boolean).join('.') || '(root)';
  const detail = error.keyword === 'additionalProperties'
    ? `${error.message}: '${error.params.additionalProperty}'`
    : error.keyword === 'enum' ? `${error.message}: ${error.params.allowedValues.join(', ')}` : error.message;
  console.error(`- ${path}: ${detail}`);
}
process.exit(1);
