import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import { isOuter } from './analysis/syntax.js';

/**
 * A table entry handed whole to a call (session 51, entry51): `send(res, Errors.FORBIDDEN_ROUTE)`,
 * `reply(res, Errors['FORBIDDEN_ROUTE'])`, `raise(Errors.FORBIDDEN_ROUTE)` where the project's helper sends the
 * entry's own status (`res.status(e.status)`, `ctx.status = e.status`, `reply.code(e.status)`,
 * `new HttpException(e.body, e.status)`). mtls-fix does not link the entry's `status: 403` to such a helper; the
 * read is reported manual naming the call and the entry, so the user knows where the 403 is answered.
 */

/** The words every handed-entry reason holds: census.ts merges such a site into a 403 form that holds it. */
export const HANDED_ENTRY = 'is handed whole to';

/** An identifier-like key (`'FORBIDDEN_ROUTE'`): a member name written as a string, not a text or a header name. */
const MEMBER_KEY = /^[A-Za-z_$][\w$]*$/;

/**
 * The entry read `X.KEY` or `X['KEY']` that `key` names, when that read is an argument of a call or `new` (through
 * parentheses and casts): the read and the call. Undefined otherwise (a called member, a read kept in a name, a
 * computed key that is not a fixed identifier-like string).
 */
export function handedEntry(
  key: ts.Node,
): { read: ts.Expression; call: ts.CallExpression | ts.NewExpression } | undefined {
  const access = key.parent;
  if (!access) return undefined;
  if (ts.isPropertyAccessExpression(access)) {
    if (access.name !== key) return undefined;
  } else if (ts.isElementAccessExpression(access)) {
    if (access.argumentExpression !== key || !ts.isStringLiteralLike(key) || !MEMBER_KEY.test(key.text))
      return undefined;
  } else return undefined;
  let read: ts.Node = access;
  while (isOuter(read.parent)) read = read.parent;
  const call = read.parent;
  if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call))) return undefined;
  if (!call.arguments?.some((argument) => argument === read)) return undefined;
  return { read: access, call };
}

/**
 * The manual reason for an entry handed whole to a call (handedEntry), naming the call and the entry; undefined
 * when `key` is no such entry's key.
 */
export function handedEntryReason(analysis: FileAnalysis, key: ts.Node): string | undefined {
  const handed = handedEntry(key);
  if (!handed) return undefined;
  const entry = shorten(handed.read.getText(analysis.sourceFile));
  const call = shorten(handed.call.getText(analysis.sourceFile));
  return `The entry ${entry} ${HANDED_ENTRY} ${call}; mtls-fix does not follow a helper that sends the entry's own status (e.g. res.status(e.status), ctx.status = e.status, reply.code(e.status), new HttpException(e.body, e.status)). If that call answers the entry's status and it is 403, change the entry's status to ${analysis.target} by hand (in the table where ${entry} is declared); if not, mark it // mtls-fix-ignore: <why>.`;
}
