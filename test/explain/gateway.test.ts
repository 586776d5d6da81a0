import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';

/**
 * Session 26: `explain` on an API Gateway or Kong document. On bb195d3 it listed only documented 403 keys, so an
 * operation lint reports for a gateway response (ACCESS_DENIED left at its default 403, a gateway response set to
 * 403, an integration response answering 403, a Kong plugin) read as if nothing answered 403 there.
 */
const AWS = `openapi: 3.0.1
info: {title: claims, version: "1"}
x-mtls: true
x-amazon-apigateway-gateway-responses:
  DEFAULT_5XX:
    statusCode: 403
  MISSING_AUTHENTICATION_TOKEN:
    statusCode: '0623'
paths:
  /claims:
    get:
      security: [{lambda: []}]
      responses:
        '200': {description: ok}
        '401': {description: no}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:x
        responses:
          '.*Denied.*':
            statusCode: 4_03
components:
  securitySchemes:
    lambda:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer: {type: token, authorizerUri: arn:x}
`;

const KONG = `openapi: 3.0.1
info: {title: k, version: "1"}
x-mtls: true
paths:
  /a:
    x-kong-plugin-acl:
      config: {allow: [admins]}
    get:
      responses:
        '200': {description: ok}
  /b:
    get:
      x-mtls: false
      responses:
        '200': {description: ok}
`;

interface Explained {
  documents: { operations: { method: string; path: string; gateway403?: string[] }[] }[];
}

describe('explain names the 403s a gateway answers', () => {
  it('API Gateway: integration response, gateway response, default gateway responses, a status that is none', async () => {
    const cwd = tempProject({ 'openapi.yaml': AWS });
    const run = await runCliAsync(['explain', '--json', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(0);
    const [operation] = (JSON.parse(run.stdout) as Explained).documents[0].operations;
    expect(operation.gateway403).toEqual([
      'the API Gateway integration response ".*Denied.*" (statusCode 4_03) answers 403 (openapi.yaml:22)',
      'the API Gateway gateway response DEFAULT_5XX (statusCode 403) answers 403 on every method (openapi.yaml:6)',
      'the API Gateway gateway response MISSING_AUTHENTICATION_TOKEN, left at its default status, answers 403 for ' +
        "any request to a resource or method the REST API does not define (openapi.yaml:9); the statusCode of MISSING_AUTHENTICATION_TOKEN, '0623' (openapi.yaml:8), is no HTTP status",
      'the API Gateway gateway response ACCESS_DENIED, left at its default status, answers 403 when its Lambda ' +
        "authorizer 'lambda' (x-amazon-apigateway-authorizer) denies the request (openapi.yaml:29)",
    ]);
    const human = await runCliAsync(['explain', 'openapi.yaml'], { cwd });
    expect(human.stdout).toContain(
      '  mTLS  GET /claims\n        403 from the gateway: the API Gateway integration response ".*Denied.*"',
    );
    expect(human.stdout.match(/403 from the gateway: /g)).toHaveLength(4);
  });

  it('Kong: a plugin answering 403 on the mTLS-secured operation, not on one opted out', async () => {
    const cwd = tempProject({ 'openapi.yaml': KONG });
    const run = await runCliAsync(['explain', '--json', 'openapi.yaml'], { cwd });
    const operations = (JSON.parse(run.stdout) as Explained).documents[0].operations;
    expect(operations.map((operation) => [operation.path, operation.gateway403?.length ?? 0])).toEqual([
      ['/a', 1],
      ['/b', 0],
    ]);
    expect(operations[0].gateway403?.[0]).toMatch(/^the Kong acl plugin answers 403 .* \(openapi\.yaml:6\)$/);
  });

  // Session 29: the four phrases began "its API Gateway ...", "the API Gateway ...", "API Gateway answers ...",
  // "the Kong ..."; each now names what answers 403 first, the same way.
  it('every phrase starts with what answers 403 ("the ...")', async () => {
    const cwd = tempProject({ 'aws.yaml': AWS, 'kong.yaml': KONG });
    const run = await runCliAsync(['explain', '--json', 'aws.yaml', 'kong.yaml'], { cwd });
    const phrases = (JSON.parse(run.stdout) as Explained).documents.flatMap((document) =>
      document.operations.flatMap((operation) => operation.gateway403 ?? []),
    );
    expect(phrases).toHaveLength(5);
    for (const phrase of phrases) expect(phrase).toMatch(/^the (API Gateway|Kong) /);
  });
});
