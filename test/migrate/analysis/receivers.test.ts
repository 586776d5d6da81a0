import { describe, expect, it } from 'vitest';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import { Receivers } from '../../../src/migrate/analysis/receivers.js';
import { snippet, ts } from './parse.js';

function receiverOf(text: string, member: string) {
  const s = snippet(text);
  const access = s.find(member, ts.isPropertyAccessExpression);
  return new Receivers(new FileImports(s.sourceFile)).receiver(access.expression);
}

describe('analysis/receivers', () => {
  it('a typed parameter is what its type module says', () => {
    const text = `import type { Response } from 'express';\nfunction h(req, out: Response) { out.status(403); }`;
    expect(receiverOf(text, 'out.status')).toEqual({
      kind: 'response',
      root: 'out',
      path: [],
      typeModule: 'express',
    });
  });

  it('a type from another module, or the Fetch API Response, is not a server response', () => {
    expect(
      receiverOf(
        `import type { AxiosResponse } from 'axios';\nfunction h(res: AxiosResponse) { res.status; }`,
        'res.status',
      ),
    ).toBeUndefined();
    expect(receiverOf(`function h(res: Response) { res.status; }`, 'res.status')).toBeUndefined();
  });

  it('an untyped receiver is known by its name, through chains and property paths', () => {
    expect(
      receiverOf(`function h(req, res) { res.set('a', 'b').status(403); }`, `res.set('a', 'b').status`),
    ).toEqual({
      kind: 'response',
      root: 'res',
      path: [],
    });
    expect(receiverOf(`async (ctx) => { ctx.response.status = 403; }`, 'ctx.response.status')).toEqual({
      kind: 'koa',
      root: 'ctx',
      path: ['response'],
    });
    expect(receiverOf(`function h(x) { x.status(403); }`, 'x.status')).toBeUndefined();
  });

  it('an untyped parameter of a route handler is what the framework passes at its position', () => {
    const express = `import express from 'express';\nconst app = express();\napp.get('/a', (q, s) => s.status(403));`;
    expect(receiverOf(express, 's.status')?.kind).toBe('response');
    const errorHandler = `import express from 'express';\napp.use('/a', (e, q, s, n) => s.status(403));`;
    expect(receiverOf(errorHandler, 's.status')?.kind).toBe('response');
    const koa = `import Router from '@koa/router';\nrouter.get('/a', (k) => { k.status = 403; });`;
    expect(receiverOf(koa, 'k.status')?.kind).toBe('koa');
    const fastify = `import Fastify from 'fastify';\napp.get('/a', (q, r) => r.code(403));`;
    expect(receiverOf(fastify, 'r.code')?.kind).toBe('reply');
    const hapi = `import Hapi from '@hapi/hapi';\nserver.route({ handler: (q, t) => t.response().code(403) });`;
    expect(receiverOf(hapi, 't.response')?.kind).toBe('hapi');
    // Not a route registration: the name decides, and `s` means nothing.
    expect(
      receiverOf(`import express from 'express';\nlist.map((q, s) => s.status(403));`, 's.status'),
    ).toBeUndefined();
  });
});
