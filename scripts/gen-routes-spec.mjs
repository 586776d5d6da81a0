#!/usr/bin/env node
// Writes the OpenAPI document of a ../shared/bench/gen-code.mjs tree: one path per route it generates
// (module i mounts its router at /m{i}; each router has GET /items{h}/:id for h = 0..9), every operation
// mTLS-secured by a mutualTLS scheme and documenting 403. For `migrate --spec` at scale (16,000 routes = 1,600
// modules). usage: gen-routes-spec.mjs FILES OUT.yaml ; prints the number of operations.
import { writeFileSync } from 'node:fs';

const [files = '1600', out = 'openapi.yaml'] = process.argv.slice(2);
const n = Number(files);
const lines = [
  'openapi: 3.1.0',
  'info:',
  `  title: gen-code routes (${n * 10})`,
  '  version: 1.0.0',
  'security:',
  '  - clientCert: []',
  'paths:',
];
for (let i = 0; i < n; i++) {
  for (let h = 0; h < 10; h++) {
    lines.push(
      `  /m${i}/items${h}/{id}:`,
      '    get:',
      `      operationId: m${i}items${h}`,
      '      parameters:',
      '        - { name: id, in: path, required: true, schema: { type: string } }',
      '      responses:',
      "        '200': { description: OK }",
      "        '403': { description: Forbidden }",
    );
  }
}
lines.push(
  'components:',
  '  securitySchemes:',
  '    clientCert: { type: mutualTLS, description: Client certificate }',
  '',
);
writeFileSync(out, lines.join('\n'));
console.log(n * 10);
