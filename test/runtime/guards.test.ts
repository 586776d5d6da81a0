import type { IncomingMessage, ServerResponse } from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import 'reflect-metadata';
import { serve } from '@hono/node-server';
import {
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Module,
  UseGuards,
  type CanActivate,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MtlsGuardFilter,
  MtlsGuardInterceptor,
  expressMtlsGuard,
  fastifyMtlsGuard,
  honoMtlsGuard,
  koaMtlsGuard,
  withMtlsGuard,
  type MtlsGuardOptions,
} from '../../src/runtime/index.js';
import { makePki, request, serverTlsOptions, type TestPki, type TestResponse } from '../helpers/tls.js';

/**
 * Each framework serves three routes over real mutual TLS: `/forbidden` answers 403 from a handler (with a body
 * and a header of its own), `/thrown` answers 403 through the framework's error path, `/ok` answers 200.
 */
interface Started {
  port: number;
  close(): Promise<void>;
}
type Start = (pki: TestPki, options: MtlsGuardOptions) => Promise<Started>;

const BODY = 'forbidden-body';

function listening(server: https.Server | http2.Http2SecureServer): Promise<Started> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

const frameworks: Record<string, Start> = {
  'node https (withMtlsGuard)': (pki, options) =>
    listening(
      https.createServer(
        serverTlsOptions(pki),
        withMtlsGuard((req: IncomingMessage, res: ServerResponse) => {
          if (req.url === '/ok') {
            res.end('ok');
          } else if (req.url === '/thrown') {
            res.statusCode = 403;
            res.end(BODY);
          } else {
            res.writeHead(403, 'Forbidden', { 'x-kept': 'yes', 'content-type': 'text/plain' }).end(BODY);
          }
        }, options),
      ),
    ),
  express: async (pki, options) => {
    const app = express();
    app.use(expressMtlsGuard(options));
    app.get('/ok', (_req, res) => void res.send('ok'));
    app.get('/forbidden', (_req, res) => void res.status(403).set('x-kept', 'yes').send(BODY));
    app.get('/thrown', (_req, _res, next) =>
      next(Object.assign(new Error(BODY), { status: 403, expose: true })),
    );
    return listening(https.createServer(serverTlsOptions(pki), app));
  },
  koa: async (pki, options) => {
    const app = new Koa();
    app.use(koaMtlsGuard(options));
    app.use((ctx) => {
      if (ctx.path === '/ok') ctx.body = 'ok';
      else if (ctx.path === '/thrown') ctx.throw(403, BODY);
      else {
        ctx.status = 403;
        ctx.set('x-kept', 'yes');
        ctx.body = BODY;
      }
    });
    app.silent = true;
    const callback = app.callback();
    return listening(https.createServer(serverTlsOptions(pki), (req, res) => void callback(req, res)));
  },
  fastify: async (pki, options) => {
    const app = Fastify({ https: serverTlsOptions(pki) });
    await app.register(fastifyMtlsGuard, options);
    app.get('/ok', (_req, reply) => reply.send('ok'));
    app.get('/forbidden', async (_req, reply) => reply.code(403).header('x-kept', 'yes').send(BODY));
    app.get('/thrown', () => {
      throw Object.assign(new Error(BODY), { statusCode: 403 });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  },
  hono: async (pki, options) => {
    const app = new Hono();
    app.use(honoMtlsGuard(options));
    app.get('/ok', (c) => c.text('ok'));
    app.get('/forbidden', (c) => c.text(BODY, 403, { 'x-kept': 'yes' }));
    app.get('/thrown', () => {
      throw new HTTPException(403, { message: BODY });
    });
    return new Promise((resolve) => {
      const server = serve(
        {
          fetch: app.fetch,
          createServer: https.createServer,
          serverOptions: serverTlsOptions(pki),
          port: 0,
          hostname: '127.0.0.1',
        },
        (info) =>
          resolve({
            port: info.port,
            close: () => new Promise<void>((done) => server.close(() => done())),
          }),
      );
    });
  },
  nestjs: async (pki, options) => {
    class Deny implements CanActivate {
      canActivate(): boolean {
        return false;
      }
    }
    class AppController {
      ok(): string {
        return 'ok';
      }
      forbidden(): string {
        return BODY;
      }
      thrown(): never {
        throw new ForbiddenException(BODY);
      }
      guarded(): string {
        return 'never sent';
      }
    }
    const decorate = (name: keyof AppController, ...decorators: MethodDecorator[]): void => {
      const descriptor = Object.getOwnPropertyDescriptor(AppController.prototype, name)!;
      for (const decorator of decorators) decorator(AppController.prototype, name, descriptor);
    };
    decorate('ok', Get('ok'));
    decorate('forbidden', Get('forbidden'), HttpCode(403));
    decorate('thrown', Get('thrown'));
    decorate('guarded', Get('guarded'), UseGuards(new Deny()));
    Controller()(AppController);
    class AppModule {}
    Module({ controllers: [AppController] })(AppModule);
    const httpsOptions = {
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.ca,
      requestCert: true,
      rejectUnauthorized: false,
    };
    const app = await NestFactory.create(AppModule, { httpsOptions, logger: false });
    app.useGlobalFilters(new MtlsGuardFilter(options));
    app.useGlobalInterceptors(new MtlsGuardInterceptor(options));
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as https.Server;
    return { port: (server.address() as AddressInfo).port, close: () => app.close() };
  },
};

let pki: TestPki;
beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki?.cleanup());

describe.each(Object.entries(frameworks))('runtime guard over mutual TLS: %s', (_name, start) => {
  let server: Started;
  const options: MtlsGuardOptions = { status: 401, wwwAuthenticate: 'Bearer' };
  beforeAll(async () => {
    server = await start(pki, options);
  });
  afterAll(async () => server?.close());

  const get = (path: string, identity?: { cert: string; key: string }): Promise<TestResponse> =>
    request(pki, server.port, { path, identity });

  for (const path of ['/forbidden', '/thrown']) {
    it(`${path}: a client with a verified certificate gets 401 with the same body; others get 403`, async () => {
      const withCert = await get(path, pki.client);
      const without = await get(path);
      const stranger = await get(path, pki.stranger);
      expect(without.status).toBe(403);
      expect(stranger.status).toBe(403);
      expect(withCert.status).toBe(401);
      expect(withCert.statusText).toBe('Unauthorized');
      expect(withCert.headers['www-authenticate']).toBe('Bearer');
      expect(without.headers['www-authenticate']).toBeUndefined();
      expect(withCert.body).toBe(without.body);
      expect(withCert.body).toContain(BODY);
      expect(stranger.body).toBe(without.body);
      if (path === '/forbidden' && _name !== 'nestjs') {
        expect(withCert.headers['x-kept']).toBe('yes');
        expect(without.headers['x-kept']).toBe('yes');
      }
    });
  }

  it('leaves other statuses alone', async () => {
    const ok = await get('/ok', pki.client);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('ok');
    expect(ok.headers['www-authenticate']).toBeUndefined();
  });

  if (_name === 'nestjs') {
    it('a guard returning false (ForbiddenException before any interceptor) is remapped by the filter', async () => {
      const withCert = await get('/guarded', pki.client);
      const without = await get('/guarded');
      expect(without.status).toBe(403);
      expect(withCert.status).toBe(401);
      expect(withCert.body).toBe(without.body);
      expect(JSON.parse(withCert.body)).toMatchObject({ statusCode: 403, message: 'Forbidden resource' });
    });
  }
});

describe('runtime guard: node http2 compat', () => {
  it('remaps an implicit 403 for a client with a verified certificate only', async () => {
    const server = await listening(
      http2.createSecureServer(
        { ...serverTlsOptions(pki), allowHTTP1: false },
        withMtlsGuard(
          (_req, res) => {
            res.statusCode = 403;
            res.end(BODY);
          },
          { status: 404 },
        ),
      ),
    );
    const get = (identity?: { cert: string; key: string }): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const session = http2.connect(`https://127.0.0.1:${server.port}`, { ca: pki.ca, ...identity });
        session.on('error', reject);
        const stream = session.request({ ':path': '/' });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => {
          session.close();
          resolve({ status, body });
        });
        stream.on('error', reject);
      });
    try {
      expect(await get(pki.client)).toEqual({ status: 404, body: BODY });
      expect(await get()).toEqual({ status: 403, body: BODY });
    } finally {
      await server.close();
    }
  });
});

