import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { isExportsObject } from './declarations.js';
import { loadedByCall, type ImportBinding } from './imports.js';
import { isFunctionLike } from './scope.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * Census links (issue 8, census precision): a name holding Forbidden that no module claimed (`this.forbidden(id)`,
 * `throw forbiddenError`, `sendForbidden(res)`) is often a use of a declaration of the project whose 403 is
 * already accounted where it is declared: a helper method whose body the modules read, a shared error object
 * whose definition is a site. Such a use is counted as not an emit of kind `reference`, naming the definition,
 * instead of a new "unknown shape" manual site.
 */

/** A declaration in an analysed file, with the sites the modules found in that file (before the census). */
export interface FoundDeclaration {
  analysis: FileAnalysis;
  node: ts.Node;
  sites: readonly Site[];
}

/** Finds the declaration an imported binding names in another analysed file (the engine's cross-file links). */
export type ImportedDeclarations = (binding: ImportBinding) => FoundDeclaration | undefined;

/** The definition a use links to: where it is (`src/errors.ts:3`) and the site there, when one covers it. */
export interface DeclarationLink {
  /** `file:line` of the declaration, 1-based line. */
  via: string;
  site?: Site;
}

/**
 * The definition an identifier occurrence links to, or undefined when it must stay an unknown shape:
 * - `this.name` in a class that declares the method or property `name`;
 * - a bare `name` declared in the file's scope (function, variable, class), or imported from an analysed file;
 * - the declaration qualifies when it is function-like (its body is read by the modules and the census, so
 *   every 403 it holds is accounted there), when a site the modules found lies inside it (a shared error
 *   object `const forbiddenError = new HttpException('x', 403)`), or when it is a variable whose initializer
 *   holds no 403 form at all (`const forbidden = args.constraints[0]`: only its name says Forbidden). A class
 *   with no site inside stays unknown: its 403 may come from code the project does not hold (a library
 *   mapping the class name), and so does a variable initialised from something named for 403.
 */
export function linkOf(
  analysis: FileAnalysis,
  identifier: ts.Identifier,
  localSites: readonly Site[],
  holds403: (text: string) => boolean,
  imported?: ImportedDeclarations,
): DeclarationLink | undefined {
  const found = declarationOf(analysis, identifier, localSites, imported);
  return found && linkTo(found, holds403);
}

/**
 * The link to a declaration found by other means (a method the project installs on a framework object,
 * installed-methods.ts), under the same rules as {@link linkOf}: undefined when it must stay an unknown shape.
 */
export function linkTo(
  found: FoundDeclaration,
  holds403: (text: string) => boolean,
): DeclarationLink | undefined {
  const { node } = found;
  const source = found.analysis.sourceFile;
  const start = node.getStart(source);
  const site = found.sites.find(
    (s) => s.file === found.analysis.file && s.span.start < node.end && s.span.end > start,
  );
  if (!site && !isFunctionDeclaration(node) && !isPlainValue(node, source, holds403)) return undefined;
  const line = lineAndCharacterAt(source, start).line + 1;
  return { via: `${found.analysis.file}:${line}`, site };
}

/**
 * The declaration an identifier names: in the file's scope, a member of `this` or of an imported module, or an
 * import resolved by `imported`; undefined when none is known.
 */
export function declarationOf(
  analysis: FileAnalysis,
  identifier: ts.Identifier,
  localSites: readonly Site[],
  imported?: ImportedDeclarations,
): FoundDeclaration | undefined {
  const parent = identifier.parent;
  const here = (node: ts.Node | undefined): FoundDeclaration | undefined =>
    node && node !== identifier.parent ? { analysis, node, sites: localSites } : undefined;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) {
    if (parent.expression.kind === ts.SyntaxKind.ThisKeyword)
      return here(classMember(parent, identifier.text));
    // `exports.name = value` (CommonJS): the definition itself, or the local it exports.
    const assigned = commonJsExport(parent);
    if (assigned) {
      const value = skipParentheses(assigned.right);
      return ts.isIdentifier(value) ? declarationOf(analysis, value, localSites, imported) : here(assigned);
    }
    // `response.errorForbidden(req, res)` with `const response = require('./response')` (or `import * as`).
    const owner = parent.expression;
    const binding = ts.isIdentifier(owner) ? analysis.importOf(owner.text) : undefined;
    if (binding && (binding.name === '*' || binding.name === 'default') && imported) {
      const found = imported({ ...binding, name: identifier.text });
      if (found) return found;
    }
    // `responses.forbiddenResponse(m)`: a member of an object of helpers (`export const responses = { … }`),
    // declared in this file or imported from an analysed one.
    if (!ts.isIdentifier(owner)) return undefined;
    // A whole module required is what it exports as a whole (`module.exports = Response`), its default.
    const whole = binding?.name === '*' ? { ...binding, name: 'default' } : binding;
    const object = whole ? imported?.(whole) : here(scopeDeclaration(owner));
    return object && (objectMember(object, identifier.text) ?? staticMember(object, identifier.text));
  }
  if (!isValueUse(identifier)) return undefined;
  const local = scopeDeclaration(identifier);
  // `const forbidden = require('./forbidden')` declares the name locally, but what it holds is the import's.
  if (local && !isRequireBinding(local)) return here(local);
  const binding = analysis.importOf(identifier.text);
  if (!binding || !imported) return undefined;
  // `const forbidden = require('./forbidden'); forbidden(cb)`: a whole module called is what it exports as a
  // whole (`module.exports = function …`), which the links know as its default.
  if (binding.name === '*' && isCalled(identifier)) return imported({ ...binding, name: 'default' });
  return imported(binding);
}

