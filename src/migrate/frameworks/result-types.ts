import { isOuter } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { enclosingFunction, type FunctionLike } from '../scope.js';

/** What an object literal is, by the type the code gives it or the handler it is returned from. */
export type ResultContext = 'lambda' | 'azure' | 'web';

/** Type names that make an object a result of that kind (aws-lambda, @azure/functions, the Fetch API). */
const RESULT_TYPES: Record<string, ResultContext> = {
  APIGatewayProxyResult: 'lambda',
  APIGatewayProxyResultV2: 'lambda',
  APIGatewayProxyStructuredResultV2: 'lambda',
  ALBResult: 'lambda',
  LambdaFunctionURLResult: 'lambda',
  HttpResponseInit: 'azure',
  ResponseInit: 'web',
};

/** Handler types: a function typed with one returns a result of that kind. */
const HANDLER_TYPES: Record<string, ResultContext> = {
  APIGatewayProxyHandler: 'lambda',
  APIGatewayProxyHandlerV2: 'lambda',
  ALBHandler: 'lambda',
  LambdaFunctionURLHandler: 'lambda',
  HttpHandler: 'azure',
};

/** Where the type names above may come from when imported (a same-named type from elsewhere does not count). */
const TYPE_MODULES = new Set(['aws-lambda', '@types/aws-lambda', '@azure/functions']);

/**
 * The result kind of an object literal: from a type annotation on it (`const init: ResponseInit = {…}`,
 * `{…} satisfies APIGatewayProxyResult`), or, when it is returned, from its function's return type
 * (`Promise<HttpResponseInit>`) or the handler type of the variable the function is assigned to
 * (`const handler: APIGatewayProxyHandler = async () => ({ statusCode: 403 })`). A returned object in an
 * exported `handler` of a file that imports `aws-lambda` (or exports `handler` CommonJS-style) is a Lambda result.
 */
export function resultContext(analysis: FileAnalysis, object: ts.Expression): ResultContext | undefined {
  let node: ts.Node = object;
  while (isOuter(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node)
    return typeContext(analysis, parent.type) ?? variableContext(analysis, parent);
  // `response = { statusCode: 403, body }` into `let response: APIGatewayProxyResult` (or one returned later).
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === node &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(parent.left)
  ) {
    const declaration = variableDeclaration(parent.left);
    return declaration && (typeContext(analysis, declaration.type) ?? variableContext(analysis, declaration));
  }
  if (ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent))
    return typeContext(analysis, parent.type);
  const returned = ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node);
  if (!returned) return undefined;
  const fn = enclosingFunction(node);
  return fn && returnContext(analysis, fn);
}

/**
 * An untyped local the function later returns (`const response = { statusCode: 403 }; ... return response;`)
 * holds what the function returns: its context is the function's.
 */
function variableContext(
  analysis: FileAnalysis,
  declaration: ts.VariableDeclaration,
): ResultContext | undefined {
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const fn = enclosingFunction(declaration);
  if (!fn?.body || !ts.isBlock(fn.body)) return undefined;
  const name = declaration.name.text;
  let returnsIt = false;
  const visit = (node: ts.Node): void => {
    if (returnsIt || (node !== fn.body && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression && ts.isIdentifier(node.expression))
      returnsIt = node.expression.text === name;
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return returnsIt ? returnContext(analysis, fn) : undefined;
}

/** The `let`/`const` declaration a name refers to in the blocks around it (no parameters, no imports). */
function variableDeclaration(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (!ts.isBlock(node) && !ts.isSourceFile(node)) continue;
    for (const statement of node.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === identifier.text) return d;
    }
  }
  return undefined;
}

/** What a function's returned objects are: by its return type, its handler type, or as a Lambda handler. */
function returnContext(analysis: FileAnalysis, fn: FunctionLike): ResultContext | undefined {
  const declared = typeContext(analysis, fn.type);
  if (declared) return declared;
  const outer = outermostFunction(fn);
  const holder = outer.parent;
  if (ts.isVariableDeclaration(holder) && holder.type) {
    const handler = handlerContext(analysis, holder.type);
    if (handler) return handler;
  }
  if (isLambdaHandler(analysis, outer)) return 'lambda';
  return undefined;
}

function typeContext(analysis: FileAnalysis, type: ts.TypeNode | undefined): ResultContext | undefined {
  const name = referenceName(unwrapPromise(type));
  if (!name) return undefined;
  const context = RESULT_TYPES[name];
  return context && fromKnownModule(analysis, name) ? context : undefined;
}

function handlerContext(analysis: FileAnalysis, type: ts.TypeNode): ResultContext | undefined {
  const name = referenceName(type);
  const context = name ? HANDLER_TYPES[name] : undefined;
  return context && name && fromKnownModule(analysis, name) ? context : undefined;
}

function fromKnownModule(analysis: FileAnalysis, name: string): boolean {
  const binding = analysis.importOf(name.split('.')[0]);
  // `ResponseInit` is a global; the others are usually imported (`import type { … } from 'aws-lambda'`).
  return !binding || TYPE_MODULES.has(binding.module);
}

function unwrapPromise(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (
    type &&
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    type.typeName.text === 'Promise'
  )
    return type.typeArguments?.[0];
  return type;
}

function referenceName(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  return ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
}

/** `const denied = { statusCode: 403 }` at the top of a module: a shared declaration, never edited. */
export function isModuleLevelDeclaration(object: ts.Expression): boolean {
  let node: ts.Node = object;
  while (isOuter(node.parent)) node = node.parent;
  const declaration = node.parent;
  return (
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer === node &&
    ts.isVariableStatement(declaration.parent.parent) &&
    ts.isSourceFile(declaration.parent.parent.parent)
  );
}

function outermostFunction(fn: FunctionLike): FunctionLike {
  let outer = fn;
  for (let next = enclosingFunction(outer); next; next = enclosingFunction(outer)) outer = next;
  return outer;
}

/** A file importing aws-lambda types, or the exported `handler` (`export const handler`, `exports.handler = …`). */
function isLambdaHandler(analysis: FileAnalysis, fn: FunctionLike): boolean {
  // A file typed with aws-lambda: every returned `{ statusCode }` is a result (helpers such as `forbidden()` too).
  if (analysis.importsModule('aws-lambda', '@types/aws-lambda', '@middy/core')) return true;
  if (!/\bexports\.handler\b|\bexport\s+(?:const|async\s+function|function)\s+handler\b/.test(analysis.text))
    return false;
  const name = ts.isFunctionDeclaration(fn)
    ? fn.name?.text
    : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
      ? fn.parent.name.text
      : ts.isBinaryExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.left)
        ? fn.parent.left.name.text
        : undefined;
  return name === 'handler' || name === 'main' || name === 'lambdaHandler';
}
