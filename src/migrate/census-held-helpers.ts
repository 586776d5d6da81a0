import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import { outerParent, skipOuter } from './analysis/syntax.js';
import type { ClassifyContext } from './census-verdicts.js';
import { declarationOf } from './references.js';
import { isPhraseTable } from './analysis/constants.js';
import { CONSTANT_NAMES, reasonPhrase } from './status-names.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * A package's 403 helper held under a project name (census-names.ts): `export const errors = { forbidden:
 * httpErrors.forbidden }` of `@fastify/sensible` (tf2pickup), `const deny = createError.Forbidden` of
 * `http-errors`. The helper is not called where it is held, so no framework module sees it; its callers
 * (`errors.forbidden(…)`) throw the package's 403. Both places get a reason naming the package's helper and the
 * 401 one to hold or call instead, rather than the generic unknown-shape reason.
 */

/** The package helper a held value reads: `httpErrors.forbidden` of `@fastify/sensible`. */
interface PackageHelper {
  /** As written: `httpErrors.forbidden`. */
  text: string;
  module: string;
  /** Where it is held, `src/errors.ts:6`. */
  at: string;
  /** The key or name that holds it (`forbidden`). */
  holder: string;
}

/**
 * The reason for a Forbidden name that is a package's 403 helper held by the project (`node` the name in the
 * held value), or that calls one through the project's holder (`node` the member name of `errors.forbidden(…)`).
 * Undefined for any other name.
 */
export function heldHelperReason(
  analysis: FileAnalysis,
  node: ts.Identifier,
  context: ClassifyContext,
): string | undefined {
  const target = analysis.target;
  const held = heldHere(analysis, node);
  // `example: ReasonPhrases.FORBIDDEN` (http-status-codes; stoker's `HttpStatusPhrases.FORBIDDEN`): the text
  // 'Forbidden', no helper that throws (session 48: it read "whoever calls it throws a 403").
  if (held && isReasonPhrase(analysis, node.parent as ts.PropertyAccessExpression)) {
    return phraseReason(
      `'${held.text}' of ${held.module}`,
      `(403), held here under '${held.holder}'`,
      held.text,
      'hold',
      target,
    );
  }
  if (held)
    return `'${held.text}' of ${held.module} (its ${node.text} helper, a 403) is held here under '${held.holder}', not called: whoever calls it throws a 403. Hold the ${target} one (${counterpart(held.text, target)}) for mTLS routes, or keep it on purpose with // mtls-fix-ignore: <why>.`;
  const call = calledThroughHolder(analysis, node, context);
  if (!call) return undefined;
  const access = node.parent as ts.PropertyAccessExpression;
  const written = shorten(access.getText(analysis.sourceFile));
  return `'${written}(…)' calls ${call.module}'s ${call.text} (held at ${call.at}), which throws a 403: call the ${target} one (${counterpart(written, target)}, if the holder has it) where a client certificate is missing or rejected, or keep it on purpose with // mtls-fix-ignore: <why>.`;
}

/** `forbidden: httpErrors.forbidden` / `const deny = createError.Forbidden`: `node` names a package member held, not called. */
function heldHere(analysis: FileAnalysis, node: ts.Identifier): PackageHelper | undefined {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return undefined;
  // Through parentheses and casts (`httpErrors.forbidden as F`).
  const holder = outerParent(access);
  const holds = (initializer: ts.Expression | undefined): boolean =>
    initializer !== undefined && skipOuter(initializer) === access;
  let name: string | undefined;
  if (ts.isPropertyAssignment(holder) && holds(holder.initializer) && ts.isIdentifier(holder.name))
    name = holder.name.text;
  else if (ts.isVariableDeclaration(holder) && holds(holder.initializer) && ts.isIdentifier(holder.name))
    name = holder.name.text;
  if (name === undefined) return undefined;
  return packageMember(analysis, access, name);
}

/** `errors.forbidden(…)` where `errors.forbidden` is declared as a package's helper (this file or an imported one). */
function calledThroughHolder(
  analysis: FileAnalysis,
  node: ts.Identifier,
  context: ClassifyContext,
): PackageHelper | undefined {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return undefined;
  const call = access.parent;
  if (!(ts.isCallExpression(call) || ts.isNewExpression(call)) || call.expression !== access)
    return undefined;
  const found = declarationOf(analysis, node, [], context.imported);
  if (!found || !ts.isPropertyAssignment(found.node) || !ts.isIdentifier(found.node.name)) return undefined;
  const value = skipOuter(found.node.initializer);
  return ts.isPropertyAccessExpression(value)
    ? packageMember(found.analysis, value, found.node.name.text)
    : undefined;
}

