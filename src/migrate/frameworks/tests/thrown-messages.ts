import ts from '../../../typescript.cjs';
import type { FileAnalysis } from '../../analysis.js';
import { replaceNode } from '../../analysis/syntax.js';
import { ERROR_CLASS_NAMES, NEST_EXCEPTIONS, reasonPhrase, TRPC_CODES } from '../../status-names.js';
import type { Edit } from '../../types.js';
import { expectSubject, isBodyPhraseSubject } from './subjects.js';
import { EQUALITY_MATCHERS } from './vocabulary.js';

// The message (and name, code) a throw assertion expects of a 403 error whose message is a library's default:
// `toThrow('Forbidden')` / `toThrow(/forbidden/i)` (Nest's `new ForbiddenException()`, http-errors'
// `createError(403)`, Koa's `ctx.throw(403)`), `rejects.toThrow(/FORBIDDEN/)` (tRPC: a TRPCError's message
// defaults to its code), node:assert's `throws(fn, { message: 'FORBIDDEN', code: 'FORBIDDEN' })`.

/** A written word `forbidden`, in any case, alone in a message text or pattern (anchors and `\b` around it). */
const WORD = /^(\^?)((?:\\b)?)(forbidden)((?:\\b)?)(\$?)$/i;

/** The error names a library gives its 403 error, with the names it has by status. */
const NAMES: readonly { name: string; names: (status: number) => string | undefined }[] = [
  // Nest: `new ForbiddenException().name`
  { name: 'ForbiddenException', names: (status) => NEST_EXCEPTIONS[status] },
  // http-errors: `createError(403).name`, `new createError.Forbidden().name`
  {
    name: 'ForbiddenError',
    names: (status) => (ERROR_CLASS_NAMES[status] ? `${ERROR_CLASS_NAMES[status]}Error` : undefined),
  },
];

/**
 * A message the assertion `form` expects of a thrown 403 error, as a `tests` site: a string, a template without
 * substitutions or a RegExp literal that is the word Forbidden (any case; a pattern may anchor it), or an
 * object of expected properties (node:assert's `throws(fn, { message, code, name, status })`, chai's second
 * argument). The word is rewritten in the spelling it was written in: `'Forbidden'` -> the reason phrase of the
 * target (`'Unauthorized'`), `'FORBIDDEN'` -> the target's tRPC code (`'UNAUTHORIZED'`), `/forbidden/i` ->
 * `/unauthorized/i` (flags and anchors kept). The site is phrase-only unless it also expects a status: the test
 * follower keeps it only where the server it reaches was rewritten and its text changed, else reports it
 * (test-follow.ts). A spelling with no counterpart for the target (tRPC has no code for it; a case-insensitive
 * pattern whose phrase and tRPC code differ) is a manual site.
 *
 * @param analysis the test file's analysis
 * @param expected the assertion's expected message (or object)
 * @param form the assertion call (the site's form)
 * @param at the node that keys the site when the form holds another expected value (chai's
 *   `rejectedWith(ForbiddenError, 'Forbidden')`: the class is a site of its own)
 * @returns whether `expected` is such a message (a site was added)
 */
export function thrownMessage(
  analysis: FileAnalysis,
  expected: ts.Expression,
  form: ts.Node,
  at?: ts.Node,
): boolean {
  let node = expected;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  const edits: Edit[] = [];
  const problems: string[] = [];
  const add = (value: ts.Expression, kind: 'message' | 'code' | 'name'): boolean => {
    const edit = kind === 'name' ? nameEdit(analysis, value) : messageEdit(analysis, value, kind === 'code');
    if (edit === undefined) return false;
    if (typeof edit === 'string') problems.push(edit);
    else edits.push(edit);
    return true;
  };
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key =
        ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : '';
      const value = property.initializer;
      if (key === 'message') add(value, 'message');
      else if (key === 'code') add(value, 'code');
      else if (key === 'name') add(value, 'name');
      else if (key === 'status' || key === 'statusCode')
        edits.push(...(analysis.forbiddenEdits(value) ?? []));
    }
  } else if (!add(node, 'message')) return false;
  if (problems.length) {
    analysis.addSite({ node: form, at, framework: 'tests', manual: true, reason: problems[0] });
    return true;
  }
  if (!edits.length) return false;
  analysis.addSite({ node: form, at, framework: 'tests', edits });
  return true;
}

/**
 * The edit of an expected message (or tRPC `code`) that is the word Forbidden; a string (the manual reason)
 * when the target has no such word; undefined when the value is no such message.
 */
