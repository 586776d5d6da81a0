// Times the two YAML parsers on the same documents: js-yaml (the model's load, src/openapi/source.ts) and the
// `yaml` package (fix's position tree, src/fix/yaml-ast.ts). Interleaved runs, median of each; load average printed.
// Usage: node scripts/bench-yaml.mjs FILE... (default: two corpus documents from ../shared/corpus/specs)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { parseDocument } from 'yaml';

const schema = jsYaml.CORE_SCHEMA.extend({ implicit: [jsYaml.types.merge] });
const corpus = path.resolve(import.meta.dirname, '../../shared/corpus/specs');
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['uk-open-banking-account-info-v4.0.0.yaml', 'okta-management-api-2026.06.3-minimal.yaml'].map((f) =>
      path.join(corpus, f),
    );
const RUNS = 5;
const parsers = {
  'js-yaml load': (text) => jsYaml.load(text, { schema }),
  'yaml parseDocument': (text) =>
    parseDocument(text, { uniqueKeys: false, merge: false, prettyErrors: false }),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${os.cpus().length} cpus`,
);
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const times = Object.fromEntries(Object.keys(parsers).map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, parse] of Object.entries(parsers)) {
      const start = process.hrtime.bigint();
      parse(text);
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const anchor = median(times['js-yaml load']);
  console.log(`${path.basename(file)} (${(text.length / 1e6).toFixed(2)} MB)`);
  for (const [name, list] of Object.entries(times))
    console.log(
      `  ${name.padEnd(20)} ${median(list).toFixed(0).padStart(6)} ms  ${(median(list) / anchor).toFixed(2)}x`,
    );
}
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
