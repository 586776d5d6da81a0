import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { ImportLink } from './analysis/types.js';
import { propertySlot, skipOuter } from './analysis/syntax.js';
import { collectImports, type ImportBinding, type ImportMap } from './imports.js';
import { lineAndCharacterAt } from '../util/lines.js';
import { localValue } from './local-values.js';

/**
 * The function a hook registration hands over, followed to where it is written (session 37; before, only a function
 * written in the call itself was read as a remap): `app.use(errorHandler)` of a local `function errorHandler` or
 * `const errorHandler = (err, req, res, next) => …`, an imported one (`import { errorHandler } from './errors'`,
 * `const errorHandler = require('./errors')` of `module.exports = (err, …) => …`), a member (`app.use(handlers.error)`
 * of `import * as handlers`, `module.exports = { error }` or a local object), and a factory's returned function
 * (Koa `app.use(errors())`, `app.use(errorHandler({ log }))`: the function its body returns). Imports are followed
 * through the run's links (links.ts `declaration`, re-exports and barrels too), three hops at most.
 */
export interface HandlerFunction {
  fn: HandlerFn;
  /** The file the function is written in, relative to the working folder, `/`-separated. */
  file: string;
  sourceFile: ts.SourceFile;
  /** How it was reached, for the report (`errorHandler from ./errors`); undefined for a function written in place. */
  via?: string;
}

/** A function with a body a remap can be read from. */
export type HandlerFn =
  ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;

/** Where names are looked up: a file's tree, its imports and its link to other files. */
interface Place {
  file: string;
  sourceFile: ts.SourceFile;
  imports: ImportMap;
  link: ImportLink | undefined;
  /** The working folder's absolute path with a trailing separator, when known (for relative paths). */
  root: string | undefined;
}

const MAX_DEPTH = 6;

/** The function `expression` (an argument of a hook registration in `analysis`) stands for; see the interface. */
export function handlerFunction(
  expression: ts.Expression,
  analysis: FileAnalysis,
): HandlerFunction | undefined {
  const place = placeOf(analysis);
  const found = follow(expression, place, 0);
  if (!found) return undefined;
  const inPlace = found.place.file === analysis.file && contains(expression, found.fn);
  return {
    fn: found.fn,
    file: found.place.file,
    sourceFile: found.place.sourceFile,
    via: inPlace ? undefined : describe(expression, found),
  };
}

function placeOf(analysis: FileAnalysis): Place {
  const link = analysis.options.link;
  const absolute = link?.absolute;
  const root =
    absolute && absolute.endsWith(analysis.file)
      ? absolute.slice(0, absolute.length - analysis.file.length)
      : undefined;
  return { file: analysis.file, sourceFile: analysis.sourceFile, imports: analysis.imports, link, root };
}

function describe(expression: ts.Expression, found: { fn: HandlerFn; place: Place }): string {
  const line = lineAndCharacterAt(found.place.sourceFile, found.fn.getStart(found.place.sourceFile)).line + 1;
  const text = expression.getText();
  return `${text.length > 40 ? `${text.slice(0, 37)}...` : text} (${found.place.file}:${line})`;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}

function isHandlerFn(node: ts.Node | undefined): node is HandlerFn {
  return (
    !!node &&
    (ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      (ts.isFunctionDeclaration(node) && !!node.body) ||
      (ts.isMethodDeclaration(node) && !!node.body))
  );
}

type Found = { fn: HandlerFn; place: Place };

function follow(expression: ts.Expression, place: Place, depth: number): Found | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = skipOuter(expression);
  if (isHandlerFn(node)) return { fn: node, place };
  if (ts.isIdentifier(node)) return named(node.text, place, depth + 1);
  if (ts.isPropertyAccessExpression(node)) return member(node.expression, node.name.text, place, depth + 1);
  if (ts.isCallExpression(node)) {
    // `errors()`, `errorHandler({ log })`: the function the factory returns. `fn.bind(this)` is `fn`.
    const callee = skipOuter(node.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind')
      return follow(callee.expression, place, depth + 1);
    const factory = follow(node.expression, place, depth + 1);
    return factory && returned(factory, depth + 1);
  }
  return undefined;
}

