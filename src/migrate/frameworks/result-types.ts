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
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node)
    return typeContext(analysis, parent.type);
  if (ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent))
    return typeContext(analysis, parent.type);
  const returned = ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node);
  if (!returned) return undefined;
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
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
  while (
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent) ||
    ts.isSatisfiesExpression(node.parent)
  )
    node = node.parent;
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
