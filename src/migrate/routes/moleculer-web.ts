import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { joinPaths } from './paths.js';
import { lineOf, propertyName, type Project, type ProjectFile } from './project.js';

/** moleculer-web's `REST users` alias: the actions it stands for (moleculer-web docs, "Aliases": REST shorthand). */
const REST_ALIASES: readonly [string, string, string][] = [
  ['GET', '', 'list'],
  ['GET', '/:id', 'get'],
  ['POST', '', 'create'],
  ['PUT', '/:id', 'update'],
  ['PATCH', '/:id', 'patch'],
  ['DELETE', '/:id', 'remove'],
];

/** Where an action is declared: its handler's node (the action function, or the `handler` of its object). */
interface Action {
  file: ProjectFile;
  node: ts.Node;
  /** The action's own `rest` (`'GET /:id'`), for a route with `autoAliases`. */
  rest: string[];
  /** The service's base path for `rest` (`settings.rest`, else `/<name>`). */
  base: string;
}

/**
 * Routes a moleculer-web API gateway declares (source: moleculer-web docs, "Aliases", "Auto-alias"): the
 * `aliases` of each of its `settings.routes` (`'GET users/:id': 'users.get'`, a method-less alias for every
 * method, `'REST users': 'users'`, a `stream:` / `multipart:` prefix, an array ending with the action, an object's
 * `action`, a function handler), under the gateway's `settings.path` and the route's `path`; with `autoAliases`,
 * every action's own `rest`. Each alias to an action is a route whose handler is that action in the service of
 * that name (`{ name: 'users', actions: { get: { handler(ctx) {} } } }`, also `version: 2` as `v2.users.get`).
 * An alias whose action is in no service mtls-fix reads, or whose value is computed, is a route it could not
 * read (`unreadable`, listed under coverage's unresolved routes).
 */
export function extractMoleculerWebRoutes(project: Project): CodeRoute[] {
  const gateways: { file: ProjectFile; settings: ts.ObjectLiteralExpression }[] = [];
  const actions = new Map<string, Action>();
  for (const file of project.files) {
    if (!file.sourceFile.text.includes('actions') && !file.sourceFile.text.includes('aliases')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        readService(project, file, node, actions);
        const settings = objectProperty(node, 'settings');
        if (settings && arrayProperty(settings, 'routes')) gateways.push({ file, settings });
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);
  }
  const routes: CodeRoute[] = [];
  for (const { file, settings } of gateways) {
    const root = stringOf(project, file, property(settings, 'path')) ?? '/';
    for (const element of arrayProperty(settings, 'routes')?.elements ?? []) {
      if (!ts.isObjectLiteralExpression(element)) continue;
      const prefix = joinPaths(root, stringOf(project, file, property(element, 'path')) ?? '');
      const aliases = objectProperty(element, 'aliases');
      for (const member of aliases?.properties ?? [])
        routes.push(...aliasRoutes(project, file, prefix, member, actions));
      if (isTrue(property(element, 'autoAliases')))
        for (const action of actions.values())
          for (const rest of action.rest) {
            const [method, restPath] = splitAlias(rest);
            routes.push(route(file, element, method, joinPaths(prefix, action.base, restPath), action));
          }
    }
  }
  return routes;
}

/** A service schema `{ name, version?, settings?: { rest }, actions: { … } }`: its actions by full name. */
function readService(
  project: Project,
  file: ProjectFile,
  node: ts.ObjectLiteralExpression,
  actions: Map<string, Action>,
): void {
  const name = stringOf(project, file, property(node, 'name'));
  const list = objectProperty(node, 'actions');
  if (!name || !list) return;
  const version = property(node, 'version');
  const versionText =
    version && (ts.isNumericLiteral(version) || ts.isStringLiteral(version)) ? version.text : '';
  const full = versionText ? `v${versionText.replace(/^v/, '')}.${name}` : name;
  const restBase =
    stringOf(project, file, property(objectProperty(node, 'settings'), 'rest')) ??
    `/${versionText ? `v${versionText.replace(/^v/, '')}/` : ''}${name}`;
  for (const member of list.properties) {
    const key = member.name && propertyName(member.name);
    if (!key) continue;
    let handler: ts.Node | undefined;
    let rest: string[] = [];
    if (ts.isMethodDeclaration(member)) handler = member;
    else if (ts.isPropertyAssignment(member)) {
      const value = member.initializer;
      if (ts.isFunctionLike(value)) handler = value;
      else if (ts.isObjectLiteralExpression(value)) {
        const member = value.properties.find((p) => p.name && propertyName(p.name) === 'handler');
        handler = member && ts.isPropertyAssignment(member) ? member.initializer : member;
        const restValue = property(value, 'rest');
        rest = (
          restValue && ts.isArrayLiteralExpression(restValue)
            ? [...restValue.elements]
            : restValue
              ? [restValue]
              : []
        )
          .map((e) => stringOf(project, file, e))
          .filter((s): s is string => s !== undefined);
      }
    }
    if (handler) actions.set(`${full}.${key}`, { file, node: handler, rest, base: restBase });
  }
}

