import { describe, expect, it } from 'vitest';
import { mayHoldSite } from '../../src/migrate/prefilter.js';

describe('mayHoldSite', () => {
  it.each([
    ['Encore.ts', "throw APIError.permissionDenied('admins only');"],
    ['Encore.ts ErrCode', 'new APIError(ErrCode.PermissionDenied, m)'],
    ['gRPC', 'callback({ code: status.PERMISSION_DENIED })'],
    ['Connect', 'new ConnectError(m, Code.PermissionDenied)'],
    ['Oak', 'ctx.throw(Status.Forbidden)'],
    ['Adonis', 'response.forbidden()'],
    ['number', 'res.status(403)'],
    ['a pass-through status', 'res.status(err.status || 500).json({ message: err.message })'],
    ['an upstream status', 'reply.code(upstream.statusCode).send(body)'],
    ['a status from a variable', 'res.writeHead(code, headers)'],
    ['a Koa status assignment', 'ctx.status = e.status;'],
    ['a status code assignment', 'res.statusCode = result.status;'],
    ['a proxy', "const { createProxyMiddleware } = require('http-proxy-middleware');"],
    ['a middleware that answers 403', "import ip from 'koa-ip';"],
    ['a name carrying the number', 'this.throw403();'],
    ['Ghost NoPermissionError', "throw new errors.NoPermissionError({ message: 'no' });"],
    ['Strapi PolicyError', "throw new PolicyError('no');"],
    ['a Strapi policy', 'module.exports = (policyContext, config) => false;'],
    ['an AdonisJS bouncer import', "import { BasePolicy } from '@adonisjs/bouncer';"],
    ['an Egg.js config', 'module.exports = appInfo => ({ keys: appInfo.name });'],
    ['an Egg.js plain exports config', "exports.keys = 'k';"],
  ])('parses a file holding %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(true);
  });

  it.each([
    ['no status', 'res.status(200)'],
    ['a longer number', 'const port = 4030;'],
    [
      'literal statuses only',
      "res.status(200).json(x); res.sendStatus(404); res.statusCode = 201; ctx.status = '204';",
    ],
    ['a status read, not set', 'if (res.status === 500) retry(); const ok = res.statusCode == 200;'],
    ['a local named status', 'const status = compute(); let statusCode = 0;'],
  ])('skips a file with %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(false);
  });
});
