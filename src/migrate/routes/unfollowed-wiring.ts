import ts from '../../typescript.cjs';
import { skipOuter } from '../analysis/syntax.js';
import type { SpecCoverage } from '../types.js';
import type { Project, ProjectFile } from './project.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * Route wiring the readers do not follow, named in the `--spec` coverage so that "no handler found" never hides
 * it (nt): routers that a call returns, mounted in a loop (`loadRouters().forEach((r) => app.use(r))`,
 * `for (const r of await loadRouters()) app.use(r)`). The routes those routers hold are read, but reach no
 * app, so they show as not mounted; this entry says where they are mounted and why mtls-fix could not follow.
 */

/** Methods that mount a router or app on another (Express/Koa/Fastify/Hono/Elysia spellings). */
const MOUNTS = new Set(['use', 'route', 'mount', 'register', 'group']);

/** Array methods whose callback receives each element. */
const ELEMENT_CALLBACKS = new Set(['forEach', 'map', 'flatMap']);

type Unresolved = SpecCoverage['unresolved'][number];

/** Every mount whose router is an element of a call's result, as a by-hand coverage entry. */
export function unfollowedWiring(project: Project): Unresolved[] {
  const out: Unresolved[] = [];
  for (const file of project.files) {
    for (const call of project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || !MOUNTS.has(callee.name.text)) continue;
      // `server.route(route)` (hapi, Fastify) registers a route object, read by the route-table readers.
      if (callee.name.text === 'route' && call.arguments.length < 2) continue;
      // `api.register(route.name, route.handler)` on an openapi-backend names a handler, not a router: its
      // reader reports a name computed at run time (openapi-backend.ts).
      if (callee.name.text === 'register' && importsOpenapiBackend(file)) continue;
      for (const argument of call.arguments) {
        const source = elementSource(unwrap(argument));
        // `for (const r of require('./routes'))`: a module the readers load and follow.
        if (!source || isModuleLoad(source)) continue;
        out.push(entry(file, call, source));
        break;
      }
    }
  }
  return out;
}

/** Whether a file imports or requires `openapi-backend` (its `register` takes handlers, not routers). */
function importsOpenapiBackend(file: ProjectFile): boolean {
  return /['"]openapi-backend['"]/.test(file.sourceFile.text);
}

/**
 * The call whose result `node` is an element of: `r` in `loadRouters().forEach((r) => …)` or in
 * `for (const r of loadRouters())` (also `r.router`, `r.routes()`). Undefined otherwise.
 */
function elementSource(node: ts.Expression): ts.CallExpression | undefined {
  let name: ts.Expression = node;
  // `r.routes()`, `r.router`: the element's router.
  if (ts.isCallExpression(name) && name.arguments.length === 0) name = name.expression;
  if (ts.isPropertyAccessExpression(name)) name = name.expression;
  if (!ts.isIdentifier(name)) return undefined;
  const text = name.text;
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isArrowFunction(scope) || ts.isFunctionExpression(scope)) {
      const first = scope.parameters[0];
      if (!first || !ts.isIdentifier(first.name) || first.name.text !== text) {
        if (scope.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === text)) return undefined;
        continue;
      }
      const loop = scope.parent;
      if (!ts.isCallExpression(loop) || loop.arguments[0] !== scope) return undefined;
      const method = loop.expression;
      if (!ts.isPropertyAccessExpression(method) || !ELEMENT_CALLBACKS.has(method.name.text))
        return undefined;
      const receiver = unwrap(method.expression);
      return ts.isCallExpression(receiver) ? receiver : undefined;
    }
    if (ts.isForOfStatement(scope) && ts.isVariableDeclarationList(scope.initializer)) {
      const declared = scope.initializer.declarations[0]?.name;
      if (!declared || !ts.isIdentifier(declared) || declared.text !== text) continue;
      const iterated = unwrap(scope.expression);
      return ts.isCallExpression(iterated) ? iterated : undefined;
    }
    if (ts.isFunctionDeclaration(scope) || ts.isMethodDeclaration(scope)) return undefined;
  }
  return undefined;
}

function entry(file: ProjectFile, call: ts.CallExpression, source: ts.CallExpression): Unresolved {
  const sourceFile = file.sourceFile;
  const line = lineAndCharacterAt(sourceFile, call.getStart(sourceFile)).line + 1;
  const prefix = call.arguments[0];
  const path =
    prefix && (ts.isStringLiteral(prefix) || ts.isNoSubstitutionTemplateLiteral(prefix)) ? prefix.text : '/*';
  const made = short(source.getText(sourceFile));
  return {
    method: 'ALL',
    path,
    file: file.relative,
    line,
    framework: 'router',
    reason: `routers mounted from the result of ${made} (${short(call.getText(sourceFile))} at ${file.relative}:${line}), which mtls-fix does not follow: the routes they hold are listed as not mounted, without this mount's prefix`,
    mountFile: file.relative,
    byHand: true,
  };
}

/** `require('x')` or `import('x')`: a module the readers resolve, not a function's result. */
function isModuleLoad(call: ts.CallExpression): boolean {
  return (
    call.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(call.expression) && call.expression.text === 'require')
  );
}

/** The expression inside parentheses, `as`, `satisfies`, `!` and `await` (`(await loadRouters()).forEach`). */
function unwrap(expression: ts.Expression): ts.Expression {
  let node = skipOuter(expression);
  while (ts.isAwaitExpression(node)) node = skipOuter(node.expression);
  return node;
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
