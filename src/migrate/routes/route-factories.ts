import ts from '../../typescript.cjs';
import {
  isFunctionNode,
  propertyName,
  requireOf,
  staticString,
  unwrap,
  type ProjectFile,
} from './project.js';
import type { FunctionRef, RouterGraphApi } from './wiring.js';
import { returnedExpressions } from './syntax.js';

/**
 * Route objects made by a factory (growthbook's `createApiRequestHandler(validator)(handler)`): a call whose
 * result is an object literal written inside the called function, its fields read from the function's
 * parameters (`const { method, path } = data; return { method, path, handler: wrapped }`). The object is
 * evaluated against the arguments of the call that made it, curried calls too (`f(a)(b)`: `f` returns the
 * function that returns the object), across files and workspace packages (the argument may be an imported
 * `const validator = { method: 'get' as const, path: '/x' }`).
 *
 * This is a small evaluator over syntax: parameters bound to arguments, destructuring, member reads, spreads,
 * `??` / `||`, templates and `+`. What it cannot read comes out `undefined` ("unknown"), never guessed.
 */

/** Which argument each parameter of the calls a value went through received. */
export interface Env {
  readonly bindings: ReadonlyMap<ts.Node, Argument>;
  /** Function arguments of those calls (the business handler given to the factory): code the route runs. */
  readonly given: readonly FunctionRef[];
}

interface Argument {
  file: ProjectFile;
  /** Undefined: the call passed nothing for this parameter. */
  expression: ts.Expression | undefined;
  env: Env;
}

/** A value: an expression of a file, read under the bindings of the calls that made it. */
export interface Value {
  file: ProjectFile;
  node: ts.Expression;
  env: Env;
}

/** A field the object definitely lacks (`?? 'v1'` applies), as opposed to `undefined`: not known. */
export const ABSENT = Symbol('absent');

export const EMPTY_ENV: Env = { bindings: new Map(), given: [] };

const MAX_DEPTH = 12;

/** The object literals a factory call evaluates to (empty when none is written in the called functions). */
export function factoryObjects(graph: RouterGraphApi, file: ProjectFile, call: ts.CallExpression): Value[] {
  if (requireOf(call)) return [];
  return callResults(graph, file, call, EMPTY_ENV, 0).flatMap((v) => objectsOf(graph, v, 0));
}

/** What calling `call` returns: each returned expression under the parameters bound to the call's arguments. */
function callResults(
  graph: RouterGraphApi,
  file: ProjectFile,
  call: ts.CallExpression,
  env: Env,
  depth: number,
): Value[] {
  if (depth > MAX_DEPTH) return [];
  const out: Value[] = [];
  for (const closure of closuresOf(graph, { file, node: call.expression, env }, depth + 1)) {
    const bindings = new Map(closure.env.bindings);
    const given = [...closure.env.given];
    closure.fn.parameters.forEach((parameter, index) => {
      const expression = parameter.dotDotDotToken ? undefined : call.arguments[index];
      bindings.set(parameter, { file, expression, env });
      if (expression) given.push(...functionArguments(graph, file, expression));
    });
    const inner: Env = { bindings, given };
    for (const returned of returnedExpressions({ node: closure.fn }))
      out.push({ file: closure.file, node: returned, env: inner });
  }
  return out;
}

/** A function argument the factory receives (an inline function, or a name of one). */
function functionArguments(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): FunctionRef[] {
  const node = unwrap(expression);
  if (isFunctionNode(node)) return [{ file, node }];
  return ts.isIdentifier(node) ? graph.functionsOf(file, node) : [];
}

/** The functions an expression evaluates to, with the bindings they close over. */
function closuresOf(
  graph: RouterGraphApi,
  value: Value,
  depth: number,
): { file: ProjectFile; fn: FunctionRef['node']; env: Env }[] {
  if (depth > MAX_DEPTH) return [];
  const node = unwrap(value.node);
  if (isFunctionNode(node)) return [{ file: value.file, fn: node, env: value.env }];
  if (ts.isCallExpression(node))
    return callResults(graph, value.file, node, value.env, depth + 1).flatMap((v) =>
      closuresOf(graph, v, depth + 1),
    );
  const bound = boundArgument(graph, value);
  if (bound)
    return bound.expression ? closuresOf(graph, { ...bound, node: bound.expression }, depth + 1) : [];
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return [];
  return graph.functionsOf(value.file, node).map((fn) => ({ file: fn.file, fn: fn.node, env: value.env }));
}