/** The function a factory returns: `return (err, req, res, next) => …`, `() => async (ctx, next) => …`, `return handle`. */
function returned(factory: Found, depth: number): Found | undefined {
  const body = factory.fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return follow(body, factory.place, depth);
  const returns: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) returns.push(node.expression);
    // A nested function's returns are its own.
    if (!ts.isFunctionLike(node)) node.forEachChild(visit);
  };
  body.forEachChild(visit);
  const found = returns.map((r) => follow(r, factory.place, depth)).filter((f): f is Found => !!f);
  return found.length === 1 ? found[0] : undefined;
}

/** A name of `place`: a local function or variable, else an import followed to its file. */
function named(name: string, place: Place, depth: number): Found | undefined {
  const binding = place.imports.get(name);
  if (binding)
    return imported(binding.name === '*' ? { ...binding, name: 'default' } : binding, place, depth);
  const local = localValue(place.sourceFile, name);
  if (!local) return undefined;
  return isHandlerFn(local) ? { fn: local, place } : follow(local as ts.Expression, place, depth);
}

/** `handlers.error`: a member of a local object, of an imported module, or of an imported object. */
function member(object: ts.Expression, key: string, place: Place, depth: number): Found | undefined {
  const inner = skipOuter(object);
  if (!ts.isIdentifier(inner)) return undefined;
  const local = place.imports.has(inner.text) ? undefined : localValue(place.sourceFile, inner.text);
  if (local) {
    const value =
      !isHandlerFn(local) && ts.isObjectLiteralExpression(skipOuter(local as ts.Expression))
        ? propertyValue(
            skipOuter(local as ts.Expression) as ts.ObjectLiteralExpression,
            key,
            place.sourceFile,
          )
        : undefined;
    return (
      value && (isHandlerFn(value) ? { fn: value, place } : follow(value as ts.Expression, place, depth))
    );
  }
  const binding = place.imports.get(inner.text);
  if (!binding) return undefined;
  // `import * as handlers` / `const handlers = require('./h')`: the module's export `key`.
  if (binding.name === '*') return imported({ ...binding, name: key }, place, depth);
  // `import { handlers } from './h'` of `export const handlers = { error }`.
  const declared = declarationOf(binding, place);
  if (!declared) return undefined;
  const value = exported(declared.place.sourceFile, declared.name);
  const literal = value && !isHandlerFn(value) ? skipOuter(value as ts.Expression) : undefined;
  const property =
    literal && ts.isObjectLiteralExpression(literal)
      ? propertyValue(literal, key, declared.place.sourceFile)
      : undefined;
  return (
    property &&
    (isHandlerFn(property)
      ? { fn: property, place: declared.place }
      : follow(property as ts.Expression, declared.place, depth))
  );
}

function imported(binding: ImportBinding, place: Place, depth: number): Found | undefined {
  const declared = declarationOf(binding, place);
  if (!declared) return undefined;
  const value = exported(declared.place.sourceFile, declared.name);
  if (!value) return undefined;
  return isHandlerFn(value)
    ? { fn: value, place: declared.place }
    : follow(value as ts.Expression, declared.place, depth);
}

function declarationOf(binding: ImportBinding, place: Place): { place: Place; name: string } | undefined {
  const site = place.link?.declaration?.(binding);
  if (!site) return undefined;
  const relative =
    place.link?.relative?.(site.file) ??
    (place.root && site.file.startsWith(place.root)
      ? site.file.slice(place.root.length)
      : path.basename(site.file));
  return {
    name: site.name,
    place: {
      file: relative.split(path.sep).join('/'),
      sourceFile: site.sourceFile,
      imports: collectImports(site.sourceFile),
      link: site.link,
      root: place.root,
    },
  };
}

/** Each file's exports by name (see {@link exported}), read once per file. */
const fileExports = new WeakMap<ts.SourceFile, ReadonlyMap<string, ts.Node | undefined>>();

/**
 * What a file exports under `name` (`default` for `export default` and `module.exports =`): `export function`,
 * `export const`, `export { local as name }`, `exports.name =`, `module.exports.name =`, a key of `module.exports = { … }`.
 * The file's statements are read once for all its names: a lookup per registration that walked them each time
 * made a module of many middlewares, registered one by one, quadratic.
 */
