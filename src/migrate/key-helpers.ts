import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { isOuter, objectLiteralOf, skipOuter } from './analysis/syntax.js';
import { topLevelDeclaration, type ImportedDeclarations } from './references.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * Key helpers (census, nt): a project function whose status parameter is only ever used as a key, to pick
 * entries of a table (`getStandardResponses(401, 403, 404)` in Unleash picks `standardResponses[403]`, an
 * OpenAPI Response Object). The 403 passed to it is sent by nothing: it selects what the table holds for 403.
 * When the table's entries are OpenAPI Response Objects (they have a `description`), the call declares 403 in
 * the API description the code generates. The helper is read where it is declared, in this file or in an
 * analysed file it is imported from (through re-exports).
 */
export interface KeyHelper {
  /** The helper's name as declared. */
  name: string;
  /** `file:line` of the helper's declaration (relative file, 1-based line). */
  at: string;
  /** The table expression it indexes (`standardResponses`). */
  table: string;
  /** `file:line` of the table's declaration, when it is a top-level const of the helper's file. */
  tableAt?: string;
  /** Every entry of the table is an OpenAPI Response Object (`{ description, content? }`). */
  responses: boolean;
}

type FunctionNode = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** Array methods whose callback receives the elements: the element parameter carries the key on. */
const ELEMENT_CALLBACKS: Record<string, number> = {
  forEach: 0,
  map: 0,
  filter: 0,
  flatMap: 0,
  some: 0,
  every: 0,
  find: 0,
  reduce: 1,
  reduceRight: 1,
};

/**
 * The key helper a 403 argument goes to, or undefined when the call's callee is no project function, or
 * when the parameter it lands in is used in any way but as a key (a status slot, a return, another call).
 * @param argument the 403 literal, an argument of `call`.
 */
export function keyHelperOf(
  analysis: FileAnalysis,
  call: ts.CallExpression,
  argument: ts.Node,
  imported?: ImportedDeclarations,
): KeyHelper | undefined {
  if (!ts.isIdentifier(call.expression)) return undefined;
  const index = call.arguments.findIndex((a) => a === argument);
  if (index < 0) return undefined;
  const found = declarationOf(analysis, call.expression.text, imported);
  if (!found) return undefined;
  const fn = functionOf(found.node);
  if (!fn) return undefined;
  const parameter = parameterAt(fn, index);
  if (!parameter || !ts.isIdentifier(parameter.name)) return undefined;
  const tables: ts.Expression[] = [];
  if (!usedOnlyAsKey(fn, parameter.name.text, Boolean(parameter.dotDotDotToken), tables)) return undefined;
  const table = tables[0];
  if (!table || tables.some((t) => t.getText() !== table.getText())) return undefined;
  const source = found.analysis.sourceFile;
  const line = (node: ts.Node): string =>
    `${found.analysis.file}:${lineAndCharacterAt(source, node.getStart(source)).line + 1}`;
  const declared = ts.isIdentifier(table) ? topLevelDeclaration(source, table.text) : undefined;
  const object =
    declared && ts.isVariableDeclaration(declared) && declared.initializer
      ? objectLiteralOf(declared.initializer)
      : undefined;
  return {
    name: call.expression.text,
    at: line(found.node),
    table: table.getText(source),
    ...(declared ? { tableAt: line(declared) } : {}),
    responses: object !== undefined && isResponseTable(source, object),
  };
}

function declarationOf(
  analysis: FileAnalysis,
  name: string,
  imported?: ImportedDeclarations,
): { analysis: FileAnalysis; node: ts.Node } | undefined {
  const binding = analysis.importOf(name);
  if (binding) {
    const found = imported?.(binding);
    return found ? { analysis: found.analysis, node: found.node } : undefined;
  }
  const node = topLevelDeclaration(analysis.sourceFile, name);
  return node ? { analysis, node } : undefined;
}

