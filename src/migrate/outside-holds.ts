import ts from '../typescript.cjs';
import { fixedStatus } from './declarations.js';
import { collectImports, type ImportBinding } from './imports.js';
import { occurrenceMatches } from './occurrence-source.js';
import { topLevelDeclaration } from './references.js';
import { lineAndCharacterAt } from '../util/lines.js';

/** What an exported declaration of a file outside the run answers 403 with, and where (1-based line). */
export interface OutsideHold {
  line: number;
  /** `throws PermissionError (a 403 class)`, `holds a 403 form ('Forbidden')`. */
  what: string;
}

const holds = new WeakMap<ts.SourceFile, Map<string, OutsideHold | undefined>>();

/**
 * Whether the top-level declaration `name` of `sourceFile` (a file outside the run: a workspace package, a folder
 * the run does not scan) answers 403 from inside: it constructs a class fixing 403 (`throwPermissionError() {
 * throw new PermissionError(m) }`, the class declared there or imported, `classStatus` says) or its text holds a
 * 403 form (`res.status(403)`, `'Forbidden'`). Callers in the run then answer 403 with no 403 of their own; the
 * 403 class itself (its throws are reported where they are) and a constant (read through the link) are no hold.
 *
 * @param classStatus the status a class imported into `sourceFile` fixes, if any
 */
export function declarationHold(
  sourceFile: ts.SourceFile,
  name: string,
  classStatus: (binding: ImportBinding) => number | undefined,
): OutsideHold | undefined {
  let byName = holds.get(sourceFile);
  if (!byName) holds.set(sourceFile, (byName = new Map<string, OutsideHold | undefined>()));
  if (byName.has(name)) return byName.get(name);
  byName.set(name, undefined);
  const found = holdOf(sourceFile, name, classStatus);
  byName.set(name, found);
  return found;
}

function holdOf(
  sourceFile: ts.SourceFile,
  name: string,
  classStatus: (binding: ImportBinding) => number | undefined,
): OutsideHold | undefined {
  const node = topLevelDeclaration(sourceFile, name);
  if (!node) return undefined;
  if (ts.isClassDeclaration(node) && fixedStatus(node) === 403) return undefined;
  if (ts.isVariableDeclaration(node) && node.initializer && !isFunctionValue(node.initializer))
    return undefined;
  const bindings = collectImports(sourceFile);
  const lineOf = (position: number): number => lineAndCharacterAt(sourceFile, position).line + 1;
  let thrown: OutsideHold | undefined;
  const visit = (n: ts.Node): void => {
    if (thrown) return;
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
      const callee = n.expression.text;
      const local = sourceFile.statements.find(
        (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === callee,
      );
      const binding = bindings.get(callee);
      const status = local ? fixedStatus(local) : binding ? classStatus(binding) : undefined;
      if (status === 403) {
        thrown = { line: lineOf(n.getStart(sourceFile)), what: `throws ${callee} (a 403 class)` };
        return;
      }
    }
    n.forEachChild(visit);
  };
  visit(node);
  if (thrown) return thrown;
  const start = node.getStart(sourceFile);
  const text = sourceFile.text.slice(start, node.getEnd());
  const [match] = occurrenceMatches(text);
  if (!match) return undefined;
  const form = text.slice(match.index, match.index + match.length);
  return { line: lineOf(start + match.index), what: `holds a 403 form (${form})` };
}

function isFunctionValue(expression: ts.Expression): boolean {
  return (
    ts.isArrowFunction(expression) || ts.isFunctionExpression(expression) || ts.isClassExpression(expression)
  );
}
