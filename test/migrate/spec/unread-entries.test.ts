import { describe, expect, it } from 'vitest';
import { runSpecProject, type SpecSites } from '../../helpers/spec-run.js';

// Session 27: registrations mtls-fix cannot read are named where they answer (their known path), never silent.

interface Unresolved {
  method: string;
  path: string;
  file: string;
  line: number;
  reason: string;
  byHand?: boolean;
}

/** `migrate --spec openapi.yaml` on a copy of the project (runSpecProject): its unresolved entries, one line each. */
async function unresolved(name: string): Promise<string[]> {
  const { report } = await runSpecProject<SpecSites & { coverage: { unresolved: Unresolved[] } }>(name);
  return report.coverage.unresolved.map(
    (u) => `${u.method} ${u.path} ${u.file}:${u.line} ${u.byHand === true} ${u.reason}`,
  );
}

describe('migrate --spec: what cannot be read is named where it answers', () => {
  it('an unread plugin registration sits below its { prefix } / { routes: { prefix } }', async () => {
    // 87e166c: both entries were ALL /*, the prefix the registration names dropped.
    expect(await unresolved('spellings-unread-registrations')).toEqual([
      'ALL /api/* src/fastify.js:9 true registration of loadPlugin(process.env.API_PLUGIN) at src/fastify.js:9 loads a plugin mtls-fix cannot read',
      'ALL /hapi/* src/hapi.js:9 true registration of plugins[process.env.MODE] at src/hapi.js:9 loads a plugin mtls-fix cannot read',
    ]);
  });

  it('use() / Koa routes() / Hono route() of a value it cannot read is an entry of its own, not middleware; a computed method keeps its path', async () => {
    // 87e166c: loadRouter(…) and routers[…] were middleware of every route and named nowhere; the computed
    // method's entry was ALL /*.
    expect(await unresolved('spellings-unread-uses')).toEqual([
      'ALL /v2/* src/app.js:16 true loadRouter(process.env.API) mounted at src/app.js:16 is a value mtls-fix cannot read (a router or middleware)',
      'ALL /* src/app.js:17 true routers[process.env.MODE] mounted at src/app.js:17 is a value mtls-fix cannot read (a router or middleware)',
      'ALL /cards/:id src/app.js:20 true route method is computed at run time, cards[verbs[process.env.VERB]](…) (src/app.js:20)',
      'ALL /v3/* src/hono.js:6 true loadRouter(process.env.HONO_API) mounted at src/hono.js:6 is a value mtls-fix cannot read (a router or middleware)',
      'ALL /v2/* src/koa.js:8 true loadRouter(process.env.KOA_API).routes() mounted at src/koa.js:8 is a value mtls-fix cannot read (a router or middleware)',
      'GET /accounts/:id src/routers/accounts.js:5 false router is not mounted anywhere in the scanned code (src/routers/accounts.js:4)',
    ]);
  });
});
