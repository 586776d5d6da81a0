import ts from '../../typescript.cjs';
import { skipOuter } from '../analysis/syntax.js';
import { heldName } from '../analysis/held-receivers.js';

/**
 * NestJS's platform-neutral response API: `AbstractHttpAdapter` (@nestjs/core), the object `HttpAdapterHost`
 * holds as `httpAdapter` and `app.getHttpAdapter()` returns. The NestJS docs' catch-everything filter answers with
 * it (`httpAdapter.reply(ctx.getResponse(), responseBody, httpStatus)`, docs.nestjs.com/exception-filters
 * "Catch everything"); `reply(response, body, statusCode?)` and `status(response, statusCode)` set the status on
 * whichever platform the app runs (Express or Fastify). Source: nestjs/nest packages/core/adapters/http-adapter.ts.
 *
 * Before session 49 a 403 written there was "a shape mtls-fix does not know", and a status read at run time
 * (`reply(res, body, statusCode)`) was not a site at all.
 */

/** The adapter methods that take a status, and the index of the status among their arguments. */
const STATUS_ARGUMENT = new Map<string, number>([
  ['reply', 2],
  ['status', 1],
]);

/** The types an adapter is declared with (`constructor(private readonly adapter: AbstractHttpAdapter)`). */
const ADAPTER_TYPES = new Set(['AbstractHttpAdapter', 'HttpServer', 'ExpressAdapter', 'FastifyAdapter']);

/**
 * The status argument of an `AbstractHttpAdapter` call: `{ status }` is the argument (undefined when the code
 * passes none: `reply(res, body)` answers the platform's default, no site), or the whole answer is undefined when
 * `method` on `object` is not an adapter's status method.
 *
 * The adapter is recognised by how Nest code reaches it: `….httpAdapter` (`this.adapterHost.httpAdapter`),
 * `….getHttpAdapter()` (`app.getHttpAdapter()`), a local holding either (`const { httpAdapter } =
 * this.adapterHost`, `const adapter = app.getHttpAdapter()`), or a name declared with one of the adapter types
 * (a parameter, a constructor parameter property or a field: `this.adapter` with `private adapter:
 * AbstractHttpAdapter`).
 *
 * @param method the called method's name (`reply` of `httpAdapter.reply(…)`).
 * @param object the receiver expression.
 * @param args the call's arguments.
 */
export function adapterStatusArgument(
  method: string,
  object: ts.Expression,
  args: readonly ts.Expression[],
): { status: ts.Expression | undefined } | undefined {
  const index = STATUS_ARGUMENT.get(method);
  if (index === undefined || !isHttpAdapter(object)) return undefined;
  return { status: args[index] };
}

function isHttpAdapter(expression: ts.Expression, depth = 0): boolean {
  const node = skipOuter(expression);
  if (ts.isPropertyAccessExpression(node)) {
    if (node.name.text === 'httpAdapter') return true;
    return node.expression.kind === ts.SyntaxKind.ThisKeyword && classMemberTyped(node);
  }
  if (ts.isCallExpression(node)) {
    const callee = skipOuter(node.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'getHttpAdapter';
  }
  if (!ts.isIdentifier(node) || depth > 2) return false;
  const held = heldName(node);
  if (held)
    return (
      held.member === 'httpAdapter' ||
      (held.member === undefined && isHttpAdapter(held.initializer, depth + 1))
    );
  return parameterTyped(node);
}

/** Whether a type annotation names an adapter type (`AbstractHttpAdapter`, `AbstractHttpAdapter<any, any, any>`). */
function isAdapterType(type: ts.TypeNode | undefined): boolean {
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  return ADAPTER_TYPES.has(name);
}

/** `adapter` read in a function with a parameter `adapter: AbstractHttpAdapter`. */
function parameterTyped(usage: ts.Identifier): boolean {
  for (let scope: ts.Node | undefined = usage.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const parameter = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === usage.text);
    if (parameter) return isAdapterType(parameter.type);
  }
  return false;
}

/** `this.adapter` in a class declaring `adapter` as a field or constructor parameter property of an adapter type. */
function classMemberTyped(access: ts.PropertyAccessExpression): boolean {
  let owner: ts.Node | undefined = access.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  if (!owner) return false;
  const name = access.name.text;
  for (const member of owner.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name)
      return isAdapterType(member.type);
    if (ts.isConstructorDeclaration(member))
      for (const p of member.parameters)
        if (ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length)
          return isAdapterType(p.type);
  }
  return false;
}
