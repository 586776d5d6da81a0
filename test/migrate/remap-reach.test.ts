import { describe, expect, it } from 'vitest';
import { checkRunner, covered, manual } from '../helpers/remap-check.js';

// remaps36: the review of session 35's "Covered by a remap". (1) A remap covers a site by the site's structured
// remap layer (Site.remapLayers), never by the advice's wording; (2) only a remap that reaches the site covers it
// (Express: error middleware after the site; Koa: middleware upstream; Fastify: the route's instance or an
// ancestor; hapi: sandbox 'plugin'); (3) a gateway response covers only the authorizers of its own REST API.
const run = checkRunner();

describe('fault 1: coverage is matched on the site remap layer, not on the advice wording', () => {
  it('an Express error middleware does not cover express-acl, which answers res.status(403) itself', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { express: '4', 'express-acl': '1' } }),
      'app.js': `const express = require('express');
const acl = require('express-acl');
const app = express();
app.use(acl.authorize);
app.get('/', (req, res) => res.send('ok'));
app.use((err, req, res, next) => { if (err.status === 403) return res.status(401).end(); next(err); });
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([expect.stringMatching(/^app\.js:2 Implicit 403: express-acl/)]);
  });

  it('setErrorHandler covers fastify-guard, whose advice never says "error handler"', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { fastify: '4', 'fastify-guard': '2' } }),
      'app.js': `const fastify = require('fastify')();
const guard = require('fastify-guard');
fastify.register(guard);
fastify.setErrorHandler((error, request, reply) => { reply.code(error.statusCode === 403 ? 401 : 500).send(error); });
`,
    });
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toEqual([
      expect.stringMatching(/^app\.js:2 Covered by the setErrorHandler remap at app\.js:4/),
    ]);
  });

  it('an ACCESS_DENIED gateway response does not cover an HTTP API authorizer (HTTP APIs have no gateway responses)', async () => {
    const report = await run({
      'package.json': '{"name":"s"}',
      'auth.js': `module.exports.handler = async (event) => ({ isAuthorized: event.headers.authorization === 'x' && event.routeArn !== '' });
`,
      'serverless.yml': `service: s
provider:
  name: aws
functions:
  auth:
    handler: auth.handler
  list:
    handler: list.handler
    events:
      - http: { path: items, method: get, authorizer: auth }
resources:
  Resources:
    Denied:
      Type: AWS::ApiGateway::GatewayResponse
      Properties:
        ResponseType: ACCESS_DENIED
        StatusCode: '401'
        RestApiId:
          Ref: ApiGatewayRestApi
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(/^auth\.js:1 Implicit 403.*HTTP API Lambda authorizer/),
    ]);
  });
});

