import { isObjectFreeze, isOuter } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import { STATUS_KEYS, skipOuter, type FileAnalysis } from '../analysis.js';
import { enclosingFunction } from '../scope.js';
import { dataAnswerKind } from '../data-answers.js';
import type { Edit, NotAnEmitKind } from '../types.js';
import type { Framework } from './framework.js';
import { isModuleLevelDeclaration } from './result-types.js';
import { statusProperty } from './shared.js';
import { isExportedTableValue } from '../census-exports.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * Results that carry a status to a later `res.status(r.status)`, `reply.code(r[0])` or a Lambda wrapper:
 * - `return { ok: false, status: 403 }` (no framework result type): reported at the producer, with the
 *   literal type (`status: 400 | 403`) that must change with it;
 * - handler tuples `return [403, body]`: rewritten when the function's own return type is an inline tuple
 *   (`[403, Body]` changes with it, `[number, Body]` needs nothing), reported otherwise;
 * - a result declared once (`export const denied = { statusCode: 403, body }`, `const FORBIDDEN = { status: 403 }`):
 *   reported at the declaration, and at every use in a returned or spread position (`return denied`,
 *   `{ ...FORBIDDEN, headers }`), in this file or in a file importing it.
 * Runs after the framework modules: an object they claimed (a Lambda or Azure result) is theirs.
 */
export const results: Framework = {
  id: 'results',
  title: 'Results carried to a later response (reported)',
  enablers: [],
  kinds: [
    ts.SyntaxKind.ObjectLiteralExpression,
    ts.SyntaxKind.ArrayLiteralExpression,
    ts.SyntaxKind.Identifier,
  ],
  visit(node, analysis) {
    if (analysis.options.testFile) return;
    if (ts.isObjectLiteralExpression(node)) {
      objectResult(analysis, node);
      return;
    }
    if (ts.isArrayLiteralExpression(node) && isReturned(node)) {
      tuple(analysis, node);
      return;
    }
    if (ts.isIdentifier(node) && isResultUse(node)) sharedUse(analysis, node);
  },
};

function objectResult(analysis: FileAnalysis, object: ts.ObjectLiteralExpression): void {
  const key = [...STATUS_KEYS].find((k) => statusProperty(object, k));
  const slot = key ? statusProperty(object, key) : undefined;
  if (!slot) return;
  if (!analysis.forbiddenEdits(slot.value)) {
    // `respond(status, body) => ({ status, body })`: callers passing 403 are reported where they call it.
    const evaluation = isReturned(object) ? analysis.parameterOf(slot.value) : undefined;
    if (evaluation)
      analysis.helperParam(
        evaluation,
        object,
        'results',
        `Passes 403 to a helper that returns it as a result's '${key}' for a caller to send: if this answers an mTLS route, pass ${analysis.target}.`,
      );
    return;
  }
  if (isModuleLevelDeclaration(object)) {
    let holder: ts.Node = object.parent;
    while (!ts.isVariableDeclaration(holder)) holder = holder.parent;
    const name = holder.name.getText(analysis.sourceFile);
    analysis.addSite({
      node: object,
      framework: 'results',
      manual: true,
      reason: `The result '${name}' is declared once with status 403 and answers 403 wherever it is returned or spread: on mTLS routes return a ${analysis.target} result instead (uses are listed too); never edit the shared declaration.`,
    });
    return;
  }
  const exported = exportedResultName(object);
  if (exported) {
    // `exports.DENIED = { status: 403, message }`: the CommonJS spelling of `export const DENIED = { … }`
    // (session 48: "a 403 in a shape mtls-fix does not know").
    analysis.addSite({
      node: object,
      framework: 'results',
      manual: true,
      reason: `The result '${exported}' is declared once with status 403 and answers 403 wherever it is returned, spread or sent by its importers: on mTLS routes send a ${analysis.target} result instead; never edit the shared declaration.`,
    });
    return;
  }
  if (!isReturned(object)) return;
  // `reply.code(403); return { status: 403 }`: the returned body's mirror changes with the status the handler
  // just set (analysis/companions.ts), a rewrite of its own.
  if (rewrittenWithStatus(analysis, slot.value)) return;
  const answer = dataAnswerKind(object, analysis.sourceFile);
  if (answer) {
    // A server action, tRPC procedure or GraphQL resolver answers 200 with this object as data.
    markData(analysis, object, slot.node, answer);
    return;
  }
  const fn = enclosingFunction(object);
  const typeSites = fn ? literalTypes403(analysis, fn.type) : [];
  const at = lineAndCharacterAt(analysis.sourceFile, analysis.start(object)).line + 1;
  analysis.addSite({
    node: object,
    framework: 'results',
    manual: true,
    reason: `Returns a result with status 403 that a caller sends later (such as res.status(r.${key})): if it answers an mTLS route, make it ${analysis.target} here${typeSites.length ? ' and in its declared type' : ''}.`,
  });
  for (const literal of typeSites)
    analysis.addSite({
      node: literal,
      framework: 'results',
      manual: true,
      reason: `The result type allows 403 for the result returned at line ${at}: change it together with that result.`,
    });
}

