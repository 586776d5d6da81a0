import { testRule } from '../helpers/rule-tester.js';

const MUTUAL_TLS = `components:
  securitySchemes:
    clientCert:
      type: mutualTLS
`;

testRule('mtls-4xx-range', [
  {
    name: 'invalid: an mTLS-secured operation documents 4XX',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
        4XX: { description: client error }
${MUTUAL_TLS}`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '4XX'],
        line: 10,
        message:
          "GET /a is mTLS-secured (scheme 'clientCert') and documents '4XX', so it may answer an undocumented 403",
      },
    ],
  },
  {
    // trial42, NHSDigital/immunisation-fhir-api: a shared 4XX response whose description is a table of the
    // statuses sent, 403 among them. The 403 is documented; the report quotes the text that says so.
    name: 'invalid: a 4XX (through $ref) or default whose description names 403 quotes that line',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        4XX: { $ref: '#/components/responses/Errors' }
  /b:
    get:
      responses:
        default: { description: "Error.\\n403: the sender may not read it" }
  /c:
    get:
      responses:
        4XX: { description: 'Client error (see release 1.403 notes, 4031 codes)' }
components:
  responses:
    Errors:
      description: >-
        Possible errors:


        | 400 | INVALID | Invalid payload. |

        | 403   |  FORBIDDEN | The sender does not have permissions to access this resource. |
`,
    options: { mtlsEverywhere: true },
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '4XX'],
        message:
          `documents '4XX', whose description says it answers 403 ("| 403 | FORBIDDEN | The sender does not ` +
          `have permissions to access this resourc…"): change that text with the status`,
      },
      {
        path: ['paths', '/b', 'get', 'responses', 'default'],
        message: `documents 'default', whose description says it answers 403 ("403: the sender may not read it")`,
      },
      {
        path: ['paths', '/c', 'get', 'responses', '4XX'],
        message: "documents '4XX', so it may answer an undocumented 403",
      },
    ],
  },
  {
    name: 'invalid: lowercase 4xx (invalid OpenAPI, written in the wild)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        4xx: { description: client error }
${MUTUAL_TLS}`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '4xx'] }],
  },
  {
    name: 'valid: 4XX on an operation that is not mTLS-secured',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        4XX: { description: client error }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: 'valid: an explicit 403 takes precedence; mtls-no-403 reports it instead',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
        4XX: { description: client error }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: 'valid: 4XX in a webhook',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths: {}
webhooks:
  event:
    post:
      responses:
        4XX: { description: rejected }
${MUTUAL_TLS}`,
    errors: [],
  },
  // Session 12: `default` stands for every status not listed, a 403 included: alone (no 403, no 4XX) on an
  // mTLS-secured operation it is the range warning, in every OpenAPI version and spelling of the operation.
  ...(
    [
      ['OAS 3.1, scheme', 'openapi: 3.1.0\nsecurity:\n  - clientCert: []\n', MUTUAL_TLS],
      ['OAS 3.2, scheme', 'openapi: 3.2.0\nsecurity:\n  - clientCert: []\n', MUTUAL_TLS],
      ['OAS 3.0, x-mtls', 'openapi: 3.0.3\nx-mtls: true\n', ''],
      ['Swagger 2.0, x-mtls', "swagger: '2.0'\nx-mtls: true\n", ''],
    ] as const
  ).map(([label, head, tail]) => ({
    name: `invalid: 'default' alone on an mTLS-secured operation (${label})`,
    document: `${head}info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
        default: { description: error }
${tail}`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', 'default'],
        message:
          'GET /a is mTLS-secured (' +
          (label.includes('scheme') ? "scheme 'clientCert'" : 'x-mtls: true on the root') +
          ") and documents 'default' and neither 403 nor 4XX, so a 403 it answers is documented only by 'default'",
      },
    ],
  })),
  {
    name: "valid: 'default' beside a 4XX: the 4XX is the one reported",
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        4XX: { description: client error }
        default: { description: error }
${MUTUAL_TLS}`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '4XX'] }],
  },
  {
    name: "valid: 'default' beside a 403: mtls-no-403 reports the 403",
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
        default: { description: error }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: "valid: 'default' on an operation that is not mTLS-secured",
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        default: { description: error }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: "invalid: 'default' through a $ref to a shared response (JSON pointer into components)",
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-mtls: true
paths:
  /a:
    get:
      responses:
        default: { $ref: '#/components/responses/Problem' }
components:
  responses:
    Problem: { description: problem }
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', 'default'] }],
  },
]);
