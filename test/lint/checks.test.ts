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
  it('stylish: the summary line says what was checked; a document with no mTLS-secured operation is an mtls-unchecked info with the words, lines and what to try', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const run = await runCliAsync(['lint'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured\n');
    expect(run.stdout).toMatch(
      / 1:1\s+information\s+mtls-unchecked\s+No operation is mTLS-secured, so no 403 was checked/,
    );
    expect(run.stdout).toContain(
      'it mentions FAPI at line 5 (also tls_client_auth at line 5, x-fapi-* header at line 12) but declares no mTLS',
    );
    // How many 403s went unchecked (session 9: 3GPP TS 29.222 mentions client certificates and documents 403s).
    expect(run.stdout).toContain('1 of its 1 operation documents a 403 (GET /accounts).');
    expect(run.stdout).toContain(
      'mtls.schemes (--mtls-scheme NAME; schemes here: TPPOAuth2Security, PSUOAuth2Security)',
    );
    // Said once: as the result, not again as a hint.
    expect(run.stdout).not.toContain('hint:');
    expect(run.stdout).toContain('1 problem (0 errors, 0 warnings, 1 info, 0 hints)');
    expect((await runCliAsync(['lint', '--fail-severity', 'info'], { cwd })).code).toBe(1);
    // With the regime's reading the 403 is found, and the info is gone.
    const everywhere = await runCliAsync(['lint', '--mtls-everywhere'], { cwd });
    expect(everywhere.code).toBe(1);
    expect(everywhere.stdout).toContain('1 mTLS-secured (everywhere: 1)');
    expect(everywhere.stdout).not.toContain('mtls-unchecked');
  });

  it("json keeps Spectral's array: the mtls-unchecked result is in it, not a hint on stderr", async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const json = await runCliAsync(['lint', '-f', 'json'], { cwd });
    const results = JSON.parse(json.stdout) as { code: string; severity: number; path: unknown[] }[];
    expect(results.map((result) => [result.code, result.severity, result.path])).toEqual([
      ['mtls-unchecked', 2, []],
    ]);
    expect(json.stderr).toBe('mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured\n');
    // junit lists what fails (as Spectral's junit): the info is a failure under --fail-severity info, else a hint.
    const junit = await runCliAsync(['lint', '-f', 'junit', '--fail-severity', 'info'], { cwd });
    expect(junit.stdout).toContain('name="org.spectral.mtls-unchecked(#)"');
    expect(junit.stderr).not.toContain('hint:');
    const junitDefault = await runCliAsync(['lint', '-f', 'junit'], { cwd });
    expect(junitDefault.stdout).not.toContain('mtls-unchecked');
    expect(junitDefault.stderr).toMatch(/^mtls-fix: hint: openapi\.yaml:5: No operation is mTLS-secured/);
  });

  it('sarif: mtls-unchecked is a note-level result, the summary a run property', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const sarif = await runCliAsync(['lint', '-f', 'sarif'], { cwd });
    const run = (JSON.parse(sarif.stdout) as { runs: Record<string, unknown>[] }).runs[0] as {
      results: { ruleId: string; level: string }[];
      invocations: {
        toolExecutionNotifications: { level: string; message: { text: string }; locations: unknown[] }[];
      }[];
      properties: { checked: string };
    };
    expect(run.results.map((result) => [result.ruleId, result.level])).toEqual([['mtls-unchecked', 'note']]);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(0);
    expect(run.properties.checked).toBe('1 document, 1 operation, 0 mTLS-secured');
  });

  it('github-actions: mtls-unchecked is a notice annotation', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const actions = await runCliAsync(['lint', '-f', 'github-actions'], { cwd });
    expect(actions.stdout).toMatch(
      /^::notice file=openapi\.yaml,line=1,.*title=mtls-unchecked::No operation is mTLS-secured.*it mentions FAPI at line 5/m,
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

  // Session 19: in OAS 3.0 and Swagger 2.0 the warning said "Write type: mutualTLS", which those versions reject.
  it('OAS 3.0 and Swagger 2.0: a mistyped mTLS scheme is told a fix its version has', async () => {
    for (const [head, container, version] of [
      ['openapi: 3.0.3', 'components:\n  securitySchemes:', 'OAS 3.0'],
      ["swagger: '2.0'", 'securityDefinitions:', 'Swagger 2.0'],
    ] as const) {
      const cwd = tempProject({
        'openapi.yaml': `${head}\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n${container}\n    c: { type: mtls }\n`,
      });
      const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
      const results = JSON.parse(run.stdout) as { code: string; message: string }[];
      const message = results.find((result) => result.code === 'mtls-config')?.message ?? '';
      expect(message).not.toContain('Write type: mutualTLS');
      expect(message).toBe(
        `security scheme 'c' has type 'mtls', which is not read as mTLS, and ${version} has no mTLS type (mutualTLS is OAS 3.1+). Give it a type ${version} has and list 'c' in mtls.schemes (--mtls-scheme c), or mark it x-mtls: true.`,
      );
    }
  });

  // Session 17: a scheme typed `x-mutualTLS` or `'mutualTLS '`, `type: http` with `scheme: mtls`/`tls`/`x509`,
  // or any such scheme written through a `$ref` into another file, was read as "declares no mTLS" with no word.
  it('every spelling of an mTLS scheme type that is not mutualTLS is a warning where it is written (also through a $ref)', async () => {
    const cases: { scheme: string; file?: string; at: string; says: string }[] = [
      {
        scheme: '{ type: x-mutualTLS }',
        at: 'components.securitySchemes.c.type',
        says: "has type 'x-mutualTLS'",
      },
      {
        scheme: "{ type: 'mutualTLS ' }",
        at: 'components.securitySchemes.c.type',
        says: "has type 'mutualTLS '",
      },
      { scheme: '{ type: MTLS }', at: 'components.securitySchemes.c.type', says: "has type 'MTLS'" },
      {
        scheme: '{ type: http, scheme: mtls }',
        at: 'components.securitySchemes.c.scheme',
        says: "has type 'http' with scheme 'mtls' (HTTP authentication goes in the Authorization header",
      },
      {
        scheme: '{ type: http, scheme: X509 }',
        at: 'components.securitySchemes.c.scheme',
        says: "has type 'http' with scheme 'X509'",
      },
      {
        scheme: '{ type: http, scheme: clientCertificate }',
        at: 'components.securitySchemes.c.scheme',
        says: "has type 'http' with scheme 'clientCertificate'",
      },
      {
        scheme: "{ $ref: 'schemes.yaml#/cert' }",
        file: 'schemes.yaml',
        at: 'cert.type',
        says: "has type 'mutual_tls'",
      },
    ];
    for (const { scheme, file, at, says } of cases) {
      const cwd = tempProject({
        'openapi.yaml': `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\ncomponents:\n  securitySchemes:\n    c: ${scheme}\n`,
        'schemes.yaml': 'cert:\n  type: mutual_tls\n',
      });
      const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
      const results = JSON.parse(run.stdout) as {
        code: string;
        message: string;
        path: string[];
        source: string;
      }[];
      const warnings = results.filter((result) => result.code === 'mtls-config');
      expect(warnings.map((result) => [path.basename(result.source), result.path.join('.')])).toEqual([
        [file ?? 'openapi.yaml', at],
      ]);
      expect(warnings[0]?.message).toContain(`security scheme 'c' ${says}`);
    }
    // Not a typo: RFC 8120 Mutual (a password protocol), Bearer, and the exact mutualTLS.
    for (const scheme of [
      '{ type: http, scheme: Mutual }',
      '{ type: http, scheme: bearer }',
      '{ type: mutualTLS }',
    ]) {
      const cwd = tempProject({
        'openapi.yaml': `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\npaths:\n  /a: { get: { responses: { '200': { description: ok } } } }\ncomponents:\n  securitySchemes:\n    c: ${scheme}\n`,
      });
      const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
      const results = JSON.parse(run.stdout) as { code: string }[];
      expect(results.filter((result) => result.code === 'mtls-config')).toEqual([]);
    }
  });

  // Session 17 (lead): gateway extensions whose value the gateway does not read were read as "no marker" in silence.
  it('a gateway mTLS extension with a value its gateway does not read is a warning where it is written; valid values are not', async () => {
    const doc = (root: string, operation: string): string =>
      `openapi: 3.0.3\ninfo: { title: t, version: '1' }\n${root}paths:\n  /a:\n    get:\n${operation}      responses: { '403': { description: no } }\n`;
    const cases: { root?: string; operation?: string; at: string; says: string }[] = [
      {
        root: 'x-wso2-mutual-ssl: required\n',
        at: 'x-wso2-mutual-ssl',
        says: 'x-wso2-mutual-ssl: "required"',
      },
      {
        operation: '      x-wso2-mutual-ssl: true\n',
        at: 'paths./a.get.x-wso2-mutual-ssl',
        says: 'x-wso2-mutual-ssl: true is not a value the gateway reads (mandatory or optional)',
      },
      {
        root: "x-tyk-api-gateway:\n  server:\n    clientCertificates: { enabled: 'true' }\n",
        at: 'x-tyk-api-gateway.server.clientCertificates.enabled',
        says: 'x-tyk-api-gateway.server.clientCertificates.enabled: "true"',
      },
      {
        operation: "      x-kong-plugin-mtls-auth: { enabled: 'false' }\n",
        at: 'paths./a.get.x-kong-plugin-mtls-auth.enabled',
        says: 'x-kong-plugin-mtls-auth.enabled: "false" is not a value the gateway reads (true or false, unquoted), so mtls-fix reads the plugin as enabled',
      },
    ];
    for (const { root, operation, at, says } of cases) {
      const cwd = tempProject({ 'openapi.yaml': doc(root ?? '', operation ?? '') });
      const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
      const results = JSON.parse(run.stdout) as { code: string; message: string; path: string[] }[];
      const warnings = results.filter((result) => result.code === 'mtls-config');
      expect(warnings.map((result) => result.path.join('.'))).toEqual([at]);
      expect(warnings[0]?.message).toContain(says);
    }
    for (const root of [
      'x-wso2-mutual-ssl: Mandatory\n',
      'x-wso2-mutual-ssl: optional\n',
      'x-tyk-api-gateway:\n  server:\n    clientCertificates: { enabled: false }\n',
      'x-kong-plugin-mtls-auth: { enabled: true }\n',
    ]) {
      const cwd = tempProject({ 'openapi.yaml': doc(root, '') });
      const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
      const results = JSON.parse(run.stdout) as { code: string }[];
      expect(results.filter((result) => result.code === 'mtls-config')).toEqual([]);
    }
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
      expect(run.stdout).toContain(`it mentions mutual TLS ('${shown}') at line 2 but declares no mTLS`);
    }
  });

  // Session 14: `x-mtls: false` and `x-mtls-fix-ignore` were read as mentions of mTLS ("mentions mutual TLS ('mtls')").
  it("mtls-fix's own keys and name are not mentions of mTLS; a 403 under x-mtls: false or suppressed is not counted", async () => {
    const cwd = tempProject({
      'openapi.yaml': [
        'openapi: 3.0.3',
        "info: { title: t, version: '1', description: 'Checked by mtls-fix in CI.' }",
        'paths:',
        '  /public:',
        '    x-mtls: false',
        '    get:',
        "      responses: { '403': { description: no } }",
        '  /legacy:',
        '    get:',
        "      x-mtls-fix-ignore: 'web client only'",
        "      responses: { '403': { description: no } }",
        '  /accounts:',
        '    get:',
        "      responses: { '403': { description: no } }",
        '',
      ].join('\n'),
    });
    for (const args of [['lint'], ['fix', '--check']]) {
      const run = await runCliAsync(args, { cwd });
      expect(run.stdout).not.toContain('mentions');
      // fix --check fails on it, saying why on stderr (session 20).
      expect(run.stdout + run.stderr).toContain(
        'nothing in it declares mTLS (no mutualTLS security scheme, no mtls.schemes / mtls.servers match, no x-mtls ' +
          'or gateway mTLS extension). 1 of its 3 operations documents a 403 (GET /accounts); not counted: 403s of 1 ' +
          'with x-mtls: false (GET /public) and 1 suppressed (GET /legacy).',
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
      ['mtls-unchecked', 2],
      ['mtls-config', 1],
      ['mtls-config', 1],
    ]);
    expect(results.slice(1).map((result) => result.message)).toEqual([
      'mtls.servers /^https:\\/\\/secure\\.bank/ matches no server of openapi.yaml (servers: https://ob.bank.example/open-banking/v3.1/aisp). Fix the pattern, or it selects nothing.',
      "scheme 'TPPOAuth2' (config mtls.schemes (mtls-fix.config.yaml)) is not defined in openapi.yaml; defined: TPPOAuth2Security, PSUOAuth2Security. Fix the name, or it selects nothing.",
    ]);
    expect(run.code).toBe(0);
    expect((await runCliAsync(['lint', '--fail-severity', 'warn'], { cwd })).code).toBe(1);
  });

  // Session 17: a config `ignore` entry naming no operation (a typo, an operation renamed since) suppressed
  // nothing and said nothing.
  it('dead config: an ignore entry that names no operation says so; one that matches (in any case) does not', async () => {
    const cwd = tempProject({
      'openapi.yaml': MIXED,
      'mtls-fix.config.yaml': [
        'ignore:',
        "  - { operation: 'get /a', reason: 'matches GET /a' }",
        "  - { operation: 'GET /accounts', rule: mtls-no-403, reason: 'renamed since' }",
        "  - { operation: 'POST /c', reason: 'no such method' }",
        '',
      ].join('\n'),
    });
    const run = await runCliAsync(['lint', '-f', 'json'], { cwd });
    const results = JSON.parse(run.stdout) as { code: string; severity: number; message: string }[];
    expect(
      results.filter((result) => result.message.startsWith('config ignore')).map((result) => result.message),
    ).toEqual([
      "config ignore entry 'GET /accounts' (mtls-fix.config.yaml) names no operation of openapi.yaml (operations: GET /a, GET /b, GET /c), so it suppresses nothing. Fix the method or path, or remove the entry.",
      "config ignore entry 'POST /c' (mtls-fix.config.yaml) names no operation of openapi.yaml (operations: GET /a, GET /b, GET /c), so it suppresses nothing. Fix the method or path, or remove the entry.",
    ]);
    expect(results.filter((result) => result.code === 'mtls-no-403')).toEqual([]);
    expect(run.code).toBe(0);
    expect((await runCliAsync(['lint', '--fail-severity', 'warn'], { cwd })).code).toBe(1);
  });

  it('fix says what it checked, and hints, when it has nothing to do; --check fails on it (a gate)', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const run = await runCliAsync(['fix', 'openapi.yaml', '--dry-run'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured\n');
    expect(run.stdout).toContain(
      'hint: openapi.yaml:5: No operation is mTLS-secured, so no 403 was checked (on a client-certificate connection',
    );
    expect(run.stdout).toContain('it mentions FAPI at line 5');
    // Session 20: `fix --check` read exit 0 here, a CI gate passing a document none of whose 403s was checked.
    const check = await runCliAsync(['fix', 'openapi.yaml', '--check'], { cwd });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('mtls-fix: checked 1 document, 1 operation, 0 mTLS-secured\n');
    expect(check.stderr).toContain(
      'mtls-fix: --check fails: openapi.yaml:5: No operation is mTLS-secured, so no 403 was checked',
    );
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
    const cwd = tempProject({ 'openapi.yaml': SILENT, 'public.yaml': SILENT.replace(/'403'/g, "'404'") });
    const run = await runCliAsync(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mtls-fix: checked 1 document, 3 operations, 0 mTLS-secured\n');
    expect(run.stdout).toContain(
      'nothing in it declares mTLS (no mutualTLS security scheme, no mtls.schemes / mtls.servers match, no x-mtls ' +
        'or gateway mTLS extension). 2 of its 3 operations document a 403 (GET /accounts, GET /balances).',
    );
    // fix says it as a hint, at the first 403.
    const fix = await runCliAsync(['fix', 'openapi.yaml', '--dry-run'], { cwd });
    expect(fix.stdout).toContain('hint: openapi.yaml:8: No operation is mTLS-secured');
    expect(fix.stdout).toContain('2 of its 3 operations document a 403 (GET /accounts, GET /balances)');
    // Once the reading is given, the 403s are checked and the info is gone; no 403 at all: still not checked.
    const everywhere = await runCliAsync(['lint', 'openapi.yaml', '--mtls-everywhere'], { cwd });
    expect(everywhere.code).toBe(1);
    expect(everywhere.stdout).not.toContain('mtls-unchecked');
    expect((await runCliAsync(['lint', 'public.yaml'], { cwd })).stdout).toContain(
      'None of its 3 operations documents a 403 that would be checked',
    );
  });

  it('a 403 in a path-item file two documents share: the hint names the document, and where its first 403 is (session 9: mojaloop/api-snippets)', async () => {
    const root = (title: string) =>
      `openapi: 3.0.3\ninfo: {title: ${title}, version: '1'}\npaths:\n  /accounts:\n    $ref: 'paths/accounts.yaml'\n`;
    const cwd = tempProject({
      'dfsp.yaml': root('dfsp'),
      'pisp.yaml': root('pisp'),
      'paths/accounts.yaml': "get:\n  responses:\n    '403': {description: no}\n",
    });
    const run = await runCliAsync(['fix', 'dfsp.yaml', 'pisp.yaml', '--dry-run'], { cwd });
    for (const document of ['dfsp.yaml', 'pisp.yaml'])
      expect(run.stdout).toContain(
        `hint: ${document} (first 403 at paths/accounts.yaml:3): No operation is mTLS-secured`,
      );
    // lint: one result per document, at its root.
    const lint = await runCliAsync(['lint', 'dfsp.yaml', 'pisp.yaml', '-f', 'json'], { cwd });
    const results = JSON.parse(lint.stdout) as { code: string; source: string; message: string }[];
    expect(results.map((result) => [result.code, path.basename(result.source)])).toEqual([
      ['mtls-unchecked', 'dfsp.yaml'],
      ['mtls-unchecked', 'pisp.yaml'],
    ]);
    expect(results[0].message).toContain('1 of its 1 operation documents a 403 (GET /accounts)');
  });

  it('--quiet on a clean run prints nothing at all', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI.replace("'403'", "'401'") });
    const run = await runCliAsync(['lint', '--quiet', '--mtls-scheme', 'TPPOAuth2Security'], { cwd });
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  // Session 20: this document (FAPI words, a 403, no mTLS declared) passed --quiet, the pre-commit hook's run,
  // with exit 0 and no output: "clean" for a document none of whose 403s was checked.
  it('--quiet on a document that declares no mTLS fails with the mtls-unchecked error', async () => {
    const cwd = tempProject({ 'openapi.yaml': FAPI });
    const run = await runCliAsync(['lint', '--quiet'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error  mtls-unchecked  No operation is mTLS-secured');
    expect(run.stdout).toContain('it mentions FAPI at line 5');
  });
});
