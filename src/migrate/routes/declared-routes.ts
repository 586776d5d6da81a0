import jsYaml from 'js-yaml';
import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { isFunctionNode, type Project, type ProjectFile } from './project.js';
import { nodeAt } from './reach.js';

/** The OpenAPI operation keys of a path item (OpenAPI 3.x "Path Item Object"; `query` is 3.2's). */
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query']);

/** The framework name of a declared route, in reports. */
const DECLARED = 'openapi-declaration';

/**
 * The operations a 403 declares by method and path where it stands, not by code that runs for a route: the
 * `responses` of an object that also names its `method` and `path` (@asteasolutions/zod-to-openapi
 * `registry.registerPath({ method, path, responses })`, a ts-rest contract entry, any route definition of that
 * shape), or the path items of the `@openapi` / `@swagger` JSDoc block around it (swagger-jsdoc parses the
 * block after its tag as YAML). Each is returned as a route in OpenAPI path syntax registered at the site, with
 * no handlers, for `--spec` to match against the document's operations like any code route. Empty when the
 * site is none of these, or its method or path is computed at run time.
 *
 * @param relative the site's file, relative to the working folder (as `Site.file`).
 * @param position the site's start offset in that file.
 */
export function declaredRoutesAt(project: Project, relative: string, position: number): CodeRoute[] {
  const file = project.byRelative(relative);
  if (!file) return [];
  const text = file.sourceFile.text;
  const fromDoc = docBlockRoutes(file, text, position);
  if (fromDoc) return fromDoc;
  const node = nodeAt(file.sourceFile, position);
  return node ? entryRoutes(project, file, node) : [];
}

/** `{ method, path, responses: { 403: … } }` around the node, up to the enclosing function. */
function entryRoutes(project: Project, file: ProjectFile, node: ts.Node): CodeRoute[] {
  let inResponses = false;
  for (let at: ts.Node | undefined = node; at && !isFunctionNode(at); at = at.parent) {
    if (ts.isPropertyAssignment(at) && propertyText(at.name) === 'responses') inResponses = true;
    if (!inResponses || !ts.isObjectLiteralExpression(at)) continue;
    const method = stringProperty(project, file, at, 'method');
    const path = stringProperty(project, file, at, 'path');
    if (method === undefined || path === undefined) continue;
    if (!HTTP_METHODS.has(method.toLowerCase()) || !path.startsWith('/')) return [];
    return [declaredRoute(file, at, method, path)];
  }
  return [];
}

/** The routes of the `@openapi` / `@swagger` block comment holding `position`; undefined when it is in none. */
function docBlockRoutes(file: ProjectFile, text: string, position: number): CodeRoute[] | undefined {
  const open = text.lastIndexOf('/**', position);
  if (open < 0) return undefined;
  const close = text.indexOf('*/', open + 3);
  if (close < 0 || close < position) return undefined;
  const body = text.slice(open + 3, close);
  const tag = /@(?:openapi|swagger)\b[^\n]*\n/i.exec(body);
  if (!tag) return undefined;
  const yaml = body
    .slice(tag.index + tag[0].length)
    .split('\n')
    .map((line) => line.replace(/^\s*\*(?: |$)/, ''))
    .join('\n');
  let parsed: unknown;
  try {
    parsed = jsYaml.load(yaml, { json: true });
  } catch {
    return [];
  }
  if (!isRecord(parsed)) return [];
  const line = file.sourceFile.getLineAndCharacterOfPosition(open).line + 1;
  const routes: CodeRoute[] = [];
  for (const [path, item] of Object.entries(parsed)) {
    if (!path.startsWith('/') || !isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method.toLowerCase()) || !isRecord(operation)) continue;
      const responses = operation.responses;
      if (!isRecord(responses) || !Object.keys(responses).some((k) => k.trim() === '403')) continue;
      routes.push({
        framework: DECLARED,
        method: method.toUpperCase(),
        path,
        syntax: 'openapi',
        file: file.relative,
        line,
        handlers: [],
      });
    }
  }
  return routes;
}

function declaredRoute(file: ProjectFile, node: ts.Node, method: string, path: string): CodeRoute {
  return {
    framework: DECLARED,
    method: method.toUpperCase(),
    path,
    syntax: path.includes('{') ? 'openapi' : 'colon',
    file: file.relative,
    line: file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile)).line + 1,
    handlers: [],
  };
}

function stringProperty(
  project: Project,
  file: ProjectFile,
  object: ts.ObjectLiteralExpression,
  name: string,
): string | undefined {
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && propertyText(property.name) === name)
      return project.stringOf(file, property.initializer);
  return undefined;
}

function propertyText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
