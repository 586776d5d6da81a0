import { describe, expect, it } from 'vitest';
import { lambdaMtlsGuard, type LambdaHandler } from '../../src/runtime/index.js';

/**
 * Events as API Gateway and ALB deliver them to a Lambda proxy integration behind a custom domain / listener with
 * mutual TLS (AWS: API Gateway "Configuring mutual TLS authentication for a REST API" and "... for an HTTP API";
 * Elastic Load Balancing "Mutual authentication with TLS"), and the same without a client certificate.
 */
const CERT = {
  clientCertPem: '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----',
  subjectDN: 'CN=ios-device-42',
  issuerDN: 'CN=Bank Device CA',
  serialNumber: '1a:2b',
  validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2031 GMT' },
};
const EVENTS: Record<string, { event: object; presented: boolean }> = {
  'REST API (payload 1.0) with requestContext.identity.clientCert': {
    event: {
      httpMethod: 'GET',
      path: '/accounts',
      headers: {},
      requestContext: { identity: { clientCert: CERT } },
    },
    presented: true,
  },
  'HTTP API (payload 2.0) with requestContext.authentication.clientCert': {
    event: {
      version: '2.0',
      rawPath: '/accounts',
      headers: {},
      requestContext: { authentication: { clientCert: CERT } },
    },
    presented: true,
  },
  'ALB verify mode (X-Amzn-Mtls-Clientcert-Leaf)': {
    event: { httpMethod: 'GET', path: '/x', headers: { 'x-amzn-mtls-clientcert-leaf': '-----BEGIN%20CERT' } },
    presented: true,
  },
  'ALB passthrough mode, multi-value headers (X-Amzn-Mtls-Clientcert)': {
    event: {
      httpMethod: 'GET',
      path: '/x',
      multiValueHeaders: { 'X-Amzn-Mtls-Clientcert': ['-----BEGIN%20CERT'] },
    },
    presented: true,
  },
  'REST API on the default execute-api endpoint (no client certificate)': {
    event: {
      httpMethod: 'GET',
      path: '/accounts',
      headers: {},
      requestContext: { identity: { clientCert: null } },
    },
    presented: false,
  },
  'HTTP API without mTLS': {
    event: { version: '2.0', rawPath: '/accounts', headers: {}, requestContext: { authentication: null } },
    presented: false,
  },
};

const forbidden = {
  statusCode: 403,
  headers: { 'content-type': 'application/json' },
  body: '{"error":"denied"}',
};

describe('lambdaMtlsGuard: a 403 result to a client that presented a certificate gets the agreed status', () => {
  for (const [name, { event, presented }] of Object.entries(EVENTS)) {
    it(`${name}: ${presented ? 'remapped' : 'left as it is'} (promise and callback handlers)`, async () => {
      const options = { status: 401, wwwAuthenticate: 'Bearer' };
      const asyncHandler: LambdaHandler<object, object, typeof forbidden> = () => Promise.resolve(forbidden);
      const fromPromise = await lambdaMtlsGuard(asyncHandler, options)(event, {}, () => undefined);
      const callbackHandler: LambdaHandler<object, object, typeof forbidden> = (_e, _c, callback) => {
        callback(null, forbidden);
      };
      const fromCallback = await new Promise((resolve, reject) => {
        const returned = lambdaMtlsGuard(callbackHandler, options)(event, {}, (error, result) =>
          error ? reject(error instanceof Error ? error : new Error('callback error')) : resolve(result),
        );
        expect(returned).toBeUndefined();
      });
      const expected = presented
        ? {
            statusCode: 401,
            headers: { 'content-type': 'application/json', 'WWW-Authenticate': 'Bearer' },
            body: '{"error":"denied"}',
          }
        : forbidden;
      expect(fromPromise).toEqual(expected);
      expect(fromCallback).toEqual(expected);
      // The handler's own result object is never mutated.
      expect(forbidden.statusCode).toBe(403);
    });
  }

  it('ALB results: a string statusCode and the statusDescription follow; an existing challenge is kept', async () => {
    const handler: LambdaHandler<object, object, object> = () =>
      Promise.resolve({
        statusCode: '403',
        statusDescription: '403 Forbidden',
        multiValueHeaders: { 'WWW-Authenticate': ['Bearer realm="bank"'] },
        body: 'no',
      });
    const result = await lambdaMtlsGuard(handler, { status: 401, wwwAuthenticate: 'Bearer' })(
      EVENTS['ALB verify mode (X-Amzn-Mtls-Clientcert-Leaf)'].event,
      {},
      () => undefined,
    );
    expect(result).toEqual({
      statusCode: '401',
      statusDescription: '401 Unauthorized',
      multiValueHeaders: { 'WWW-Authenticate': ['Bearer realm="bank"'] },
      body: 'no',
    });
  });

  it('other statuses, errors and non-object results pass through; 404 as the agreed status adds no challenge', async () => {
    const event = EVENTS['HTTP API (payload 2.0) with requestContext.authentication.clientCert'].event;
    const ok = { statusCode: 200, body: 'ok' };
    expect(
      await lambdaMtlsGuard(() => Promise.resolve(ok), { status: 401 })(event, {}, () => undefined),
    ).toBe(ok);
    expect(
      await lambdaMtlsGuard(() => Promise.resolve('plain'), { status: 401 })(event, {}, () => undefined),
    ).toBe('plain');
    await expect(
      lambdaMtlsGuard(() => Promise.reject(new Error('boom')), { status: 401 })(event, {}, () => undefined),
    ).rejects.toThrow('boom');
    expect(
      await lambdaMtlsGuard(() => Promise.resolve({ statusCode: 403 }), {
        status: 404,
        wwwAuthenticate: 'Bearer',
      })(event, {}, () => undefined),
    ).toEqual({ statusCode: 404 });
  });

  it('trustHeader: a header a proxy in front sets counts as the signal, and only then', async () => {
    const handler = () => Promise.resolve({ statusCode: 403 });
    const guarded = lambdaMtlsGuard(handler, {
      status: 401,
      trustHeader: { name: 'X-SSL-Client-Verify', value: 'SUCCESS' },
    });
    expect(await guarded({ headers: { 'X-SSL-Client-Verify': 'SUCCESS' } }, {}, () => undefined)).toEqual({
      statusCode: 401,
    });
    expect(await guarded({ headers: { 'X-SSL-Client-Verify': 'NONE' } }, {}, () => undefined)).toEqual({
      statusCode: 403,
    });
  });

  it('a bad status throws when the guard is created, never on a request', () => {
    expect(() => lambdaMtlsGuard(() => Promise.resolve(undefined), { status: 403 })).toThrow(/status/);
  });
});
