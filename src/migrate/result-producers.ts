import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { heldResultCallee, type ResultRead } from './analysis/result-reads.js';
import { skipOuter } from './analysis/syntax.js';
import { isFunctionLike, type FunctionLike } from './scope.js';
import type { Site } from './types.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * A status slot that sends the status of a function's result (`const r = await updateItem(…);
 * res.status(r.status)`, `const { status } = await getItem(…)`): the slot alone is a "Dynamic status", but
 * the function it reads is in the project. When every `return` of that function is an object whose status key
 * is a known literal, the slot's statuses are known: none is 403 (the slot is no 403 path and is not
 * reported), or some are (the report names the function and the lines that return 403). Linkwarden's Next.js
 * API routes read the results of controllers this way, route after route.
 */

/** A slot that reads a result, with the site reported for it (a "Dynamic status"). */
export interface PendingResultRead extends ResultRead {
  site: Site;
}

/** The function a result read calls, found in the project, with the analysis of its file. */
export interface Producer {
  analysis: FileAnalysis;
  fn: FunctionLike;
}

/**
 * What a producer's results give `key`: the 1-based lines of the returns that give 403, or undefined when
 * some return is not an object with a status the analysis knows (a call, a spread, a variable, no key at all).
 */
export function returnedForbiddenLines(producer: Producer, key: string): number[] | undefined {
  const values = returnedForbiddenValues(producer, key);
  const source = producer.analysis.sourceFile;
  return values?.map((value) => lineAndCharacterAt(source, value.getStart(source)).line + 1);
}

/**
 * The 403 values of `key` in a producer's returned objects (see {@link returnedForbiddenLines}). A return of
 * nothing (`return null`, `return undefined`, `return;`: checkCommonErrors-style "no known error"), and an
 * object without the key (`return { record }`, the success of an access check), give no status to read, and
 * are passed over; an object with a computed key or a spread is one mtls-fix cannot read.
 */
