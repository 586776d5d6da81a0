import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { methodCall } from './shared.js';
import { reasonPhrase } from '../status-names.js';
import { isFunctionLike } from '../scope.js';

const MODULES = ['uWebSockets.js', 'uws'];

/**
 * uWebSockets.js (https://unetworking.github.io/uWebSockets.js/generated/interfaces/HttpResponse.html): the status
 * is a text, `res.writeStatus('403 Forbidden')` (or `'403'`) -> `'401 Unauthorized'`, in files that import it. The
 * text is the status line's tail as sent, so the reason phrase follows the status; a text with another phrase
 * (`'403 Access Denied'`) is left to the person (the census reports it); a status that is not a literal is read as
 * any status slot. A file of a uWS app need not import it: a route handler moved to its own module gets `res` as a
 * parameter (`export const f = (res: any) => res.writeStatus(e.code).end()`, silent until session 30), so a
 * `writeStatus` call on a parameter that is untyped, `any` or typed `HttpResponse` counts too (the module runs on the
 * file only when a package.json above it lists uWebSockets.js, or when no framework is detected for it); a parameter
 * of the project's own type (`res: { writeStatus(s: string): void }`) and a name of another module (`job`) do not.
 */
export const uwebsockets: Framework = {
  id: 'uwebsockets',
  title: 'uWebSockets.js (writeStatus)',
  enablers: MODULES,
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    const call = methodCall(node);
    if (call?.method !== 'writeStatus') return;
    if (!analysis.importsModule(...MODULES) && !responseParameter(call.object)) return;
    const text = call.args[0];
    if (!text) return;
    // A status held elsewhere (`res.writeStatus(upstream.status)`, `writeStatus(code)`): read as any status slot
    // (a constant 403 is followed; anything else is a "Dynamic status").
    if (!(ts.isStringLiteral(text) || ts.isNoSubstitutionTemplateLiteral(text))) {
      analysis.statusSlot(text, call.call, 'uwebsockets');
      return;
    }
    const match = /^(\s*)403(\s+Forbidden)?(\s*)$/i.exec(text.text);
    if (!match) return;
    const phrase = match[2] === undefined ? '' : ` ${reasonPhrase(analysis.target)}`;
    analysis.addSite({
      node: call.call,
      framework: 'uwebsockets',
      edits: [
        analysis.phraseEdit(text, `${match[1]}${analysis.target}${phrase}${match[3]}`),
        ...analysis.companionEdits(call.call),
      ],
    });
  },
};

/**
 * Whether `object` is a parameter of an enclosing function that may be uWebSockets.js' `HttpResponse`: declared
 * with no type, as `any`, or as `HttpResponse` (`uWS.HttpResponse` too).
 */
function responseParameter(object: ts.Expression): boolean {
  if (!ts.isIdentifier(object)) return false;
  for (let node: ts.Node | undefined = object.parent; node; node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const parameter = node.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === object.text);
    if (!parameter) continue;
    const type = parameter.type;
    if (!type || type.kind === ts.SyntaxKind.AnyKeyword) return true;
    if (!ts.isTypeReferenceNode(type)) return false;
    const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
    return name === 'HttpResponse';
  }
  return false;
}
