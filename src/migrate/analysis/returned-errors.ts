import ts from '../../typescript.cjs';
import type { FileImports } from './file-imports.js';
import { shorten } from './syntax.js';
import { calleeName } from '../census-syntax.js';

/**
 * Decorators that make a class method a route handler whose return value is the response body: NestJS
 * (`@nestjs/common` Get … Search) and routing-controllers (the same names), tsoa too. Nest's router sends what a
 * handler returns as the body with the route's 2xx status (router-response-controller `apply`); an exception is
 * answered by its status only when it is thrown (or a returned promise or observable rejects with it).
 */
const ROUTE_DECORATORS = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'All',
  'Head',
  'Options',
  'Search',
]);

/**
 * Express's response as handlers name it: `res.send(err)` / `res.json(err)` serialize an error object as JSON with
 * status 200. Fastify's `reply.send(err)` answers an Error by its status instead (reply.js `onErrorHook`): not here.
 */
const RESPONSE_NAMES = new Set(['res', 'response', 'resp']);

/** How an error object reaches the client as a body rather than as an error: where, for the reason. */
export interface BodyCarrier {
  /** `the route handler one`, `the body of ctx`, `res.json`. */
  where: string;
}

/**
 * Where an error object built at `node` (`new ForbiddenException()`, `createError(403)`) is sent as a 2xx body
 * instead of being answered by its status: returned from a decorated route handler method (`@Get() one() { return
 * new ForbiddenException() }`, through parentheses, `as`, `await`), set as Koa's body (`ctx.body = createError(403)`),
 * or handed to Express's `res.json(…)` / `res.send(…)` (see RESPONSE_NAMES). Undefined for anything else: a
 * throw, `next(err)`, a rejected promise, a helper function that returns the error for its caller to throw.
 */
export function bodyCarrier(imports: Imports, node: ts.Node): BodyCarrier | undefined {
  if (!errorObject(imports, node)) return undefined;
  let value: ts.Node = node;
  while (
    ts.isParenthesizedExpression(value.parent) ||
    ts.isAsExpression(value.parent) ||
    ts.isSatisfiesExpression(value.parent) ||
    ts.isNonNullExpression(value.parent) ||
    ts.isAwaitExpression(value.parent)
  )
    value = value.parent;
  const parent = value.parent;
  if (ts.isReturnStatement(parent)) {
    let fn: ts.Node | undefined = parent.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    if (!fn || !ts.isMethodDeclaration(fn)) return undefined;
    const routed = (ts.getDecorators(fn) ?? []).some((d) => {
      const call = d.expression;
      const callee = ts.isCallExpression(call) ? call.expression : call;
      return ROUTE_DECORATORS.has(calleeName(callee) ?? '');
    });
    return routed ? { where: `the route handler ${shorten(fn.name.getText())}` } : undefined;
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === value &&
    ts.isPropertyAccessExpression(parent.left) &&
    parent.left.name.text === 'body'
  )
    return { where: `the body ${shorten(parent.left.getText())}` };
  if (
    ts.isCallExpression(parent) &&
    parent.arguments[0] === value &&
    ts.isPropertyAccessExpression(parent.expression) &&
    ['json', 'send'].includes(parent.expression.name.text) &&
    ts.isIdentifier(parent.expression.expression) &&
    RESPONSE_NAMES.has(parent.expression.expression.text)
  )
    return { where: shorten(parent.expression.getText()) };
  return undefined;
}

/** What the reads here need of a file: its imports (FileAnalysis and FileImports have them). */
type Imports = Pick<FileImports, 'importOf'>;

/**
 * An error object built at `node`: a `new` of a class that is no response (Foal's `new HttpResponseForbidden()`
 * and tsoa's responders are the response itself), or a call of http-errors' function (`createError(403)`).
 */
function errorObject(imports: Imports, node: ts.Node): boolean {
  if (ts.isNewExpression(node)) {
    const name = calleeName(node.expression);
    return name !== undefined && !/Response|Reply|Result/i.test(name);
  }
  return (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    imports.importOf(node.expression.text)?.module === 'http-errors'
  );
}

/** The reason an error object sent as a body is named with, `text` its form and `target` the agreed status. */
export function bodyCarrierReason(carrier: BodyCarrier, text: string, target: number | undefined): string {
  const agreed = target === undefined ? 'the agreed status' : String(target);
  return `${text} is not thrown: it is ${carrier.where.startsWith('the route handler') ? `returned from ${carrier.where}, and a returned value is` : `sent as ${carrier.where}, and an error object there is`} sent as the response body with a 2xx status (a returned exception is a 200 body), so no 403 is answered here and renaming its class would change only the body. If a denial was meant, throw it (and throw the ${agreed} class on mTLS routes); else mark it // mtls-fix-ignore: returned as a body.`;
}
