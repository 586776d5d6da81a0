import ts from '../typescript.cjs';
import { boundNames } from './analysis/syntax.js';

/** Where a local name comes from: `import { Forbidden as F } from 'x'` gives F -> { module: 'x', name: 'Forbidden' }. */
export interface ImportBinding {
  module: string;
  /** The exported name, `default` for default imports, `*` for namespace imports and whole `require()`s. */
  name: string;
  /** Offsets of the specifier (`Forbidden as F`), for import hygiene. */
  specifierStart: number;
  specifierEnd: number;
  /**
   * The named-import list the specifier sits in, when it is one: `{ A, B }` of an import, or the destructuring
   * pattern of `const { A, B } = require('x')`.
   */
  namedImports?: ts.NamedImports | ts.ObjectBindingPattern;
}

export type ImportMap = ReadonlyMap<string, ImportBinding>;

/** {@link collectImports} results, one per source file (a WeakMap: a file's syntax tree is never edited in place). */
const collected = new WeakMap<ts.SourceFile, ImportMap>();

/**
 * Collects top-level ES imports, `import x = require()`, `const x = require()` and `const x = await import()`
 * bindings of one file. Collected once per file and the same map given after: a file many lookups read (a module
 * many registrations import from, a holder many outside-run checks visit, a base class many subclasses extend) is
 * walked once, not once per lookup.
 */
export function collectImports(sourceFile: ts.SourceFile): ImportMap {
  let map = collected.get(sourceFile);
  if (!map) collected.set(sourceFile, (map = readImports(sourceFile)));
  return map;
}

function readImports(sourceFile: ts.SourceFile): ImportMap {
  const map = new Map<string, ImportBinding>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      addImportClause(map, statement.importClause, statement.moduleSpecifier.text, sourceFile);
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression)
    ) {
      const module = statement.moduleReference.expression.text;
      map.set(statement.name.text, binding(module, '*', statement.name, sourceFile));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        addRequire(map, declaration, sourceFile);
        addDestructured(map, declaration, sourceFile);
        addMember(map, declaration, sourceFile);
      }
    }
  }
  addNestedLoads(map, sourceFile);
  return map;
}

/**
 * `const { quickError } = await import('./hono.ts')` or `const { X } = require('./x')` inside a function (a lazy
 * load, capgo's `requirePermission`): the names bind as the top-level forms do, unless the file declares the name
 * anywhere else (an import, a function, a variable or parameter of any scope keeps it: the map is file-wide).
 */
function addNestedLoads(map: Map<string, ImportBinding>, sourceFile: ts.SourceFile): void {
  if (!/\bimport\s*\(|\brequire\s*\(/.test(sourceFile.text)) return;
  const declared = new Map<string, number>();
  const count = (name: string): void => {
    declared.set(name, (declared.get(name) ?? 0) + 1);
  };
  const nested = new Map<string, ImportBinding>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node)) &&
      node.name
    )
      count(node.name.text);
    if (ts.isVariableDeclaration(node) || ts.isParameter(node))
      for (const name of boundNames(node.name)) count(name);
    if (
      ts.isVariableDeclaration(node) &&
      !ts.isSourceFile(node.parent.parent.parent) &&
      requiredModule(node.initializer) !== undefined
    )
      addRequire(nested, node, sourceFile);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const [name, bound] of nested) if (!map.has(name) && declared.get(name) === 1) map.set(name, bound);
}

function addImportClause(
  map: Map<string, ImportBinding>,
  clause: ts.ImportClause | undefined,
  module: string,
  sourceFile: ts.SourceFile,
): void {
  if (!clause) return;
  if (clause.name) map.set(clause.name.text, binding(module, 'default', clause.name, sourceFile));
  const named = clause.namedBindings;
  if (!named) return;
  if (ts.isNamespaceImport(named)) {
    map.set(named.name.text, binding(module, '*', named, sourceFile));
    return;
  }
  for (const element of named.elements) {
    const imported = (element.propertyName ?? element.name).text;
    map.set(element.name.text, { ...binding(module, imported, element, sourceFile), namedImports: named });
  }
}

function addRequire(
  map: Map<string, ImportBinding>,
  declaration: ts.VariableDeclaration,
  sourceFile: ts.SourceFile,
) {
  const module = requiredModule(declaration.initializer);
  if (module === undefined) return;
  const name = declaration.name;
  if (ts.isIdentifier(name)) {
    map.set(name.text, binding(module, '*', name, sourceFile));
  } else if (ts.isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      // `const { constants: { HTTP_STATUS_FORBIDDEN } } = require('http2')`, `const { StatusCodes: { FORBIDDEN } }
      // = require('http-status-codes')`: the inner names bind as the module's, as `require('m').constants` does.
      if (ts.isObjectBindingPattern(element.name) && !element.dotDotDotToken) {
        addPattern(map, element.name, module, sourceFile);
        continue;
      }
      if (!ts.isIdentifier(element.name)) continue;
      const imported =
        element.propertyName && ts.isIdentifier(element.propertyName)
          ? element.propertyName.text
          : element.name.text;
      map.set(element.name.text, { ...binding(module, imported, element, sourceFile), namedImports: name });
    }
  }
}

/**
 * A class read by destructuring from an imported namespace or error object: `const { InsufficientScope } = errors`
 * (`import { errors } from 'oidc-provider'`), `const { Forbidden: F } = HttpErrors`, `const { NotAuthorizedError }
 * = restifyErrors`, `const { InsufficientScope } = Provider.errors`, nested patterns (`const { errors: {
 * InsufficientScope } } = require('oidc-provider')` is addRequire's). The name binds as a named export of the
 * module (`{ module: 'oidc-provider', name: 'InsufficientScope' }`), as `const { X } = require('m')` does: the
 * framework modules know each library's classes by those names. Not for relative modules (a project object's
 * members are no named exports).
 */