function messageEdit(analysis: FileAnalysis, value: ts.Expression, code: boolean): Edit | string | undefined {
  const target = analysis.target;
  const trpc = TRPC_CODES[target];
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) {
    const word = value.text;
    if (word === 'FORBIDDEN') {
      if (!trpc)
        return `The test expects the message or code FORBIDDEN (tRPC's 403) and tRPC has no code for ${target}: assert on the status instead.`;
      const raw = value.getText(analysis.sourceFile);
      return replaceNode(analysis.sourceFile, value, `${raw[0]}${trpc}${raw[raw.length - 1]}`);
    }
    if (code || (word !== 'Forbidden' && word !== 'forbidden')) return undefined;
    const raw = value.getText(analysis.sourceFile);
    return replaceNode(analysis.sourceFile, value, `${raw[0]}${spelled(word, target)}${raw[raw.length - 1]}`);
  }
  if (code || !ts.isRegularExpressionLiteral(value)) return undefined;
  const text = value.text;
  const slash = text.lastIndexOf('/');
  const pattern = text.slice(1, slash);
  const flags = text.slice(slash + 1);
  const match = WORD.exec(pattern);
  if (!match) return undefined;
  const [, open, before, word, after, close] = match;
  const insensitive = flags.includes('i');
  let to: string;
  if (word === 'FORBIDDEN') {
    if (!trpc)
      return `The test expects the message FORBIDDEN (tRPC's 403) and tRPC has no code for ${target}: assert on the status instead.`;
    to = trpc;
  } else if (word === 'Forbidden' || word === 'forbidden' || insensitive) to = spelled(word, target);
  else return undefined;
  // `/forbidden/i` matches both 'Forbidden' and tRPC's 'FORBIDDEN': for a target whose phrase and tRPC code
  // differ (404: 'Not Found' and 'NOT_FOUND'), no one word matches what the server may now say.
  if (insensitive && trpc && trpc.toLowerCase() !== reasonPhrase(target).toLowerCase())
    return `The test expects a message matching ${text} and no one word matches both ${reasonPhrase(target)} and tRPC's ${trpc} for ${target}: write the message the server now throws.`;
  return replaceNode(analysis.sourceFile, value, `/${open}${before}${escaped(to)}${after}${close}/${flags}`);
}

/** The target's reason phrase written as `word` was: `Forbidden`, `forbidden` or `FORBIDDEN` (`NOT_FOUND`). */
function spelled(word: string, target: number): string {
  const phrase = reasonPhrase(target);
  if (word === word.toLowerCase()) return phrase.toLowerCase();
  if (word === word.toUpperCase()) return phrase.toUpperCase().replace(/ /g, '_');
  return phrase;
}

/** A text as a RegExp pattern matching it literally. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The edit of an expected error `name` (`'ForbiddenException'`, `'ForbiddenError'`), or the manual reason. */
function nameEdit(analysis: FileAnalysis, value: ts.Expression): Edit | string | undefined {
  if (!ts.isStringLiteral(value) && !ts.isNoSubstitutionTemplateLiteral(value)) return undefined;
  const known = NAMES.find((n) => n.name === value.text);
  if (!known) return undefined;
  const to = known.names(analysis.target);
  if (!to)
    return `The test expects the error name ${value.text} (403) and its library has no error for ${analysis.target}: assert on the status instead.`;
  const raw = value.getText(analysis.sourceFile);
  return replaceNode(analysis.sourceFile, value, `${raw[0]}${to}${raw[raw.length - 1]}`);
}

/** Matchers comparing a message with an expected text or pattern (jest/vitest, chai). */
const MESSAGE_MATCHERS = new Set([
  ...EQUALITY_MATCHERS,
  'toMatch',
  'toContain',
  'match',
  'include',
  'contain',
]);

/**
 * `expect(err.message).toBe('FORBIDDEN')`, `expect(e.message).toMatch(/forbidden/i)`: the caught error's message
 * compared with a library's default 403 message, as {@link thrownMessage}. A reply body's message
 * (`res.body.message`) is the phrase assertion's (expected.ts `phrase`), not this. Returns whether a site was added.
 *
 * @param analysis the test file's analysis
 * @param call the matcher call, split (shared.ts `methodCall`)
 */
export function caughtMessage(
  analysis: FileAnalysis,
  call: { call: ts.CallExpression; method: string; object: ts.Expression; args: readonly ts.Expression[] },
): boolean {
  if (!MESSAGE_MATCHERS.has(call.method) || !call.args[0] || isBodyPhraseSubject(call.object)) return false;
  let subject = expectSubject(call.object);
  while (subject && (ts.isParenthesizedExpression(subject) || ts.isNonNullExpression(subject)))
    subject = subject.expression;
  if (!subject || !ts.isPropertyAccessExpression(subject) || subject.name.text !== 'message') return false;
  return thrownMessage(analysis, call.args[0], call.call);
}