/** The argument a parameter name received, when `value` is such a name. */
function boundArgument(graph: RouterGraphApi, value: Value): Argument | undefined {
  const node = unwrap(value.node);
  if (!ts.isIdentifier(node) || !value.env.bindings.size) return undefined;
  for (const declaration of graph.project.lookup(value.file, node, node.text)) {
    const bound = value.env.bindings.get(declaration.node);
    if (bound) return bound;
  }
  return undefined;
}

/** The object literals a value evaluates to: the literal, a name holding one, a parameter's argument, a call's result. */
export function objectsOf(graph: RouterGraphApi, value: Value, depth: number): Value[] {
  if (depth > MAX_DEPTH) return [];
  const node = unwrap(value.node);
  if (ts.isObjectLiteralExpression(node)) return [{ ...value, node }];
  if (ts.isCallExpression(node))
    return requireOf(node)
      ? []
      : callResults(graph, value.file, node, value.env, depth + 1).flatMap((v) =>
          objectsOf(graph, v, depth + 1),
        );
  if (ts.isBinaryExpression(node) && isFallback(node.operatorToken.kind))
    return [node.left, node.right].flatMap((side) => objectsOf(graph, { ...value, node: side }, depth + 1));
  if (ts.isConditionalExpression(node))
    return [node.whenTrue, node.whenFalse].flatMap((side) =>
      objectsOf(graph, { ...value, node: side }, depth + 1),
    );
  const bound = boundArgument(graph, value);
  if (bound) return bound.expression ? objectsOf(graph, { ...bound, node: bound.expression }, depth + 1) : [];
  if (ts.isIdentifier(node)) {
    const destructured = destructuredField(graph, value, depth);
    if (destructured !== undefined)
      return destructured === ABSENT ? [] : objectsOf(graph, destructured, depth + 1);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const field = memberField(graph, value, depth);
    if (field !== undefined) return field === ABSENT ? [] : objectsOf(graph, field, depth + 1);
  }
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return [];
  return graph
    .valuesOf(value.file, node)
    .filter((v) => v.node !== node && ts.isExpression(v.node))
    .flatMap((v) =>
      objectsOf(graph, { file: v.file, node: v.node as ts.Expression, env: value.env }, depth + 1),
    );
}

/**
 * Field `key` of an object literal (the last spelling wins, spreads read through): its value, `ABSENT` when
 * the object surely lacks it, `undefined` when a spread cannot be read.
 */
export function fieldOf(
  graph: RouterGraphApi,
  object: Value,
  key: string,
  depth = 0,
): Value | typeof ABSENT | undefined {
  const literal = unwrap(object.node);
  if (!ts.isObjectLiteralExpression(literal) || depth > MAX_DEPTH) return undefined;
  for (const property of [...literal.properties].reverse()) {
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === key)
      return { ...object, node: property.initializer };
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === key)
      return { ...object, node: property.name };
    if (ts.isMethodDeclaration(property) && propertyName(property.name) === key)
      return { ...object, node: property as unknown as ts.Expression };
    if (ts.isSpreadAssignment(property)) {
      const spread = objectsOf(graph, { ...object, node: property.expression }, depth + 1);
      if (!spread.length) return undefined;
      const found = spread.map((s) => fieldOf(graph, s, key, depth + 1));
      if (found.some((f) => f === undefined)) return undefined;
      const present = found.find((f): f is Value => f !== ABSENT);
      if (present) return present;
    }
  }
  return ABSENT;
}

/** `method` of `const { method } = data` / `function f({ method })`: the field of the object destructured. */
function destructuredField(
  graph: RouterGraphApi,
  value: Value,
  depth: number,
): Value | typeof ABSENT | undefined {
  const node = unwrap(value.node);
  if (!ts.isIdentifier(node)) return undefined;
  for (const declaration of graph.project.lookup(value.file, node, node.text)) {
    const element = declaration.node;
    if (!ts.isBindingElement(element) || !ts.isObjectBindingPattern(element.parent) || element.dotDotDotToken)
      continue;
    const key = element.propertyName ? propertyName(element.propertyName) : node.text;
    const holder = element.parent.parent;
    let source: Value | undefined;
    if (ts.isVariableDeclaration(holder) && holder.initializer)
      source = { file: declaration.file, node: holder.initializer, env: value.env };
    else if (ts.isParameter(holder)) {
      const bound = value.env.bindings.get(holder);
      if (bound?.expression) source = { ...bound, node: bound.expression };
    }
    if (!source || key === undefined) return undefined;
    const objects = objectsOf(graph, source, depth + 1);
    if (!objects.length) return undefined;
    const fields = objects.map((o) => fieldOf(graph, o, key, depth + 1));
    const present = fields.find((f): f is Value => f !== undefined && f !== ABSENT);
    if (present) return present;
    if (fields.every((f) => f === ABSENT))
      return element.initializer
        ? { file: declaration.file, node: element.initializer, env: value.env }
        : ABSENT;
    return undefined;
  }
  return undefined;
}

