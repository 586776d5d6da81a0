import ts from '../../typescript.cjs';
import { boundNames } from './syntax.js';

/**
 * Which statement of a statement list declares a name, from an index built once per list (session 37 review). The
 * lookups that find the variable a name reads by walking out through the enclosing blocks (held-receivers.ts
 * `heldName`, kept-names.ts, frameworks/nestjs.ts) ask it for every identifier they read; scanning the statements
 * per identifier made a file of many handlers or tests in one block quadratic
 * (test/migrate/large-test-file-cost.test.ts, test/migrate/kept-names-cost.test.ts).
 */

/** A node holding a list of statements that is a scope for `let`, `const`, `class` and function declarations. */
export type StatementScope = ts.Block | ts.SourceFile | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause;

/** A statement that declares names in its scope. */
export type DeclaringStatement =
  ts.VariableStatement | ts.FunctionDeclaration | ts.ClassDeclaration | ts.EnumDeclaration;

const indexes = new WeakMap<StatementScope, Map<string, DeclaringStatement>>();

/**
 * The first statement of `scope` that declares `name`, as a scan of its statements in order finds it: a variable
 * statement one of whose declarations binds it (in a destructuring too), or a function, class or enum declaration
 * of that name. The index is built on the first question and kept while the tree lives.
 */
export function declaringStatement(scope: StatementScope, name: string): DeclaringStatement | undefined {
  let index = indexes.get(scope);
  if (!index) {
    const built = new Map<string, DeclaringStatement>();
    const add = (declared: string, statement: DeclaringStatement): void => {
      if (!built.has(declared)) built.set(declared, statement);
    };
    for (const statement of scope.statements) {
      if (ts.isVariableStatement(statement))
        for (const declaration of statement.declarationList.declarations)
          for (const declared of boundNames(declaration.name)) add(declared, statement);
      else if (
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        statement.name
      )
        add(statement.name.text, statement);
    }
    index = built;
    indexes.set(scope, index);
  }
  return index.get(name);
}

/** Whether a node is a statement list `declaringStatement` reads (a block, a file, a module body, a case). */
export function isStatementScope(node: ts.Node): node is StatementScope {
  return (
    ts.isBlock(node) ||
    ts.isSourceFile(node) ||
    ts.isModuleBlock(node) ||
    ts.isCaseClause(node) ||
    ts.isDefaultClause(node)
  );
}

const declaredWithin = new WeakMap<ts.Node, ReadonlySet<string>>();

/**
 * Every name declared anywhere inside `node` (nested functions included): variables and their destructurings,
 * parameters, catch variables, function, class and enum declarations, the names of function and class expressions,
 * and imports. Collected by one walk per node and kept while the tree lives: captured.ts asks it of a function's
 * body for every read of a parameter-like name, installations.ts of a file for every sloppy-mode assignment.
 */
export function namesDeclaredWithin(node: ts.Node): ReadonlySet<string> {
  let names = declaredWithin.get(node);
  if (names) return names;
  const found = new Set<string>();
  const visit = (at: ts.Node): void => {
    // A catch clause's variable is a variable declaration too.
    if (ts.isVariableDeclaration(at) || ts.isParameter(at))
      for (const name of boundNames(at.name)) found.add(name);
    else if (
      (ts.isFunctionDeclaration(at) ||
        ts.isClassDeclaration(at) ||
        ts.isFunctionExpression(at) ||
        ts.isClassExpression(at) ||
        ts.isEnumDeclaration(at) ||
        ts.isImportClause(at) ||
        ts.isImportSpecifier(at) ||
        ts.isNamespaceImport(at) ||
        ts.isImportEqualsDeclaration(at)) &&
      at.name
    )
      found.add(at.name.text);
    at.forEachChild(visit);
  };
  visit(node);
  declaredWithin.set(node, (names = found));
  return names;
}
