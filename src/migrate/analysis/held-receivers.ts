import ts from '../../typescript.cjs';
import { declaringStatement } from './block-declarations.js';
import { isFixedBinding } from './fixed-bindings.js';
import { bindsName, skipOuter } from './syntax.js';
import { lineAndCharacterAt } from '../../util/lines.js';

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
    // The block's first statement declaring the name, from an index built once per block
    // (block-declarations.ts): a scan per read made a file of many tests in one callback quadratic.
    const statement = declaringStatement(scope, name);
    if (statement) {
      // A function, class or enum of that name is what the name reads here.
      if (!ts.isVariableStatement(statement)) return undefined;
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
        line: lineAndCharacterAt(sourceFile, declaration.getStart(sourceFile)).line + 1,
      };
    }
  }
  return undefined;
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
