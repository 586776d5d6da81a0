import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/** An Open Banking style document: FAPI words everywhere, nothing machine-readable about mTLS. */
const FAPI = `openapi: 3.0.3
info:
  title: Account and Transaction API
  version: '3.1'
  description: Implements the FAPI 1.0 Advanced profile; TPPs authenticate with tls_client_auth.
servers:
  - url: https://ob.bank.example/open-banking/v3.1/aisp
paths:
  /accounts:
    get:
      parameters:
        - { name: x-fapi-interaction-id, in: header, schema: { type: string } }
      security: [{ TPPOAuth2Security: [] }]
      responses:
        '200': { description: ok }
        '403': { description: forbidden }
components:
  securitySchemes:
    TPPOAuth2Security:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: 'https://as.bank.example/token', scopes: {} } }
    PSUOAuth2Security:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: 'https://as.bank.example/token', scopes: {} } }
`;

const MIXED = `openapi: 3.1.0
info: { title: t, version: '1' }
servers:
  - url: https://api.bank.example
paths:
  /a:
    get:
      security: [{ cert: [] }]
      responses:
        '403': { description: forbidden }
  /b:
    servers:
      - url: https://api-mtls.bank.example
    get:
      responses:
        '200': { description: ok }
  /c:
    get:
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    cert: { type: mutualTLS }
    typo: { type: mutualTls }
`;