/**
 * `exports.DENIED` of a top-level `exports.DENIED = { … }` (also `module.exports.DENIED`, `exports['DENIED']`), as
 * the file writes it: a result the module exports. Undefined for any other object.
 */
function exportedResultName(object: ts.ObjectLiteralExpression): string | undefined {
  let node: ts.Node = object;
  while (isOuter(node.parent)) node = node.parent;
  // `exports.DENIED = Object.freeze({ … })`: the frozen object is the one exported.
  if (isObjectFreeze(node.parent)) {
    node = node.parent;
    while (isOuter(node.parent)) node = node.parent;
  }
  const assignment = node.parent;
  if (
    !ts.isBinaryExpression(assignment) ||
    assignment.right !== node ||
    !isExportedTableValue(assignment) ||
    !ts.isExpressionStatement(assignment.parent) ||
    !ts.isSourceFile(assignment.parent.parent)
  )
    return undefined;
  return assignment.left.getText();
}

/** Whether a rewrite this file already has edits the status value (a companion of the status set before it). */
function rewrittenWithStatus(analysis: FileAnalysis, value: ts.Expression): boolean {
  const start = value.getStart(analysis.sourceFile);
  const end = value.getEnd();
  // An edit of the whole value (`403`) or of a part of it (`HttpStatus.FORBIDDEN`'s member name).
  return analysis.sites.some(
    (s) => s.kind === 'rewrite' && s.edits.some((e) => e.start < end && start < e.end),
  );
}

/** `return [403, body]`: a [status, body] tuple a wrapper sends. */
function tuple(analysis: FileAnalysis, array: ts.ArrayLiteralExpression): void {
  const [first, second] = array.elements;
  if (!first || !second || array.elements.length > 3 || ts.isSpreadElement(first)) return;
  const edits = analysis.forbiddenEdits(first);
  if (!edits) return;
  // `[403, 'Forbidden']`-like pairs of numbers are maps, not results; a body is anything else.
  if (ts.isNumericLiteral(skipOuter(second))) return;
  const answer = dataAnswerKind(array, analysis.sourceFile);
  if (answer) {
    analysis.notAnEmit(first, answer);
    return;
  }
  const fn = enclosingFunction(array);
  const typeEdits = fn ? tupleTypeEdits(analysis, fn.type) : undefined;
  if (typeEdits) {
    analysis.addSite({ node: array, at: first, framework: 'results', edits: [...edits, ...typeEdits] });
    return;
  }
  analysis.addSite({
    node: array,
    at: first,
    framework: 'results',
    manual: true,
    reason: `Returns a [403, body] tuple that a wrapper sends: if it answers an mTLS route, make it ${analysis.target} here (and in any type that lists 403 for it).`,
  });
}

/**
 * Edits for the function's own return type when it is an inline tuple (or a union of them, or a Promise of
 * one): a `403` first element becomes the target, `number` needs nothing. Undefined when the type is named
 * elsewhere or absent (the caller reports instead).
 */
function tupleTypeEdits(analysis: FileAnalysis, type: ts.TypeNode | undefined): Edit[] | undefined {
  if (!type) return undefined;
  let node = type;
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Promise') {
    const inner = node.typeArguments?.[0];
    if (!inner) return undefined;
    node = inner;
  }
  const tuples = ts.isUnionTypeNode(node) ? node.types : [node];
  if (!tuples.every((t) => ts.isTupleTypeNode(t))) return undefined;
  const edits: Edit[] = [];
  for (const t of tuples as ts.TupleTypeNode[]) {
    const head = t.elements[0];
    if (
      head &&
      ts.isLiteralTypeNode(head) &&
      ts.isNumericLiteral(head.literal) &&
      Number(head.literal.text) === 403
    )
      edits.push(analysis.replace(head.literal, String(analysis.target)));
  }
  return edits;
}

/** Literal `403` types in a function's inline return type, or in the local type alias/interface it names. */
function literalTypes403(analysis: FileAnalysis, type: ts.TypeNode | undefined): ts.Node[] {
  if (!type) return [];
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isLiteralTypeNode(node) && ts.isNumericLiteral(node.literal) && Number(node.literal.text) === 403)
      found.push(node);
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const local = localType(analysis, node.typeName.text);
      if (local && !seen.has(local)) {
        seen.add(local);
        visit(local);
      }
    }
    node.forEachChild(visit);
  };
  const seen = new Set<ts.Node>();
  visit(type);
  return found;
}

function localType(analysis: FileAnalysis, name: string): ts.Node | undefined {
  return analysis.sourceFile.statements.find(
    (s) => (ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) && s.name.text === name,
  );
}

