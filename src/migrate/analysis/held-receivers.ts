import ts from '../../typescript.cjs';
import { isFixedBinding } from './fixed-bindings.js';
import { bindsName, skipOuter } from './syntax.js';

/**
 * A response object held in a local variable (session 37, breaker37 #01): hapi's documented
 * `const response = h.response('no'); response.code(403)`, Express `const out = res`, Koa
 * `const response = ctx.response`, Fastify `const r = reply.code(200)`. receivers.ts reads the variable as the
 * expression it holds when the binding is fixed; this module finds the binding.
 */

/** A local variable a name reads: its declaration, whether it holds one value for good, and its line (1-based). */
export interface HeldName {
  declaration: ts.VariableDeclaration;
  initializer: ts.Expression;
  /** The key a top-level destructuring reads (`response` of `const { response } = ctx`, `res` of `{ res: out }`). */
  member?: string;
  /** A `const`, or a `let` / `var` the file never assigns again (fixed-bindings.ts). */
  fixed: boolean;
  line: number;
}

/**
 * The variable declaration (`const x = init`, or one key of an object destructuring, `const { response } = ctx`,
 * with an initializer) that `usage` reads, found in the enclosing blocks up to the file; undefined when a
 * parameter or function of that name is nearer (it shadows any outer variable), for a nested or rest
 * destructuring, a `for` / `catch` binding, or a name declared nowhere here.
 */
export function heldName(usage: ts.Identifier): HeldName | undefined {
  const name = usage.text;
  for (let scope: ts.Node | undefined = usage.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    // The block's first statement declaring the name, from an index built once per block: a scan of the
    // statements per read made a test file of many tests in one describe callback quadratic
    // (test/migrate/large-test-file-cost.test.ts).
    const statement = declaringStatements(scope).get(name);
    if (statement) {
      if (ts.isFunctionDeclaration(statement)) return undefined;
      const declaration = statement.declarationList.declarations.find((d) => bindsName(d.name, name));
      if (!declaration) continue;
      const member = ts.isIdentifier(declaration.name) ? undefined : destructuredKey(declaration.name, name);
      if (!declaration.initializer || member === null) return undefined;
      const sourceFile = usage.getSourceFile();
      return {
        declaration,
        initializer: skipOuter(declaration.initializer),
        member,
        fixed: isFixedBinding(declaration.parent, name),
        line: sourceFile.getLineAndCharacterOfPosition(declaration.getStart(sourceFile)).line + 1,
      };
    }
  }
  return undefined;
}

/** Per block: each name to the first statement that declares it (a function declaration or a variable statement). */
const declaringIndexes = new WeakMap<ts.Node, Map<string, ts.FunctionDeclaration | ts.VariableStatement>>();

/**
 * The first statement of `scope` that declares each name: a function declaration of that name, or a variable
 * statement one of whose declarations binds it (in a destructuring too), as a scan of the statements in order
 * finds it. Built once per block and kept while the tree lives.
 */
function declaringStatements(
  scope: ts.Block | ts.SourceFile | ts.ModuleBlock,
): Map<string, ts.FunctionDeclaration | ts.VariableStatement> {
  let index = declaringIndexes.get(scope);
  if (index) return index;
  const built = new Map<string, ts.FunctionDeclaration | ts.VariableStatement>();
  const add = (name: string, statement: ts.FunctionDeclaration | ts.VariableStatement): void => {
    if (!built.has(name)) built.set(name, statement);
  };
  const addBound = (binding: ts.BindingName, statement: ts.VariableStatement): void => {
    if (ts.isIdentifier(binding)) add(binding.text, statement);
    else
      for (const element of binding.elements)
        if (!ts.isOmittedExpression(element)) addBound(element.name, statement);
  };
  for (const statement of scope.statements) {
    if (ts.isFunctionDeclaration(statement)) {
      if (statement.name) add(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations) addBound(declaration.name, statement);
  }
  index = built;
  declaringIndexes.set(scope, index);
  return index;
}

/**
 * The key a name is bound from in a one-level object destructuring (`{ response }`, `{ res: out }`,
 * `{ 'res': out }`); null for any other binding of it (an array pattern, a nested pattern, a rest element, a
 * computed key).
 */
function destructuredKey(pattern: ts.BindingPattern, name: string): string | null {
  if (!ts.isObjectBindingPattern(pattern)) return null;
  const element = pattern.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === name);
  if (!element || element.dotDotDotToken) return null;
  const key = element.propertyName;
  if (!key) return name;
  return ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : null;
}