function exported(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  let byName = fileExports.get(sourceFile);
  if (!byName) fileExports.set(sourceFile, (byName = exportsOf(sourceFile)));
  return byName.get(name);
}

/** A file's exports by name; the first statement that exports a name decides it (undefined: named, not read). */
function exportsOf(sourceFile: ts.SourceFile): Map<string, ts.Node | undefined> {
  const byName = new Map<string, ts.Node | undefined>();
  const add = (name: string, value: ts.Node | undefined): void => {
    if (!byName.has(name)) byName.set(name, value);
  };
  for (const statement of sourceFile.statements) {
    // `export default x` and `export = x`.
    if (ts.isExportAssignment(statement)) add('default', statement.expression);
    else if (ts.isFunctionDeclaration(statement) && hasExport(statement)) {
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) add('default', statement);
      else if (statement.name) add(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement) && hasExport(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer) add(d.name.text, d.initializer);
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const e of statement.exportClause.elements)
        add(e.name.text, localValue(sourceFile, (e.propertyName ?? e.name).text));
    } else if (ts.isExpressionStatement(statement)) {
      const e = statement.expression;
      if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = e.left.getText(sourceFile).replace(/\s+/g, '');
      const member = /^(?:module\.)?exports\.(.+)$/.exec(left);
      if (member) add(member[1], e.right);
      if (left !== 'module.exports') continue;
      add('default', e.right);
      const right = skipOuter(e.right);
      if (ts.isObjectLiteralExpression(right))
        for (const p of right.properties) {
          const slot = slotOf(p, sourceFile);
          if (slot) add(slot.key, slot.value);
        }
    }
  }
  return byName;
}

/** The value of a key of an object literal: `key: value`, `key` (shorthand: the local it names), `key(…) {…}`. */
function propertyValue(
  object: ts.ObjectLiteralExpression,
  key: string,
  sourceFile: ts.SourceFile,
): ts.Node | undefined {
  for (const p of object.properties) {
    const slot = slotOf(p, sourceFile);
    if (slot?.key === key) return slot.value;
  }
  return undefined;
}

/**
 * One key of an object literal and its value, as {@link propertyValue} reads it: analysis/syntax.ts
 * `propertySlot`'s, with a shorthand's local followed and a method its own value; undefined for other members.
 */
function slotOf(
  p: ts.ObjectLiteralElementLike,
  sourceFile: ts.SourceFile,
): { key: string; value: ts.Node } | undefined {
  if (ts.isMethodDeclaration(p))
    return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? { key: p.name.text, value: p } : undefined;
  const slot = propertySlot(p);
  if (slot && ts.isShorthandPropertyAssignment(p))
    return { key: slot.key, value: localValue(sourceFile, slot.key) ?? slot.value };
  return slot;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []).some((m) => m.kind === kind);
}

function hasExport(node: ts.Node): boolean {
  return hasModifier(node, ts.SyntaxKind.ExportKeyword);
}

/** A class a registration names (`new MtlsFilter()`, `useClass: MtlsFilter`): local, or imported and followed. */
export interface NamedClass {
  declaration: ts.ClassDeclaration;
  /** Its file, relative to the working folder, `/`-separated. */
  file: string;
}

/** The class declaration `name` stands for in `analysis` (an import followed to its file); undefined if unread. */
export function namedClass(name: string, analysis: FileAnalysis): NamedClass | undefined {
  const place = placeOf(analysis);
  const binding = place.imports.get(name);
  if (binding && binding.name !== '*') {
    const declared = declarationOf(binding, place);
    const found = declared && classIn(declared.place.sourceFile, declared.name);
    return found && declared ? { declaration: found, file: declared.place.file } : undefined;
  }
  const local = classIn(analysis.sourceFile, name);
  return local && { declaration: local, file: analysis.file };
}

function classIn(sourceFile: ts.SourceFile, name: string): ts.ClassDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    if (name === 'default' && hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) return statement;
    // A class declared in the file, exported or not (`export { Filter }` names it too).
    if (statement.name?.text === name) return statement;
  }
  return undefined;
}
