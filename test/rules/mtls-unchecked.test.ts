import { testRule } from '../helpers/rule-tester.js';

const OPS = `paths:
  /a:
    get:
      responses:
        '200': { description: ok }
        '403': { description: no }
  /b:
    x-mtls: false
    get:
      responses:
        '403': { description: no }
  /c:
    get:
      x-mtls-fix-ignore: served to the web client only
      responses:
        '403': { description: no }
  /d:
    get:
      responses:
        '200': { description: ok }
`;

const COUNTS =
  '1 of its 4 operations documents a 403 (GET /a); not counted: 403s of 1 with x-mtls: false (GET /b) and 1 suppressed (GET /c)';

/** Session 14: a document none of whose operations is mTLS-secured read "No results" under stock Spectral. */
testRule('mtls-unchecked', [
  ...(['2.0', '3.0.3', '3.1.0', '3.2.0'] as const).map((version) => ({
    name: `invalid: OAS ${version}, nothing declares mTLS; the 403s a declaration would check are counted and named`,
    document: `${version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`}
info: { title: t, version: '1' }
${OPS}`,
    errors: [{ path: [], line: 1, message: `nothing in it declares mTLS (no mutualTLS security scheme` }],
  })),
  {
    name: 'invalid: the counts (x-mtls: false and suppressed 403s are not counted; x-mtls is not a mention of mTLS)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
${OPS}`,
    errors: [{ path: [], line: 1, message: COUNTS }],
  },
  {
    name: 'invalid: JSON text',
    document: `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"403": {"description": "no"}}}}}}
`,
    errors: [{ path: [], line: 1, message: '1 of its 1 operation documents a 403 (GET /a)' }],
  },
  {
    name: 'invalid: mentions mTLS without declaring it (the words and lines are named)',
    document: `openapi: 3.0.3
info: { title: t, version: '1', description: 'FAPI profile: clients use mutual TLS' }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
`,
    errors: [
      {
        path: [],
        line: 1,
        message:
          'it mentions FAPI at line 2 (also mutual TLS at line 2) but declares no mTLS (no mutualTLS security scheme, no mtls.schemes / mtls.servers match, no x-mtls or gateway mTLS extension). None of its 1 operation documents a 403 that would be checked',
      },
    ],
  },
  {
    name: 'invalid: OAS 3.0 has no mutualTLS type: the advice names mtls.schemes and the schemes defined',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      security: [{ cert: [] }]
      responses:
        '403': { description: no }
components:
  securitySchemes:
    cert: { type: http, scheme: bearer }
`,
    errors: [{ path: [], message: 'in mtls.schemes (--mtls-scheme NAME; schemes here: cert)' }],
  },
  // Session 19: operations with no 403 but a `4XX` range or a `default` (mtls-4xx-range once mTLS is declared)
  // were not named: "none of its operations documents a 403" read as if nothing there could answer 403.
  {
    name: 'invalid: 4XX ranges and default responses a declaration would warn about are counted and named',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a: { get: { responses: { '403': { description: no } } } }
  /b: { get: { responses: { default: { description: error } } } }
  /c: { get: { responses: { 4XX: { description: client error } } } }
  /d: { get: { responses: { '200': { description: ok } } } }
  /e: { x-mtls: false, get: { responses: { default: { description: error } } } }
`,
    errors: [
      {
        path: [],
        message:
          '1 of its 5 operations documents a 403 (GET /a); 2 more document no 403 but a 4XX range or default response (GET /b, GET /c), under which a 403 may be sent. If its endpoints',
      },
    ],
  },
  {
    name: 'invalid: a document whose operations document only default responses says so',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /a: { get: { responses: { default: { description: error } } } }
`,
    errors: [
      {
        path: [],
        message:
          'None of its 1 operation documents a 403 that would be checked; 1 documents no 403 but a 4XX range or default response (GET /a), under which a 403 may be sent.',
      },
    ],
  },
  {
    name: 'valid: an operation is mTLS-secured (its 403 is mtls-no-403, checked)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
${OPS.replace('  /d:\n', '  /d:\n    x-mtls: true\n')}`,
    errors: [],
  },
  {
    name: 'valid: every operation is mTLS-secured under --mtls-everywhere',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
${OPS}`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  // Session 20: a document had no way to say it has no mTLS endpoints, so a hook (which fails on mtls-unchecked)
  // could only be quieted for a whole folder. `x-mtls: false` at the root (or on every operation) says so.
  ...(['2.0', '3.0.3', '3.1.0', '3.2.0'] as const).map((version) => ({
    name: `valid: OAS ${version}, x-mtls: false at the root declares the document has no mTLS endpoints`,
    document: `${version === '2.0' ? "swagger: '2.0'" : `openapi: ${version}`}
x-mtls: false
info: { title: t, version: '1' }
${OPS}`,
    errors: [],
  })),
  {
    name: 'valid: JSON text with "x-mtls": false at the root',
    document: `{"openapi": "3.1.0", "x-mtls": false, "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"403": {"description": "no"}}}}}}
`,
    errors: [],
  },
  {
    name: 'valid: every operation says x-mtls: false (on its path item or itself)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a: { x-mtls: false, get: { responses: { '403': { description: no } } }, post: { responses: { '403': { description: no } } } }
  /b: { get: { x-mtls: false, responses: { '403': { description: no } } } }
`,
    errors: [],
  },
  {
    name: 'invalid: x-mtls: false on some operations only leaves the others unchecked',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a: { x-mtls: false, get: { responses: { '403': { description: no } } } }
  /b: { get: { responses: { '403': { description: no } } } }
`,
    errors: [
      {
        path: [],
        message:
          '1 of its 2 operations documents a 403 (GET /b); not counted: 403s of 1 with x-mtls: false (GET /a). If its endpoints',
      },
    ],
  },
  {
    name: 'invalid: the message says how to declare that the document has no mTLS endpoints',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a: { get: { responses: { '403': { description: no } } } }
`,
    errors: [
      {
        path: [],
        message: 'If none of its endpoints is served over mTLS, say so with x-mtls: false at its root.',
      },
    ],
  },
  {
    name: 'valid: a document without operations has nothing to check',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths: {}
webhooks:
  hook:
    post:
      responses:
        '403': { description: no }
`,
    errors: [],
  },
]);
