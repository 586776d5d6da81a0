import path from 'node:path';
import ts from '../typescript.cjs';
import { skipCasts } from './analysis/syntax.js';
import { nodePath } from './node-path.js';

/**
 * The module specifier a mock registration or a stub key names when it is not a string literal but is read at
 * no cost from the file alone: a `const` holding such a string (`const POLICY = '../policy'`) declared at the
 * file's top level or in a block around the registration (a `describe` callback, a setup function), a
 * template whose parts are all such strings, `'a' + 'b'`, and `path.join(__dirname, '../policy')` /
 * `path.resolve(__dirname, …)` with string parts (read as a path from the test file: `../policy`), `path.join` of
 * strings alone (`path.join('..', 'lib')`: `../lib`, the string the runner is handed). Undefined for
 * anything else (`${process.cwd()}/lib/policy`, a parameter, a call): the caller names it.
 */
export function readSpecifier(
  expression: ts.Expression,
  sourceFile: ts.SourceFile,
  depth = 0,
): string | undefined {
  if (depth > 4) return undefined;
  const node = skipCasts(expression);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = readSpecifier(span.expression, sourceFile, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = readSpecifier(node.left, sourceFile, depth + 1);
    const right = left === undefined ? undefined : readSpecifier(node.right, sourceFile, depth + 1);
    return right === undefined ? undefined : `${left}${right}`;
  }
  if (ts.isIdentifier(node)) {
    const value = constString(node, sourceFile);
    return value && readSpecifier(value, sourceFile, depth + 1);
  }
  // Vitest's `vi.mock(import('../policy'), …)`: the module of the import.
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0])
    return readSpecifier(node.arguments[0], sourceFile, depth + 1);
  if (ts.isCallExpression(node)) return dirnameJoin(node, sourceFile, depth);
  return undefined;
}

/**
 * The initializer of the `const name = …` that `name` reads: the nearest block around it (a `describe` callback,
 * a setup function, the file) whose own statements declare it so, as JavaScript scopes it. A `let`, a parameter
 * (which hides a const around it) or a destructured name is not read.
 */
function constString(name: ts.Identifier, sourceFile: ts.SourceFile): ts.Expression | undefined {
  // A tree parsed without parents (the route graph's) is walked down to the name instead.
  const around = name.parent ? ancestors(name) : nodePath(sourceFile, name.getStart(sourceFile)).reverse();
  for (const node of around) {
    const statements =
      ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) ? node.statements : undefined;
    const found = statements && constIn(statements, name.text);
    if (found) return found;
    // `function setup(p) { jest.mock(p, …) }`: a parameter of that name hides any const around it.
    if (
      ts.isFunctionLike(node) &&
      node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name.text)
    )
      return undefined;
  }
  return undefined;
}

/** The nodes around `node`, innermost first, up to its file. */
function ancestors(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  for (let at = node.parent; at; at = at.parent) out.push(at);
  return out;
}

/** The initializer of `const name = …` among `statements`, when one of them declares it so. */
function constIn(statements: readonly ts.Statement[], name: string): ts.Expression | undefined {
  for (const statement of statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
      continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer;
  }
  return undefined;
}

/** Names `path` is commonly bound to (`const path = require('path')`, `import * as nodePath from 'node:path'`). */
const PATH_NAMES = /^(path|nodePath|Path|pathModule|pathLib)$/;

/**
 * `path.join(__dirname, '../policy')` (or `path.resolve`, `join(__dirname, …)`, `import.meta.dirname`): the path
 * from the test file's folder, as a relative specifier (`../policy`, `./fakes/policy`). Node.js "path.join",
 * "path.resolve": an absolute later part starts over, so one is not read.
 */
function dirnameJoin(call: ts.CallExpression, sourceFile: ts.SourceFile, depth: number): string | undefined {
  const callee = skipCasts(call.expression);
  const name = ts.isPropertyAccessExpression(callee)
    ? ts.isIdentifier(callee.expression) && PATH_NAMES.test(callee.expression.text) && callee.name.text
    : ts.isIdentifier(callee) && callee.text;
  if (name !== 'join' && name !== 'resolve') return undefined;
  const [first, ...rest] = call.arguments;
  const base = first && skipCasts(first);
  const fromHere =
    base !== undefined &&
    ((ts.isIdentifier(base) && base.text === '__dirname') ||
      (ts.isPropertyAccessExpression(base) &&
        base.name.text === 'dirname' &&
        ts.isMetaProperty(base.expression)));
  // `path.join('..', 'lib', 'index')`: every part a string, the string handed over is their join as written.
  if (!fromHere) {
    if (name !== 'join') return undefined;
    const parts = call.arguments.map((a) => readSpecifier(a, sourceFile, depth + 1));
    return parts.every((p): p is string => p !== undefined) && parts.length
      ? path.posix.join(...parts)
      : undefined;
  }
  if (!rest.length) return undefined;
  const parts: string[] = [];
  for (const argument of rest) {
    const part = readSpecifier(argument, sourceFile, depth + 1);
    if (part === undefined || part.startsWith('/')) return undefined;
    parts.push(part);
  }
  const joined = path.posix.join('.', ...parts);
  return joined.startsWith('.') ? joined : `./${joined}`;
}