function aliasRoutes(
  project: Project,
  file: ProjectFile,
  prefix: string,
  member: ts.ObjectLiteralElementLike,
  actions: ReadonlyMap<string, Action>,
): CodeRoute[] {
  const key = member.name && propertyName(member.name);
  if (!key) return [unreadable(file, member, prefix, 'an alias whose key is computed')];
  const [method, aliasPath] = splitAlias(key);
  const full = joinPaths(prefix, aliasPath);
  // `'GET health'(req, res) { … }`, `'GET health': (req, res) => …`: the function is the handler.
  const value = ts.isPropertyAssignment(member)
    ? member.initializer
    : ts.isMethodDeclaration(member)
      ? member
      : undefined;
  if (value && ts.isFunctionLike(value))
    return [route(file, member, method, full, { file, node: value, rest: [], base: '' })];
  const target = value ? actionName(project, file, value) : undefined;
  if (!target)
    return [unreadable(file, member, full, `alias '${key}' names no action mtls-fix can read`, method)];
  // A REST alias of a service mtls-fix reads stands for the actions it has (moleculer-web answers 404 for the
  // others); of a service it does not read, for actions it cannot see.
  if (method === 'REST') {
    const found = REST_ALIASES.flatMap(([verb, tail, suffix]) => {
      const action = actions.get(`${target}.${suffix}`);
      return action ? [route(file, member, verb, joinPaths(full, tail), action)] : [];
    });
    const known = [...actions.keys()].some((name) => name.startsWith(`${target}.`));
    return known
      ? found
      : [unreadable(file, member, full, `service '${target}' is no service mtls-fix reads`, 'ALL')];
  }
  const action = actions.get(target);
  return [
    action
      ? route(file, member, method, full, action)
      : unreadable(file, member, full, `action '${target}' is in no service mtls-fix reads`, method),
  ];
}

/** `'users.get'`, `'stream:files.save'`, `[auth, 'users.get']`, `{ action: 'users.get' }`. */
function actionName(project: Project, file: ProjectFile, value: ts.Expression): string | undefined {
  if (ts.isArrayLiteralExpression(value)) {
    const last = value.elements[value.elements.length - 1];
    return last ? actionName(project, file, last) : undefined;
  }
  if (ts.isObjectLiteralExpression(value)) {
    const action = property(value, 'action');
    return action ? actionName(project, file, action) : undefined;
  }
  return stringOf(project, file, value)?.replace(/^(?:stream|multipart):/, '');
}

/** `'GET users/:id'` -> `['GET', '/users/:id']`; no method is every method (`ALL`). */
function splitAlias(alias: string): [string, string] {
  const match = /^\s*([A-Za-z]+)\s+(\S.*)$/.exec(alias);
  const method = match?.[1]?.toUpperCase();
  if (match && method && /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL|REST)$/.test(method))
    return [method, `/${(match[2] ?? '').trim().replace(/^\//, '')}`];
  return ['ALL', `/${alias.trim().replace(/^\//, '')}`];
}

function route(file: ProjectFile, at: ts.Node, method: string, path: string, action: Action): CodeRoute {
  return {
    framework: 'moleculer-web',
    method,
    path,
    syntax: 'colon',
    file: file.relative,
    line: lineOf(file, at),
    handlers: [
      {
        file: action.file.relative,
        start: action.node.getStart(action.file.sourceFile),
        end: action.node.getEnd(),
      },
    ],
  };
}

function unreadable(file: ProjectFile, at: ts.Node, path: string, why: string, method = 'ALL'): CodeRoute {
  return {
    framework: 'moleculer-web',
    method,
    path,
    syntax: 'colon',
    file: file.relative,
    line: lineOf(file, at),
    handlers: [],
    unresolved: why,
    unreadable: true,
  };
}

function property(object: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  for (const member of object?.properties ?? [])
    if (ts.isPropertyAssignment(member) && propertyName(member.name) === name) return member.initializer;
  return undefined;
}

function objectProperty(
  object: ts.ObjectLiteralExpression | undefined,
  name: string,
): ts.ObjectLiteralExpression | undefined {
  const value = property(object, name);
  return value && ts.isObjectLiteralExpression(value) ? value : undefined;
}

function arrayProperty(
  object: ts.ObjectLiteralExpression | undefined,
  name: string,
): ts.ArrayLiteralExpression | undefined {
  const value = property(object, name);
  return value && ts.isArrayLiteralExpression(value) ? value : undefined;
}

function isTrue(value: ts.Expression | undefined): boolean {
  return value?.kind === ts.SyntaxKind.TrueKeyword;
}

function stringOf(project: Project, file: ProjectFile, value: ts.Expression | undefined): string | undefined {
  return value ? project.stringOf(file, value) : undefined;
}