/** `const name = require('…')` (also `import name = require('…')`, AdonisJS 4 `use('App/…')`). */
function isRequireBinding(node: ts.Node): boolean {
  if (ts.isImportEqualsDeclaration(node)) return true;
  if (!ts.isVariableDeclaration(node) || !node.initializer) return false;
  const value = skipParentheses(node.initializer);
  return ts.isCallExpression(value) && loadedByCall(value) !== undefined;
}

/** `name(…)` or `new name(…)`: the identifier is what is called. */
function isCalled(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === identifier;
}

/**
 * The member `name` of an object-literal declaration (`const responses = { forbiddenResponse, notFound: … }`):
 * the property itself when it holds a value, or the declaration a shorthand or identifier value names in the
 * same file (`forbiddenResponse` -> `const forbiddenResponse = (…) => …`).
 */
function objectMember(found: FoundDeclaration, name: string): FoundDeclaration | undefined {
  const node = found.node;
  const initializer = ts.isVariableDeclaration(node) && node.initializer && skipParentheses(node.initializer);
  if (!initializer || !ts.isObjectLiteralExpression(initializer)) return undefined;
  for (const property of initializer.properties) {
    if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    if (property.name.text !== name) continue;
    const value = ts.isShorthandPropertyAssignment(property)
      ? property.name
      : ts.isPropertyAssignment(property)
        ? skipParentheses(property.initializer)
        : undefined;
    if (ts.isMethodDeclaration(property) || (value && !ts.isIdentifier(value)))
      return { ...found, node: property };
    const declared = value && topLevelDeclaration(found.analysis.sourceFile, value.text);
    return declared ? { ...found, node: declared } : undefined;
  }
  return undefined;
}

/**
 * The static member `name` of a class declaration (`Response.forbidden(ctx)` of `class Response { static
 * forbidden(ctx) { … } }`, declared in the file or required whole from an analysed one: breaker36 #02).
 */
function staticMember(found: FoundDeclaration, name: string): FoundDeclaration | undefined {
  const node = found.node;
  const initializer = ts.isVariableDeclaration(node) && node.initializer && skipParentheses(node.initializer);
  const declared = ts.isClassDeclaration(node) ? node : initializer;
  if (!declared || !ts.isClassLike(declared)) return undefined;
  const member = declared.members.find(
    (m) =>
      (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isGetAccessorDeclaration(m)) &&
      m.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword) === true &&
      (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) &&
      m.name.text === name,
  );
  return member && { ...found, node: member };
}

/** `exports.name = …` or `module.exports.name = …` when `target` is its left side. */
function commonJsExport(target: ts.PropertyAccessExpression): ts.BinaryExpression | undefined {
  const assignment = target.parent;
  if (
    !ts.isBinaryExpression(assignment) ||
    assignment.left !== target ||
    assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken
  )
    return undefined;
  return isExportsObject(target.expression) ? assignment : undefined;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let value = expression;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value)) value = value.expression;
  return value;
}

/** A name read as a value: callee, thrown, passed, returned (not a property name or a declaration name). */
function isValueUse(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isPropertyAssignment(parent)) return parent.initializer === identifier;
  if (ts.isShorthandPropertyAssignment(parent) || ts.isQualifiedName(parent)) return false;
  return !ts.isTypeReferenceNode(parent);
}