describe('mtls-fix lint never passes in silence', () => {
  it('stylish: the summary line says what was checked, also when nothing is reported; hints with file:line and what to try', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const run = await runCliAsync(['lint'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured\n');
    expect(run.stdout).toContain(
      'hint: openapi.yaml:5 mentions FAPI (also tls_client_auth at line 5, x-fapi-* header at line 12), but none of its operations (1) is mTLS-secured',
    );
    // How many 403s went unchecked (session 9: 3GPP TS 29.222 mentions client certificates and documents 403s).
    expect(run.stdout).toContain('is mTLS-secured, so no 403 was checked (1 of them documents one).');
    expect(run.stdout).toContain(
      'try --mtls-everywhere, --mtls-scheme NAME (schemes here: TPPOAuth2Security, PSUOAuth2Security), or `mtls-fix detect`',
    );
    // With the regime's reading the 403 is found, and the hint is gone.
    const everywhere = await runCliAsync(['lint', '--mtls-everywhere'], { cwd });
    expect(everywhere.code).toBe(1);
    expect(everywhere.stdout).toContain('1 mTLS-secured (everywhere: 1)');
    expect(everywhere.stdout).not.toContain('hint:');
  });

  it("json keeps Spectral's array (no hint in it); the hint goes to stderr", async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const json = await runCliAsync(['lint', '-f', 'json'], { cwd });
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(json.stderr).toMatch(/^mtls-fix: hint: openapi\.yaml:5 mentions FAPI/);
  });

  it('sarif: the hint is a note of the invocation, the summary a run property', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const sarif = await runCliAsync(['lint', '-f', 'sarif'], { cwd });
    const run = (JSON.parse(sarif.stdout) as { runs: Record<string, unknown>[] }).runs[0] as {
      results: unknown[];
      invocations: {
        toolExecutionNotifications: { level: string; message: { text: string }; locations: unknown[] }[];
      }[];
      properties: { checked: string };
    };
    expect(run.results).toEqual([]);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(1);
    expect(run.invocations[0].toolExecutionNotifications[0]).toMatchObject({
      level: 'note',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'openapi.yaml' }, region: { startLine: 5 } } },
      ],
    });
    expect(run.properties.checked).toBe('1 document, 1 operation, 0 mTLS-secured');
  });

  it('github-actions: the hint is a notice annotation', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const actions = await runCliAsync(['lint', '-f', 'github-actions'], { cwd });
    expect(actions.stdout).toMatch(
      /^::notice file=openapi\.yaml,line=5,.*title=mtls-hint::openapi\.yaml:5 mentions FAPI/,
    );
  });

  it('the summary counts every signal; a scheme typed mutualTls is a warning with the fix', async () => {
    const cwd = tempProject({ 'openapi.yaml': MIXED });
    const run = await runCliAsync(['lint'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'mtls-fix: checked 1 document, 3 operations, 2 mTLS-secured (scheme: 1, server: 1)',
    );
    expect(run.stdout).toMatch(
      /24:13\s+warning\s+mtls-config\s+security scheme 'typo' has type 'mutualTls', which is not read as mTLS: the OpenAPI type is 'mutualTLS'/,
    );
  });

  it('a security requirement naming no scheme of the document (a typo, a missing definition, an OAS 3.2 URI that leads nowhere) is a warning where it is written', async () => {
    const cwd = tempProject({
      'openapi.yaml': `openapi: 3.2.0
info: { title: t, version: '1' }
security:
  - clientCertificate: []
paths:
  /a:
    $ref: paths/a.yaml
  /b:
    get:
      security:
        - '#/components/securitySchemes/missing': []
        - cert: []
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    cert: { type: mutualTLS }
`,
      'paths/a.yaml': `get:
  security:
    - tlsClient: []
  responses:
    '403': { description: forbidden }
`,
    });
    const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
    const results = JSON.parse(run.stdout) as {
      code: string;
      source: string;
      message: string;
      range: { start: { line: number } };
    }[];
    const warnings = results.filter((result) => result.code === 'mtls-config');
    expect(
      warnings.map((result) => [path.basename(result.source), result.range.start.line + 1, result.message]),
    ).toEqual([
      [
        'openapi.yaml',
        4,
        "security requirement names 'clientCertificate', which is no security scheme of openapi.yaml (defined: cert), so it is not read as mTLS. Fix the name or define the scheme (OAS 3.2: or write a URI reference to it); if it is your mTLS scheme, --mtls-scheme 'clientCertificate'.",
      ],
      [
        'openapi.yaml',
        11,
        expect.stringContaining("names '#/components/securitySchemes/missing', which is no security scheme"),
      ],
      [
        'a.yaml',
        3,
        expect.stringContaining("names 'tlsClient', which is no security scheme of openapi.yaml"),
      ],
    ]);
    expect(warnings[1].message).toContain('Fix the URI reference: it must lead to a Security Scheme Object.');
    // GET /b is still checked through its other alternative; GET /a is not mTLS-secured (the name leads nowhere).
    expect(results.filter((result) => result.code === 'mtls-no-403')).toHaveLength(1);
    expect(run.code).toBe(1);
    // Naming it as the mTLS scheme checks the operation (the flag's own warning says the scheme is undefined).
    const named = await runCliAsync(['lint', '-f', 'json', '--mtls-scheme', 'tlsClient'], { cwd });
    const after = JSON.parse(named.stdout) as { code: string; message: string }[];
    expect(
      after.filter((result) => result.message.includes("'tlsClient'")).map((result) => result.code),
    ).toEqual(['mtls-config', 'mtls-no-403']);
    expect(after.some((result) => result.message.includes("security requirement names 'tlsClient'"))).toBe(
      false,
    );
  });

  it('mutual SSL, two-way TLS/SSL and MATLS in the text are mentions too (the hint names them)', async () => {
    for (const [words, shown] of [
      ['TPPs connect over two-way SSL.', 'two-way SSL'],
      ['Mutual SSL is required.', 'Mutual SSL'],
      ['Use the MATLS endpoint.', 'MATLS'],
    ]) {
      const cwd = tempProject({
        'openapi.yaml': `openapi: 3.0.3\ninfo: { title: t, version: '1', description: '${words}' }\npaths:\n  /a:\n    get:\n      responses:\n        '200': { description: ok }\n`,
      });
      const run = await runCliAsync(['lint'], { cwd });
      expect(run.stdout).toContain(
        `hint: openapi.yaml:2 mentions mutual TLS ('${shown}'), but none of its operations (1)`,
      );
    }
  });

  it('dead config: an undefined scheme name lists the defined ones; a server regex that matches nothing says so', async () => {
    const cwd = tempProject({
      'openapi.yaml': FAPI,
      'mtls-fix.config.yaml': "mtls:\n  schemes: [TPPOAuth2]\n  servers: ['^https://secure\\.bank']\n",
    });
    const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
    const results = JSON.parse(run.stdout) as { code: string; severity: number; message: string }[];
    expect(results.map((result) => [result.code, result.severity])).toEqual([
      ['mtls-config', 1],
      ['mtls-config', 1],
    ]);
    expect(results.map((result) => result.message)).toEqual([
      'mtls.servers /^https:\\/\\/secure\\.bank/ matches no server of openapi.yaml (servers: https://ob.bank.example/open-banking/v3.1/aisp). Fix the pattern, or it selects nothing.',
      "scheme 'TPPOAuth2' (config mtls.schemes (mtls-fix.config.yaml)) is not defined in openapi.yaml; defined: TPPOAuth2Security, PSUOAuth2Security. Fix the name, or it selects nothing.",
    ]);
    expect(run.code).toBe(0);
    expect((await runCliAsync(['lint', '--fail-severity', 'warn'], { cwd })).code).toBe(1);
  });

  it('fix says what it checked, and hints, when it has nothing to do', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const run = await runCliAsync(['fix', 'openapi.yaml', '--check'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured\n');
    expect(run.stdout).toContain('hint: openapi.yaml:5 mentions FAPI');
  });

  it('a document that says nothing about mTLS while operations document a 403: hint at the first 403 (lint and fix)', async () => {
    const SILENT = [
      'openapi: 3.0.3',
      "info: { title: Bank data sharing, version: '2.1' }",
      'paths:',
      '  /accounts:',
      '    get:',
      '      responses:',
      "        '200': { description: ok }",
      "        '403': { $ref: '#/components/responses/Forbidden' }",
      '  /balances:',
      '    get:',
      '      responses:',
      "        '403': { description: forbidden }",
      '  /health:',
      '    get:',
      '      responses:',
      "        '200': { description: ok }",
      'components:',
      '  responses:',
      '    Forbidden: { description: forbidden }',
      '',
    ].join('\n');
    const cwd = tempProject({ 'openapi.yaml': SILENT, 'public.yaml': SILENT.replace(/ {8}'403'.*\n/g, '') });
    const run = await runCliAsync(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mtls-fix: checked 1 document, 3 operations, 0 mTLS-secured\n');
    expect(run.stdout).toContain(
      'hint: openapi.yaml:8: 2 of its 3 operations document a 403, but the document says nothing that makes an ' +
        'operation mTLS-secured',
    );
    const fix = await runCliAsync(['fix', 'openapi.yaml', '--check'], { cwd });
    expect(fix.stdout).toContain('hint: openapi.yaml:8: 2 of its 3 operations document a 403');
    // Once the reading is given, the 403s are checked and the hint is gone; no 403 at all: nothing to hint.
    const everywhere = await runCliAsync(['lint', 'openapi.yaml', '--mtls-everywhere'], { cwd });
    expect(everywhere.code).toBe(1);
    expect(everywhere.stdout).not.toContain('hint:');
    expect((await runCliAsync(['lint', 'public.yaml'], { cwd })).stdout).not.toContain('hint:');
  });

  it('a 403 in a path-item file two documents share: the hint names the document, and where its first 403 is (session 9: mojaloop/api-snippets)', async () => {
    const root = (title: string) =>
      `openapi: 3.0.3\ninfo: {title: ${title}, version: '1'}\npaths:\n  /accounts:\n    $ref: 'paths/accounts.yaml'\n`;
    const cwd = tempProject({
      'dfsp.yaml': root('dfsp'),
      'pisp.yaml': root('pisp'),
      'paths/accounts.yaml': "get:\n  responses:\n    '403': {description: no}\n",
    });
    const run = await runCliAsync(['lint', 'dfsp.yaml', 'pisp.yaml'], { cwd });
    for (const document of ['dfsp.yaml', 'pisp.yaml'])
      expect(run.stdout).toContain(
        `hint: ${document}: 1 of its 1 operation documents a 403 (the first at paths/accounts.yaml:3), but the document says nothing`,
      );
  });

  it('--quiet on a clean run prints nothing at all', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const run = await runCliAsync(['lint', '--quiet'], { cwd });
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
  });
});