/** `return denied`, `=> denied`, `callback(null, denied)`, `{ ...FORBIDDEN, headers }` as a result. */
function isResultUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isSpreadAssignment(parent) && parent.expression === node) {
    let object: ts.Node = parent.parent;
    while (isOuter(object.parent)) object = object.parent;
    return (
      isReturned(object) || ts.isVariableDeclaration(object.parent) || ts.isCallExpression(object.parent)
    );
  }
  if (isReturned(node)) return true;
  return (
    ts.isCallExpression(parent) &&
    parent.arguments.length === 2 &&
    parent.arguments[1] === node &&
    parent.arguments[0].kind === ts.SyntaxKind.NullKeyword
  );
}

/** A use of a shared result declared with status 403 (here, or in an imported module). */
function sharedUse(analysis: FileAnalysis, node: ts.Identifier): void {
  const origin = sharedOrigin(analysis, node);
  if (!origin) return;
  const form = ts.isSpreadAssignment(node.parent) ? node.parent.parent : node;
  const answer = dataAnswerKind(form, analysis.sourceFile);
  if (answer) {
    analysis.notAnEmit(node, answer);
    return;
  }
  analysis.addSite({
    node: form,
    at: node,
    framework: 'results',
    manual: true,
    reason: `Returns '${node.text}', a result declared with status 403 (${origin}): if this answers an mTLS route, return a ${analysis.target} result here instead.`,
  });
}

/**
 * Where a shared result whose status key holds 403 is declared (`line N` of this file, or `imported from 'm'`), for
 * a name read here; undefined when the name holds no such result (or is that declaration itself).
 */
export function sharedOrigin(analysis: FileAnalysis, node: ts.Identifier): string | undefined {
  const declaration = analysis.sourceFile.statements
    .filter(ts.isVariableStatement)
    .flatMap((s) => [...s.declarationList.declarations])
    .find((d) => ts.isIdentifier(d.name) && d.name.text === node.text);
  if (declaration) {
    if (declaration === node.parent) return undefined;
    const init = declaration.initializer && skipOuter(declaration.initializer);
    if (!init || !ts.isObjectLiteralExpression(init)) return undefined;
    const has403 = [...STATUS_KEYS].some((k) => {
      const slot = statusProperty(init, k);
      return slot !== undefined && analysis.forbiddenEdits(slot.value) !== undefined;
    });
    if (!has403) return undefined;
    const line = lineAndCharacterAt(analysis.sourceFile, analysis.start(declaration)).line + 1;
    return `line ${line}`;
  }
  const binding = analysis.imports.get(node.text);
  const link = analysis.options.link;
  if (!binding || !link) return undefined;
  for (const key of STATUS_KEYS) {
    const member = link.member(binding, key);
    if (member?.value === 403) return `imported from '${binding.module}'`;
  }
  return undefined;
}

/**
 * Marks a data value's status and its literal siblings (`{ status: 403, error: 'Forbidden' }`) as not an emit of
 * `kind`; other members (a nested call, a nested object) stay for the modules and the census to place.
 */
function markData(
  analysis: FileAnalysis,
  object: ts.ObjectLiteralExpression,
  slot: ts.Node,
  kind: NotAnEmitKind,
): void {
  analysis.notAnEmit(slot, kind);
  const producer = outermostFunctionName(object);
  if (producer) analysis.dataProducers.add(producer);
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) || property === slot) continue;
    const value = skipOuter(property.initializer);
    if (ts.isStringLiteralLike(value) || ts.isNumericLiteral(value)) analysis.notAnEmit(property, kind);
  }
}

/**
 * The name of the exported top-level function holding `node`: `export async function del()`,
 * `export const del = async () =>`.
 */
function outermostFunctionName(node: ts.Node): string | undefined {
  let outer: ts.Node | undefined;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) outer = fn;
  if (!outer) return undefined;
  // Only exported ones: another file can call nothing else (and a common local name would make phase 2 parse
  // every file that says it).
  const exported = (node: ts.Node): boolean =>
    (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some(
      (m) => m.kind === ts.SyntaxKind.ExportKeyword,
    ) ?? false;
  if (ts.isFunctionDeclaration(outer)) return exported(outer) ? outer.name?.text : undefined;
  // Through a wrapping call: `export const del = actionClient.schema(s).action(async () => …)`.
  let holder = outer.parent;
  while (ts.isCallExpression(holder) || ts.isPropertyAccessExpression(holder)) holder = holder.parent;
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return undefined;
  const statement = holder.parent.parent;
  return ts.isVariableStatement(statement) && exported(statement) ? holder.name.text : undefined;
}

function isReturned(node: ts.Node): boolean {
  let current = node;
  // Through parentheses, casts and the branches of `cond ? a : b` (`return ok ? [200, x] : [403, y]`).
  while (
    isOuter(current.parent) ||
    ts.isAwaitExpression(current.parent) ||
    (ts.isConditionalExpression(current.parent) && current.parent.condition !== current)
  )
    current = current.parent;
  const parent = current.parent;
  return ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === current);
}