function addDestructured(
  map: Map<string, ImportBinding>,
  declaration: ts.VariableDeclaration,
  sourceFile: ts.SourceFile,
): void {
  if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) return;
  let root: ts.Expression = declaration.initializer;
  while (ts.isPropertyAccessExpression(root) || ts.isParenthesizedExpression(root) || ts.isAsExpression(root))
    root = root.expression;
  if (!ts.isIdentifier(root)) return;
  const from = map.get(root.text);
  if (!from) return;
  // A project module's object is read by the cross-file links, member by member; only packages bind by a path.
  // A whole module destructured (`const utils = require('./utils'); const { CustomError } = utils`) is an import.
  if (from.module.startsWith('.') && !(from.name === '*' && skipParens(declaration.initializer) === root))
    return;
  addPattern(map, declaration.name, from.module, sourceFile);
}

/**
 * A member of a whole module taken under a name: `const CustomError = utils.CustomError` (`const utils =
 * require('../utils')`, `import * as utils from …`), also `utils['CustomError']`: the name binds as the named
 * export it reads, as `const { CustomError } = require('../utils')` does. Kutt's handlers call their error class
 * so. The specifier span is the member's name (what a class rename would edit).
 */
function addMember(
  map: Map<string, ImportBinding>,
  declaration: ts.VariableDeclaration,
  sourceFile: ts.SourceFile,
): void {
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer || map.has(declaration.name.text))
    return;
  const value = skipParens(declaration.initializer);
  if (!value) return;
  let owner: ts.Expression;
  let member: ts.Node;
  let name: string;
  if (ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.name)) {
    owner = value.expression;
    member = value.name;
    name = value.name.text;
  } else if (ts.isElementAccessExpression(value) && ts.isStringLiteralLike(value.argumentExpression)) {
    owner = value.expression;
    member = value.argumentExpression;
    name = value.argumentExpression.text;
  } else return;
  if (!ts.isIdentifier(owner)) return;
  const from = map.get(owner.text);
  if (from?.name !== '*') return;
  map.set(declaration.name.text, binding(from.module, name, member, sourceFile));
}

function skipParens(expression: ts.Expression | undefined): ts.Expression | undefined {
  let node = expression;
  while (node && (ts.isParenthesizedExpression(node) || ts.isAsExpression(node))) node = node.expression;
  return node;
}

function addPattern(
  map: Map<string, ImportBinding>,
  pattern: ts.ObjectBindingPattern,
  module: string,
  sourceFile: ts.SourceFile,
): void {
  for (const element of pattern.elements) {
    if (element.dotDotDotToken) continue;
    const key = element.propertyName ?? element.name;
    if (!ts.isIdentifier(key)) continue;
    if (ts.isObjectBindingPattern(element.name)) addPattern(map, element.name, module, sourceFile);
    else if (ts.isIdentifier(element.name))
      map.set(element.name.text, {
        ...binding(module, key.text, element, sourceFile),
        namedImports: pattern,
      });
  }
}

/**
 * An AdonisJS 4 ioc namespace path (`App/Models/User`, `App/Exceptions/ForbiddenError`): the global `use()`
 * loads it as `require` would (adonis-autoload.ts maps the namespace to its folder). Provider aliases
 * (`use('Route')`, `use('Hash')`) hold no slash and stay unbound.
 */
const ADONIS_NAMESPACED = /^[A-Z][\w-]*\/[\w./-]+$/;

/**
 * `require('x')`, `require('x').y`, AdonisJS 4 `use('App/x')` -> 'x'; so is a dynamic import awaited at the top level of an ES module
 * (`await import('x')`, `(await import('x')).y`), whose value is the module namespace.
 */
function requiredModule(expression: ts.Expression | undefined): string | undefined {
  let node = expression;
  while (node && (ts.isPropertyAccessExpression(node) || ts.isParenthesizedExpression(node)))
    node = node.expression;
  if (node && ts.isAwaitExpression(node)) {
    let call: ts.Expression = node.expression;
    while (ts.isParenthesizedExpression(call)) call = call.expression;
    return ts.isCallExpression(call) &&
      call.expression.kind === ts.SyntaxKind.ImportKeyword &&
      call.arguments.length === 1 &&
      ts.isStringLiteral(call.arguments[0])
      ? call.arguments[0].text
      : undefined;
  }
  return node && ts.isCallExpression(node) ? loadedByCall(node) : undefined;
}

/**
 * The module a call loads as `require` does: `require('x')`, and AdonisJS 4's `use('App/Models/User')` (an ioc
 * namespace path). Undefined for any other call.
 */
export function loadedByCall(call: ts.CallExpression): string | undefined {
  const [argument] = call.arguments;
  if (!ts.isIdentifier(call.expression) || call.arguments.length !== 1 || !argument) return undefined;
  if (!ts.isStringLiteralLike(argument)) return undefined;
  if (call.expression.text === 'require') return argument.text;
  return call.expression.text === 'use' && ADONIS_NAMESPACED.test(argument.text) ? argument.text : undefined;
}

function binding(module: string, name: string, node: ts.Node, sourceFile: ts.SourceFile): ImportBinding {
  return { module, name, specifierStart: node.getStart(sourceFile), specifierEnd: node.getEnd() };
}

/** `node:http` and `http` are the same module. */
export function normalizeModule(module: string): string {
  return module.startsWith('node:') ? module.slice(5) : module;
}
