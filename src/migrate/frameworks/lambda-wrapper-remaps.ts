import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import { handlerFunction } from '../remaps-handlers.js';
import { enclosingFunction } from '../scope.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** A status a Lambda handler's wrapper answers in place of the 403 its handler returns. */
export interface WrapperRemap {
  /** The status the wrapper answers for 403. */
  status: number;
  /** The wrapper as called (`wrap`, `middy(…).use(remap403())`), for the reason. */
  via: string;
  /** Where the remap is written, `file:line`. */
  at: string;
}

/** Keys of a Lambda result that carry its status. */
const STATUS_KEY = /^(statusCode|status)$/;

/**
 * The remap of the wrapper a Lambda handler is handed to, when its result is the handler's answer only after the
 * wrapper saw it: `export const handler = wrap(base)` (or `wrap(async (event) => …)`) where `wrap`'s function,
 * followed to where it is written (remaps-handlers.ts `handlerFunction`: local, imported, a factory), tests 403
 * and answers another status (`if (r.statusCode === 403) return { ...r, statusCode: 401 }`,
 * `r.statusCode === 403 ? 404 : r.statusCode`, `result.statusCode = 401` in that branch, or a table read by the
 * status, `REMAP[r.statusCode] ?? r.statusCode` of `const REMAP = { 403: 401 }`); and middy's
 * `middy(base).use(m)` where a middleware's `after` does so on `request.response`. Undefined when the function
 * returning `object` is handed to no such wrapper in its file, or the wrapper holds no remap mtls-fix can read.
 */
export function wrapperRemapOf(analysis: FileAnalysis, object: ts.Node): WrapperRemap | undefined {
  const fn = enclosingFunction(object);
  if (!fn) return undefined;
  for (const call of wrappingCalls(analysis, fn)) {
    const remap = remapOfCall(analysis, call);
    if (remap) return remap;
  }
  return undefined;
}

/** The calls `fn` is handed to as their first argument: in place, or by the name it is declared under. */
function wrappingCalls(analysis: FileAnalysis, fn: ts.Node): ts.CallExpression[] {
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  if (ts.isCallExpression(value.parent) && value.parent.arguments[0] === value) return [value.parent];
  const name =
    ts.isFunctionDeclaration(fn) && fn.name
      ? fn.name.text
      : ts.isVariableDeclaration(value.parent) && ts.isIdentifier(value.parent.name)
        ? value.parent.name.text
        : undefined;
  if (!name) return [];
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const first = node.arguments[0] && skipOuter(node.arguments[0]);
      if (first && ts.isIdentifier(first) && first.text === name) calls.push(node);
    }
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  return calls;
}

/** The remap a wrapping call applies: middy's `.use(…)` middlewares, else the called function's own body. */
function remapOfCall(analysis: FileAnalysis, call: ts.CallExpression): WrapperRemap | undefined {
  const callee = skipOuter(call.expression);
  const binding = ts.isIdentifier(callee) ? analysis.importOf(callee.text) : undefined;
  if (binding?.module === '@middy/core') {
    let node: ts.Node = call;
    while (
      ts.isPropertyAccessExpression(node.parent) &&
      node.parent.name.text === 'use' &&
      ts.isCallExpression(node.parent.parent)
    ) {
      const use = node.parent.parent;
      for (const argument of use.arguments) {
        const middleware = skipOuter(argument);
        const target = ts.isCallExpression(middleware) ? middleware.expression : middleware;
        const found = ts.isObjectLiteralExpression(middleware)
          ? { fn: middleware, sourceFile: analysis.sourceFile, file: analysis.file }
          : handlerFunction(target, analysis);
        const remap = found && remapIn(found.fn, found.sourceFile, found.file);
        if (remap) return { ...remap, via: shortText(`${callee.getText()}(…).use(${middleware.getText()})`) };
      }
      node = use;
    }
    return undefined;
  }
  const found = handlerFunction(callee, analysis);
  const remap = found && remapIn(found.fn, found.sourceFile, found.file);
  return remap && { ...remap, via: shortText(callee.getText()) };
}

/** The first remap of 403 written in `root` (see {@link wrapperRemapOf}). */
function remapIn(
  root: ts.Node,
  sourceFile: ts.SourceFile,
  file: string,
): Omit<WrapperRemap, 'via'> | undefined {
  let found: { status: number; node: ts.Node } | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIfStatement(node) && testsForbidden(node.expression)) {
      const status = writtenStatus(node.thenStatement);
      if (status !== undefined) found = { status, node };
    } else if (ts.isConditionalExpression(node) && testsForbidden(node.condition)) {
      const status = numberOf(node.whenTrue) ?? writtenStatus(node.whenTrue);
      if (status !== undefined) found = { status, node };
    } else if (
      ts.isElementAccessExpression(node) &&
      /\.(statusCode|status)$/.test(skipOuter(node.argumentExpression).getText(sourceFile))
    ) {
      const status = tableEntry(skipOuter(node.expression), sourceFile);
      if (status !== undefined) found = { status, node };
    }
    node.forEachChild(visit);
  };
  visit(root);
  if (!found) return undefined;
  const line = lineAndCharacterAt(sourceFile, found.node.getStart(sourceFile)).line + 1;
  return { status: found.status, at: `${file}:${line}` };
}

/** `x.statusCode === 403` (either side, `==` too). */
function testsForbidden(condition: ts.Expression): boolean {
  const node = skipOuter(condition);
  if (!ts.isBinaryExpression(node)) return false;
  const kind = node.operatorToken.kind;
  if (kind === ts.SyntaxKind.AmpersandAmpersandToken)
    return testsForbidden(node.left) || testsForbidden(node.right);
  if (kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && kind !== ts.SyntaxKind.EqualsEqualsToken)
    return false;
  const sides = [skipOuter(node.left), skipOuter(node.right)];
  const status = sides.find((s) => numberOf(s) === 403);
  const other = sides.find((s) => s !== status);
  return Boolean(status && other && /(statusCode|status)$/.test(other.getText()));
}

/** The status a branch writes: `{ …r, statusCode: 401 }` (returned or assigned), `r.statusCode = 401`. */
function writtenStatus(branch: ts.Node): number | undefined {
  let status: number | undefined;
  const visit = (node: ts.Node): void => {
    if (status !== undefined) return;
    if (ts.isPropertyAssignment(node) && STATUS_KEY.test(node.name.getText()))
      status = numberOf(node.initializer);
    else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(skipOuter(node.left)) &&
      STATUS_KEY.test((skipOuter(node.left) as ts.PropertyAccessExpression).name.text)
    )
      status = numberOf(node.right);
    node.forEachChild(visit);
  };
  visit(branch);
  return status;
}

/** The value keyed 403 in the top-level `const` table `owner` names (`const REMAP = { 403: 401 }`). */
function tableEntry(owner: ts.Expression, sourceFile: ts.SourceFile): number | undefined {
  if (!ts.isIdentifier(owner)) return undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== owner.text) continue;
      const value = declaration.initializer && skipOuter(declaration.initializer);
      if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
      const entry = value.properties.find(
        (p): p is ts.PropertyAssignment =>
          ts.isPropertyAssignment(p) &&
          (ts.isNumericLiteral(p.name) || ts.isStringLiteral(p.name)) &&
          Number(p.name.text) === 403,
      );
      return entry && numberOf(entry.initializer);
    }
  }
  return undefined;
}

function numberOf(expression: ts.Expression): number | undefined {
  const node = skipOuter(expression);
  return ts.isNumericLiteral(node) ? Number(node.text) : undefined;
}

function shortText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