describe('runtime guard: trusted header (TLS ended at a proxy)', () => {
  it('counts the header only when the guard names it, and only with the named value', async () => {
    const listener = (_req: IncomingMessage, res: ServerResponse): void => {
      res.statusCode = 403;
      res.end(BODY);
    };
    const trusting = await listening(
      https.createServer(
        { key: pki.serverKey, cert: pki.serverCert },
        withMtlsGuard(listener, {
          status: 401,
          trustHeader: { name: 'X-SSL-Client-Verify', value: 'SUCCESS' },
        }),
      ),
    );
    const ignoring = await listening(
      https.createServer(
        { key: pki.serverKey, cert: pki.serverCert },
        withMtlsGuard(listener, { status: 401 }),
      ),
    );
    const send = (port: number, value?: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port,
            ca: pki.ca,
            agent: false,
            headers: value === undefined ? {} : { 'x-ssl-client-verify': value },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await send(trusting.port, 'SUCCESS')).toBe(401);
      expect(await send(trusting.port, 'NONE')).toBe(403);
      expect(await send(trusting.port, 'FAILED:unable to get issuer certificate')).toBe(403);
      expect(await send(trusting.port)).toBe(403);
      expect(await send(ignoring.port, 'SUCCESS')).toBe(403);
    } finally {
      await trusting.close();
      await ignoring.close();
    }
  });
});
