import ts from '../typescript.cjs';
import { isExportsObject } from './analysis/export-names.js';
import { isObjectFreeze, outerParent, skipOuter } from './analysis/syntax.js';

/**
 * CommonJS exports as the census reads a 403 held in one (census-values.ts): the module's exports object is a
 * table of named constants, read by importers as `require('./codes').DENIED`, `const { DENIED } = require(…)`
 * or `codes.DENIED`, as `export const DENIED = 403` is read by its importers. The shapes (declarations.ts
 * `moduleExports` reads the same ones for the importers' values):
 * - `exports.DENIED = 403`, `module.exports.DENIED = 403` (also `exports['DENIED'] = 403`);
 * - an entry of `module.exports = { DENIED: 403 }` (also frozen, also `exports = module.exports = { … }`);
 * - an entry of `Object.assign(module.exports, { DENIED: 403 })` (also on `exports`).
 */

/** The name under which `module.exports` is read in reasons: the table every shape above fills. */
export const EXPORTS_TABLE = 'module.exports';

/** A CommonJS export holding a 403: its exported name, what declares it, and whether a sibling holds `target`. */
export interface CommonJsEntry {
  name: string;
  /** The assignment (`exports.DENIED = 403`) or the object entry (`DENIED: 403`). */
  declared: ts.BinaryExpression | ts.PropertyAssignment;
  /** Whether the exports object holds the agreed status under another name too (`exports.UNAUTHORIZED = 401`). */
  hasTarget: boolean;
  /**
   * The export as the file spells it, for messages: `exports.DENIED`, `module.exports.DENIED`,
   * `exports['DENIED']` as assigned; `module.exports.DENIED` / `exports.DENIED` for an entry of an object
   * literal given to `module.exports = …` or `Object.assign(exports, …)`. Before session 48 every shape was
   * named `module.exports.DENIED`.
   */
  written: string;
}

/** The export a 403 (`node`, its value) is held in, or undefined when it is none of the shapes above. */
export function commonJsEntry(node: ts.Node, target: number): CommonJsEntry | undefined {
  const parent = outerParent(node, true);
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    skipOuter(parent.right) === skipOuter(node as ts.Expression)
  ) {
    const name = exportedKey(parent.left);
    return name === undefined
      ? undefined
      : {
          name,
          declared: parent,
          hasTarget: assignsTarget(node.getSourceFile(), target),
          written: skipOuter(parent.left).getText(),
        };
  }
  if (!ts.isPropertyAssignment(parent) || !isExportsLiteral(parent.parent)) return undefined;
  const key = parent.name;
  if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
  const hasTarget = parent.parent.properties.some(
    (p) => ts.isPropertyAssignment(p) && holds(p.initializer, target),
  );
  return {
    name: key.text,
    declared: parent,
    hasTarget,
    written: `${exportsSpelling(parent.parent)}.${key.text}`,
  };
}

/**
 * How the file names the exports object an exports literal fills: `exports` for `Object.assign(exports, { … })`
 * and `exports = { … }`, else `module.exports`.
 */
function exportsSpelling(object: ts.ObjectLiteralExpression): string {
  const frozen = outerParent(object, true);
  const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  const filled =
    ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken
      ? holder.left
      : ts.isCallExpression(holder)
        ? holder.arguments[0]
        : undefined;
  const text = filled ? skipOuter(filled).getText() : EXPORTS_TABLE;
  return text === 'exports' ? 'exports' : EXPORTS_TABLE;
}

/**
 * Whether an object literal is the module's exports: the value of `module.exports = …` (also frozen, also
 * `exports = module.exports = …`) or a source of `Object.assign(module.exports, …)`.
 */