/** The method or property `name` of the class enclosing `node` (no heritage: a base class is not read). */
function classMember(node: ts.Node, name: string): ts.Node | undefined {
  let current: ts.Node | undefined = node.parent;
  // `this` inside an arrow is the enclosing class's; inside a `function` it is not.
  while (current && !ts.isClassLike(current)) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    current = current.parent;
  }
  if (!current) return undefined;
  return current.members.find(
    (m) =>
      (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isGetAccessorDeclaration(m)) &&
      m.name &&
      (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) &&
      m.name.text === name,
  );
}

/** A declaration named like `identifier` in a block, function or source file around it (no imports). */
function scopeDeclaration(identifier: ts.Identifier): ts.Node | undefined {
  const name = identifier.text;
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (isFunctionLike(node) && node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name))
      return undefined; // a parameter: its value comes from the caller
    const statements =
      ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) ? node.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (
        (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
        statement.name?.text === name
      )
        return statement;
      if (ts.isVariableStatement(statement))
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer ? d : undefined;
    }
  }
  return undefined;
}

/** A declaration whose value is a function: a function, a method, or a variable/property holding one. */
function isFunctionDeclaration(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node))
    return Boolean((node as ts.FunctionLikeDeclaration).body);
  if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) {
    const value = node.initializer && skipParentheses(node.initializer);
    return Boolean(value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)));
  }
  // `export default (cb) => { … }`, `module.exports = function (cb) { … }`: the function itself.
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return true;
  // `exports.name = (req, res) => { … }`
  if (ts.isBinaryExpression(node)) {
    const value = skipParentheses(node.right);
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value);
  }
  return false;
}

/**
 * A variable whose initializer holds no 403 form (`holds403` is the census's own pattern), or is a string that
 * is neither a status nor a reason phrase (`'published_docs/forbidden_environment_access'`, an error code:
 * where it becomes a status, that status is a site of its own).
 */
function isPlainValue(node: ts.Node, source: ts.SourceFile, holds403: (text: string) => boolean): boolean {
  if (!ts.isVariableDeclaration(node) || node.initializer === undefined) return false;
  const value = skipParentheses(node.initializer);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))
    return !/^\s*(?:403\b.*|(?:403\s+)?forbidden[.!]?)\s*$/i.test(value.text);
  return !holds403(node.initializer.getText(source));
}

/**
 * What a module exports as its default (also what a CommonJS `require()` of the whole module is):
 * `export default function f…` / `export default class…`, `export default f` / `export = f` /
 * `module.exports = f` / `export { f as default }` with `f` declared at the top level, or the function written in
 * place (`export default (cb) => …`, `module.exports = function (cb) { … }`: the export statement's expression).
 */
function defaultDeclaration(sourceFile: ts.SourceFile): ts.Node | undefined {
  const named = (value: ts.Expression): ts.Node | undefined => {
    const inner = skipParentheses(value);
    if (ts.isIdentifier(inner)) return topLevelDeclaration(sourceFile, inner.text);
    return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || ts.isClassExpression(inner)
      ? inner
      : undefined;
  };
  for (const statement of sourceFile.statements) {
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    )
      return statement;
    if (ts.isExportAssignment(statement)) return named(statement.expression);
    if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const element = statement.exportClause.elements.find((e) => e.name.text === 'default');
      if (element) return topLevelDeclaration(sourceFile, (element.propertyName ?? element.name).text);
    }
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(statement.expression.left) &&
      statement.expression.left.name.text === 'exports' &&
      ts.isIdentifier(statement.expression.left.expression) &&
      statement.expression.left.expression.text === 'module'
    )
      return named(statement.expression.right);
  }
  return undefined;
}

/**
 * The top-level declaration exported as `name` from an analysed file: `export function name`, `export const
 * name = …`, `export class name`, a local declaration exported by a specifier (`export { name }`), or a
 * CommonJS `exports.name = …` / `module.exports.name = …` assignment (its value, when it is a function).
 */
export function topLevelDeclaration(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  if (name === 'default') return defaultDeclaration(sourceFile);
  for (const statement of sourceFile.statements) {
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      ts.isPropertyAccessExpression(statement.expression.left) &&
      statement.expression.left.name.text === name &&
      commonJsExport(statement.expression.left) &&
      isFunctionDeclaration(statement.expression)
    )
      return statement.expression;
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name?.text === name
    )
      return statement;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name) return d;
  }
  return undefined;
}
