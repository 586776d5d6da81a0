import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import {
  firstExisting,
  readBoundOperations,
  type Binding,
  type BoundDocument,
} from './document-operations.js';
import { documentFile } from './document-source.js';
import { DirEvaluator } from './fastify-autoload.js';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { calleeName, returnedExpressions } from './syntax.js';
import type { RouterGraphApi } from './wiring.js';

/** A file name an OpenAPI document may have (`openapi.yaml`, `api.v1.json`). */
const DOCUMENT_FILE = /\.(ya?ml|json)$/i;
/** More choices than this and the path is taken as computed at run time. */
const MOST = 16;

/**
 * The document files a path expression may name when the code picks one at run time from a few it spells out:
 * quoting-service's `resolveOpenApiSpecPath(config.isIsoApi)`, a project function returning
 * `path.resolve(__dirname, '../interface', isIso ? 'QuotingService-swagger_iso20022.yaml' : 'QuotingService-swagger.yaml')`
 * (through a `const` of either branch). Conditionals give both branches, `path.join` / `path.resolve`, `+` and
 * templates every combination of their parts' choices, a project function what each of its `return`s gives.
 * Only files that exist, as absolute paths; empty when a part is not spelled out (a parameter, an environment
 * variable) or the choices grow past 16. A `let` gives every value assigned to it.
 */
export function documentChoices(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): string[] {
  const values = new Choices(graph).of(file, expression, 0);
  if (!values) return [];
  const files = values.map((v) => path.resolve(graph.project.cwd, v));
  return [...new Set(files)].filter((f) => DOCUMENT_FILE.test(f) && existsSync(f));
}

class Choices {
  constructor(private readonly graph: RouterGraphApi) {}

  of(file: ProjectFile, expression: ts.Expression, depth: number): string[] | undefined {
    if (depth > 10) return undefined;
    const node = unwrap(expression);
    const literal = staticString(node);
    if (literal !== undefined) return [literal];
    if (ts.isConditionalExpression(node)) {
      const a = this.of(file, node.whenTrue, depth + 1);
      const b = this.of(file, node.whenFalse, depth + 1);
      return a && b ? capped([...a, ...b]) : undefined;
    }
    if (ts.isIdentifier(node)) {
      const declarations = this.graph.project.lookup(file, node, node.text);
      for (const d of declarations) {
        if (!ts.isVariableDeclaration(d.node)) continue;
        // `let apiFile; if (isAdmin) apiFile = 'admin.yaml'; else apiFile = 'api.yaml'`: every value assigned.
        const values = [
          ...(d.node.initializer ? [d.node.initializer] : []),
          ...assignedValues(this.graph, d.file, d.node),
        ];
        if (!values.length) return undefined;
        const out: string[] = [];
        for (const value of values) {
          const choices = this.of(d.file, value, depth + 1);
          if (!choices) return undefined;
          out.push(...choices);
        }
        return capped(out);
      }
      if (!declarations.length && node.text === '__dirname') return [path.dirname(file.absolute)];
      return undefined;
    }
    if (ts.isTemplateExpression(node)) {
      let out: string[] = [node.head.text];
      for (const span of node.templateSpans) {
        const parts = this.of(file, span.expression, depth + 1);
        if (!parts) return undefined;
        out = product(out, parts).map(([a, b]) => a + b + span.literal.text);
        if (out.length > MOST) return undefined;
      }
      return out;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.of(file, node.left, depth + 1);
      const right = this.of(file, node.right, depth + 1);
      return left && right ? capped(product(left, right).map(([a, b]) => a + b)) : undefined;
    }
    if (ts.isCallExpression(node)) return this.call(file, node, depth);
    const single = new DirEvaluator(this.graph, file).path(node);
    return single === undefined ? undefined : [single];
  }

  private call(file: ProjectFile, node: ts.CallExpression, depth: number): string[] | undefined {
    const name = calleeName(node);
    if (name === 'join' || name === 'resolve') {
      let out: string[][] = [[]];
      for (const argument of node.arguments) {
        const parts = this.of(file, argument, depth + 1);
        if (!parts) return undefined;
        out = product(out, parts).map(([a, b]) => [...a, b]);
        if (out.length > MOST) return undefined;
      }
      return out.map((parts) =>
        name === 'join' ? path.join(...parts) : path.resolve(this.graph.project.cwd, ...parts),
      );
    }
    const out: string[] = [];
    for (const fn of this.graph.functionsOf(file, node.expression))
      for (const returned of returnedExpressions(fn)) {
        const values = this.of(fn.file, returned, depth + 1);
        if (!values) return undefined;
        out.push(...values);
      }
    return out.length ? capped(out) : undefined;
  }
}

/** The values assigned to a `let` (`x = …`) in the function or file that declares it. */
function assignedValues(
  graph: RouterGraphApi,
  file: ProjectFile,
  declaration: ts.VariableDeclaration,
): ts.Expression[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Let)) return [];
  const name = declaration.name.text;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      node.left.text === name &&
      graph.project.lookup(file, node.left, name).some((d) => d.node === declaration)
    )
      out.push(node.right);
    node.forEachChild(visit);
  };
  scope.forEachChild(visit);
  return out;
}

function product<A, B>(left: readonly A[], right: readonly B[]): [A, B][] {
  return left.flatMap((a) => right.map((b): [A, B] => [a, b]));
}

function capped(values: string[]): string[] | undefined {
  return values.length > MOST ? undefined : values;
}

/**
 * The bound operations of the document a library is given: the one file {@link documentFile} names, else every
 * file of {@link documentChoices} (a document picked at run time among a few: their operations together, the
 * base path of the first). Undefined when none can be read.
 */
export function readDocumentOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  bind: Binding,
): BoundDocument | undefined {
  const one = documentFile(graph, file, expression);
  const files = one && firstExisting([one]) ? [one] : documentChoices(graph, file, expression);
  const documents = files.flatMap((f) => readBoundOperations(f, bind) ?? []);
  const first = documents[0];
  if (!first) return undefined;
  const seen = new Set<string>();
  const operations = documents
    .flatMap((d) => d.operations)
    .filter((o) => {
      const key = `${o.method} ${o.path} ${o.operationId ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { basePath: first.basePath, operations };
}
