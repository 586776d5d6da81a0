import ts from '../typescript.cjs';
import type { Project, ProjectFile } from './routes/project.js';
import { nodeAt } from './routes/reach.js';
import { assignmentsOf } from './routes/assignments.js';
import { isFunctionLike } from './scope.js';
import { lineOf } from './test-nodes.js';

/**
 * What a test variable holds where an assertion reads it:
 * - `value`: the one write that reaches the read, its initializer or the last assignment before it in straight
 *   code (`let res = await inject(a); …; res = await inject(b); assert.equal(res.statusCode, 403)` reads `b`);
 * - `lines`: the 1-based lines of every write when more than one may reach the read (an assignment in a branch,
 *   a loop or a callback), so no single request can be named, and the values they write.
 */
export type HeldValue =
  | { readonly value: ts.Expression }
  | { readonly lines: readonly number[]; readonly values: readonly ts.Expression[] };

interface Write {
  readonly node: ts.Node;
  readonly value: ts.Expression;
}

/**
 * The value `declaration` (a `const`, `let` or `var` of `file`) holds at `position`, where a test assertion
 * reads it. A `const` and a variable never assigned again hold their initializer. Undefined when the variable
 * has no initializer and no write before `position`.
 */
export function heldValueAt(
  project: Project,
  file: ProjectFile,
  declaration: ts.VariableDeclaration,
  position: number,
): HeldValue | undefined {
  const list = declaration.parent;
  const writes: Write[] = declaration.initializer
    ? [{ node: declaration, value: declaration.initializer }]
    : [];
  if (ts.isVariableDeclarationList(list) && !(list.flags & ts.NodeFlags.Const))
    writes.push(...assignments(project, file, declaration));
  if (writes.length <= 1) return writes[0] && { value: writes[0].value };
  const lines = {
    lines: writes.map((w) => lineOf(file.sourceFile, w.node)),
    values: writes.map((w) => w.value),
  };
  const read = nodeAt(file.sourceFile, position) ?? file.sourceFile;
  const readFunction = functionOf(read);
  const outer = new Set<ts.Node>();
  for (let at: ts.Node | undefined = readFunction; at; at = at.parent && functionOf(at.parent)) outer.add(at);
  let last: Write | undefined;
  for (const write of writes) {
    const writer = functionOf(write.node);
    // A write in a function the read is not inside (a helper, a hook's callback) may run at any time.
    if (!outer.has(writer)) return lines;
    const start = write.node.getStart(file.sourceFile);
    if (start < position) {
      if (!last || start > last.node.getStart(file.sourceFile)) last = write;
      continue;
    }
    // A later write reaches the read through a loop around both, or when the read runs later (a test's callback).
    if (writer !== readFunction || loopAround(write.node, position, writer)) return lines;
  }
  if (!last) return undefined;
  const block = statementBlock(last.node);
  return block && block.getStart(file.sourceFile) <= position && position < block.end
    ? { value: last.value }
    : lines;
}

/** Every `name = value` whose name is `declaration`'s (by scope lookup: routes/assignments.ts `assignmentsOf`). */
function assignments(project: Project, file: ProjectFile, declaration: ts.VariableDeclaration): Write[] {
  return assignmentsOf(project, file, declaration).map((node) => ({
    node,
    value: node.right,
  }));
}

/** The innermost function around `node`, or its source file. */
function functionOf(node: ts.Node): ts.Node {
  let at: ts.Node = node;
  while (at.parent && !isFunctionLike(at)) at = at.parent;
  return at;
}

/** Whether a loop inside `within` holds both `node` and `position`. */
function loopAround(node: ts.Node, position: number, within: ts.Node): boolean {
  for (let at = node.parent; at && at !== within; at = at.parent)
    if (ts.isIterationStatement(at, false) && at.pos <= position && position < at.end) return true;
  return false;
}

/** Operators whose right side may not run: `ok && (res = …)`. */
const CONDITIONAL = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
]);

/** The block (or file, or `case` clause) whose statement list holds the statement of `node`. */
function statementBlock(node: ts.Node): ts.Node | undefined {
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const parent = at.parent;
    if (
      ts.isBlock(parent) ||
      ts.isSourceFile(parent) ||
      ts.isCaseClause(parent) ||
      ts.isDefaultClause(parent)
    )
      return parent;
    // A write in a condition or a loop header is not straight code before what follows it.
    if (
      ts.isIfStatement(parent) ||
      ts.isIterationStatement(parent, false) ||
      ts.isConditionalExpression(parent) ||
      (ts.isBinaryExpression(parent) && CONDITIONAL.has(parent.operatorToken.kind) && at === parent.right)
    )
      return undefined;
    if (isFunctionLike(parent)) return ts.isBlock(at) ? at : undefined;
  }
  return undefined;
}
