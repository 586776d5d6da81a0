import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

// Session 29 (cloudentity/openbanking-quickstart): `fix` renamed four 403s to 401 with no WWW-Authenticate and the
// summary read as done, while RFC 9110 §15.5.2 says a 401 MUST carry one. The summary now counts them.
const DOC = `openapi: 3.1.0
info: { title: t, version: '1' }
x-mtls: true
paths:
  /a:
    get:
      responses:
        '403': { description: no }
  /b:
    get:
      responses:
        '403': { $ref: '#/components/responses/Challenged' }
  /c:
    get:
      responses:
        '403': { description: no }
components:
  responses:
    Challenged:
      description: no
      headers:
        WWW-Authenticate: { schema: { type: string } }
`;

describe('fix: a new 401 without WWW-Authenticate is counted', () => {
  it('counts the 401s with no challenge (a $ref that has one is not counted); --www-authenticate leaves none', async () => {
    const cwd = tempProject({ 'openapi.yaml': DOC });
    const dry = await runCliAsync(['fix', '--dry-run', 'openapi.yaml'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      '3 403 keys: 3 renamed, 0 removed, 0 merged, 0 conflicts, 0 skipped; 1 file would change; nothing written. ' +
        '2 new 401s carry no WWW-Authenticate header (RFC 9110 §15.5.2: a 401 MUST carry one; --www-authenticate Bearer adds it).',
    );
    const challenged = await runCliAsync(
      ['fix', '--dry-run', '--www-authenticate', 'Bearer', 'openapi.yaml'],
      { cwd },
    );
    expect(challenged.stdout).not.toContain('carry no WWW-Authenticate');
    const other = await runCliAsync(['fix', '--dry-run', '--status', '404', 'openapi.yaml'], { cwd });
    expect(other.stdout).not.toContain('WWW-Authenticate');
  });
});
