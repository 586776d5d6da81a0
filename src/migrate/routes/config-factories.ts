import ts from '../../typescript.cjs';
import { propertyValue as property, skipOuter as unwrap } from '../analysis/syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/**
 * NestJS configuration factories: `ConfigModule.forRoot({ load: [configuration, httpConfig] })` with
 * `export default () => ({ http: { prefix: process.env.HTTP_PREFIX ?? 'partner' } })` or `registerAs('http', () =>
 * ({ prefix: '/api' }))` (docs.nestjs.com, "Configuration", custom configuration files and namespaces), read so
 * that `configService.get('http.prefix')` gives the expression the factory writes for that key. Reads trees,
 * changes nothing.
 */

/** A file of the project and its tree, as the caller holds them. */
export interface FactoryFile<F> {
  file: F;
  sourceFile: ts.SourceFile;
}

/** One configuration factory: the object literals its function returns, under its `registerAs` namespace. */
export interface ConfigFactory<F> {
  file: F;
  namespace?: string;
  objects: ts.ObjectLiteralExpression[];
}

/** What the reader asks of the project: the declarations a name resolves to, each with its file. */
export type Resolve<F> = (file: F, name: ts.Identifier) => { file: F; node: ts.Node }[];

/**
 * Every factory `load`ed by a `ConfigModule.forRoot({ load: [...] })` call in `files` (elements written inline,
 * named, imported, or made by `registerAs('ns', fn)`), in source order. Empty when there is none.
 */
export function configFactories<F>(
  files: readonly FactoryFile<F>[],
  resolve: Resolve<F>,
  treeOf: (file: F) => ts.SourceFile,
): ConfigFactory<F>[] {
  const out: ConfigFactory<F>[] = [];
  for (const { file, sourceFile } of files) {
    if (!sourceFile.text.includes('ConfigModule') || !sourceFile.text.includes('load')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isForRoot(node)) {
        const options = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
        const load = options && ts.isObjectLiteralExpression(options) ? property(options, 'load') : undefined;
        const list = load ? unwrap(load) : undefined;
        if (list && ts.isArrayLiteralExpression(list))
          for (const element of list.elements) out.push(...factoriesOf(file, element, resolve, treeOf, 0));
      }
      node.forEachChild(visit);
    };
    visit(sourceFile);
  }
  return out;
}

/**
 * The expression the factories write for a dotted key (`http.prefix`: property `prefix` of a factory registered
 * as `http`, or the nested `http: { prefix }` of an unnamed one), with its file; the first factory that has it.
 */
export function factoryValue<F>(
  factories: readonly ConfigFactory<F>[],
  key: string,
): { file: F; node: ts.Expression } | undefined {
  const parts = key.split('.');
  for (const factory of factories) {
    let path = parts;
    if (factory.namespace !== undefined) {
      if (parts[0] !== factory.namespace) continue;
      path = parts.slice(1);
    }
    if (!path.length) continue;
    for (const object of factory.objects) {
      const found = valueAt(object, path);
      if (found) return { file: factory.file, node: found };
    }
  }
  return undefined;
}

/** `ConfigModule.forRoot(…)` (the callee spelled so). */
function isForRoot(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'forRoot' &&
    ts.isIdentifier(unwrap(callee.expression)) &&
    (unwrap(callee.expression) as ts.Identifier).text === 'ConfigModule'
  );
}