describe('fault 2: only a remap that reaches the site covers it', () => {
  const CSURF = JSON.stringify({ dependencies: { express: '4', csurf: '1' } });
  it('Express: an error middleware registered before the routes does not cover them, and says why', async () => {
    const report = await run({
      'package.json': CSURF,
      'app.js': `const express = require('express');
const csurf = require('csurf');
const app = express();
app.use((err, req, res, next) => { if (err.code === 'EBADCSRFTOKEN') return res.status(401).send('no'); next(err); });
app.use(csurf());
app.get('/', (req, res) => res.send('ok'));
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(
        /^app\.js:5 Implicit 403.*The error middleware remap at app\.js:4 does not reach this 403: it is registered before this 403's middleware or route \(line 5\) on app/,
      ),
    ]);
  });

  it('Express: csurf on a router mounted on the app before the error middleware is covered; on one mounted after, not', async () => {
    const app = (order: 'before' | 'after') => `const express = require('express');
const csurf = require('csurf');
const app = express();
const router = express.Router();
router.post('/form', csurf(), (req, res) => res.send('ok'));
${order === 'before' ? "app.use('/x', router);\n" : ''}app.use((err, req, res, next) => { if (err.code === 'EBADCSRFTOKEN') return res.status(401).send('no'); next(err); });
${order === 'after' ? "app.use('/x', router);\n" : ''}`;
    const good = await run({ 'package.json': CSURF, 'app.js': app('before') });
    expect(manual(good)).toEqual([]);
    expect(covered(good)).toEqual([
      expect.stringMatching(/^app\.js:5 Covered by the error middleware remap at app\.js:7/),
    ]);
    const bad = await run({ 'package.json': CSURF, 'app.js': app('after') });
    expect(covered(bad)).toEqual([]);
    expect(manual(bad)).toEqual([expect.stringMatching(/does not reach this 403: it is registered before/)]);
  });

  it('Express: a site in another file is not covered when project routes are mounted after the error middleware', async () => {
    const report = await run({
      'package.json': CSURF,
      'routes.js': `const express = require('express');
const csurf = require('csurf');
const router = express.Router();
router.use(csurf());
module.exports = router;
`,
      'app.js': `const express = require('express');
const app = express();
app.use((err, req, res, next) => { if (err.code === 'EBADCSRFTOKEN') return res.status(401).send('no'); next(err); });
app.use(require('./routes'));
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([expect.stringMatching(/^routes\.js:4 .*does not reach this 403/)]);
  });

  it('Koa: a try/catch middleware registered after the CSRF middleware does not cover it', async () => {
    const report = await run({
      'package.json': JSON.stringify({ dependencies: { koa: '2', 'koa-csrf': '5' } }),
      'app.js': `const Koa = require('koa');
const CSRF = require('koa-csrf');
const app = new Koa();
app.use(new CSRF());
app.use(async (ctx, next) => { try { await next(); } catch (err) { if (err.status === 403) err.status = 401; throw err; } });
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(
        /^app\.js:2 Implicit 403: koa-csrf.*does not reach this 403: it is registered after this 403's middleware \(line 4\) on app/,
      ),
    ]);
  });

  it('Fastify: setErrorHandler in a sibling plugin does not cover the route; in its own plugin it does', async () => {
    const app = (same: boolean) => `const fastify = require('fastify')();
fastify.register(async function errors(instance) {
  instance.setErrorHandler((error, request, reply) => { reply.code(error.statusCode === 403 ? 401 : 500).send(error); });
  ${same ? "instance.register(require('@fastify/csrf-protection'));" : ''}
});
fastify.register(async function forms(instance) {
  ${same ? '' : "instance.register(require('@fastify/csrf-protection'));"}
});
`;
    const PACKAGE = JSON.stringify({ dependencies: { fastify: '4', '@fastify/csrf-protection': '6' } });
    const sibling = await run({ 'package.json': PACKAGE, 'app.js': app(false) });
    expect(covered(sibling)).toEqual([]);
    expect(manual(sibling)).toEqual([
      expect.stringMatching(/does not reach this 403: it is set inside an encapsulated plugin/),
    ]);
    const own = await run({ 'package.json': PACKAGE, 'app.js': app(true) });
    expect(manual(own)).toEqual([]);
    expect(covered(own)).toHaveLength(1);
  });

  // A hapi server that registers crumb, then a plugin ./remap whose text is `remap`.
  const hapiProject = (remap: string) => ({
    'package.json': JSON.stringify({ dependencies: { '@hapi/hapi': '21.3.0', '@hapi/crumb': '9.0.1' } }),
    'server.js': `const Hapi = require('@hapi/hapi');
const Crumb = require('@hapi/crumb');
const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register({ plugin: Crumb, options: { restful: true } });
  await server.register(require('./remap'));
};
init();
`,
    'remap.js': remap,
  });

  it("hapi: an onPreResponse added with sandbox: 'plugin' in another plugin does not cover crumb", async () => {
    const report = await run(
      hapiProject(`exports.plugin = { name: 'remap', register(server) {
  server.ext('onPreResponse', (request, h) => { const r = request.response; if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = 401; return h.continue; }, { sandbox: 'plugin' });
} };
`),
    );
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([expect.stringMatching(/^server\.js:2 .*sandbox: 'plugin'/)]);
  });

  // Review of session 38 (rv-remaps): session 38 read `server.ext({ type, method })`'s shorthand `method`, but its
  // options were still read only when written in place, so options held by a local, or given by a parameter,
  // read as no sandbox and the remap covered crumb in another plugin.
  const hapiRemap = (ext: string) =>
    hapiProject(`const fn = (request, h) => { const r = request.response; if (r.isBoom && r.output.statusCode === 403) r.output.statusCode = 401; return h.continue; };
exports.plugin = { name: 'remap', register(server, settings) {
  ${ext}
} };
`);

  it.each([
    ['a local', `const opts = { sandbox: 'plugin' };\n  server.ext('onPreResponse', fn, opts);`],
    [
      'a shorthand',
      `const options = { sandbox: 'plugin' };\n  server.ext({ type: 'onPreResponse', method: fn, options });`,
    ],
    ['a local sandbox', `const mode = 'plugin';\n  server.ext('onPreResponse', fn, { sandbox: mode });`],
  ])("hapi: sandbox: 'plugin' given through %s does not cover crumb either", async (_, ext) => {
    const report = await run(hapiRemap(ext));
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(/^server\.js:2 .*sandbox: 'plugin', for the routes/),
    ]);
  });

  it('hapi: options mtls-fix cannot read do not cover, and are named', async () => {
    const report = await run(hapiRemap(`server.ext('onPreResponse', fn, settings.ext);`));
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(
        /^server\.js:2 .*mtls-fix cannot read its options \(settings\.ext\), so cannot tell whether sandbox: 'plugin'/,
      ),
    ]);
  });

  it("hapi: options held by a local without sandbox: 'plugin' still cover", async () => {
    const report = await run(
      hapiRemap(`const opts = { sandbox: 'server' };\n  server.ext('onPreResponse', fn, opts);`),
    );
    expect(manual(report)).toEqual([]);
    expect(covered(report)).toHaveLength(1);
  });
});

const AUTHORIZER = `module.exports.handler = async (event) => {
  const ok = event.authorizationToken === 'x';
  return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: event.methodArn }] } };
};
`;

describe('fault 3: a gateway response covers only the authorizers of its own REST API', () => {
  const cloudFormation = (responseApi: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  PublicApi:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: public }
  MtlsApi:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: mtls }
  AuthFunction:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: auth.handler, Runtime: nodejs18.x }
  MtlsAuthorizer:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref MtlsApi
      Type: TOKEN
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFunction.Arn}/invocations
  Denied:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref ${responseApi}
      ResponseType: ACCESS_DENIED
      StatusCode: '401'
`;
  it('CloudFormation: ACCESS_DENIED on the other REST API does not cover; on the authorizer API it does', async () => {
    const other = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': cloudFormation('PublicApi'),
    });
    expect(covered(other)).toEqual([]);
    expect(manual(other)).toEqual([
      expect.stringMatching(/The REST API MtlsApi that runs this authorizer has no ACCESS_DENIED/),
    ]);
    const own = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': cloudFormation('MtlsApi'),
    });
    expect(manual(own)).toEqual([]);
    expect(covered(own)).toEqual([
      expect.stringMatching(/^auth\.js:3 Covered by the ACCESS_DENIED gateway response at template\.yaml:23/),
    ]);
  });

  it('SAM: GatewayResponses on one AWS::Serverless::Api do not cover the authorizer of another', async () => {
    const sam = (withResponses: 'Public' | 'Mtls') => `Transform: AWS::Serverless-2016-10-31
Resources:
  Public:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
${withResponses === 'Public' ? "      GatewayResponses:\n        ACCESS_DENIED:\n          StatusCode: '401'\n" : ''}  Mtls:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
${withResponses === 'Mtls' ? "      GatewayResponses:\n        ACCESS_DENIED:\n          StatusCode: '401'\n" : ''}      Auth:
        DefaultAuthorizer: Tok
        Authorizers:
          Tok:
            FunctionArn: !GetAtt AuthFunction.Arn
  AuthFunction:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: auth.handler, Runtime: nodejs18.x }
`;
    const other = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': sam('Public'),
    });
    expect(covered(other)).toEqual([]);
    expect(manual(other)).toEqual([
      expect.stringMatching(/The REST API Mtls that runs this authorizer has no ACCESS_DENIED/),
    ]);
    const own = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': sam('Mtls'),
    });
    expect(manual(own)).toEqual([]);
  });

  it('serverless.yml: a response for another API of resources does not cover the service API authorizer', async () => {
    const report = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'serverless.yml': `service: s
provider:
  name: aws
functions:
  auth:
    handler: auth.handler
  list:
    handler: list.handler
    events:
      - http: { path: items, method: get, authorizer: auth }
resources:
  Resources:
    AdminApi:
      Type: AWS::ApiGateway::RestApi
      Properties: { Name: admin }
    Denied:
      Type: AWS::ApiGateway::GatewayResponse
      Properties:
        ResponseType: ACCESS_DENIED
        StatusCode: '401'
        RestApiId:
          Ref: AdminApi
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(/The REST API ApiGatewayRestApi that runs this authorizer has no ACCESS_DENIED/),
    ]);
  });

  it('Terraform: a response on another aws_api_gateway_rest_api does not cover; on the authorizer API it does', async () => {
    const tf = (api: string) => `resource "aws_api_gateway_rest_api" "public" { name = "public" }
resource "aws_api_gateway_rest_api" "mtls" { name = "mtls" }
resource "aws_lambda_function" "auth" {
  function_name = "auth"
  handler       = "auth.handler"
  runtime       = "nodejs18.x"
  filename      = "auth.zip"
  role          = "arn:aws:iam::1:role/x"
}
resource "aws_api_gateway_authorizer" "tok" {
  name           = "tok"
  rest_api_id    = aws_api_gateway_rest_api.mtls.id
  authorizer_uri = aws_lambda_function.auth.invoke_arn
}
resource "aws_api_gateway_gateway_response" "denied" {
  rest_api_id   = aws_api_gateway_rest_api.${api}.id
  response_type = "ACCESS_DENIED"
  status_code   = "401"
}
`;
    const other = await run({
      'package.json': '{"name":"s"}',
      'src/auth.js': AUTHORIZER,
      'infra/main.tf': tf('public'),
    });
    expect(covered(other)).toEqual([]);
    expect(manual(other)).toEqual([
      expect.stringMatching(/The REST API mtls that runs this authorizer has no ACCESS_DENIED/),
    ]);
    const own = await run({
      'package.json': '{"name":"s"}',
      'src/auth.js': AUTHORIZER,
      'infra/main.tf': tf('mtls'),
    });
    expect(manual(own)).toEqual([]);
  });

  it('CDK: addGatewayResponse on the other RestApi does not cover; on the API whose method uses the authorizer it does', async () => {
    const stack = (api: string) => `import * as path from 'path';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
export function wire(scope: never) {
  const publicApi = new apigateway.RestApi(scope, 'public');
  const mtlsApi = new apigateway.RestApi(scope, 'mtls');
  const authFn = new lambda.Function(scope, 'auth', { runtime: lambda.Runtime.NODEJS_18_X, handler: 'auth.handler', code: lambda.Code.fromAsset(path.join(__dirname, '..', 'lambda')) });
  const tok = new apigateway.TokenAuthorizer(scope, 'tok', { handler: authFn });
  const items = mtlsApi.root.addResource('items');
  items.addMethod('GET', undefined, { authorizer: tok });
  publicApi.root.addMethod('GET');
  ${api}.addGatewayResponse('denied', { type: apigateway.ResponseType.ACCESS_DENIED, statusCode: '401' });
}
`;
    const other = await run({
      'package.json': '{"name":"s"}',
      'lambda/auth.js': AUTHORIZER,
      'lib/stack.ts': stack('publicApi'),
    });
    expect(covered(other)).toEqual([]);
    expect(manual(other)).toEqual([
      expect.stringMatching(/The REST API mtlsApi that runs this authorizer has no ACCESS_DENIED/),
    ]);
    const own = await run({
      'package.json': '{"name":"s"}',
      'lambda/auth.js': AUTHORIZER,
      'lib/stack.ts': stack('mtlsApi'),
    });
    expect(manual(own)).toEqual([]);
  });

  it('an authorizer no API is read to run is not covered, and the reason says why', async () => {
    const report = await run({
      'package.json': '{"name":"s"}',
      'auth.js': AUTHORIZER,
      'template.yaml': `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Denied:
    Type: AWS::ApiGateway::GatewayResponse
    Properties: { RestApiId: !Ref Api, ResponseType: ACCESS_DENIED, StatusCode: '401' }
`,
    });
    expect(covered(report)).toEqual([]);
    expect(manual(report)).toEqual([
      expect.stringMatching(/mtls-fix cannot tell which REST API runs this authorizer/),
    ]);
  });
});
