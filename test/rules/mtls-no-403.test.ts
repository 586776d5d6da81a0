import { testRule } from '../helpers/rule-tester.js';

const MUTUAL_TLS = `components:
  securitySchemes:
    clientCert:
      type: mutualTLS
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.test/token
          scopes: {}
`;

testRule('mtls-no-403', [
  {
    name: 'invalid: root security names a mutualTLS scheme (OAS 3.1)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /accounts:
    get:
      responses:
        '200': { description: ok }
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [
      {
        path: ['paths', '/accounts', 'get', 'responses', '403'],
        line: 10,
        message: "GET /accounts is mTLS-secured (scheme 'clientCert') and documents 403",
        mtls: { via: 'scheme', detail: 'clientCert' },
      },
    ],
  },
  {
    name: 'invalid: operation security names the scheme, the root has none',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /accounts:
    post:
      security:
        - clientCert: []
      responses:
        '403': { description: forbidden }
    get:
      responses:
        '403': { description: forbidden, public }
${MUTUAL_TLS}`,
    errors: [
      { path: ['paths', '/accounts', 'post', 'responses', '403'], line: 9, message: 'POST /accounts' },
    ],
  },
  {
    name: 'valid: security: [] on the operation removes the root mTLS requirement',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /status:
    get:
      security: []
      responses:
        '403': { description: not from your network }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: 'invalid: one of two OR alternatives needs a client certificate',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - oauth: []
  - clientCert: []
paths:
  /accounts:
    get:
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [
      {
        path: ['paths', '/accounts', 'get', 'responses', '403'],
        message: "(scheme 'clientCert' in one of 2 security alternatives)",
      },
    ],
  },
  {
    name: 'valid: OR alternatives without any mTLS scheme',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - oauth: []
  - apiKey: []
paths:
  /accounts:
    get:
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}    apiKey: { type: apiKey, in: header, name: X-Key }
`,
    errors: [],
  },
  {
    name: 'invalid: an AND requirement that includes the mTLS scheme',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
    oauth: [accounts]
paths:
  /accounts:
    get:
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [{ path: ['paths', '/accounts', 'get', 'responses', '403'], message: "(scheme 'clientCert')" }],
  },
  {
    name: 'valid: only the anonymous {} alternative',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - {}
paths:
  /hello:
    get:
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: 'invalid: the {} alternative beside an mTLS one still lets a certificate-presenting client in',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - {}
  - clientCert: []
paths:
  /hello:
    get:
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [
      { path: ['paths', '/hello', 'get', 'responses', '403'], message: 'in one of 2 security alternatives' },
    ],
  },
  {
    name: 'invalid: a local $ref chain, reported at the operation key, naming the chain',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403':
          $ref: '#/components/responses/Forbidden'
${MUTUAL_TLS}  responses:
    Forbidden:
      $ref: '#/components/responses/ForbiddenBase'
    ForbiddenBase:
      description: forbidden
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        line: 9,
        message: "through $ref '#/components/responses/Forbidden' -> '#/components/responses/ForbiddenBase'",
      },
    ],
  },
  {
    name: 'invalid: every operation sharing one component gets its own result',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403': { $ref: '#/components/responses/Forbidden' }
    delete:
      responses:
        '403': { $ref: '#/components/responses/Forbidden' }
  /b:
    get:
      responses:
        '403': { $ref: '#/components/responses/Forbidden' }
${MUTUAL_TLS}  responses:
    Forbidden:
      description: forbidden
`,
    errors: [
      { path: ['paths', '/a', 'get', 'responses', '403'], line: 9, message: 'GET /a' },
      { path: ['paths', '/a', 'delete', 'responses', '403'], line: 12, message: 'DELETE /a' },
      { path: ['paths', '/b', 'get', 'responses', '403'], line: 16, message: 'GET /b' },
    ],
  },
  {
    name: 'invalid: a $ref into another file',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403':
          $ref: 'common/responses.yaml#/Forbidden'
${MUTUAL_TLS}`,
    files: { 'common/responses.yaml': 'Forbidden:\n  description: forbidden\n' },
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        line: 9,
        message: "through $ref 'common/responses.yaml#/Forbidden'",
      },
    ],
  },
  {
    name: 'invalid: an integer 403 key (YAML 403: unquoted)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        200:
          description: ok
        403:
          description: forbidden
${MUTUAL_TLS}`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], line: 11 }],
  },
  {
    name: 'invalid: a path item reached through components.pathItems (OAS 3.1)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    $ref: '#/components/pathItems/Accounts'
${MUTUAL_TLS}  pathItems:
    Accounts:
      get:
        responses:
          '403': { description: forbidden }
`,
    errors: [
      {
        path: ['components', 'pathItems', 'Accounts', 'get', 'responses', '403'],
        line: 22,
        message: 'GET /a',
      },
    ],
  },
  {
    name: 'invalid: a path item in another file, reported in that file',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    $ref: 'paths/a.yaml'
${MUTUAL_TLS}`,
    files: {
      'paths/a.yaml': `get:
  summary: read
  responses:
    '200': { description: ok }
    '403': { description: forbidden }
`,
    },
    errors: [
      { path: ['get', 'responses', '403'], file: 'paths/a.yaml', line: 5, message: '(in paths/a.yaml)' },
    ],
  },
  {
    name: 'valid: webhooks and callbacks are not operations (the provider is the client there)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /subscriptions:
    post:
      responses:
        '201': { description: created }
      callbacks:
        onEvent:
          '{$request.body#/url}':
            post:
              responses:
                '403': { description: rejected }
webhooks:
  newAccount:
    post:
      responses:
        '403': { description: rejected }
x-internal-paths:
  /x:
    get:
      responses:
        '403': { description: rejected }
${MUTUAL_TLS}`,
    errors: [],
  },
  {
    name: 'invalid: a server whose host label starts with mtls',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://mtls-api.bank.example/open-banking/v1
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: "(server 'https://mtls-api.bank.example/open-banking/v1')",
        mtls: { via: 'server', detail: 'https://mtls-api.bank.example/open-banking/v1' },
      },
    ],
  },
  {
    name: 'invalid: a host label with mtls as a hyphenated part (api-mtls, eu-mtls-gw)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    servers:
      - url: https://api-mtls.bank.example
    get:
      responses:
        '403': { description: forbidden }
  /b:
    servers:
      - url: https://eu-mtls-gw.bank.example
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: "(server 'https://api-mtls.bank.example')",
      },
      {
        path: ['paths', '/b', 'get', 'responses', '403'],
        message: "(server 'https://eu-mtls-gw.bank.example')",
      },
    ],
  },
  {
    name: 'invalid: server descriptions saying Mutual TLS, mutual-TLS or client certificate',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    servers:
      - url: https://a.bank.example
        description: Mutual TLS endpoint for TPPs
    get:
      responses:
        '403': { description: forbidden }
  /b:
    servers:
      - url: https://b.bank.example
        description: mutual-TLS
    get:
      responses:
        '403': { description: forbidden }
  /c:
    servers:
      - url: https://c.bank.example
        description: Requires a client certificate issued by the directory
    get:
      responses:
        '403': { description: forbidden }
  /d:
    servers:
      - url: https://d.bank.example
        description: Certificate transparency for clients
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: "described 'Mutual TLS endpoint for TPPs'",
      },
      { path: ['paths', '/b', 'get', 'responses', '403'], message: "described 'mutual-TLS'" },
      { path: ['paths', '/c', 'get', 'responses', '403'], message: 'client certificate issued' },
    ],
  },
  {
    name: 'invalid: an operation written as a $ref is followed to its 403',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /accounts:
    get:
      $ref: '#/components/x-operations/listAccounts'
components:
  x-operations:
    listAccounts:
      security: [{ clientCert: [] }]
      responses:
        '200': { description: ok }
        '403': { description: forbidden }
  securitySchemes:
    clientCert: { type: mutualTLS }
`,
    errors: [
      {
        path: ['components', 'x-operations', 'listAccounts', 'responses', '403'],
        message: "GET /accounts is mTLS-secured (scheme 'clientCert')",
      },
    ],
  },
  {
    name: 'invalid: a matls host label after variable defaults are substituted',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://{env}.example.com
    variables:
      env: { default: matls-api }
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], mtls: { via: 'server' } }],
  },
  {
    name: 'invalid: a server described as MTLS',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://secure.api.example
    description: Production MTLS
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], message: "described 'Production MTLS'" }],
  },
  {
    name: 'valid: a TLS server, a host without an mtls label, a word that only contains mtls',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://api.example.com
    description: Production TLS (no mtlsish here)
  - url: https://xmtls.example.com
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [],
  },
  {
    name: 'invalid: a server matching a configured regex',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://secure.api.example/v1
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    options: { mtlsServers: ['^https://secure\\.'] },
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], message: 'server' }],
  },
  {
    name: 'invalid: only the operation whose own servers are mTLS',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://api.example.com
    description: Production TLS
paths:
  /public:
    get:
      responses:
        '403': { description: forbidden }
  /ssa:
    get:
      servers:
        - url: https://secure.api.example.com
          description: Production MTLS
      responses:
        '403': { description: forbidden }
`,
    errors: [{ path: ['paths', '/ssa', 'get', 'responses', '403'], line: 17 }],
  },
  {
    name: 'valid: an operation overriding an mTLS root server with a TLS one',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://mtls.api.example.com
paths:
  /products:
    get:
      servers:
        - url: https://api.example.com
      responses:
        '403': { description: forbidden }
`,
    errors: [],
  },
  {
    name: 'invalid: x-mtls: true on the root',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-mtls: true
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], message: 'x-mtls: true on the root' }],
  },
  {
    name: 'valid: x-mtls: false on the operation opts out of server detection',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://mtls.api.example.com
paths:
  /a:
    get:
      x-mtls: false
      responses:
        '403': { description: forbidden }
`,
    errors: [],
  },
  {
    name: 'invalid: x-mtls: false does not hide an mTLS scheme in the operation security',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      x-mtls: false
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], mtls: { via: 'scheme' } }],
  },
  {
    name: 'invalid: x-mtls: true on a security scheme (OAS 3.0 has no mutualTLS type)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
security:
  - tpp: []
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    tpp:
      type: http
      scheme: bearer
      x-mtls: true
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], message: "scheme 'tpp'" }],
  },
  {
    name: 'invalid: an apiKey scheme in a header that carries the client certificate (Swagger 2.0, OAS 3.0)',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
securityDefinitions:
  appServiceCert: { type: apiKey, in: header, name: X-ARR-ClientCert }
  key: { type: apiKey, in: header, name: X-Api-Key }
  queryCert: { type: apiKey, in: query, name: client-cert }
paths:
  /a:
    get:
      security: [{ appServiceCert: [] }]
      responses:
        '403': { description: forbidden }
  /b:
    get:
      security: [{ key: [] }, { queryCert: [] }]
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: "scheme 'appServiceCert'",
        mtls: { via: 'scheme', detail: 'appServiceCert' },
      },
    ],
  },
  {
    name: 'invalid: RFC 9440 Client-Cert and Envoy X-Forwarded-Client-Cert headers as apiKey schemes',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      security: [{ rfc: [] }]
      responses:
        '403': { description: forbidden }
  /b:
    get:
      security: [{ xfcc: [] }]
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    rfc: { type: apiKey, in: header, name: Client-Cert }
    xfcc: { type: apiKey, in: header, name: x-forwarded-client-cert }
`,
    errors: [
      { path: ['paths', '/a', 'get', 'responses', '403'], mtls: { via: 'scheme', detail: 'rfc' } },
      { path: ['paths', '/b', 'get', 'responses', '403'], mtls: { via: 'scheme', detail: 'xfcc' } },
    ],
  },
  {
    name: 'invalid: OAS 3.2 security requirements that name a scheme by URI reference (same file, other file)',
    document: `openapi: 3.2.0
info: { title: t, version: '1' }
paths:
  /local:
    get:
      security:
        - '#/components/securitySchemes/tls': []
      responses:
        '403': { description: forbidden }
  /other:
    get:
      security:
        - 'common/schemes.yaml#/components/securitySchemes/cert': []
      responses:
        '403': { description: forbidden }
  /bearer:
    get:
      security:
        - '#/components/securitySchemes/bearer': []
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    tls: { type: mutualTLS }
    bearer: { type: http, scheme: bearer }
`,
    files: {
      'common/schemes.yaml':
        "openapi: 3.2.0\ninfo: { title: s, version: '1' }\ncomponents:\n  securitySchemes:\n    cert: { type: mutualTLS }\n",
    },
    errors: [
      {
        path: ['paths', '/local', 'get', 'responses', '403'],
        mtls: { via: 'scheme', detail: '#/components/securitySchemes/tls' },
      },
      {
        path: ['paths', '/other', 'get', 'responses', '403'],
        message: "scheme 'common/schemes.yaml#/components/securitySchemes/cert'",
      },
    ],
  },
  {
    name: 'invalid: WSO2 x-wso2-mutual-ssl (mandatory or optional, API or operation level)',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
x-wso2-mutual-ssl: mandatory
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: 'x-wso2-mutual-ssl: mandatory on the root',
        mtls: { via: 'extension', detail: 'x-wso2-mutual-ssl: mandatory on the root' },
      },
    ],
  },
  {
    name: 'invalid: x-wso2-mutual-ssl: Optional on one operation only (optional certificates count)',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /a:
    get:
      x-wso2-mutual-ssl: Optional
      responses:
        '403': { description: forbidden }
    post:
      x-wso2-mutual-ssl: disabled
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        mtls: { via: 'extension', detail: 'x-wso2-mutual-ssl: Optional on the operation' },
      },
    ],
  },
  {
    name: 'invalid: Tyk OAS static client certificates (x-tyk-api-gateway server.clientCertificates)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-tyk-api-gateway:
  server:
    clientCertificates:
      enabled: true
      allowlist: [cert-id]
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: 'x-tyk-api-gateway server.clientCertificates.enabled: true on the root',
      },
    ],
  },
  {
    name: 'invalid: Tyk OAS dynamic mTLS (authToken.enableClientCertificate)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-tyk-api-gateway:
  server:
    authentication:
      enabled: true
      securitySchemes:
        authToken: { enabled: true, enableClientCertificate: true }
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: 'authToken.enableClientCertificate: true',
      },
    ],
  },
  {
    name: 'valid: Tyk upstream mTLS (Tyk to the upstream) and client certificates switched off',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-tyk-api-gateway:
  upstream:
    mutualTLS: { enabled: true }
  server:
    clientCertificates: { enabled: false }
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [],
  },
  {
    name: 'invalid: Kong x-kong-plugin-mtls-auth on a path item; not when enabled: false',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    x-kong-plugin-mtls-auth:
      config: { ca_certificates: [ca-id] }
    get:
      responses:
        '403': { description: forbidden }
  /b:
    get:
      x-kong-plugin-mtls-auth: { enabled: false }
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        mtls: { via: 'extension', detail: 'x-kong-plugin-mtls-auth on the path item' },
      },
    ],
  },
  {
    name: 'valid: x-mtls: false on the operation opts out of a gateway extension',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
x-wso2-mutual-ssl: mandatory
paths:
  /a:
    get:
      x-mtls: false
      responses:
        '403': { description: forbidden }
`,
    errors: [],
  },
  {
    name: 'invalid: an mtls host among the enum values of a server variable (the default is the TLS host)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
servers:
  - url: https://{host}.bank.example/open-banking
    variables:
      host: { default: api, enum: [api, matls-api] }
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
  /b:
    servers:
      - url: https://{host}.bank.example
        variables:
          host: { default: api, enum: [api, sandbox] }
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message:
          "server 'https://matls-api.bank.example/open-banking' (an enum value of a variable of 'https://api.bank.example/open-banking')",
        mtls: { via: 'server', detail: 'https://matls-api.bank.example/open-banking' },
      },
    ],
  },
  {
    name: 'invalid: server descriptions saying two-way SSL, mutual SSL, MATLS or client cert',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    servers: [{ url: 'https://a.bank.example', description: Two-way SSL endpoint }]
    get:
      responses:
        '403': { description: forbidden }
  /b:
    servers: [{ url: 'https://b.bank.example', description: 'Mutual SSL (WSO2)' }]
    get:
      responses:
        '403': { description: forbidden }
  /c:
    servers: [{ url: 'https://c.bank.example', description: MATLS }]
    get:
      responses:
        '403': { description: forbidden }
  /d:
    servers: [{ url: 'https://d.bank.example', description: needs a client cert }]
    get:
      responses:
        '403': { description: forbidden }
  /e:
    servers: [{ url: 'https://e.bank.example', description: one-way TLS, sslmode required }]
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      { path: ['paths', '/a', 'get', 'responses', '403'], message: "described 'Two-way SSL endpoint'" },
      { path: ['paths', '/b', 'get', 'responses', '403'], message: "described 'Mutual SSL (WSO2)'" },
      { path: ['paths', '/c', 'get', 'responses', '403'], message: "described 'MATLS'" },
      { path: ['paths', '/d', 'get', 'responses', '403'], message: "described 'needs a client cert'" },
    ],
  },
  {
    name: 'invalid: --mtls-everywhere',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    options: { mtlsEverywhere: true },
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], mtls: { via: 'everywhere' } }],
  },
  {
    name: 'valid: --mtls-everywhere, but the path item says x-mtls: false',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    x-mtls: false
    get:
      responses:
        '403': { description: forbidden }
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'invalid: Swagger 2.0 with a configured scheme name and a #/responses ref',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
host: api.example.com
securityDefinitions:
  tlsClient: { type: apiKey, in: header, name: X-Client-Cert }
security:
  - tlsClient: []
paths:
  /register:
    post:
      responses:
        '201': { description: created }
        '403':
          $ref: '#/responses/403Error'
responses:
  403Error:
    description: forbidden
`,
    options: { mtlsSchemes: ['tlsClient'] },
    errors: [
      { path: ['paths', '/register', 'post', 'responses', '403'], line: 13, message: "scheme 'tlsClient'" },
    ],
  },
  {
    name: 'invalid: Swagger 2.0 host with an mtls label',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
host: mtls.api.example.com
basePath: /v1
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
`,
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: "server 'https://mtls.api.example.com/v1'",
      },
    ],
  },
  {
    name: 'invalid: OAS 3.0 with a configured scheme name',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    clientCert: { type: http, scheme: bearer }
`,
    options: { mtlsSchemes: ['clientCert'] },
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], message: "scheme 'clientCert'" }],
  },
  {
    name: 'valid: OAS 3.0 with the same scheme name, not configured',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
components:
  securitySchemes:
    clientCert: { type: http, scheme: bearer }
`,
    errors: [],
  },
  {
    name: 'invalid: the message names the configured status',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        '403': { description: forbidden }
${MUTUAL_TLS}`,
    options: { status: 404 },
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: 'Answer 404 (the agreed status) instead.',
      },
    ],
  },
  {
    name: 'invalid: OAS 3.2 query method and additionalOperations',
    document: `openapi: 3.2.0
info: { title: t, version: '1' }
security:
  - clientCert: []
paths:
  /search:
    query:
      responses:
        '403': { description: forbidden }
    additionalOperations:
      LINK:
        responses:
          '403': { description: forbidden }
${MUTUAL_TLS}`,
    errors: [
      { path: ['paths', '/search', 'query', 'responses', '403'], message: 'QUERY /search' },
      {
        path: ['paths', '/search', 'additionalOperations', 'LINK', 'responses', '403'],
        message: 'LINK /search',
      },
    ],
  },
  {
    name: 'invalid: a 403 brought in by a YAML merge key (<<: *anchor)',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
x-common: &common
  '403':
    description: forbidden
security:
  - clientCert: []
paths:
  /a:
    get:
      responses:
        <<: *common
        '200':
          description: ok
${MUTUAL_TLS}`,
    // At the `<<` that brings the 403 (session 12; before: the `responses:` line above it).
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], line: 12, message: 'GET /a' }],
  },
  {
    name: 'invalid: Swagger 2.0 serves every listed scheme (http and https)',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
host: api.bank.example
schemes: [http, https]
paths:
  /a:
    get:
      responses:
        '403': { description: x }
`,
    options: { mtlsServers: ['^https://api\\.bank\\.example'] },
    errors: [
      {
        path: ['paths', '/a', 'get', 'responses', '403'],
        message: "server 'https://api.bank.example', one of 2 servers",
      },
    ],
  },
  {
    name: 'invalid: userinfo and port do not hide an mtls host label',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
servers: [{ url: 'https://user@mtls.example.com:8443/v1' }]
paths:
  /a:
    get:
      responses:
        '403': { description: x }
`,
    errors: [{ path: ['paths', '/a', 'get', 'responses', '403'], mtls: { via: 'server' } }],
  },
  {
    name: 'invalid: an API Gateway integration response answers 403 (string and integer statusCode, ANY method)',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /accounts:
    get:
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration:
        type: http
        responses:
          default: { statusCode: '200' }
          '.*Forbidden.*':
            statusCode: '403'
  /payments:
    x-amazon-apigateway-any-method:
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration:
        responses:
          '403':
            statusCode: 403
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' }
`,
    options: { mtlsEverywhere: true },
    errors: [
      {
        path: [
          'paths',
          '/accounts',
          'get',
          'x-amazon-apigateway-integration',
          'responses',
          '.*Forbidden.*',
          'statusCode',
        ],
        line: 13,
        message:
          'GET /accounts is mTLS-secured (mtls.everywhere) and its API Gateway integration (x-amazon-apigateway-integration) answers 403 for backend responses matching ".*Forbidden.*"',
      },
      {
        path: [
          'paths',
          '/payments',
          'x-amazon-apigateway-any-method',
          'x-amazon-apigateway-integration',
          'responses',
          '403',
          'statusCode',
        ],
        line: 21,
        message: 'ANY /payments is mTLS-secured',
      },
    ],
  },
  {
    name: 'valid: integration responses of an operation that is not mTLS-secured, or answering other statuses',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /status:
    get:
      x-mtls: false
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration:
        responses:
          '.*Forbidden.*': { statusCode: '403' }
  /accounts:
    get:
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration:
        responses:
          '.*Forbidden.*': { statusCode: '401' }
          default: { statusCode: '200' }
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' }
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'valid: x-mtls-fix-ignore on the operation suppresses its integration response finding',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /legacy:
    get:
      x-mtls-fix-ignore: web clients only
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration:
        responses:
          '.*Forbidden.*': { statusCode: '403' }
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'invalid: an API Gateway gateway response set to 403 serves the mTLS-secured operations',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
  /b:
    get:
      responses:
        '200': { description: ok }
x-amazon-apigateway-gateway-responses:
  UNAUTHORIZED:
    statusCode: '401'
  ACCESS_DENIED:
    statusCode: 403
`,
    options: { mtlsEverywhere: true },
    errors: [
      // Any request to a route the REST API does not define meets MISSING_AUTHENTICATION_TOKEN (default 403).
      {
        path: ['paths'],
        line: 3,
        message:
          'GET /a and 1 more mTLS-secured operation (mtls.everywhere, the first) are served by an API Gateway REST API that answers 403 for any request to a resource or method the REST API does not define: gateway response MISSING_AUTHENTICATION_TOKEN is left at its default status',
      },
      {
        path: ['x-amazon-apigateway-gateway-responses', 'ACCESS_DENIED', 'statusCode'],
        line: 16,
        message:
          'GET /a and 1 more mTLS-secured operation (mtls.everywhere, the first) are served by an API Gateway whose gateway response ACCESS_DENIED (x-amazon-apigateway-gateway-responses) answers 403',
      },
    ],
  },
  {
    name: 'valid: gateway responses of a document with no mTLS-secured operation are not findings',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /a:
    get:
      x-mtls: false
      responses:
        '200': { description: ok }
x-amazon-apigateway-gateway-responses:
  ACCESS_DENIED:
    statusCode: '403'
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'invalid: an API Gateway REST API leaves the 403 gateway responses its security meets at their default (Swagger 2.0: Lambda authorizer, API key, IAM)',
    document: `swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /accounts:
    get:
      security: [{ lambdaAuth: [] }]
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:lambda }
  /keys:
    post:
      security: [{ api_key: [] }, { sigv4: [] }]
      responses:
        '201': { description: created }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:lambda }
securityDefinitions:
  lambdaAuth:
    type: apiKey
    name: Authorization
    in: header
    x-amazon-apigateway-authtype: custom
    x-amazon-apigateway-authorizer: { type: token, authorizerUri: arn:auth }
  api_key: { type: apiKey, name: x-api-key, in: header }
  sigv4:
    type: apiKey
    name: Authorization
    in: header
    x-amazon-apigateway-authtype: awsSigv4
x-amazon-apigateway-gateway-responses:
  ACCESS_DENIED:
    responseTemplates: { application/json: '{"message":"denied"}' }
  UNAUTHORIZED: { statusCode: '401' }
`,
    options: { mtlsEverywhere: true },
    errors: [
      {
        path: ['paths'],
        line: 3,
        message:
          'GET /accounts and 1 more mTLS-secured operation (mtls.everywhere, the first) are served by an API Gateway REST API that answers 403 for any request to a resource or method the REST API does not define: gateway response MISSING_AUTHENTICATION_TOKEN is left at its default status',
      },
      {
        path: ['securityDefinitions', 'lambdaAuth', 'x-amazon-apigateway-authorizer'],
        line: 22,
        message:
          "GET /accounts (mtls.everywhere) is served by an API Gateway REST API that answers 403 when its Lambda authorizer 'lambdaAuth' (x-amazon-apigateway-authorizer) denies the request: gateway response ACCESS_DENIED is left at its default status",
      },
      {
        path: ['securityDefinitions', 'api_key'],
        line: 23,
        message: "answers 403 when the API key of scheme 'api_key' (header x-api-key) is missing or invalid",
      },
      {
        path: ['securityDefinitions', 'sigv4', 'x-amazon-apigateway-authtype'],
        line: 28,
        message: 'gateway response EXPIRED_TOKEN is left at its default status',
      },
      {
        path: ['securityDefinitions', 'sigv4', 'x-amazon-apigateway-authtype'],
        line: 28,
        message: 'gateway response INVALID_SIGNATURE is left at its default status',
      },
    ],
  },
  {
    name: 'invalid: a resource policy and a Cognito authorizer both lead to ACCESS_DENIED: one finding, at the first cause',
    document: `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a:
    get:
      security: [{ cognito: [] }]
      responses:
        '200': { description: ok }
  /b:
    get:
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    cognito:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: [arn:pool] }
x-amazon-apigateway-policy:
  Version: '2012-10-17'
  Statement: [{ Effect: Deny, Principal: '*', Action: execute-api:Invoke, Resource: '*' }]
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 404 }
`,
    options: { mtlsEverywhere: true },
    errors: [
      {
        path: ['components', 'securitySchemes', 'cognito', 'x-amazon-apigateway-authorizer'],
        line: 19,
        message:
          "GET /a and 1 more mTLS-secured operation (mtls.everywhere, the first) are served by an API Gateway REST API that answers 403 when its Cognito authorizer 'cognito' (x-amazon-apigateway-authorizer) denies the request: gateway response ACCESS_DENIED",
      },
    ],
  },
  {
    name: 'valid: the 403 gateway responses are given another status (their own statusCode, or DEFAULT_4XX for every 4XX type)',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /a:
    get:
      security: [{ auth: [] }]
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:lambda }
components:
  securitySchemes:
    auth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer: { type: request, authorizerUri: arn:auth }
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX: { statusCode: '401' }
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'valid: an API Gateway HTTP API document (payloadFormatVersion, jwt authorizer) has no gateway responses',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /a:
    get:
      security: [{ jwt: [] }]
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:lambda, payloadFormatVersion: '2.0' }
components:
  securitySchemes:
    jwt:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer: { type: jwt, jwtConfiguration: { issuer: https://issuer } }
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'valid: x-mtls-fix-ignore on the gateway response of a default-403 type suppresses it; a document without API Gateway extensions has none',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: https://backend }
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN:
    x-mtls-fix-ignore: the app calls only the routes it knows
`,
    files: {},
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'valid: a greedy proxy resource and the root with ANY leave no route undefined (no MISSING_AUTHENTICATION_TOKEN); a REST sign wins over a stray HTTP API field',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /{proxy+}:
    x-amazon-apigateway-any-method:
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:lambda }
  /:
    x-amazon-apigateway-any-method:
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:lambda, passthroughBehavior: when_no_match, payloadFormatVersion: '1.0' }
`,
    options: { mtlsEverywhere: true },
    errors: [],
  },
  {
    name: 'invalid: with a greedy proxy, an AWS IAM method still meets MISSING_AUTHENTICATION_TOKEN (an unsigned request); an authorizer reading method.request is a REST API',
    document: `openapi: 3.0.1
info: { title: t, version: '1' }
paths:
  /{proxy+}:
    x-amazon-apigateway-any-method:
      security: [{ sigv4: [] }]
      responses:
        '200': { description: ok }
  /:
    x-amazon-apigateway-any-method:
      security: [{ custom: [] }]
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }
    custom:
      type: apiKey
      name: mykey
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        authorizerPayloadFormatVersion: '1.0'
        identitySource: method.request.header.mykey
x-amazon-apigateway-gateway-responses:
  EXPIRED_TOKEN: { statusCode: '401' }
  INVALID_SIGNATURE: { statusCode: '401' }
`,
    options: { mtlsEverywhere: true },
    errors: [
      {
        path: ['paths'],
        line: 3,
        message:
          'answers 403 for any request to a resource or method the REST API does not define, and for an unsigned request to an AWS IAM (SigV4) method',
      },
      {
        path: ['components', 'securitySchemes', 'custom', 'x-amazon-apigateway-authorizer'],
        line: 21,
        message:
          "ANY / (mtls.everywhere) is served by an API Gateway REST API that answers 403 when its Lambda authorizer 'custom'",
      },
    ],
  },
  {
    name: 'invalid: Kong plugins written as x-kong-plugin-* answer 403 (acl, ip-restriction without status, request-termination 403; the nearest enabled one counts)',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-kong-plugin-mtls-auth:
  config: { ca_certificates: [ca-1] }
x-kong-plugin-acl:
  config: { allow: [tpp] }
x-kong-plugin-ip-restriction:
  config: { allow: [10.0.0.0/8] }
paths:
  /accounts:
    x-kong-plugin-ip-restriction:
      config: { allow: [10.0.0.0/8], status: 401 }
    get:
      responses:
        '200': { description: ok }
  /maintenance:
    post:
      x-kong-plugin-acl: { enabled: false }
      x-kong-plugin-request-termination:
        config: { status_code: 403, message: closed }
      responses:
        '200': { description: ok }
`,
    errors: [
      {
        path: ['x-kong-plugin-acl'],
        line: 5,
        message:
          'GET /accounts and 1 more mTLS-secured operation (x-kong-plugin-mtls-auth on the root, the first) are served by Kong, whose acl plugin (x-kong-plugin-acl) answers 403 to a consumer outside its allowed groups',
      },
      {
        path: ['x-kong-plugin-ip-restriction'],
        line: 7,
        message:
          'POST /maintenance (x-kong-plugin-mtls-auth on the root) is served by Kong, whose ip-restriction plugin',
      },
      {
        path: ['paths', '/maintenance', 'post', 'x-kong-plugin-request-termination'],
        line: 19,
        message: 'set its config.status_code to 401',
      },
    ],
  },
  {
    name: 'valid: Kong plugins that answer another status, are disabled, or serve no mTLS-secured operation',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-kong-plugin-mtls-auth:
  config: { ca_certificates: [ca-1] }
x-kong-plugin-ip-restriction:
  config: { deny: [192.0.2.0/24], status: 404 }
paths:
  /a:
    get:
      x-kong-plugin-bot-detection: { enabled: false }
      x-kong-plugin-request-termination: { config: { status_code: 503 } }
      responses:
        '200': { description: ok }
  /public:
    get:
      x-mtls: false
      x-kong-plugin-acl: { config: { allow: [web] } }
      responses:
        '200': { description: ok }
`,
    errors: [],
  },
  {
    name: 'invalid: a Kong plugin written as a $ref to a reusable configuration (components.x-kong.plugins) is read through it',
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-kong-plugin-mtls-auth:
  config: { ca_certificates: [ca-1] }
paths:
  /accounts:
    get:
      x-kong-plugin-acl:
        $ref: '#/components/x-kong/plugins/tpp-only'
      responses:
        '200': { description: ok }
components:
  x-kong:
    plugins:
      tpp-only:
        name: acl
        config: { allow: [tpp] }
`,
    errors: [
      {
        path: ['paths', '/accounts', 'get', 'x-kong-plugin-acl'],
        line: 8,
        message: 'whose acl plugin (x-kong-plugin-acl) answers 403 to a consumer outside its allowed groups',
      },
    ],
  },
  {
    name: "invalid: a Kong plugin on a $ref'd path item is reported where it is written, in the path item's file",
    document: `openapi: 3.0.3
info: { title: t, version: '1' }
x-kong-plugin-mtls-auth:
  config: { ca_certificates: [ca-1] }
paths:
  /accounts:
    $ref: 'paths/accounts.yaml'
`,
    files: {
      'paths/accounts.yaml': `x-kong-plugin-acl:
  config: { allow: [tpp] }
get:
  responses:
    '200': { description: ok }
`,
    },
    errors: [
      {
        file: 'paths/accounts.yaml',
        path: ['x-kong-plugin-acl'],
        line: 1,
        message: 'GET /accounts (x-kong-plugin-mtls-auth on the root) is served by Kong, whose acl plugin',
      },
    ],
  },
]);
