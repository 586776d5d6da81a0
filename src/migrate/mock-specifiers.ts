import path from 'node:path';
import ts from '../typescript.cjs';
import { skipCasts } from './analysis/syntax.js';

/**
 * The module specifier a mock registration or a stub key names when it is not a string literal but is read at
 * no cost from the file alone: a `const` of the file holding such a string (`const POLICY = '../policy'`), a
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
    const value = constString(sourceFile, node.text);
    return value && readSpecifier(value, sourceFile, depth + 1);
  }
  // Vitest's `vi.mock(import('../policy'), …)`: the module of the import.
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0])
    return readSpecifier(node.arguments[0], sourceFile, depth + 1);
  if (ts.isCallExpression(node)) return dirnameJoin(node, sourceFile, depth);
  return undefined;
}

/** The initializer of a top-level `const name = …` of the file, when the file declares it once so. */
function constString(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
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
