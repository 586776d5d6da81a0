import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import type { Project, ProjectFile } from './project.js';
import { nodeAt, type Reach } from './reach.js';

/**
 * The routes a package's middleware runs for, when its 403 is a site at the import (`import { doubleCsrf } from
 * 'csrf-csrf'`, `const lusca = require('lusca')`: frameworks/middleware-403.ts, a package that answers 403 by
 * default). Such a site sits in no handler, so `Reach` alone finds no route for it; the package answers where
 * what it exports is used: each use of an imported name, and each use of a name declared from it
 * (`const { doubleCsrfProtection } = doubleCsrf(opts)` then `app.use(doubleCsrfProtection)`), is looked up in
 * the reach index. Undefined when the site is not at an import or require statement.
 */
export function importSiteRoutes(
  project: Project,
  reach: Reach,
  relative: string,
  position: number,
): Set<CodeRoute> | undefined {
  const file = project.byRelative(relative);
  const node = file ? nodeAt(file.sourceFile, position) : undefined;
  if (!file || !node) return undefined;
  const statement = importStatement(node);
  if (!statement) return undefined;
  const out = new Set<CodeRoute>();
  const seen = new Set<string>();
  const follow = (names: readonly string[], depth: number): void => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      for (const use of usesOf(file, name, statement)) {
        for (const route of reach.routesAt(relative, use.getStart(file.sourceFile))) out.add(route);
        const declared = depth < 3 ? declaredFrom(use) : [];
        if (declared.length) follow(declared, depth + 1);
      }
    }
  };
  follow(boundNames(statement), 0);
  return out;
}

/** The import declaration or `require` statement the node sits in. */
function importStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isImportDeclaration(current)) return current;
    if (ts.isVariableStatement(current))
      return current.declarationList.declarations.some((d) => d.initializer && isRequire(d.initializer))
        ? current
        : undefined;
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

function isRequire(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require')
      return true;
    node = node.expression;
  }
  return false;
}

/** The local names an import or require statement binds. */
function boundNames(statement: ts.Statement): string[] {
  const out: string[] = [];
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause?.name) out.push(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) out.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) out.push(e.name.text);
  } else if (ts.isVariableStatement(statement))
    for (const declaration of statement.declarationList.declarations)
      out.push(...bindingNames(declaration.name));
  return out;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/** The identifiers of the file spelled `name`, outside the import statement itself and outside declarations. */
function usesOf(file: ProjectFile, name: string, statement: ts.Statement): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (node === statement) return;
    if (ts.isIdentifier(node) && node.text === name && !isDeclaredName(node)) out.push(node);
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
  return out;
}

function isDeclaredName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isBindingElement(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isPropertyAssignment(parent)) &&
    parent.name === identifier
  );
}

/** The names a variable declaration whose initializer holds `use` declares (`const { a, b } = use(...)`). */
function declaredFrom(use: ts.Identifier): string[] {
  for (let current: ts.Node | undefined = use.parent; current; current = current.parent) {
    if (ts.isVariableDeclaration(current)) return current.initializer ? bindingNames(current.name) : [];
    if (ts.isStatement(current) || ts.isFunctionLike(current)) return [];
  }
  return [];
}
