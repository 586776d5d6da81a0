import ts from '../../typescript.cjs';
import { unwrap } from './project.js';
import { calleeName } from '../census-syntax.js';

// Japa's api-client (AdonisJS 5 and 6) and AdonisJS 4's vow hand each test its `client` in the test's context
// (`test('x', async ({ client }) => …)`). Both join a path that is no URL to their base URL with one `/`
// (`${baseUrl}/${endpoint without its leading /}`; the base is `http://HOST:PORT`), so `client.get('users')`
// requests `/users`. Sources: @japa/api-client src/request.ts (`#prependBaseUrl`), @adonisjs/vow
// src/ApiClient (`_getCompleteUrl`). A route's URL may also be built from its name: `route('users.show', {
// id })` (AdonisJS 6 test context and global helper), `router.makeUrl(…)` / `Route.makeUrl(…)` (AdonisJS 6 /
// 5), `Route.url(…)` (AdonisJS 4); the name is the one `.as('users.show')` or a resource gives the route.

/**
 * Whether `expression` is the `client` of a Japa or vow test's context: an identifier bound by `{ client }` (or
 * `{ client: name }`) in the first parameter of a function handed to a call (the test's callback). The nearest
 * function that binds the name decides; another binding (a variable, a plain parameter) is not the client.
 */
export function isJapaClient(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  if (!ts.isIdentifier(node)) return false;
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isBlock(at) || ts.isSourceFile(at)) {
      if (declaresLocally(at.statements, node.text)) return false;
      continue;
    }
    if (!ts.isFunctionLike(at)) continue;
    const parameters = at.parameters;
    const binding = parameters.findIndex((p) => binds(p.name, node.text));
    if (binding < 0) continue;
    const first = parameters[0];
    const element =
      binding === 0 && first && ts.isObjectBindingPattern(first.name)
        ? first.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === node.text)
        : undefined;
    const property = element && (element.propertyName ?? element.name);
    const call = at.parent;
    return Boolean(
      property &&
      ts.isIdentifier(property) &&
      property.text === 'client' &&
      !element.dotDotDotToken &&
      call &&
      ts.isCallExpression(call) &&
      call.arguments.some((a) => a === at),
    );
  }
  return false;
}

/** Whether a binding name (a parameter's, a destructuring's) binds `name`. */
function binds(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, name));
}

/** Whether statements of a block declare `name` (`const client = …`): then it is not the context's. */
function declaresLocally(statements: ts.NodeArray<ts.Statement>, name: string): boolean {
  return statements.some(
    (s) =>
      (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => binds(d.name, name))) ||
      ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name),
  );
}

/** Callee names of a URL built from a route's name: `route(…)`, `x.makeUrl(…)`, `Route.url(…)`. */
const NAMED_ROUTE_CALLS = new Set(['route', 'makeUrl', 'url']);

/**
 * A URL built from a route's name: `route('users.show', { id })`, `router.makeUrl('users.show', [1])`,
 * `Route.makeUrl(…)`, `Route.url(…)` (AdonisJS 4). `name` is undefined when the name is not a string the code
 * spells (`route(name)`); `text` is the call as written. Undefined for any other expression (`Route.url` only on
 * a receiver named `Route` or `router`).
 */
export function namedRouteCall(
  expression: ts.Expression,
  resolve: (e: ts.Expression) => string | undefined,
): { name: string | undefined; text: string } | undefined {
  const node = unwrap(expression);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = unwrap(node.expression);
  const called = calleeName(callee) ?? '';
  if (!NAMED_ROUTE_CALLS.has(called)) return undefined;
  if (ts.isIdentifier(callee) && called !== 'route') return undefined;
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = unwrap(callee.expression);
    if (!ts.isIdentifier(receiver) || !/^(route|router)$/i.test(receiver.text)) return undefined;
  }
  const first = node.arguments[0];
  if (!first) return undefined;
  const spelled = unwrap(first);
  const name = ts.isStringLiteralLike(spelled) ? spelled.text : resolve(spelled);
  return { name, text: node.getText() };
}

/**
 * The path a named route answers, as a request path (`/api/users/{id}`), from the route's own path in colon
 * syntax (`/api/users/:id`); undefined when it has an optional or wildcard part (`:id?`, `*`), which the URL
 * built from the name may leave out.
 */
export function namedRoutePath(routePath: string): string | undefined {
  if (/[?*]/.test(routePath)) return undefined;
  return routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
