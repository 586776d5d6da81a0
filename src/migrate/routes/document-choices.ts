import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import {
  firstExisting,
  readDocument,
  type Binding,
  type BoundDocument,
  type DocumentFault,
} from './document-operations.js';
import { builtPathOf } from './build-dirs.js';
import { documentLookup } from './document-source.js';
import { DirEvaluator } from './fastify-autoload.js';
import { staticString, unwrap, type ProjectFile } from './project.js';
import { calleeName, returnedExpressions } from './syntax.js';
import { assignmentsOf } from './assignments.js';
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

/** Values of parameters a call gives as literals (`pathForInterface({ isHandlerInterface: true })`), by declaration. */
type Given = ReadonlyMap<ts.Node, string | boolean>;

class Choices {
  constructor(
    private readonly graph: RouterGraphApi,
    private readonly given: Given = new Map(),
  ) {}

  of(file: ProjectFile, expression: ts.Expression, depth: number): string[] | undefined {
    if (depth > 10) return undefined;
    const node = unwrap(expression);
    const literal = staticString(node);
    if (literal !== undefined) return [literal];
    if (ts.isConditionalExpression(node)) {
      const known = this.truth(file, node.condition);
      if (known !== undefined) return this.of(file, known ? node.whenTrue : node.whenFalse, depth + 1);
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
          ...assignedValues(this.graph, d.file, d.node).filter((v) => !this.excluded(d.file, v, d.node)),
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
      // The source's folder, and the folder its compiled output runs from (tsconfig `outDir`, build-dirs.ts).
      if (!declarations.length && node.text === '__dirname') {
        const built = builtPathOf(file.absolute, this.graph.project.cwd);
        const folders = [path.dirname(file.absolute), ...(built ? [path.dirname(built)] : [])];
        return [...new Set(folders)];
      }
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

  /** A condition's value when it reads a parameter the call gave as a literal (`x`, `!x`); else undefined. */
  private truth(file: ProjectFile, condition: ts.Expression): boolean | undefined {
    const node = unwrap(condition);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = this.truth(file, node.operand);
      return inner === undefined ? undefined : !inner;
    }
    if (!ts.isIdentifier(node) || !this.given.size) return undefined;
    for (const d of this.graph.project.lookup(file, node, node.text)) {
      const value = this.given.get(d.node);
      if (value !== undefined) return Boolean(value);
    }
    return undefined;
  }

  /** An assignment under an `if` whose condition the call's literals make false (or its `else` branch, true). */
  private excluded(file: ProjectFile, value: ts.Expression, declaration: ts.Node): boolean {
    let child: ts.Node = value;
    for (let at = value.parent; at && at !== declaration.parent; child = at, at = at.parent) {
      if (!ts.isIfStatement(at)) continue;
      const known = this.truth(file, at.expression);
      if (known === undefined) continue;
      if ((child === at.thenStatement && !known) || (child === at.elseStatement && known)) return true;
    }
    return false;
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
        const values = new Choices(this.graph, givenBy(fn.node, node)).of(fn.file, returned, depth + 1);
        if (!values) return undefined;
        out.push(...values);
      }
    return out.length ? capped(out) : undefined;
  }
}

/**
 * What each parameter of `fn` receives as a literal from `call`: `f(true)`, `f('admin')`, and members of an
 * object literal for a destructured parameter (`f({ isHandlerInterface: true })` into `({ isHandlerInterface })`).
 */
function givenBy(fn: ts.SignatureDeclaration, call: ts.CallExpression): Given {
  const out = new Map<ts.Node, string | boolean>();
  fn.parameters.forEach((parameter, index) => {
    const argument = call.arguments[index] ? unwrap(call.arguments[index]) : undefined;
    if (!argument) return;
    const value = literalOf(argument);
    if (ts.isIdentifier(parameter.name) && value !== undefined) out.set(parameter, value);
    if (!ts.isObjectBindingPattern(parameter.name) || !ts.isObjectLiteralExpression(argument)) return;
    for (const element of parameter.name.elements) {
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key)) continue;
      const member = argument.properties.find(
        (p): p is ts.PropertyAssignment =>
          ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key.text,
      );
      const given = member ? literalOf(unwrap(member.initializer)) : undefined;
      if (given !== undefined) out.set(element, given);
    }
  });
  return out;
}

function literalOf(node: ts.Expression): string | boolean | undefined {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  return staticString(node);
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
  return assignmentsOf(graph.project, file, declaration).map((node) => node.right);
}

function product<A, B>(left: readonly A[], right: readonly B[]): [A, B][] {
  return left.flatMap((a) => right.map((b): [A, B] => [a, b]));
}

function capped(values: string[]): string[] | undefined {
  return values.length > MOST ? undefined : values;
}

/**
 * The fault of a document path read in full (`one`, with the paths `tried` for it) when neither it nor any of
 * the run-time `choices` is a file: named (with every path tried) rather than left as computed at run time.
 */
export function missingDocument(
  one: string | undefined,
  tried: readonly string[],
  choices: readonly string[] = [],
): DocumentFault | undefined {
  if (one === undefined || firstExisting([one, ...tried, ...choices])) return undefined;
  return { file: one, line: undefined, missing: true, tried: [...new Set([one, ...tried, ...choices])] };
}

/**
 * The bound operations of the document a library is given: the one file {@link documentFile} names, else every
 * file of {@link documentChoices} (a document picked at run time among a few: their operations together, the
 * base path of the first). No document when none can be read; `fault` when one of them (or a file its `$ref`s
 * name) exists but does not parse or is missing (document-operations.ts `readDocument`): the library cannot load
 * it, and the caller names it (`documentFaultReason`) rather than a document computed at run time.
 */
export function readDocumentOf(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
  bind: Binding,
): { document: BoundDocument | undefined; fault: DocumentFault | undefined } {
  const { file: one, tried } = documentLookup(graph, file, expression);
  const files = one && firstExisting([one]) ? [one] : documentChoices(graph, file, expression);
  const reads = files.map((f) => readDocument(graph.documents, f, bind));
  const fault = reads.find((r) => r.fault)?.fault ?? missingDocument(one, tried, files);
  const documents = reads.flatMap((r) => r.document ?? []);
  const first = documents[0];
  if (fault || !first) return { document: undefined, fault };
  const seen = new Set<string>();
  const operations = documents
    .flatMap((d) => d.operations)
    .filter((o) => {
      const key = `${o.method} ${o.path} ${o.operationId ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { document: { basePath: first.basePath, operations }, fault: undefined };
}
