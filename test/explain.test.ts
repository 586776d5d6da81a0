import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from './helpers/cli.js';

const DOC = `openapi: 3.1.0
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
    get:
      security: [{ oauth: [] }]
      responses:
        '403': { description: forbidden }
  /c:
    x-mtls: false
    get:
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    cert: { type: mutualTLS }
    oauth: { type: http, scheme: bearer }
`;

describe('mtls-fix explain', () => {
  it('--json: every operation, mTLS-secured or not, why, and what would change it', async () => {
    const cwd = tempProject({ 'openapi.yaml': DOC });
    const run = await runCliAsync(['explain', '--json'], { cwd });
    expect(run.code).toBe(0);
    const { documents, background } = JSON.parse(run.stdout) as {
      documents: { file: string; operations: Record<string, unknown>[] }[];
      background: string;
    };
    expect(documents).toHaveLength(1);
    expect(documents[0].file).toBe('openapi.yaml');
    expect(documents[0].operations).toEqual([
      {
        method: 'GET',
        path: '/a',
        documents403: true,
        mtls: true,
        via: 'scheme',
        detail: 'cert',
        why: "mTLS-secured: scheme 'cert'.",
        change: 'only removing the mTLS scheme from its security (x-mtls: false does not override a scheme).',
      },
      {
        method: 'GET',
        path: '/b',
        documents403: true,
        mtls: false,
        why: "not mTLS-secured: its security names 'oauth', none of type mutualTLS or listed in mtls.schemes; its servers (https://api.bank.example) match no mtls.servers regex and have no mTLS host label or description; mtls.everywhere is off.",
        change:
          '--mtls-scheme oauth (config mtls.schemes), --mtls-server matching https://api.bank.example, --mtls-everywhere, or x-mtls: true on it.',
      },
      expect.objectContaining({ method: 'GET', path: '/c', mtls: false, documents403: false }),
    ]);
    expect((documents[0].operations[2] as { why: string }).why).toContain('x-mtls: false opts it out');
    expect(background).toContain('NSURLErrorDomain -1206');
  });

  it('human: the verdicts, then the background (iOS since 9, 401 needs WWW-Authenticate, 404 hides, the safety nets)', async () => {
    const cwd = tempProject({ 'openapi.yaml': DOC });
    const run = await runCliAsync(['explain', '--mtls-everywhere'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('openapi.yaml: 3 operations, 2 mTLS-secured');
    expect(run.stdout).toContain(
      '  mTLS  GET /b  documents 403: lint reports it\n        why: mTLS-secured: mtls.everywhere.',
    );
    expect(run.stdout).toContain('since iOS 9');
    expect(run.stdout).toMatch(/MUST carry\s+WWW-Authenticate/);
    expect(run.stdout).toContain('404 (RFC 9110 §15.5.4)');
    expect(run.stdout).toContain('mtls-fix migrate');
  });

  // Session 17: the head line read "1 operations", and a document with parts it could not read counted only
  // what it read, as if that were all.
  it('the head line: one operation is singular; parts not read are counted there and named on stderr', async () => {
    const cwd = tempProject({
      'spec.yaml':
        "openapi: 3.0.3\ninfo: { title: t, version: '1' }\nx-mtls: true\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n  /b: { get: 5 }\n",
    });
    const run = await runCliAsync(['explain', 'spec.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('spec.yaml: 1 operation, 1 mTLS-secured; not read: 1 (named on stderr)');
    expect(run.stderr).toMatch(/^mtls-fix: spec\.yaml:6:\d+ \(\/paths\/~1b\/get\): 'get' must be a map/);
  });

  it('one bad file does not hide the others: each is one line on stderr, the rest are explained, exit 2 (session 11)', async () => {
    const cwd = tempProject({
      'good.yaml':
        "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a: { get: { responses: { '200': { description: ok } } } }\n",
      'broken.yaml':
        "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /b: { get: { responses: { '403': Forbidden } } }\n",
      'overlay.yaml': 'overlay: 1.0.0\ninfo: { title: o, version: 1.0.0 }\nactions: []\n',
    });
    const run = await runCliAsync(['explain', 'broken.yaml', 'good.yaml', 'overlay.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('good.yaml: 1 operation, 0 mTLS-secured');
    expect(run.stdout).not.toContain('broken.yaml:');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^mtls-fix: broken\.yaml:4:\d+ \(\/paths\/~1b\/get\/responses\/403\): '403' must be a map/,
      ),
      "mtls-fix: overlay.yaml: not an OpenAPI document: no 'openapi' or 'swagger' key at the top. Pass an OpenAPI 3.x or Swagger 2.0 document.",
    ]);
    const json = await runCliAsync(['explain', 'broken.yaml', 'good.yaml', '--json'], { cwd });
    const parsed = JSON.parse(json.stdout) as { documents: { file: string; error?: string }[] };
    expect(parsed.documents.map((document) => [document.file, document.error !== undefined])).toEqual([
      ['broken.yaml', true],
      ['good.yaml', false],
    ]);
    expect(json.code).toBe(2);
  });

  // Session 19 (gematik/api-vzd DirectoryApplicationMaintenance.yaml, OAS 3.0.1, "client authentication is now
  // mutualTLS" in a comment): explain advised "a scheme of type mutualTLS", which OAS 3.0 and Swagger 2.0 do not
  // have (the document would no longer validate), and did not name the mTLS words lint's mtls-unchecked names.
  it('OAS 3.0 and Swagger 2.0: the advice names a way the version has, and the mTLS words the document mentions', async () => {
    const oas30 =
      "openapi: 3.0.1\ninfo: { title: t, version: '1' }\n# client authentication is now mutualTLS\npaths:\n" +
      "  /a: { get: { responses: { '403': { description: no } } } }\n" +
      "  /b: { get: { security: [{ OAuth2: [] }], responses: { '200': { description: ok } } } }\n" +
      'components: { securitySchemes: { OAuth2: { type: oauth2, flows: {} } } }\n';
    const swagger2 =
      "swagger: '2.0'\ninfo: { title: t, version: '1' }\nhost: api.example\npaths:\n" +
      "  /a: { get: { responses: { '403': { description: no } } } }\n";
    const oas31 =
      "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a: { get: { responses: {} } }\n";
    const cwd = tempProject({ 'oas30.yaml': oas30, 'swagger.yaml': swagger2, 'oas31.yaml': oas31 });
    const run = await runCliAsync(['explain', 'oas30.yaml', 'swagger.yaml', 'oas31.yaml', '--json'], { cwd });
    expect(run.code).toBe(0);
    const { documents } = JSON.parse(run.stdout) as {
      documents: { file: string; mentions: unknown[]; operations: { why: string; change: string }[] }[];
    };
    const [a, b] = documents[0].operations;
    expect(a.change).not.toContain('type mutualTLS');
    expect(a.change).toContain(
      'a security scheme for its client certificate in its security, listed in mtls.schemes (--mtls-scheme NAME) or marked x-mtls: true (OAS 3.0 has no mutualTLS type)',
    );
    expect(b.why).toContain(
      "its security names 'OAuth2', none listed in mtls.schemes or marked x-mtls: true (OAS 3.0 has no mutualTLS type)",
    );
    expect(documents[0].mentions).toEqual([{ term: 'mutual TLS', line: 3, text: 'mutualTLS' }]);
    expect(documents[1].operations[0].change).toContain('(Swagger 2.0 has no mutualTLS type)');
    expect(documents[1].mentions).toEqual([]);
    // OAS 3.1 has the type: the advice stays.
    expect(documents[2].operations[0].change).toContain('a scheme of type mutualTLS in its security');
    const human = await runCliAsync(['explain', 'oas30.yaml'], { cwd });
    expect(human.stdout).toContain(
      "oas30.yaml: 2 operations, 0 mTLS-secured\n  it mentions mutual TLS ('mutualTLS') at line 3 but declares no mTLS\n",
    );
  });
});

// Session 29: `to change:` read "Only removing ..." / "Removing ..." for two kinds and "x-mtls: false ..." /
// "--mtls-scheme ..." for the others; the background said "4xx" where everything else says "4XX".
describe('mtls-fix explain: x-mtls on a Server Object (session 37)', () => {
  // Review of session 37: a server marked x-mtls: false read "have no mTLS host label" of a host labelled mtls.
  it('a server marked x-mtls: false is said to be marked so; one marked true makes its operations mTLS-secured', async () => {
    const cwd = tempProject({
      'openapi.yaml': `openapi: 3.1.0
info: { title: t, version: '1' }
servers:
  - { url: 'https://mtls.bank.example', x-mtls: false }
  - url: https://api.bank.example
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
  /b:
    servers: [{ url: 'https://secure.bank.example', x-mtls: true }]
    get:
      responses:
        '403': { description: forbidden }
`,
    });
    const run = await runCliAsync(['explain', '--json'], { cwd });
    expect(run.code).toBe(0);
    const [document] = (JSON.parse(run.stdout) as { documents: { operations: Record<string, unknown>[] }[] })
      .documents;
    expect(document.operations[0]).toMatchObject({ path: '/a', mtls: false });
    expect(document.operations[0].why).toContain(
      'its servers (https://mtls.bank.example, https://api.bank.example) match no mtls.servers regex and x-mtls: false marks https://mtls.bank.example as no mTLS server, the others have no mTLS host label or description;',
    );
    expect(document.operations[1]).toMatchObject({
      path: '/b',
      mtls: true,
      via: 'server',
      why: "mTLS-secured: server 'https://secure.bank.example' marked x-mtls: true.",
    });
  });
});

describe('mtls-fix explain: one wording for every verdict', () => {
  it('every why and change starts lower case (it follows a label) and is one sentence ending with a period', async () => {
    const doc = `openapi: 3.1.0
info: { title: t, version: '1' }
servers:
  - url: https://mtls.api.bank.example
paths:
  /scheme: { get: { security: [{ cert: [] }], responses: { '200': { description: ok } } } }
  /server: { get: { responses: { '200': { description: ok } } } }
  /marker: { get: { x-mtls: true, servers: [{ url: https://www.bank.example }], responses: { '200': { description: ok } } } }
  /everywhere: { get: { servers: [{ url: https://www.bank.example }], responses: { '200': { description: ok } } } }
  /none: { get: { x-mtls: false, responses: { '200': { description: ok } } } }
components:
  securitySchemes:
    cert: { type: mutualTLS }
`;
    const cwd = tempProject({ 'openapi.yaml': doc });
    const run = await runCliAsync(['explain', '--json', '--mtls-everywhere'], { cwd });
    expect(run.code).toBe(0);
    const { documents, background } = JSON.parse(run.stdout) as {
      documents: { operations: { path: string; via?: string; why: string; change: string }[] }[];
      background: string;
    };
    const operations = documents[0].operations;
    expect(operations.map((operation) => operation.via ?? '-')).toEqual([
      'scheme',
      'server',
      'extension',
      'everywhere',
      '-',
    ]);
    for (const { why, change } of operations) {
      expect(why).toMatch(/^[a-z-]/);
      expect(change).toMatch(/^[a-z-]/);
      expect(why).toMatch(/[^.]\.$/);
      expect(change).toMatch(/[^.]\.$/);
    }
    expect(background).not.toMatch(/\b4xx\b/);
  });
});