function functionOf(node: ts.Node): FunctionNode | undefined {
  if (ts.isFunctionDeclaration(node)) return node;
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const init = skipOuter(node.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** The parameter argument `index` binds: its own, or a rest parameter before it. */
function parameterAt(fn: FunctionNode, index: number): ts.ParameterDeclaration | undefined {
  const own = fn.parameters[index];
  if (own && !own.dotDotDotToken) return own;
  const rest = fn.parameters.find((p) => p.dotDotDotToken);
  return rest && fn.parameters.indexOf(rest) <= index ? rest : undefined;
}

/**
 * Whether every use of `name` in `fn`'s body is a key: an element-access index (`table[name]`, the table is
 * collected), a computed property name (`{ [name]: ... }`); for a list (`rest`), the receiver of an element
 * callback (`names.reduce((acc, n) => ...)`) or a `for...of`, whose element is followed the same way.
 */
function usedOnlyAsKey(fn: FunctionNode, name: string, list: boolean, tables: ts.Expression[]): boolean {
  const body = fn.body;
  if (!body) return false;
  let ok = true;
  let uses = 0;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && node.text === name && isReference(node)) {
      uses++;
      ok = keyUse(node, list, tables);
      return;
    }
    node.forEachChild(visit);
  };
  visit(body);
  return ok && uses > 0;
}

function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  if (ts.isParameter(parent) || ts.isVariableDeclaration(parent)) return parent.name !== node;
  return true;
}

/** The node with the wrappers around it climbed (`code as 403`, `(code)`, `code!`). */
function climbWrappers(node: ts.Node): ts.Node {
  let current = node;
  while (isOuter(current.parent)) current = current.parent;
  return current;
}

function keyUse(identifier: ts.Identifier, list: boolean, tables: ts.Expression[]): boolean {
  const node = list ? identifier : climbWrappers(identifier);
  const parent = node.parent;
  if (!list) {
    if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) {
      // `out[code] = ...` writes the result's key; `table[code]` reads the table it selects from.
      const written =
        ts.isBinaryExpression(parent.parent) &&
        parent.parent.left === parent &&
        parent.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (!written) tables.push(skipOuter(parent.expression));
      return true;
    }
    // `[code, table[code]]`: the key of an entry pair (`Object.fromEntries(codes.map(...))`).
    if (ts.isArrayLiteralExpression(parent) && parent.elements.length === 2 && parent.elements[0] === node)
      return true;
    return ts.isComputedPropertyName(parent);
  }
  // `names.reduce((acc, n) => ({ ...acc, [n]: table[n] }), {})`
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    const call = parent.parent;
    const position = ELEMENT_CALLBACKS[parent.name.text];
    if (position === undefined || !ts.isCallExpression(call) || call.expression !== parent) return false;
    const callback = call.arguments[0] && skipOuter(call.arguments[0]);
    if (!callback || (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback))) return false;
    const element = callback.parameters[position];
    if (!element) return true;
    return ts.isIdentifier(element.name) && usedOnlyAsKey(callback, element.name.text, false, tables);
  }
  // `for (const n of names) out[n] = table[n];`
  if (ts.isForOfStatement(parent) && parent.expression === node) {
    const declaration = ts.isVariableDeclarationList(parent.initializer)
      ? parent.initializer.declarations[0]
      : undefined;
    if (!declaration || !ts.isIdentifier(declaration.name)) return false;
    const element = declaration.name.text;
    let ok = true;
    const visit = (child: ts.Node): void => {
      if (!ok) return;
      if (ts.isIdentifier(child) && child.text === element && isReference(child))
        ok = keyUse(child, false, tables);
      else child.forEachChild(visit);
    };
    visit(parent.statement);
    return ok;
  }
  return false;
}

/** Every entry's value is an OpenAPI Response Object: an object literal (or a const naming one) with `description`. */
function isResponseTable(source: ts.SourceFile, table: ts.ObjectLiteralExpression): boolean {
  if (!table.properties.length) return false;
  return table.properties.every((property) => {
    let value: ts.Expression | undefined;
    if (ts.isPropertyAssignment(property)) value = property.initializer;
    else if (ts.isShorthandPropertyAssignment(property)) value = property.name;
    if (!value) return false;
    let object = objectLiteralOf(value);
    const inner = skipOuter(value);
    if (!object && ts.isIdentifier(inner)) {
      const declared = topLevelDeclaration(source, inner.text);
      if (declared && ts.isVariableDeclaration(declared) && declared.initializer)
        object = objectLiteralOf(declared.initializer);
    }
    return Boolean(
      object?.properties.some(
        (p) =>
          p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'description',
      ),
    );
  });
}