/** The factories one `load` element stands for: a function, a name of one, a `registerAs` call. */
function factoriesOf<F>(
  file: F,
  expression: ts.Expression,
  resolve: Resolve<F>,
  treeOf: (file: F) => ts.SourceFile,
  depth: number,
  namespace?: string,
): ConfigFactory<F>[] {
  const node = unwrap(expression);
  if (depth > 4) return [];
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const objects = returnedObjects(node);
    return objects.length ? [{ file, objects, ...(namespace !== undefined ? { namespace } : {}) }] : [];
  }
  if (ts.isCallExpression(node)) {
    const callee = unwrap(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : undefined;
    const [first, second] = node.arguments;
    const space = first ? unwrap(first) : undefined;
    if (name === 'registerAs' && second && space && ts.isStringLiteralLike(space))
      return factoriesOf(file, second, resolve, treeOf, depth + 1, space.text);
    return [];
  }
  if (!ts.isIdentifier(node)) return [];
  const out: ConfigFactory<F>[] = [];
  for (const d of resolve(file, node)) {
    const held = ts.isVariableDeclaration(d.node)
      ? d.node.initializer
      : ts.isExportAssignment(d.node)
        ? d.node.expression
        : undefined;
    if (held) out.push(...factoriesOf(d.file, held, resolve, treeOf, depth + 1, namespace));
    else if (ts.isFunctionDeclaration(d.node) && d.node.body) {
      const objects = returnedObjects(d.node);
      if (objects.length)
        out.push({ file: d.file, objects, ...(namespace !== undefined ? { namespace } : {}) });
    } else if (ts.isSourceFile(d.node)) {
      // `import configuration from './configuration'` whose module is `export default () => ({ … })`
      const exported = treeOf(d.file).statements.find(ts.isExportAssignment);
      if (exported)
        out.push(...factoriesOf(d.file, exported.expression, resolve, treeOf, depth + 1, namespace));
    }
  }
  return out;
}

/** The expression an object literal holds at a property path (`{ http: { prefix: x } }` at `http.prefix`). */
function valueAt(object: ts.ObjectLiteralExpression, path: readonly string[]): ts.Expression | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const value = property(object, head);
  if (!value || !rest.length) return value;
  const inner = unwrap(value);
  return ts.isObjectLiteralExpression(inner) ? valueAt(inner, rest) : undefined;
}

/** The object literals a function returns: its expression body, or its `return` statements (not nested functions'). */
function returnedObjects(fn: ts.SignatureDeclaration & { body?: ts.Node }): ts.ObjectLiteralExpression[] {
  const body = fn.body;
  if (!body) return [];
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(body)) {
    if (ts.isExpression(body)) returned.push(body);
  } else {
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      if (!ts.isFunctionLike(node)) node.forEachChild(visit);
    };
    body.forEachChild(visit);
  }
  return returned.map((e) => unwrap(e)).filter(ts.isObjectLiteralExpression);
}

/** An environment file a `ConfigModule.forRoot({ envFilePath })` call names, and where the call is. */
export interface ConfigEnvFile<F> {
  file: F;
  /** As written (`'.env.local'`, `` `.env.${process.env.NODE_ENV}` `` stays undefined: not spelled out). */
  path: string | undefined;
  /** The text written, for messages. */
  written: string;
  line: number;
}

/**
 * Every environment file named by `ConfigModule.forRoot({ envFilePath: '.env.local' })` (or a list of them, read
 * in order, the first file to set a variable winning: docs.nestjs.com "Configuration", custom env file path),
 * in source order. A path the code computes is kept with `path` undefined, so it can be named.
 */
export function configEnvFiles<F>(files: readonly FactoryFile<F>[]): ConfigEnvFile<F>[] {
  const out: ConfigEnvFile<F>[] = [];
  for (const { file, sourceFile } of files) {
    if (!sourceFile.text.includes('ConfigModule') || !sourceFile.text.includes('envFilePath')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isForRoot(node)) {
        const options = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
        const value =
          options && ts.isObjectLiteralExpression(options) ? property(options, 'envFilePath') : undefined;
        const list = value ? unwrap(value) : undefined;
        const elements = list && ts.isArrayLiteralExpression(list) ? [...list.elements] : list ? [list] : [];
        for (const element of elements) {
          const at = unwrap(element);
          out.push({
            file,
            path: ts.isStringLiteralLike(at) ? at.text : undefined,
            written: at.getText(sourceFile),
            line: lineAndCharacterAt(sourceFile, at.getStart(sourceFile)).line + 1,
          });
        }
      }
      node.forEachChild(visit);
    };
    visit(sourceFile);
  }
  return out;
}
