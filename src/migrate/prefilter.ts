/**
 * Files whose text cannot hold a 403 form are never parsed (DESIGN §7). The pattern lists every token a
 * site needs: the number in its spellings, constant and class names, and the implicit producers.
 */
const CANDIDATE =
  /\b403\b|0x193|4_03|FORBIDDEN|[Ff]orbidden|permission-denied|permissionDenied|PermissionDenied|PERMISSION_DENIED|NotAuthorizedError|UseGuards|csrf|csurf|ipRestriction|serve-static|express\.static|@fastify\/static|['"]Deny['"]|\baccess\s*:|\bscope\s*:|jwt-authz|requiredScopes/;

export function mayHoldSite(text: string): boolean {
  return CANDIDATE.test(text);
}
