import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigOverrides } from '../../src/config/index.js';
import { lint } from '../../src/lint/run.js';
import { testRule } from '../helpers/rule-tester.js';

// Session 37 (breaker37 02, 03, 06): a document whose author tried to declare mTLS and slipped read as "nothing in
// it declares mTLS", exit 0: `x-mTLS: true` (our marker in another case), `x-mtls: true` on a Server Object, a
// `mutualTLS` (or client-certificate header) scheme that no `security` names, scheme types such as `X509`.
// mtls-unchecked now names what is written but not read; mtls-config warns at each key.

const VERSIONS = ['2.0', '3.0.3', '3.1.0', '3.2.0'] as const;
type Version = (typeof VERSIONS)[number];

const head = (version: Version): string => (version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`);
/** One scheme `c` in the version's container, YAML. */
const schemes = (version: Version, scheme: string): string =>
  version === '2.0'
    ? `securityDefinitions:\n  c: ${scheme}\n`
    : `components:\n  securitySchemes:\n    c: ${scheme}\n`;
const hasMutualTls = (version: Version): boolean => version === '3.1.0' || version === '3.2.0';

const OPERATION = `paths:
  /a:
    get:
      responses:
        '403': { description: no }
`;

/** Key slips on the root (line 2) and the operation (line 6); YAML. */
const keySlip = (version: Version, key: string): string => `${head(version)}
${key}: true
info: { title: t, version: '1' }
paths:
  /a:
    ${key}: true
    get:
      responses:
        '403': { description: no }
`;

testRule('mtls-unchecked', [
  // 03: the marker in another case, another separator, one letter off, an alias: named, never "nothing declares".
  ...VERSIONS.flatMap((version) =>
    ['x-mTLS', 'x-MTLS', 'x_mtls', 'x-mtsl', 'x-mtls-enabled'].map((key) => ({
      name: `invalid: OAS ${version}, ${key}: true on the root and the path item is named as not read`,
      document: keySlip(version, key),
      errors: [
        {
          path: [],
          line: 1,
          message: `what it writes to declare mTLS is not read: ${key} on the root at line 2 is not read: the key read is x-mtls${key.toLowerCase() === 'x-mtls' ? ', lower case' : ''}; ${key} on the path item at line 6`,
        },
      ],
    })),
  ),
  {
    name: 'invalid: JSON text, "x-MTLS": true on the operation',
    document: `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"x-MTLS": true, "responses": {"403": {"description": "no"}}}}}}