function returnedForbiddenValues(
  producer: Producer,
  key: string,
  find?: ProducerLookup,
  seen: Set<FunctionLike> = new Set(),
): ts.Expression[] | undefined {
  const { analysis, fn } = producer;
  seen.add(fn);
  const body = fn.body;
  if (!body) return undefined;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(body)) returned.push(body);
  else {
    const visit = (child: ts.Node): void => {
      if (isFunctionLike(child)) return;
      if (ts.isReturnStatement(child)) {
        if (child.expression && !isNothing(child.expression)) returned.push(child.expression);
        return;
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(body, visit);
  }
  if (returned.length === 0) return undefined;
  const values: ts.Expression[] = [];
  // `return ok ? { status: 200 } : { status: 404 }`: each branch is a result.
  for (let at = 0; at < returned.length; at++) {
    const node = skipOuter(returned[at]);
    if (ts.isConditionalExpression(node)) returned.push(node.whenTrue, node.whenFalse);
  }
  for (const expression of returned) {
    let node = skipOuter(expression);
    if (ts.isConditionalExpression(node) || isNothing(node)) continue;
    if (ts.isAwaitExpression(node)) node = skipOuter(node.expression);
    // `const result = await verifyAccess(…); if ('error' in result) return result`: another producer's result,
    // passed on. It gives no 403 when that producer gives none; one that may is left to the slot (dynamic).
    if (ts.isIdentifier(node) && find) {
      if (!passesOnNoForbidden(analysis, node, key, find, seen)) return undefined;
      continue;
    }
    if (!ts.isObjectLiteralExpression(node)) return undefined;
    if (node.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
    let value: ts.Expression | undefined;
    for (const p of node.properties) {
      if (!p.name) continue;
      // `[KEY]: 403`: a computed name may be the key read.
      if (ts.isComputedPropertyName(p.name)) return undefined;
      if (ts.isPrivateIdentifier(p.name) || p.name.text !== key) continue;
      if (ts.isPropertyAssignment(p)) value = p.initializer;
      else if (ts.isShorthandPropertyAssignment(p)) value = p.name;
      else return undefined;
    }
    // `return { businessRecord }` beside `return { error, status: 404 }` (agent-cal's access checks, read behind
    // a type guard): a result without the key gives the slot no status, so no 403; it is passed over.
    if (!value) continue;
    const evaluation = analysis.evaluate(value);
    if (evaluation.kind === 'forbidden') values.push(value);
    else if (evaluation.kind !== 'static') return undefined;
  }
  return values;
}

/** Finds the function a callee names, as seen from a file of the run (run-helpers.ts `producerLookup`). */
export type ProducerLookup = (analysis: FileAnalysis, callee: string) => Producer | undefined;

/**
 * Whether the name a producer returns holds the result of another producer of the project that never gives a 403
 * under `key` (each producer read once: a cycle is not followed).
 */
function passesOnNoForbidden(
  analysis: FileAnalysis,
  name: ts.Identifier,
  key: string,
  find: ProducerLookup,
  seen: Set<FunctionLike>,
): boolean {
  const callee = heldResultCallee(name);
  const inner = callee === undefined ? undefined : find(analysis, callee);
  if (!inner || seen.has(inner.fn)) return false;
  return returnedForbiddenValues(inner, key, find, seen)?.length === 0;
}

/** `null`, `undefined`, `void 0`: a return that gives no result object. */
function isNothing(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  return (
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    ts.isVoidExpression(node)
  );
}

/**
 * Settles the result reads of every analysis (`reads`, by analysis) once the producers can be found: a read
 * whose producer never returns 403 loses its site; one whose producer returns 403 gets a reason naming it.
 * Reads whose producer is not found, or returns what the analysis cannot know, stay as they are.
 *
 * @param mark records a producer's returned 403 as decided at its read (`result-read`); by default on the
 *   producer's analysis (skipped-tests.ts keeps the run's own analyses as the run counted them).
 */
export function settleResultReads(
  reads: ReadonlyMap<FileAnalysis, readonly PendingResultRead[]>,
  find: ProducerLookup,
  target: number,
  mark: (analysis: FileAnalysis, value: ts.Node) => void = (analysis, value) =>
    analysis.notAnEmit(value, 'result-read'),
): void {
  for (const [analysis, pending] of reads) {
    const dropped = new Set<Site>();
    for (const read of pending) {
      // `this.mapException(e)`: the class's own method, found where the read is (result-reads.ts).
      const producer = read.method ? { analysis, fn: read.method.fn } : find(analysis, read.callee);
      if (!producer) continue;
      const values = returnedForbiddenValues(producer, read.key, (at, callee) => find(at, callee));
      if (!values) continue;
      if (values.length === 0) {
        // A method a subclass may override may answer otherwise there: the slot stays dynamic.
        if (!read.method?.overridable) dropped.add(read.site);
        continue;
      }
      const source = producer.analysis.sourceFile;
      const lines = values.map((v) => lineAndCharacterAt(source, v.getStart(source)).line + 1);
      // The returned 403s are decided at this read (its reason names their lines): one item, not two.
      for (const value of values) mark(producer.analysis, value);
      const where = producer.analysis === analysis ? 'this file' : producer.analysis.file;
      read.site.reason =
        `Sends the '${read.key}' of ${read.callee}() (${where}), which returns 403 at line ${lines.join(', ')}: ` +
        `where that result answers an mTLS route, make it ${target} there, or add a central remap.`;
    }
    if (!dropped.size) continue;
    const kept = analysis.sites.filter((site) => !dropped.has(site));
    analysis.sites.splice(0, analysis.sites.length, ...kept);
  }
}

/**
 * The function named `name` at the top level of `sourceFile`: a function declaration, or a `const` holding an
 * arrow function or function expression; `exported` also matches how other files import it (call-sites.ts
 * `exportNamesOf` gives the names).
 */
export function topLevelFunction(
  sourceFile: ts.SourceFile,
  matches: (fn: FunctionLike, localName: string) => boolean,
): FunctionLike | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body && statement.name) {
      if (matches(statement, statement.name.text)) return statement;
      continue;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipOuter(declaration.initializer);
      if (!init || !ts.isIdentifier(declaration.name)) continue;
      if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && matches(init, declaration.name.text))
        return init;
    }
  }
  return undefined;
}
