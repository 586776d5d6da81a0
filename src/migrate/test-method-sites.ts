import { remapHint } from './remaps.js';
import { UNREAD_METHOD, type TestRequest } from './routes/requests.js';
import type { Site } from './types.js';

// A middleware's implicit 403 that never answers the test's request method: csurf and hono's csrf check only
// the methods that change state, express.static / serve-static serve only GET and HEAD. Such a site on the
// request's route does not keep its assertion from following the sites that do answer it (cnodejs/nodeclub's
// GET tests behind `csurf()`, session 33).

/** The methods csurf leaves alone by default (`ignoreMethods`, github.com/expressjs/csurf README) and hono's csrf never checks. */
const CSRF_SPARED = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The methods serve-static answers (github.com/expressjs/serve-static: other methods fall through or get 405). */
const STATIC_SERVED = new Set(['GET', 'HEAD']);

/**
 * `sites` without the implicit 403s that cannot answer `request` by its method: an Express `csurf()` written
 * without `ignoreMethods`, or Hono's `csrf()`, for a request made only with GET / HEAD / OPTIONS; Express's
 * static serving for a request made with none of GET / HEAD. A request whose method is not read keeps them all.
 *
 * @param target the agreed status (the implicit sites' reasons name it)
 */
export function sitesAnswering(sites: readonly Site[], request: TestRequest, target: number): Site[] {
  const methods = request.method === UNREAD_METHOD ? (request.methods ?? []) : [request.method];
  if (!methods.length || methods.includes(UNREAD_METHOD)) return [...sites];
  const csrf = `Implicit 403. ${remapHint('csrf', target)}`;
  const statics = `Implicit 403. ${remapHint('static', target)}`;
  return sites.filter((site) => {
    if (
      site.reason === csrf &&
      ((site.framework === 'express' && !site.form.includes('ignoreMethods') && !site.form.includes('...')) ||
        site.framework === 'hono')
    )
      return !methods.every((m) => CSRF_SPARED.has(m));
    const spared = site.framework === 'express' ? csurfSpared(site.reason) : undefined;
    if (spared) return !methods.every((m) => spared.has(m));
    if (site.reason === statics && site.framework === 'express')
      return methods.some((m) => STATIC_SERVED.has(m));
    return true;
  });
}

/**
 * The methods a `csurf({ ignoreMethods: [...] })` site leaves alone, read from its reason (frameworks/express.ts
 * `csurfSite`: "csurf checks the token on every method but GET, HEAD (its ignoreMethods…", or "on every method (its
 * ignoreMethods"); undefined for any other site. Session 35 (silence35): before, such a site held every test.
 */
function csurfSpared(reason: string | null): ReadonlySet<string> | undefined {
  const match =
    /^Implicit 403\. csurf checks the token on every method(?: but ([A-Z, -]+))? \(its ignoreMethods/.exec(
      reason ?? '',
    );
  if (!match) return undefined;
  return new Set(match[1] ? match[1].split(', ') : []);
}