`,
    errors: [
      {
        path: [],
        message: 'x-MTLS on the operation at line 2 is not read: the key read is x-mtls, lower case',
      },
    ],
  },
  {
    name: 'invalid: a suppression in another case is named (it suppresses nothing: the 403 is still counted)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      x-MTLS-fix-ignore: served to browsers only
      responses:
        '403': { description: no }
`,
    errors: [
      {
        path: [],
        message:
          'x-MTLS-fix-ignore on the operation at line 6 is not read: the key read is x-mtls-fix-ignore, lower case',
      },
    ],
  },
  // 02: an mTLS scheme defined but named by no security: the scheme and the requirement to add, never
  // "no mutualTLS security scheme".
  ...VERSIONS.flatMap((version) => {
    const declared: [string, string][] = [
      [
        '{ type: apiKey, in: header, name: X-Forwarded-Client-Cert }',
        "apiKey header 'X-Forwarded-Client-Cert'",
      ],
      ['{ type: apiKey, in: header, name: X-Key, x-mtls: true }', 'x-mtls: true'],
      ...(hasMutualTls(version) ? ([['{ type: mutualTLS }', 'type mutualTLS']] as [string, string][]) : []),
    ];
    return declared.map(([scheme, reason]) => ({
      name: `invalid: OAS ${version}, ${scheme} defined but named by no security`,
      document: `${head(version)}\ninfo: { title: t, version: '1' }\n${OPERATION}${schemes(version, scheme)}`,
      errors: [
        {
          path: [],
          message: `what it writes to declare mTLS is not read: scheme 'c' (${reason} at line ${version === '2.0' ? 9 : 10}) is defined but no operation's security names it: add security: [{c: []}] at the root or on the mTLS operations (nothing else is read as mTLS`,
        },
      ],
    }));
  }),
  {
    name: 'invalid: a mutualTLS scheme named only by a webhook is named by no operation',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
${OPERATION}webhooks:
  hook:
    post:
      security: [{ c: [] }]
      responses: { '200': { description: ok } }
${schemes('3.1.0', '{ type: mutualTLS }')}`,
    errors: [{ path: [], message: "declare it: a security requirement naming 'c' (security: [{c: []}]" }],
  },
  {
    name: 'invalid: --mtls-scheme names a defined scheme no operation uses: the same message (the advice followed)',
    document: `openapi: 3.0.3\ninfo: { title: t, version: '1' }\n${OPERATION}${schemes('3.0.3', '{ type: http, scheme: bearer }')}`,
    options: { mtlsSchemes: ['c'] },
    errors: [
      { path: [], message: "scheme 'c' (listed in mtls.schemes at line 10) is defined but no operation's" },
    ],
  },
  {
    name: 'valid: OAS 3.2, the mutualTLS scheme is named by a URI reference (it is used)',
    document: `openapi: 3.2.0
info: { title: t, version: '1' }
security: [{ '#/components/securitySchemes/c': [] }]
${OPERATION}${schemes('3.2.0', '{ type: mutualTLS }')}`,
    errors: [],
  },
  // 06: scheme types that read as a client certificate.
  ...VERSIONS.flatMap((version) =>
    ['X509', 'x509', 'cert', 'clientCertificate', 'tls', 'mutual'].map((type) => ({
      name: `invalid: OAS ${version}, a scheme of type ${type} in security is named as a type OpenAPI does not define`,
      document: `${head(version)}\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\n${OPERATION}${schemes(version, `{ type: ${type} }`)}`,
      errors: [
        {
          path: [],
          message: `scheme 'c' has type '${type}' at line ${version === '2.0' ? 10 : 11}, which OpenAPI does not define (${hasMutualTls(version) ? 'the OpenAPI type is mutualTLS' : `${version === '2.0' ? 'Swagger 2.0' : 'OAS 3.0'} has no mTLS type: list it in mtls.schemes or mark it x-mtls: true`})`,
        },
      ],
    })),
  ),
  ...(['x509', 'cert', 'mutual'] as const).map((scheme) => ({
    name: `invalid: type http with scheme ${scheme} is named (mutual: as RFC 8120, a password protocol)`,
    document: `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\n${OPERATION}${schemes('3.1.0', `{ type: http, scheme: ${scheme} }`)}`,
    errors: [
      {
        path: [],
        message:
          scheme === 'mutual'
            ? "scheme 'c' has type http with scheme 'mutual' at line 11, RFC 8120 Mutual (a password protocol, not a client certificate); for mutual TLS the type is mutualTLS"
            : `scheme 'c' has type http with scheme '${scheme}' at line 11, which is no HTTP authentication scheme`,
      },
    ],
  })),
  {
    name: 'invalid: a type X509 scheme reached through a $ref into another file is named there',
    document: `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\n${OPERATION}${schemes('3.1.0', "{ $ref: 'schemes.yaml#/cert' }")}`,
    files: { 'schemes.yaml': 'cert:\n  type: X509\n' },
    errors: [
      { path: [], message: "scheme 'c' has type 'X509' at schemes.yaml:2, which OpenAPI does not define" },
    ],
  },
]);

// 03: `x-mtls: true` on a Server Object is read (the author's "this host asks for a client certificate").
testRule('mtls-no-403', [
  ...(['3.0.3', '3.1.0', '3.2.0'] as const).flatMap((version) =>
    (['root', 'path item', 'operation'] as const).map((where) => {
      const server = "[{ url: 'https://api.bank.example', x-mtls: true }]";
      return {
        name: `invalid: OAS ${version}, x-mtls: true on a server of the ${where} makes its operations mTLS-secured`,
        document: `openapi: ${version}
info: { title: t, version: '1' }
${where === 'root' ? `servers: ${server}\n` : ''}paths:
  /a:
${where === 'path item' ? `    servers: ${server}\n` : ''}    get:
${where === 'operation' ? `      servers: ${server}\n` : ''}      responses:
        '403': { description: no }
`,
        errors: [
          {
            path: ['paths', '/a', 'get', 'responses', '403'],
            mtls: { via: 'server', detail: 'https://api.bank.example' },
            message: "server 'https://api.bank.example' marked x-mtls: true",
          },
        ],
      };
    }),
  ),
  {
    name: 'valid: x-mtls: false on a server keeps its mTLS host label from making it an mTLS server',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
servers: [{ url: 'https://mtls.bank.example', x-mtls: false }]
paths:
  /a: { get: { responses: { '403': { description: no } } } }
`,
    errors: [],
  },
  {
    name: 'invalid: JSON text, "x-mtls": true on a server',
    document: `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "servers": [{"url": "https://api.bank.example", "x-mtls": true}],
 "paths": {"/a": {"get": {"responses": {"403": {"description": "no"}}}}}}
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], mtls: { via: 'server' } }],
  },
]);

/** The mtls-config warnings of a document (direct engine and Spectral's runner agree), as [pointer, message]. */
async function configWarningsOf(
  folder: string,
  files: Record<string, string>,
  options: ConfigOverrides = {},
): Promise<{ path: string; message: string; file: string; line: number }[]> {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  const config = resolveConfig({}, options);
  const input = [path.join(folder, Object.keys(files)[0])];
  const direct = await lint({ files: input, config, cwd: folder });
  const viaSpectral = await lint({ files: input, config, cwd: folder, engine: 'spectral' });
  expect(viaSpectral.results).toEqual(direct.results);
  return direct.results
    .filter((result) => result.code === 'mtls-config')
    .map((result) => ({
      path: result.path.join('.'),
      message: result.message,
      file: path.basename(result.source),
      line: result.range.start.line + 1,
    }));
}

describe('mtls-config: what is written to declare mTLS but is not read is a warning at the key', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'mtls-fix-near-misses-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let count = 0;
  const folder = (): string => path.join(root, String(count++));

  for (const version of VERSIONS) {
    it(`OAS ${version}: marker keys in another case, separator or spelling, on the root and a path item`, async () => {
      for (const key of ['x-mTLS', 'X_MTLS', 'x-mtsl', 'x-enable-mtls']) {
        const warnings = await configWarningsOf(folder(), { 'openapi.yaml': keySlip(version, key) });
        expect(warnings.map((warning) => [warning.path, warning.line])).toEqual([
          [key, 2],
          [`paths./a.${key}`, 6],
        ]);
        expect(warnings[0]?.message).toBe(
          `${key} on the root is not read: the key mtls-fix reads is x-mtls${key.toLowerCase().replace('_', '-') === 'x-mtls' && key !== 'X_MTLS' ? ' (lower case)' : ''}, so this declares nothing. Write x-mtls: true (true: served over mTLS, false: not).`,
        );
      }
    });

    // Session 41: where no operation is mTLS-secured, mtls-unchecked names the unused scheme (as stock Spectral
    // reports it); mtls-config said it a second time. It says it where another operation is mTLS-secured.
    it(`OAS ${version}: a scheme named in --mtls-scheme that is defined but used by no operation`, async () => {
      const scheme = '{ type: apiKey, in: header, name: X-Forwarded-Client-Cert }';
      const alone = await configWarningsOf(
        folder(),
        {
          'openapi.yaml': `${head(version)}\ninfo: { title: t, version: '1' }\n${OPERATION}${schemes(version, scheme)}`,
        },
        { mtlsSchemes: ['c'] },
      );
      expect(alone).toEqual([]);
      const beside = `${OPERATION}  /b:\n    x-mtls: true\n    get:\n      responses:\n        '200': { description: ok }\n`;
      const warnings = await configWarningsOf(
        folder(),
        {
          'openapi.yaml': `${head(version)}\ninfo: { title: t, version: '1' }\n${beside}${schemes(version, scheme)}`,
        },
        { mtlsSchemes: ['c'] },
      );
      expect(warnings).toEqual([
        {
          path: version === '2.0' ? 'securityDefinitions.c' : 'components.securitySchemes.c',
          file: 'openapi.yaml',
          line: version === '2.0' ? 14 : 15,
          message:
            "scheme 'c' (--mtls-scheme) is defined in openapi.yaml but no operation's security names it, so it selects nothing. Add security: [{c: []}] at the root or on the operations served over mTLS.",
        },
      ]);
    });

    it(`OAS ${version}: scheme types that read as a client certificate, YAML and JSON`, async () => {
      for (const type of ['X509', 'certificate', 'clientCert', 'mutualAuth', 'ssl']) {
        const yaml = `${head(version)}\ninfo: { title: t, version: '1' }\nsecurity: [{ c: [] }]\n${OPERATION}${schemes(version, `{ type: ${type} }`)}`;
        const container = version === '2.0' ? 'securityDefinitions' : 'components.securitySchemes';
        const data = {
          ...(version === '2.0' ? { swagger: '2.0' } : { openapi: version }),
          info: { title: 't', version: '1' },
          security: [{ c: [] }],
          paths: { '/a': { get: { responses: { '403': { description: 'no' } } } } },
          ...(version === '2.0'
            ? { securityDefinitions: { c: { type } } }
            : { components: { securitySchemes: { c: { type } } } }),
        };
        const variants: Record<string, string>[] = [
          { 'openapi.yaml': yaml },
          { 'openapi.json': JSON.stringify(data, null, 2) },
        ];
        for (const files of variants) {
          const warnings = await configWarningsOf(folder(), files);
          expect(warnings.map((warning) => warning.path)).toEqual([`${container}.c.type`]);
          expect(warnings[0]?.message).toContain(
            `security scheme 'c' has type '${type}', which is not read as mTLS`,
          );
        }
      }
    });
  }

  it('not slips: x-mtls itself, an unrelated x-tls, a string-valued x-mtls-ca, a used configured scheme', async () => {
    const document = `openapi: 3.1.0
info: { title: t, version: '1' }
x-tls: true
x-mtls-ca: corp-root
security: [{ c: [] }]
${OPERATION}${schemes('3.1.0', '{ type: http, scheme: bearer }')}`;
    expect(await configWarningsOf(folder(), { 'openapi.yaml': document }, { mtlsSchemes: ['c'] })).toEqual(
      [],
    );
  });
});
