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
]);