/** `data.method`: the field of the object the receiver evaluates to. */
function memberField(graph: RouterGraphApi, value: Value, depth: number): Value | typeof ABSENT | undefined {
  const node = unwrap(value.node);
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const objects = objectsOf(graph, { ...value, node: node.expression }, depth + 1);
  if (!objects.length) return undefined;
  const fields = objects.map((o) => fieldOf(graph, o, node.name.text, depth + 1));
  const present = fields.find((f): f is Value => f !== undefined && f !== ABSENT);
  if (present) return present;
  return fields.every((f) => f === ABSENT) ? ABSENT : undefined;
}

/**
 * The string a value evaluates to: literals, names bound to arguments, destructured or member fields of
 * objects, `const`s, `??` / `||` (the right side when the left is absent), templates and `+`. `ABSENT` for
 * a field the object lacks; undefined when it cannot be read.
 */
export function stringValue(
  graph: RouterGraphApi,
  value: Value,
  depth = 0,
): string | typeof ABSENT | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrap(value.node);
  const literal = staticString(node);
  if (literal !== undefined) return literal;
  const again = (next: Value): string | typeof ABSENT | undefined => stringValue(graph, next, depth + 1);
  if (ts.isBinaryExpression(node) && isFallback(node.operatorToken.kind)) {
    const left = again({ ...value, node: node.left });
    if (left === ABSENT || (left === '' && node.operatorToken.kind === ts.SyntaxKind.BarBarToken))
      return again({ ...value, node: node.right });
    return left;
  }
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const part of node.templateSpans) {
      const piece = again({ ...value, node: part.expression });
      if (typeof piece !== 'string') return undefined;
      out += piece + part.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = again({ ...value, node: node.left });
    const right = again({ ...value, node: node.right });
    return typeof left === 'string' && typeof right === 'string' ? left + right : undefined;
  }
  const bound = boundArgument(graph, value);
  if (bound) return bound.expression ? again({ ...bound, node: bound.expression }) : ABSENT;
  if (ts.isIdentifier(node)) {
    const field = destructuredField(graph, value, depth);
    if (field !== undefined) return field === ABSENT ? ABSENT : again(field);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const field = memberField(graph, value, depth);
    if (field === ABSENT) return ABSENT;
    if (field) return again(field);
  }
  // A `const` inside the factory may be built from its parameters (`const url = `/${base}/x``).
  if (ts.isIdentifier(node) && value.env.bindings.size) {
    for (const declaration of graph.project.lookup(value.file, node, node.text)) {
      const d = declaration.node;
      if (ts.isVariableDeclaration(d) && d.initializer && (d.parent.flags & ts.NodeFlags.Const) !== 0)
        return again({ file: declaration.file, node: d.initializer, env: value.env });
    }
  }
  return graph.project.stringOf(value.file, node);
}

/**
 * Where a value finally comes from, through the names that only pass it on: a parameter to its argument, a
 * destructured name or `a.b` to the field it reads (`middleware` of `const { middleware } = spec` to the
 * `middleware: [requireAdmin]` the caller wrote). The value itself when none applies or the field is absent.
 */
export function resolveValue(graph: RouterGraphApi, value: Value, depth = 0): Value {
  if (depth > MAX_DEPTH) return value;
  const bound = boundArgument(graph, value);
  if (bound)
    return bound.expression ? resolveValue(graph, { ...bound, node: bound.expression }, depth + 1) : value;
  const node = unwrap(value.node);
  const field = ts.isIdentifier(node)
    ? destructuredField(graph, value, depth)
    : ts.isPropertyAccessExpression(node)
      ? memberField(graph, value, depth)
      : undefined;
  return field && field !== ABSENT ? resolveValue(graph, field, depth + 1) : value;
}

function isFallback(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}