export function isExportsLiteral(object: ts.Node): object is ts.ObjectLiteralExpression {
  if (!ts.isObjectLiteralExpression(object)) return false;
  const frozen = outerParent(object, true);
  const holder = isObjectFreeze(frozen) ? outerParent(frozen, true) : frozen;
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return isExportsObject(skipOuter(holder.left));
  if (!ts.isCallExpression(holder) || holder.arguments[0] === undefined) return false;
  const callee = holder.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Object' &&
    callee.name.text === 'assign' &&
    isExportsObject(skipOuter(holder.arguments[0])) &&
    holder.arguments[0] !== frozen
  );
}

/**
 * Whether an identifier or string key is the exported name of an assignment to the exports object (`DENIED` of
 * `exports.DENIED = …`, `exports['DENIED'] = …`): the export's declaration, never a read of it.
 */
export function isExportedName(node: ts.Identifier | ts.StringLiteralLike): boolean {
  const access = node.parent;
  const named =
    (ts.isPropertyAccessExpression(access) && access.name === node) ||
    (ts.isElementAccessExpression(access) && access.argumentExpression === node);
  if (!named) return false;
  const assignment = outerParent(access);
  return (
    isExportsObject(skipOuter(access.expression)) &&
    ts.isBinaryExpression(assignment) &&
    assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    skipOuter(assignment.left) === access
  );
}

/**
 * Whether an identifier is a shorthand entry of the module's exports (`DENIED` of `module.exports = { DENIED }`)
 * or the value of `exports.DENIED = DENIED`: the module hands its constant on, as `export { DENIED }` does, and
 * reads no status there.
 */
export function isExportedValue(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return isExportsLiteral(parent.parent);
  const assignment = outerParent(node);
  return (
    ts.isBinaryExpression(assignment) &&
    assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    skipOuter(assignment.right) === node &&
    exportedKey(assignment.left) !== undefined
  );
}

/**
 * Whether `node` is the value of an assignment to an export (`exports.STATUS = { … }`, `module.exports.STATUS =
 * …`, `exports['STATUS'] = …`): a table the module exports under that name, as `export const STATUS = { … }` does.
 */
export function isExportedTableValue(node: ts.Node): boolean {
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    exportedKey(node.left) !== undefined
  );
}

/** `DENIED` of `exports.DENIED`, `module.exports.DENIED`, `exports['DENIED']`; else undefined. */
function exportedKey(left: ts.Expression): string | undefined {
  const target = skipOuter(left);
  if (ts.isPropertyAccessExpression(target) && isExportsObject(skipOuter(target.expression)))
    return target.name.text;
  if (
    ts.isElementAccessExpression(target) &&
    ts.isStringLiteralLike(target.argumentExpression) &&
    isExportsObject(skipOuter(target.expression))
  )
    return target.argumentExpression.text;
  return undefined;
}

/** Whether a top-level `exports.X = <target>` of the file exports the agreed status too. */
function assignsTarget(sourceFile: ts.SourceFile, target: number): boolean {
  return sourceFile.statements.some(
    (s) =>
      ts.isExpressionStatement(s) &&
      ts.isBinaryExpression(s.expression) &&
      s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      exportedKey(s.expression.left) !== undefined &&
      holds(s.expression.right, target),
  );
}

function holds(value: ts.Expression, target: number): boolean {
  const inner = skipOuter(value);
  return ts.isNumericLiteral(inner) && Number(inner.text) === target;
}

/**
 * Whether an identifier names a CommonJS export whose value is a literal (`ERR_STATUS_FORBIDDEN` of
 * `module.exports.ERR_STATUS_FORBIDDEN = 403`, `ERR_MESSAGE_FORBIDDEN` of `exports.ERR_MESSAGE_FORBIDDEN = 'No'`):
 * a constant's declaration, as the name of `export const X = 403` is; its 403, if any, is counted at the value.
 */
export function isExportedLiteralName(node: ts.Identifier): boolean {
  if (!isExportedName(node)) return false;
  const assignment = outerParent(node.parent) as ts.BinaryExpression;
  const value = skipOuter(assignment.right);
  return ts.isNumericLiteral(value) || ts.isStringLiteralLike(value);
}
