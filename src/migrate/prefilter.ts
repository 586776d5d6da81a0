import { OCCURRENCE_SOURCE } from './occurrence-source.js';

/**
 * Files whose text cannot hold a 403 form are never parsed (DESIGN §7). The pattern is the census's own
 * occurrence pattern (so no occurrence can hide in an unparsed file) plus the tokens of implicit producers
 * (guards, csrf, static serving, scope checks) that hold no 403 in their text.
 */
export const CANDIDATE = new RegExp(
  `${OCCURRENCE_SOURCE}|NotAuthorizedError|UseGuards|useGlobalGuards|APP_GUARD|canActivate|csrf|csurf|ipRestriction|serve-static|express\\.static|@fastify\\/static|['"]Deny['"]|\\baccess\\s*:|\\bscope\\s*:|jwt-authz|requiredScopes`,
  'i',
);

export function mayHoldSite(text: string): boolean {
  return CANDIDATE.test(text);
}