/** A member of a package import (`httpErrors.forbidden`, `createError.Forbidden`), named where it is held. */
function packageMember(
  analysis: FileAnalysis,
  access: ts.PropertyAccessExpression,
  holder: string,
): PackageHelper | undefined {
  let root: ts.Expression = access.expression;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return undefined;
  const module = analysis.importOf(root.text)?.module;
  if (!module || /^(?:\.|\/|#|~|@\/)/.test(module)) return undefined;
  // `StatusCodes.FORBIDDEN`, `http2.constants.HTTP_STATUS_FORBIDDEN`: a status library's number, no helper.
  if (analysis.libraryConstant(access) !== undefined) return undefined;
  const { line } = lineAndCharacterAt(analysis.sourceFile, access.getStart(analysis.sourceFile));
  return { text: access.getText(analysis.sourceFile), module, at: `${analysis.file}:${line + 1}`, holder };
}

/**
 * The reason for a name whose declaration, in this file or an analysed one it imports, is the reason phrase
 * itself: `export const FORBIDDEN = "Forbidden"` of a project copy of stoker's phrases (agent-cal's
 * `@/lib/misc/http-status-phrases`, read as `HttpStatusPhrases.FORBIDDEN` in a schema's example). Session 48: it
 * was "a shape mtls-fix does not know". Undefined for any other name.
 */
export function projectPhraseReason(
  analysis: FileAnalysis,
  node: ts.Identifier,
  context: ClassifyContext,
): string | undefined {
  const found = declarationOf(analysis, node, [], context.imported);
  const declaration = found?.node;
  if (!found || !declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer)
    return undefined;
  const value = skipOuter(declaration.initializer);
  if (!ts.isStringLiteralLike(value) || value.text !== 'Forbidden') return undefined;
  const source = found.analysis.sourceFile;
  const line = lineAndCharacterAt(source, declaration.getStart(source)).line + 1;
  const access = node.parent;
  const written =
    ts.isPropertyAccessExpression(access) && access.name === node
      ? access.getText(analysis.sourceFile)
      : node.text;
  return phraseReason(
    `'${written}'`,
    `(403, declared at ${found.analysis.file}:${line})`,
    written,
    'use',
    analysis.target,
  );
}

/**
 * The reason for the phrase 'Forbidden' held under a name: `subject` as the reason names it, `detail` where it
 * comes from, `written` the name as written (its `FORBIDDEN` becomes the target's constant name).
 */
function phraseReason(
  subject: string,
  detail: string,
  written: string,
  verb: string,
  target: number,
): string {
  const name = CONSTANT_NAMES[target];
  const instead = name
    ? `${written.replace(/FORBIDDEN$/, name)} ('${reasonPhrase(target)}')`
    : `the ${target} phrase`;
  return `${subject} is the reason phrase 'Forbidden' ${detail}: nothing is sent here. Where what it describes (a documented example, a response) becomes ${target}, ${verb} ${instead}, or keep it on purpose with // mtls-fix-ignore: <why>.`;
}

/** `ReasonPhrases.FORBIDDEN` of http-status-codes, `HttpStatusPhrases.FORBIDDEN` of stoker's phrase module. */
function isReasonPhrase(analysis: FileAnalysis, access: ts.PropertyAccessExpression): boolean {
  return (
    access.name.text === 'FORBIDDEN' &&
    ts.isIdentifier(access.expression) &&
    isPhraseTable(analysis.importOf(access.expression.text))
  );
}

/** The same name for the target status: `httpErrors.forbidden` → `httpErrors.unauthorized` (401), case kept. */
function counterpart(text: string, target: number): string {
  const word = target === 401 ? 'unauthorized' : target === 404 ? 'notFound' : undefined;
  if (!word) return `the ${target} helper`;
  return text.replace(/forbidden/gi, (found) =>
    found === found.toUpperCase()
      ? word.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()
      : found[0] === 'F'
        ? word[0].toUpperCase() + word.slice(1)
        : word,
  );
}
