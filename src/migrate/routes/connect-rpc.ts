import ts from '../../typescript.cjs';
import type { CodeRoute, Span } from './model.js';
import { lineOf, staticString, unwrap, type Project, type ProjectFile } from './project.js';
import { span } from './syntax.js';

/** Packages whose router registers Connect procedures (`router.service`, `router.rpc`). */
const CONNECT = /['"]@(connectrpc|bufbuild)\/connect(-node|-express|-fastify|-next)?['"]/;

/**
 * Connect RPC: `router.service(ElizaService, impl)` and `router.rpc(ElizaService, ElizaService.methods.say, fn)`
 * in a file that imports @connectrpc/connect (or @bufbuild/connect). Each procedure is `POST /<typeName>/<Name>`
 * (the Connect protocol's path), its handler the implementation's member named after the method's local name
 * (`say` of `{ async say(req) {} }`, of a class instance's methods too), read from a generated v1 descriptor
 * (`export const ElizaService = { typeName: 'connectrpc.eliza.v1.ElizaService', methods: { say: { name: 'Say',
 * … } } }`). A descriptor mtls-fix cannot read (protobuf-es v2's `serviceDesc(file_x, 0)`, names only in an
 * embedded file descriptor) makes one registration read by hand, never silence.
 * Sources: connectrpc.com docs, "Implementing services" and "Protocol" (`POST /<Package>.<Service>/<Method>`).
 */
export function extractConnectRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    if (!CONNECT.test(file.sourceFile.text)) continue;
    for (const call of project.calls(file)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const kind = callee.name.text;
      if (kind !== 'service' && kind !== 'rpc') continue;
      const [descArgument, second, third] = call.arguments;
      if (!descArgument || !second || (kind === 'rpc' && !third)) continue;
      const at = { framework: 'connect', method: 'POST', syntax: 'colon' as const, file: file.relative };
      const line = lineOf(file, call);
      const service = descriptor(project, file, descArgument);
      const implementation = kind === 'service' ? second : third;
      if (!service) {
        routes.push({
          ...at,
          line,
          path: '/*',
          handlers: [span(file, implementation)],
          unresolved: `Connect service ${descArgument.getText(file.sourceFile)} whose procedure names are in a generated descriptor mtls-fix does not read`,
          unreadable: true,
        });
        continue;
      }
      const keys = kind === 'service' ? [...service.methods.keys()] : [methodKey(second)].filter(Boolean);
      for (const key of keys) {
        const name = service.methods.get(key ?? '');
        if (!key || !name) continue;
        const handlers =
          kind === 'service' ? memberSpans(project, file, implementation, key) : [span(file, implementation)];
        routes.push({ ...at, line, path: `/${service.typeName}/${name}`, handlers });
      }
    }
  }
  return routes;
}

/** A v1 descriptor: its `typeName` and each method's local key -> wire name. */
function descriptor(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
): { typeName: string; methods: Map<string, string> } | undefined {
  const node = unwrap(expression);
  if (!ts.isIdentifier(node)) return undefined;
  for (const declaration of project.lookup(file, node, node.text)) {
    const value = ts.isVariableDeclaration(declaration.node) ? declaration.node.initializer : undefined;
    const object = value ? unwrap(value) : undefined;
    if (!object || !ts.isObjectLiteralExpression(object)) continue;
    const typeName = staticString(member(object, 'typeName'));
    const methods = member(object, 'methods');
    const table = methods ? unwrap(methods) : undefined;
    if (typeName === undefined || !table || !ts.isObjectLiteralExpression(table)) continue;
    const out = new Map<string, string>();
    for (const property of table.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key = propertyKey(property.name);
      const spec = unwrap(property.initializer);
      const name = ts.isObjectLiteralExpression(spec) ? staticString(member(spec, 'name')) : undefined;
      if (key && name) out.set(key, name);
    }
    return { typeName, methods: out };
  }
  return undefined;
}

/** `ElizaService.methods.say`: `say`. */
function methodKey(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  return ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
}

/**
 * The code of the implementation's member `key`: of an object literal (inline or in a `const`), or of the class
 * an instance is made from (`new ElizaImpl()`); the whole implementation when neither shows it.
 */
function memberSpans(
  project: Project,
  file: ProjectFile,
  implementation: ts.Expression,
  key: string,
): Span[] {
  let node = unwrap(implementation);
  let at = file;
  if (ts.isIdentifier(node)) {
    const found = project.lookup(file, node, node.text).find((d) => ts.isVariableDeclaration(d.node));
    const initializer = found && ts.isVariableDeclaration(found.node) ? found.node.initializer : undefined;
    if (found && initializer) {
      node = unwrap(initializer);
      at = found.file;
    }
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties)
      if (property.name && propertyKey(property.name) === key) return [span(at, property)];
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    const classNode = node.expression;
    for (const declaration of project.lookup(at, classNode, classNode.text)) {
      if (!ts.isClassDeclaration(declaration.node)) continue;
      for (const m of declaration.node.members)
        if (m.name && propertyKey(m.name) === key) return [span(declaration.file, m)];
    }
  }
  return [span(file, implementation)];
}

function member(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && propertyKey(property.name) === name) return property.initializer;
  return undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}
