import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// A status slot that sends a project function's result (`const r = await updateItem(…); res.status(r.status)`,
// Linkwarden's Next.js API routes): the function is read (result-producers.ts), so the slot is not reported
// when no result is 403, and names the function and line when one is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(files: Record<string, string>): Promise<MigrateReport> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-rp-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { next: '*', hono: '*', express: '*' } }),
  );
  writeFileSync(
    path.join(cwd, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return (await migrate({ cwd, status: 401, mode: 'dry-run' })).report;
}

const CONTROLLERS = {
  // Only known statuses other than 403, in every return.
  'lib/getItem.ts':
    'export default async function getItem(id: number) {\n  if (!id) return { response: "bad id", status: 400 };\n  if (id < 0) return { response: "no", status: 401 };\n  return { response: { id }, status: 200 };\n}\n',
  // One return answers 403.
  'lib/updateItem.ts':
    'export async function updateItem(owner: boolean) {\n  if (!owner)\n    return {\n      response: "not yours",\n      status: 403,\n    };\n  return { response: "ok", status: 200 };\n}\n',
  // A return the analysis cannot know.
  'lib/proxyItem.ts':
    'import { upstream } from "./upstream";\nexport const proxyItem = async () => {\n  return await upstream();\n};\n',
  'lib/upstream.ts': 'export const upstream = async () => ({ status: Number(process.env.S), body: "" });\n',
  'lib/dashboard.ts':
    'export default async function dashboard() {\n  return { statusCode: 200, links: [] };\n}\n',
};

const ROUTE = `import type { NextApiRequest, NextApiResponse } from 'next';
import getItem from '@/lib/getItem';
import { updateItem } from '@/lib/updateItem';
import { proxyItem } from '@/lib/proxyItem';
import dashboard from '@/lib/dashboard';

function local(ok: boolean) {
  return ok ? { status: 200 } : { status: 404 };
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === 'GET') {
    const item = await getItem(Number(req.query.id));
    return res.status(item.status).json({ response: item.response });
  }
  if (req.method === 'PUT') {
    const updated = await updateItem(req.query.owner === 'me');
    return res.status(updated.status).json({ response: updated.response });
  }
  if (req.method === 'POST') {
    const proxied = await proxyItem();
    return res.status(proxied.status).end();
  }
  if (req.method === 'HEAD') {
    const { statusCode, ...data } = await dashboard();
    return res.status(statusCode).json(data);
  }
  if (req.method === 'PATCH') {
    const found = await getItem(1);
    return res.status(found?.status || 500).end();
  }
  // A call written in place is read too.
  if (req.method === 'OPTIONS') return res.status(local(true).status).end();
  if (req.method === 'TRACE') return res.status((await updateItem(false)).status).end();
  const checked = local(false);
  return res.status(checked.status).end();
}
`;

describe('a status slot that sends a function result', () => {
  it('is settled by what the function returns', async () => {
    const report = await run({ ...CONTROLLERS, 'pages/api/items.ts': ROUTE });
    const slots = report.sites
      .filter((s) => s.file === 'pages/api/items.ts')
      .map((s) => [s.line, s.reason?.slice(0, 60)]);
    expect(slots).toEqual([
      [18, "Sends the 'status' of updateItem() (lib/updateItem.ts), whic"],
      // The producer returns another call's result: still a dynamic status.
      [22, 'Dynamic status: it may pass a 403 through (e.g. from an upst'],
      // `(await updateItem(false)).status`: the call in place, read like a held one.
      [34, "Sends the 'status' of updateItem() (lib/updateItem.ts), whic"],
    ]);
    const named = report.sites.find((s) => s.line === 18 && s.file === 'pages/api/items.ts');
    expect(named?.reason).toBe(
      "Sends the 'status' of updateItem() (lib/updateItem.ts), which returns 403 at line 5: where that result answers an mTLS route, make it 401 there, or add a central remap.",
    );
    // The producer's own 403 is reported at its result object.
    expect(
      report.sites.filter((s) => s.file === 'lib/updateItem.ts').map((s) => [s.line, s.framework]),
    ).toEqual([[3, 'results']]);
  });

  it('stays dynamic when the holder may change (let) or is no call', async () => {
    const report = await run({
      ...CONTROLLERS,
      'pages/api/other.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import getItem from '@/lib/getItem';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  let item = await getItem(1);
  if (req.query.x) item = JSON.parse(String(req.query.x));
  const cached = req.body as { status: number };
  if (req.method === 'GET') return res.status(item.status).end();
  return res.status(cached.status).end();
}
`,
    });
    expect(report.sites.filter((s) => s.file === 'pages/api/other.ts').map((s) => s.line)).toEqual([7, 8]);
  });

  it('reads any key the slot sends, and passes over returns of nothing (checkCommonErrors-style)', async () => {
    // inbox-zero's shape: a function maps known errors to `{ type, message, code }` or returns null, and the
    // route's error handler sends `apiError.code`.
    const report = await run({
      'lib/errors.ts': `export function checkCommonErrors(error: unknown): { message: string; code: number } | null {
  if (error === 'rate') return { message: 'slow down', code: 429 };
  if (error === 'scope')
    return {
      message: 'grant every permission',
      code: 403,
    };
  if (error === 'gone') return undefined;
  return null;
}
`,
      'pages/api/mail.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { checkCommonErrors } from '@/lib/errors';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  try {
    return res.json({ ok: true });
  } catch (error) {
    const apiError = checkCommonErrors(error);
    if (apiError) return res.status(apiError.code).json({ error: apiError.message });
    return res.status(500).end();
  }
}
`,
    });
    expect(report.sites.map((s) => [s.file, s.line, s.reason?.slice(0, 60)])).toEqual([
      ['pages/api/mail.ts', 8, "Sends the 'code' of checkCommonErrors() (lib/errors.ts), whi"],
    ]);
    expect(report.sites[0]?.reason).toContain('returns 403 at line 6');
    // The producer's 403 is decided at that read: one item, not a second unknown shape.
    expect(report.summary.manual).toBe(1);
    expect(report.census.manual).toBe(0);
    expect(report.census.notAnEmit['result-read']).toBe(1);
  });

  it('passes over a result without the key (an access check that gives its record on success)', async () => {
    // breaker48, BuckyMcYolo/agent-cal (a Hono API): `const access = await verifyBusinessAccess(…); if
    // (isAccessError(access)) return c.json({ … }, access.status as 404)`, where the check returns `{ error,
    // status: HttpStatusCodes.NOT_FOUND }` or `{ businessRecord }`: 27 handlers were each "Dynamic status". The
    // success has no status to send; only the returns with the key decide. Hono, Express and Next.js spellings,
    // the key read, destructured, or through a type assertion.
    const report = await run({
      'lib/codes.ts': 'export const NOT_FOUND = 404;\nexport const FORBIDDEN = 403;\n',
      'lib/access.ts': `import * as HttpStatusCodes from './codes';
export type AccessError = { error: string; status: 404 | 403 };
export function isAccessError(x: unknown): x is AccessError {
  return typeof x === 'object' && x !== null && 'error' in x;
}
export async function verifyAccess(org: string, id: string) {
  if (!id) return { error: 'Business not found', status: HttpStatusCodes.NOT_FOUND };
  return { businessRecord: { id, org } };
}
export const verifyMember = async (org: string) => {
  if (!org) {
    return {
      error: 'Not a member',
      status: HttpStatusCodes.FORBIDDEN,
    };
  }
  return { member: org };
};
export async function verifyOwner(id: string) {
  if (!id) return { error: 'Not yours', ['status']: 404 };
  return { owner: id };
}
`,
      'app/hono.ts': `import { Hono } from 'hono';
import { isAccessError, verifyAccess, verifyMember } from '@/lib/access';
const app = new Hono();
app.get('/b/:id', async (c) => {
  const access = await verifyAccess('o', c.req.param('id'));
  if (isAccessError(access)) return c.json({ message: access.error }, access.status as 404);
  return c.json({ ok: true });
});
app.get('/m', async (c) => {
  const member = await verifyMember('o');
  if (isAccessError(member)) return c.json({ message: member.error }, member.status);
  return c.json({ ok: true });
});
export default app;
`,
      'app/express.ts': `import express from 'express';
import { isAccessError, verifyAccess, verifyOwner } from '@/lib/access';
const router = express.Router();
router.get('/b/:id', async (req, res) => {
  const { status } = (await verifyAccess('o', req.params.id)) as { status?: number };
  if (status) return res.status(status).end();
  const owner = await verifyOwner(req.params.id);
  if (isAccessError(owner)) return res.status(owner.status).end();
  return res.json({ ok: true });
});
export default router;
`,
      'pages/api/b.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { isAccessError, verifyAccess } from '@/lib/access';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const access = await verifyAccess('o', String(req.query.id));
  if (isAccessError(access)) return res.status(access.status).json({ error: access.error });
  return res.json(access.businessRecord);
}
`,
    });
    expect(report.sites.map((s) => [s.file, s.line, s.reason?.slice(0, 50)])).toEqual([
      ['app/express.ts', 8, 'Dynamic status: it may pass a 403 through (e.g. fr'],
      ['app/hono.ts', 11, "Sends the 'status' of verifyMember() (lib/access.t"],
      // The producer's own 403 return, reported where it is written (as before this change).
      ['lib/access.ts', 12, 'Returns a result with status 403 that a caller sen'],
    ]);
    expect(report.sites[1]?.reason).toContain('returns 403 at line 14');
  });

  it('follows a result passed on from another producer, and stops at a cycle', async () => {
    // agent-cal's `verifyBusinessUserAccess` returns `verifyBusinessAccess`'s result when it is an error, then its
    // own: its 20 readers stayed "Dynamic status" after the success returns were passed over.
    const report = await run({
      'lib/access.ts': `export async function verifyBusiness(id: string) {
  if (!id) return { error: 'Business not found', status: 404 };
  return { business: id };
}
export async function verifyUser(id: string, user: string) {
  const businessResult = await verifyBusiness(id);
  if ('error' in businessResult) return businessResult;
  if (!user) return { error: 'User not found', status: 404 };
  return { business: id, user };
}
export async function verifyDenied(id: string) {
  if (!id) return { error: 'Denied', status: 403 };
  return { ok: true };
}
export async function verifyPassOn(id: string) {
  const denied = await verifyDenied(id);
  if ('error' in denied) return denied;
  return { ok: true };
}
export async function verifyLoop(id: string): Promise<{ status?: number }> {
  const again = await verifyLoop(id);
  return again;
}
`,
      'app/hono.ts': `import { Hono } from 'hono';
import { verifyLoop, verifyPassOn, verifyUser } from '@/lib/access';
const app = new Hono();
app.get('/u/:id', async (c) => {
  const access = await verifyUser(c.req.param('id'), 'u');
  if ('error' in access) return c.json({ message: access.error }, access.status as 404);
  return c.json({ ok: true });
});
app.get('/d/:id', async (c) => {
  const passed = await verifyPassOn(c.req.param('id'));
  if ('error' in passed) return c.json({ message: passed.error }, passed.status);
  const looped = await verifyLoop('x');
  return c.json({ ok: true }, looped.status as 200);
});
export default app;
`,
    });
    expect(report.sites.map((s) => [s.file, s.line, s.reason?.slice(0, 40)])).toEqual([
      ['app/hono.ts', 11, 'Dynamic status: it may pass a 403 throug'],
      ['app/hono.ts', 13, 'Dynamic status: it may pass a 403 throug'],
      ['lib/access.ts', 12, 'Returns a result with status 403 that a '],
    ]);
  });

  it("reads a class's own method (`this.mapException(e)`), and keeps a slot a subclass may change", async () => {
    // cinema-api's shape (0lnp/cinema-api, session 49): a catch-everything filter destructures the status of its
    // private `mapException` and answers with it. A method that returns no 403 settles the slot only when no
    // subclass can override it (`private`, `#name`).
    const report = await run({
      'src/handlers.ts': `import express from 'express';
export class Handlers {
  private mapException(e: unknown): { status: number; message: string } {
    if (e instanceof TypeError) return { status: 403, message: 'no' };
    return { status: 500, message: 'x' };
  }
  private quiet(e: unknown) {
    return e ? { status: 404 } : { status: 500 };
  }
  #hidden = (e: unknown) => (e ? { status: 409 } : { status: 500 });
  open(e: unknown) {
    return e ? { status: 404 } : { status: 500 };
  }
  one(req: express.Request, res: express.Response) {
    const { status, message } = this.mapException(req.body);
    res.status(status).json({ message });
  }
  two(req: express.Request, res: express.Response) {
    const r = this.quiet(req.body);
    res.status(r.status).end();
    res.status(this.#hidden(req.body).status).end();
  }
  three(req: express.Request, res: express.Response) {
    res.status(this.open(req.body).status).end();
  }
}
`,
    });
    expect(report.sites.map((s) => [s.line, s.reason?.slice(0, 58)])).toEqual([
      [4, 'Returns a result with status 403 that a caller sends later'],
      [16, "Sends the 'status' of this.mapException() (this file), whi"],
      // `open` is public: a subclass may return 403 from it.
      [24, 'Dynamic status: it may pass a 403 through (e.g. from an up'],
    ]);
  });
});

// Session 49: the passed-on producer across files, on the receivers of Koa, hapi, AdonisJS and Oak (before, pinned
// only for Next.js and Express): each sender of the result names the producer's file and line, the producer's 403
// is named where it is written, and a helper that throws or returns an error answering 403 is rewritten there.
describe('a result produced in another file, sent by each framework', () => {
  it('is named at the sender and at the producer; an error a helper makes is rewritten where it is made', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-rp-'));
    temps.push(cwd);
    const files: Record<string, string> = {
      'package.json': JSON.stringify({
        name: 'p',
        dependencies: {
          koa: '*',
          '@hapi/hapi': '*',
          '@hapi/boom': '*',
          '@adonisjs/core': '*',
          'http-errors': '*',
        },
      }),
      'lib/access.ts': [
        "import Boom from '@hapi/boom';",
        "import createError from 'http-errors';",
        'export function checkAccess(user?: string) {',
        "  if (!user) return { status: 403, message: 'denied' };",
        '  return null;',
        '}',
        "export const denied = () => ({ statusCode: 403, error: 'no' });",
        "export const boomDeny = () => Boom.forbidden('no');",
        'export function assertOwner(a: string, b: string): void {',
        "  if (a !== b) throw createError(403, 'not owner');",
        '}',
        '',
      ].join('\n'),
      'src/koa.ts': [
        "import Koa from 'koa';",
        "import { checkAccess, assertOwner } from '../lib/access';",
        'const app = new Koa();',
        'app.use(async (ctx) => {',
        "  const e = checkAccess(ctx.get('x-user'));",
        '  if (e) {',
        '    ctx.status = e.status;',
        '    return;',
        '  }',
        "  assertOwner(ctx.get('x-user'), 'me');",
        '});',
        'export default app;',
        '',
      ].join('\n'),
      'src/hapi.ts': [
        "import Hapi from '@hapi/hapi';",
        "import { denied, boomDeny } from '../lib/access';",
        'const server = Hapi.server();',
        "server.route({ method: 'GET', path: '/a', handler: (request, h) => { const p = denied(); return h.response(p).code(p.statusCode); } });",
        "server.route({ method: 'GET', path: '/b', handler: () => boomDeny() });",
        'export default server;',
        '',
      ].join('\n'),
      'app/controllers/docs_controller.ts': [
        "import type { HttpContext } from '@adonisjs/core/http';",
        "import { checkAccess } from '../../lib/access';",
        'export default class DocsController {',
        '  async show({ request, response }: HttpContext) {',
        "    const e = checkAccess(request.header('x-user'));",
        '    if (e) return response.status(e.status).send(e.message);',
        "    return 'ok';",
        '  }',
        '}',
        '',
      ].join('\n'),
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
      writeFileSync(path.join(cwd, file), text);
    }
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const rows = report.sites.map((s) => [s.file, s.line, s.action, s.replacement ?? s.reason?.slice(0, 60)]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['lib/access.ts', 4, 'manual', expect.stringMatching(/^Returns a result with status 403/)],
        ['lib/access.ts', 7, 'manual', expect.stringMatching(/^Returns a result with status 403/)],
        ['lib/access.ts', 8, 'would-rewrite', "Boom.unauthorized('no')"],
        ['lib/access.ts', 10, 'would-rewrite', "createError(401, 'not owner')"],
      ]),
    );
    const sender = (file: string) => report.sites.find((s) => s.file === file && s.action === 'manual');
    expect(sender('src/koa.ts')?.reason).toMatch(
      /of checkAccess\(\) \(lib\/access\.ts\), which returns 403 at line 4/,
    );
    expect(sender('src/hapi.ts')?.reason).toMatch(
      /of denied\(\) \(lib\/access\.ts\), which returns 403 at line 7/,
    );
    expect(sender('app/controllers/docs_controller.ts')?.reason).toMatch(
      /of checkAccess\(\) \(lib\/access\.ts\), which returns 403 at line 4/,
    );
  });
});
