import ts from '../../typescript.cjs';
import type { FileImports } from './file-imports.js';
import { isOuter, shorten } from './syntax.js';
import { calleeName } from '../census-syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';
import { visibleValue } from '../local-values.js';

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

/** A route decorator in a file's text (`@Get(`, `@Post (`): the files where a handler returning a call is looked for. */
export const ROUTE_DECORATOR_TEXT = /@(?:Get|Post|Put|Patch|Delete|All|Head|Options|Search)\s*\(/;

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
  const value = wrappedValue(node);
  const parent = value.parent;
  if (ts.isReturnStatement(parent)) {
    let fn: ts.Node | undefined = parent.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    if (!fn || !ts.isMethodDeclaration(fn)) return undefined;
    return isRouteHandler(fn) ? { where: `the route handler ${shorten(fn.name.getText())}` } : undefined;
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

/** A function that returns an error object to its caller: its name, and its class's for a method. */
export interface ReturningFunction {
  /** `deny` of `deny() { return new ForbiddenException() }`, `refuse = () => …`, `function denied()`. */
  name: string;
  /** The class of a method or a property holding an arrow (`UsersService`). */
  owner?: string;
}

/**
 * The function (no route handler) that returns the error object built at `node` to its caller (through
 * parentheses, `as`, `await`): a class method (`deny() { return new ForbiddenException() }`), a property or
 * `const` holding an arrow or function expression (`refuse = () => new ForbiddenException()`), a function
 * declaration. Its caller may throw it (answered by its status) or return it from a route handler (a 2xx body:
 * {@link handlerReturningCall}). Undefined for anything else.
 */
export function returningFunction(imports: Imports, node: ts.Node): ReturningFunction | undefined {
  if (!errorObject(imports, node)) return undefined;
  const value = wrappedValue(node);
  let fn: ts.Node | undefined;
  if (ts.isArrowFunction(value.parent) && value.parent.body === value) fn = value.parent;
  else if (ts.isReturnStatement(value.parent)) {
    fn = value.parent.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  }
  if (!fn) return undefined;
  if (ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) {
    if (!fn.name || !ts.isIdentifier(fn.name) || isRouteHandler(fn)) return undefined;
    const owner = ts.isClassLike(fn.parent) ? fn.parent.name?.text : undefined;
    return { name: fn.name.text, owner };
  }
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const holder = fn.parent;
  if (
    (ts.isPropertyDeclaration(holder) || ts.isVariableDeclaration(holder)) &&
    ts.isIdentifier(holder.name)
  ) {
    const owner = ts.isClassLike(holder.parent) ? holder.parent.name?.text : undefined;
    return { name: holder.name.text, owner };
  }
  return undefined;
}

/**
 * The route handler method of `sourceFile` (see ROUTE_DECORATORS) that returns the result of a call of `name`
 * (`return this.users.deny()`, `return await deny(…)`, through parentheses and `as`, or a `const` of the handler
 * holding it: `const r = await this.users.deny(); return r`): its name and the return's line (1-based).
 * Undefined when none does.
 */
export function handlerReturningCall(
  sourceFile: ts.SourceFile,
  name: string,
): { handler: string; line: number } | undefined {
  let found: { handler: string; line: number } | undefined;
  const inHandler = (handler: ts.MethodDeclaration, node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== handler)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      let value = bare(node.expression);
      // `const result = await this.users.deny(); return result;`: the handler's own constant holding the result.
      const held = ts.isIdentifier(value) ? visibleValue(value, value.text) : undefined;
      const holder = held?.parent;
      if (
        held &&
        holder &&
        ts.isVariableDeclaration(holder) &&
        holder.initializer === held &&
        ts.isVariableDeclarationList(holder.parent) &&
        holder.parent.flags & ts.NodeFlags.Const
      )
        value = bare(held as ts.Expression);
      if (ts.isCallExpression(value) && calleeName(value.expression) === name) {
        const line = lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1;
        found = { handler: shorten(handler.name.getText(sourceFile)), line };
        return;
      }
    }
    ts.forEachChild(node, (child) => inHandler(handler, child));
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isMethodDeclaration(node) && node.body && isRouteHandler(node)) inHandler(node, node.body);
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** An expression without the parentheses, `as`, `await` and `!` around it. */
function bare(expression: ts.Expression): ts.Expression {
  let value = expression;
  while (
    ts.isParenthesizedExpression(value) ||
    ts.isAsExpression(value) ||
    ts.isAwaitExpression(value) ||
    ts.isNonNullExpression(value)
  )
    value = value.expression;
  return value;
}

/** A method with a route decorator (ROUTE_DECORATORS): what it returns is the response body. */
function isRouteHandler(fn: ts.Node): boolean {
  return (
    ts.isMethodDeclaration(fn) &&
    (ts.getDecorators(fn) ?? []).some((d) => {
      const call = d.expression;
      const callee = ts.isCallExpression(call) ? call.expression : call;
      return ROUTE_DECORATORS.has(calleeName(callee) ?? '');
    })
  );
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

/**
 * The reason an error object a function returns to a route handler that returns it is named with: `text` its form,
 * `fn` the function, `handler` the handler and where it is (`src/users.controller.ts:7`).
 */
export function returnedToHandlerReason(
  text: string,
  fn: ReturningFunction,
  handler: { handler: string; where: string },
  target: number | undefined,
): string {
  const agreed = target === undefined ? 'the agreed status' : String(target);
  return `${text} is returned by ${fn.name}(), whose result the route handler ${handler.handler} (${handler.where}) returns: a returned value is sent as the response body with a 2xx status (a returned exception is a 200 body), so no 403 is answered there and renaming its class would change only the body. If a denial was meant, throw it in the handler (and throw the ${agreed} class on mTLS routes); else mark it // mtls-fix-ignore: returned as a body.`;
}

/** The reason an error object sent as a body is named with, `text` its form and `target` the agreed status. */
export function bodyCarrierReason(carrier: BodyCarrier, text: string, target: number | undefined): string {
  const agreed = target === undefined ? 'the agreed status' : String(target);
  return `${text} is not thrown: it is ${carrier.where.startsWith('the route handler') ? `returned from ${carrier.where}, and a returned value is` : `sent as ${carrier.where}, and an error object there is`} sent as the response body with a 2xx status (a returned exception is a 200 body), so no 403 is answered here and renaming its class would change only the body. If a denial was meant, throw it (and throw the ${agreed} class on mTLS routes); else mark it // mtls-fix-ignore: returned as a body.`;
}

/** `node` with the parentheses, casts (syntax.ts `isOuter`) and `await` around it: the expression its parent reads. */
function wrappedValue(node: ts.Node): ts.Node {
  let value = node;
  while (isOuter(value.parent) || ts.isAwaitExpression(value.parent)) value = value.parent;
  return value;
}
