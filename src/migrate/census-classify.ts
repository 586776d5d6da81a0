import type { FileAnalysis } from './analysis.js';
import { calledKeyVerdict } from './census-called-keys.js';
import { handedEntryReason } from './census-handed-entries.js';
import { classifyComment } from './census-comments.js';
import { classifyName } from './census-names.js';
import { nameReadKind } from './census-name-reads.js';
import { inNumberTable } from './census-number-tables.js';
import { foldedNode, tokenNode, type Occurrence } from './census-occurrences.js';
import {
  classifyPhrase,
  isMessageKey,
  statusTextSlot,
  isApplicationCode,
  textBesideRewrite,
  textReason,
  wholeText,
} from './census-phrases.js';
import { rewriteBeside } from './census-held-phrases.js';
import { inAssertion, inComparison, inLogCall, isPropertyName, stringValue } from './census-syntax.js';
import { classifyValue, isNameList } from './census-values.js';
import { isViewName } from './census-view-names.js';
import { statusNameSlot } from './census-status-names.js';
import { reasonPhrase } from './status-names.js';
import {
  manual,
  PHRASE,
  reasonWord,
  type ClassifyContext,
  type ManualVerdict,
  type ReferenceVerdict,
} from './census-verdicts.js';
import { shorten } from './analysis.js';
import type ts from '../typescript.cjs';
import type { NotAnEmitKind } from './types.js';

/**
 * The census's classifier (census.ts): one 403 occurrence that no site covers and no module marked, sent by its
 * form to the comment, name, phrase or value classifier; a `'403'` text is decided here (an asserted text, a
 * status line, an entry key, a status text given to a status slot).
 */

/** Why a 403 occurrence that no site covers is not an emit, or the manual site it becomes. */
export function classify(
  analysis: FileAnalysis,
  occurrence: Occurrence,
  context: ClassifyContext,
): NotAnEmitKind | ManualVerdict | ReferenceVerdict {
  const { usedBySite } = context;
  const { text } = analysis;
  if (occurrence.form === 'comment') return classifyComment(analysis, occurrence);
  // `const S = 400 + 3`: a 403 folded from literals is read where it stands, as a 403 literal would be.
  if (occurrence.folded) {
    const expression = foldedNode(analysis.sourceFile, occurrence);
    if (expression) return classifyValue(analysis, expression, usedBySite, context.imported, context);
  }
  const node = tokenNode(analysis.sourceFile, occurrence.start);
  if (!node) return 'comment';
  // `res.send(httpStatus[403])`, `ctx.body = { code: StatusCodes[403] }`: 403's name or reason phrase, text.
  const nameRead = nameReadKind(analysis, node);
  if (nameRead) return nameRead;
  if (occurrence.form === 'identifier') return classifyName(analysis, node as ts.Identifier, context);
  const raw = text.slice(occurrence.start, occurrence.end);
  if (occurrence.form === 'string') {
    const value = stringValue(node);
    // `expect(line).toMatch(/^403 /)`: a test checks the status through a text holding the number, which
    // mtls-fix never rewrites (a reason phrase such as `forbidden` is classifyPhrase's).
    if (analysis.options.testFile && /\b403\b/.test(raw) && inAssertion(node))
      return manual(
        node,
        `The test asserts on a text that holds 403 (${shorten(raw)}): where the server now answers ${analysis.target}, change the expected text by hand.`,
      );
    if (value === '403' && isNameList(node)) return 'string';
    // `res.render('403')`, `res.status(403).view('403')`: the template shown, not the status.
    if (value === '403' && isViewName(node)) return 'view-name';
    if (value === '403') return classifyValue(analysis, node, usedBySite, context.imported, context);
    if (value !== undefined && /\bHTTP\/\d(?:\.\d)?\s+403\b/i.test(value))
      return manual(
        node,
        `A raw HTTP status line with 403 (${shorten(raw)}): write the agreed status ${analysis.target} by hand.`,
      );
    // `"Forbidden!": { pt: 'Proibido!' }`: a message key of a translation table, not a status map's entry.
    if (isPropertyName(node) && value !== undefined && isMessageKey(node, value)) return 'string';
    if (isPropertyName(node))
      return manual(
        node,
        `An entry keyed ${shorten(raw)}: a status map or a response declaration for 403. Review it: a value sent for 403 should move to ${analysis.target}.`,
      );
    // `res.writeStatus('403 Forbidden')` (uWebSockets.js), `{ statusLine: '403 Forbidden' }`: a status text.
    const slot = value !== undefined && /^\s*403\b/.test(value) ? statusTextSlot(node) : undefined;
    if (slot && !inComparison(node))
      return manual(
        node,
        `A status text with 403 (${shorten(raw)}) given to \`${slot}\`: if it is sent as the status (uWebSockets.js writeStatus, a Status header), write '${analysis.target} ${reasonWord(analysis.target)}' by hand; if not, mark it // mtls-fix-ignore: <why>.`,
      );
    // `Boom['forbidden']()`, `const K = 'forbidden'; Boom[K]()`: a called member, never "not an emit".
    const called = calledKeyVerdict(analysis, node);
    if (called) return called;
    // `reply(res, Errors['FORBIDDEN_ROUTE'])`: a table entry read by a string key and handed whole to a helper;
    // counted as a text (not an emit) before session 51 (census-handed-entries.ts).
    const handed = inLogCall(node) ? undefined : handedEntryReason(analysis, node);
    if (handed) return manual(node, handed, node.parent);
    // `ctx.set.status = 'Forbidden'`, `status('Forbidden')` that no module claimed: 403 by its name (session 52).
    const named = inLogCall(node) ? undefined : statusNameSlot(node);
    if (named)
      return manual(
        node,
        `The status name ${raw} given to ${shorten(named)} answers 403 (Elysia's status names): if it is a response status, change it to '${reasonPhrase(analysis.target)}' (${analysis.target}) by hand; if not, mark it // mtls-fix-ignore: <why>.`,
        node.parent,
      );
    if (value !== undefined && PHRASE.test(value))
      return classifyPhrase(analysis, node, context.usedByRewrite);
    if (inComparison(node)) return 'comparison';
    // `quickError(403, 'permission_denied', m)`: an application's error code, not a Forbidden text.
    if (value !== undefined && isApplicationCode(value)) return 'string';
    // `res.status(403); res.json({ error: 'Access forbidden here' })`: a message the body still sends.
    if (textBesideRewrite(analysis, node))
      return manual(node, textReason(analysis, node, rewriteBeside(analysis, node)), wholeText(node));
    // `sails.log.verbose('Sending 403 ("Forbidden") response')`, `console.warn('Forbidden request')`: a logged
    // text, recorded, never sent (breaker50b: Sails' api/responses/forbidden.js).
    if (inLogCall(node)) return 'log';
    return 'string';
  }
  // `[0, 1, …, 403, …, 999]`: one number of a data table, not a status (census-number-tables.ts).
  if (inNumberTable(node) && !inComparison(node)) return 'number-table';
  return classifyValue(analysis, node, usedBySite, context.imported, context);
}
