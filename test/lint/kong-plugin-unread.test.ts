import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { lint } from '../../src/lint/run.js';
import { tempProject } from '../helpers/cli.js';

// Session 19: a Kong plugin written as a `$ref` (decK's reusable `components.x-kong.plugins`) that leads nowhere
// cannot tell whether the plugin answers 403: it is an input error where it is written, never read as clean.
const DOCUMENT = `openapi: 3.0.3
info: { title: t, version: '1' }
x-kong-plugin-mtls-auth:
  config: { ca_certificates: [ca-1] }
paths:
  /accounts:
    get:
      x-kong-plugin-ip-restriction:
        $ref: '#/components/x-kong/plugins/missing'
      responses:
        '200': { description: ok }
`;

describe('a Kong plugin $ref that cannot be followed', () => {
  it('is an mtls-fix-input result at the $ref, under both engines', async () => {
    const folder = tempProject({ 'openapi.yaml': DOCUMENT });
    const files = [path.join(folder, 'openapi.yaml')];
    const config = resolveConfig({}, {});
    for (const engine of ['direct', 'spectral'] as const) {
      const report = await lint({ files, config, cwd: folder, ...(engine === 'spectral' ? { engine } : {}) });
      const input = report.results.filter((result) => result.code === 'mtls-fix-input');
      expect(input).toHaveLength(1);
      expect(input[0].message).toContain("unresolvable $ref '#/components/x-kong/plugins/missing'");
      expect(input[0].range.start.line + 1).toBe(9);
    }
  });
});
