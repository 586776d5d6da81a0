import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { forwardedCall, outermost, shorten, skipOuter, staticMember } from './analysis/syntax.js';

/**
 * The census's reason for a 403 handed to a function through `.call`, `.apply`, `.bind` or `Reflect.apply`
 * (session 39): `res.status.call(other, 403)`, `send.apply(null, [403])`. A forwarded call whose `this` is the
 * method's own object (`res.status.call(res, 403)`) is read as the method call itself (frameworks/shared.ts
 * `methodCall`) and rewritten; what reaches here is one the analysis could not prove a response sender, and the
 * reason says which call it is and why, not "a shape mtls-fix does not know".
 */

/** How far up from the 403 the forwarded call may sit: the literal, its array (`[403]`), the call. */
const DEPTH = 3;

/** The reason for the 403 `node` when it is an argument of a forwarded call; undefined otherwise. */
export function forwardedReason(analysis: FileAnalysis, node: ts.Node): string | undefined {
  const argument = outermost(node);
  let current = argument;
  for (let step = 0; step < DEPTH && current.parent; step++) {
    const parent = current.parent;
    const forwarded = forwardedCall(parent);
    if (forwarded && forwarded.args.includes(argument as ts.Expression)) {
      const text = (n: ts.Node): string => shorten(n.getText(analysis.sourceFile));
      const member = staticMember(skipOuter(forwarded.fn));
      const why = !member
        ? `${text(forwarded.fn)} is no method of a response object mtls-fix can read`
        : !forwarded.self
          ? `it runs ${text(forwarded.fn)} with no \`this\``
          : skipOuter(forwarded.self).getText(analysis.sourceFile) !==
              skipOuter(member.owner).getText(analysis.sourceFile)
            ? `it runs ${text(forwarded.fn)} with \`this\` set to ${text(forwarded.self)}, not ${text(member.owner)}`
            : `${text(member.owner)} is no response object mtls-fix can read`;
      return `Sends 403 through ${text(parent)} (a forwarded call, ${forwarded.via === 'Reflect.apply' ? forwarded.via : `.${forwarded.via}`}): ${why}, so mtls-fix cannot prove it sends a status. If it does, change it to ${analysis.target} by hand; if not, mark it // mtls-fix-ignore: <why>.`;
    }
    if (!ts.isArrayLiteralExpression(parent) && !ts.isCallExpression(parent)) return undefined;
    current = parent;
  }
  return undefined;
}
