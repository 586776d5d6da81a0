import { MIDDLEWARE_403_MODULES } from './middleware-403-table.js';
import { OCCURRENCE_SOURCE } from './occurrence-source.js';

/** `'koa-ip'` or `"koa-ip"` (an import or require of the package), as a RegExp source. */
function quotedModule(name: string): string {
  return `['"]${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`;
}

/**
 * A response status slot given something other than a literal (`res.status(err.status || 500)`,
 * `reply.code(upstream.statusCode)`, `res.writeHead(r.status)`, `ctx.status = e.status`): it can pass a 403
 * through with no 403 in the file's text, so such a file is parsed too and the slot reported.
 */
const DYNAMIC_STATUS = String.raw`\.(?:status|sendStatus|code|writeHead)\(\s*[^\d'"\`)\s]|\.(?:status|statusCode)\s*=\s*[^\d'"\`=\s]`;

/**
 * Error classes that answer 403 with neither 403 nor Forbidden in their name (restify `NotAuthorizedError`, Ghost
 * `NoPermissionError` / `HostLimitError`, Strapi `PolicyError` and its policies' `policyContext`), and Egg.js's
 * config files (`appInfo`, `EggAppConfig`), where the security plugin's default 403 is configured.
 */
const NAMED_403 = String.raw`NotAuthorizedError|NoPermissionError|HostLimitError|PolicyError|policyContext|E_AUTHORIZATION_FAILURE|\bappInfo\b|EggAppConfig|EggAppInfo|\bexports\.keys\b`;

/**
 * Files whose text cannot hold a 403 form are never parsed (DESIGN §7). The pattern is the census's own
 * occurrence pattern (so no occurrence can hide in an unparsed file), the 403 classes named otherwise (NAMED_403),
 * plus the tokens of implicit producers
 * (guards, csrf, static serving, scope checks, middleware-403-table.ts packages) and the dynamic status slots
 * that hold no 403 in their text.
 */
export const CANDIDATE = new RegExp(
  `${OCCURRENCE_SOURCE}|${NAMED_403}|UseGuards|useGlobalGuards|APP_GUARD|canActivate|csrf|csurf|ipRestriction|serve-static|express\\.static|@fastify\\/static|['"]Deny['"]|\\baccess\\s*:|\\bscope\\s*:|jwt-authz|requiredScopes|${DYNAMIC_STATUS}|${MIDDLEWARE_403_MODULES.map(quotedModule).join('|')}`,
  'i',
);

export function mayHoldSite(text: string): boolean {
  return CANDIDATE.test(text);
}
