import ts from '../../typescript.cjs';
import type { Framework } from './framework.js';
import { methodCall } from './shared.js';
import { reasonPhrase } from '../status-names.js';

const MODULES = ['uWebSockets.js', 'uws'];

/**
 * uWebSockets.js (https://unetworking.github.io/uWebSockets.js/generated/interfaces/HttpResponse.html): the status
 * is a text, `res.writeStatus('403 Forbidden')` (or `'403'`) -> `'401 Unauthorized'`, in files that import it. The
 * text is the status line's tail as sent, so the reason phrase follows the status; a text with another phrase
 * (`'403 Access Denied'`) is left to the person (the census reports it); a status that is not a literal is read as
 * any status slot.
 */
export const uwebsockets: Framework = {
  id: 'uwebsockets',
  title: 'uWebSockets.js (writeStatus)',
  enablers: MODULES,
  kinds: [ts.SyntaxKind.CallExpression],
  visit(node, analysis) {
    const call = methodCall(node);
    if (call?.method !== 'writeStatus' || !analysis.importsModule(...MODULES)) return;
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
