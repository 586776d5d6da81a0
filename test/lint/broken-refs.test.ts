import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { lint } from '../../src/lint/run.js';
import { tempProject } from '../helpers/cli.js';

// Session 32 (adorsys/xs2a, psd2-confirmation-of-funds-consent): a schema `$ref` leading nowhere passed mtls-fix lint
// unnamed, while stock `spectral lint` with the same ruleset reported it (invalid-ref, error): one result more.
const DOCUMENT = `openapi: 3.0.3
info: { title: t, version: '1' }
x-mtls: false
paths:
  /funds:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: "#/components/schemas/tppMessageGeneric"
components:
  schemas:
    a/b: { type: string }
    ok:
      $ref: '#/components/schemas/a~1b'
    percent:
      $ref: '#/components/schemas/a~1b%20'
`;

describe('local $refs that lead nowhere', () => {
  it('are invalid-ref errors at the $ref value, as stock Spectral reports them, under both engines', async () => {
    const folder = tempProject({ 'openapi.yaml': DOCUMENT });
    const files = [path.join(folder, 'openapi.yaml')];
    const config = resolveConfig({}, {});
    for (const engine of ['direct', 'spectral'] as const) {
      const report = await lint({ files, config, cwd: folder, ...(engine === 'spectral' ? { engine } : {}) });
      const broken = report.results.filter((result) => result.code === 'invalid-ref');
      expect(broken.map((result) => [result.message, result.severity, result.range.start])).toEqual([
        ["'#/components/schemas/tppMessageGeneric' does not exist", 0, { line: 14, character: 24 }],
        ["'#/components/schemas/a~1b%20' does not exist", 0, { line: 21, character: 12 }],
      ]);
    }
  });
});
