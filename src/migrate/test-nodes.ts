import ts from '../typescript.cjs';
import { isFunctionNode, unwrap, type Declaration } from './routes/project.js';
import { lineAndCharacterAt } from '../util/lines.js';

// Small syntax questions the test follower asks of a node in a test or in the code it reaches (test-follow.ts,
// test-unit-walk.ts, test-assertion-place.ts): is it a name only, a class member, a function under a name.

/** An identifier that only names something (a property name, a declaration's own name), never a use. */
export function isNameOnly(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return true;
  if (ts.isPropertyAssignment(parent) && parent.name === identifier) return true;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return true;
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name === identifier
  );
}

/** A method, accessor, constructor or property of a class (the unit a test reaches through an instance). */
export function isClassMember(node: ts.Node): boolean {
  return (
    (ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isPropertyDeclaration(node)) &&
    (ts.isClassDeclaration(node.parent) || ts.isClassExpression(node.parent))
  );
}

/** `function C() {}`, or `const C = function () {}` / `var C = () => {}`: a function under a name. */
export function isFunctionDeclarationOrValue(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node)) return true;
  return ts.isVariableDeclaration(node) && !!node.initializer && isFunctionNode(unwrap(node.initializer));
}

/**
 * A module-level object its file gives members one by one: `const internals = {}` (hapi's style), or a function
 * that carries them, `var lusca = module.exports = function (options) {...}` with `lusca.csrf = require(...)`.
 */
export function isMemberHolder(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node)) return true;
  if (!ts.isVariableDeclaration(node) || !node.initializer) return false;
  let value = unwrap(node.initializer);
  // `var lusca = module.exports = function () {...}`
  while (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    value = unwrap(value.right);
  return ts.isObjectLiteralExpression(value) || isFunctionNode(value);
}

/** The units under test, for reasons: `FarmsService.remove (src/farms.ts), check (src/guard.ts) and 2 more`. */
export function unitNames(units: readonly Declaration[]): string {
  const names = unique(
    units.map((d) => {
      const named = d.node as ts.Node & { name?: ts.Node };
      let name = named.name && ts.isIdentifier(named.name) ? named.name.text : 'default';
      // A class member: `FarmsService.remove`, `Reports.constructor`
      if (isClassMember(d.node)) {
        const owner = (d.node.parent as ts.ClassLikeDeclaration).name?.text ?? 'class';
        name = `${owner}.${ts.isConstructorDeclaration(d.node) ? 'constructor' : name}`;
      }
      return `${name} (${d.file.relative})`;
    }),
  );
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
}

/** The 1-based line where `node` starts. */
export function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1;
}

/** The list without repeats, in first-seen order. */
export function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}
