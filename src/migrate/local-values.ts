import ts from '../typescript.cjs';
import { skipOuter } from './analysis/syntax.js';

// The local values of a file by name (a function declaration, a variable's initializer), found in one walk of the
// file: what a name written at a call or in a table is followed to. Syntax only, no type checker.

/** Each file's function declarations and variable initializers by name, in any scope (see {@link localValue}). */
const localValues = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.Node[]>>();

/**
 * A local function declaration or variable initializer named `name` (one only: two are not guessed between).
 * The file is walked once for all its names: a lookup per registration (`app.use(mw1)`, … `app.use(mwN)`) that
 * walked the whole file each time made a file of many registrations quadratic.
 */
export function localValue(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  let byName = localValues.get(sourceFile);
  if (!byName) {
    const index = new Map<string, ts.Node[]>();
    const add = (key: string, value: ts.Node): void => {
      const list = index.get(key);
      if (list) list.push(value);
      else index.set(key, [value]);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) && node.name && node.body) add(node.name.text, node);
      else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
        add(node.name.text, node.initializer);
      node.forEachChild(visit);
    };
    visit(sourceFile);
    localValues.set(sourceFile, (byName = index));
  }
  const found = byName.get(name);
  return found?.length === 1 ? found[0] : undefined;
}

/**
 * The value an argument or property is written as: outer parentheses and casts skipped, and a name of a local
 * (see {@link localValue}) followed once to its value (`const options = { … }; f(options)`); the name itself
 * when no one local holds it.
 */
export function writtenValue(
  node: ts.Node | undefined,
  sourceFile: ts.SourceFile,
): ts.Expression | undefined {
  const value = node && skipOuter(node as ts.Expression);
  const local = value && ts.isIdentifier(value) ? localValue(sourceFile, value.text) : undefined;
  return local ? skipOuter(local as ts.Expression) : value;
}

/**
 * The declaration a name written at `use` stands for, by the scopes around it (innermost first): a variable of
 * a block, function body or the file (its initializer), or a function declaration. Undefined when a parameter
 * or a destructuring around `use` binds the name first (its value is the caller's, or a member of another
 * value), or no scope around it declares it; then
 * {@link localValue} (the one declaration of the file) is the fallback. Two helpers each with their own
 * `const stubs = { … }` are two values here, where `localValue` guesses between neither.
 */
export function visibleValue(use: ts.Node, name: string): ts.Node | undefined {
  const found = visibleDeclaration(use, name);
  if (found === 'shadowed') return undefined;
  if (!found) return localValue(use.getSourceFile(), name);
  return ts.isVariableDeclaration(found) ? found.initializer : found;
}

/**
 * The declaration a name written at `use` stands for by the scopes around it (innermost first): a variable
 * declaration (with or without a value: `let stubs;`) or a function declaration; `'shadowed'` when a parameter or a
 * destructuring binds it first; undefined when no scope around `use` declares it.
 */
export function visibleDeclaration(
  use: ts.Node,
  name: string,
): ts.VariableDeclaration | ts.FunctionDeclaration | 'shadowed' | undefined {
  for (let node: ts.Node | undefined = use.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((p) => bindingNames(p.name).includes(name)))
      return 'shadowed';
    const statements =
      ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseOrDefaultClause(node)
        ? node.statements
        : undefined;
    for (const statement of statements ?? []) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body)
        return statement;
      if (!ts.isVariableStatement(statement)) continue;
      // A destructuring that binds the name shadows outer ones with a value read off another: not followed.
      for (const d of statement.declarationList.declarations)
        if (bindingNames(d.name).includes(name)) return ts.isIdentifier(d.name) ? d : 'shadowed';
    }
  }
  return undefined;
}

/** The names a binding (a name or a destructuring pattern) binds. */
function bindingNames(binding: ts.BindingName): string[] {
  if (ts.isIdentifier(binding)) return [binding.text];
  return binding.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/**
 * {@link writtenValue} by the scopes around the argument ({@link visibleValue}): a name followed to the
 * declaration it stands for where it is written, not to the one declaration of its name in the file.
 */
export function visibleWrittenValue(node: ts.Node | undefined): ts.Expression | undefined {
  const value = node && skipOuter(node as ts.Expression);
  const local = value && ts.isIdentifier(value) ? visibleValue(value, value.text) : undefined;
  return local && ts.isExpression(local) ? skipOuter(local) : value;
}
