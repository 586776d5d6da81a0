import ts from '../../typescript.cjs';
import { skipOuter } from './syntax.js';

/**
 * What a called local name may hold when it is a `const` alias of functions (`const k = deny`, `const h = cond ?
 * deny : refuse`, `const errorHandler = opts.handler || helpers.deny`, `const f = deny.bind(null)`): the callee
 * spellings a helper lookup knows (`deny`, `helpers.deny`, `ns.helpers.deny`) and the branches it cannot follow,
 * as written.
 */
export interface CalleeAlias {
  /** The alias as called (`errorHandler`). */
  name: string;
  /** Callee spellings of the branches (`deny`, `helpers.deny`). */
  targets: string[];
  /** Branches that are no such spelling (`opts.handler`, `makeHandler()`), as written. */
  unknown: string[];
}

/** How deep aliases of aliases are followed (`const a = deny; const b = a;`). */
const MAX_DEPTH = 4;

/**
 * The alias a call's callee is, when the callee is a bare name declared `const name = <functions>` in a scope
 * around the call (a block, a function body, the file); undefined for any other callee (a parameter, a `let`, an
 * import, a function declaration).
 */
export function calleeAlias(call: ts.CallExpression | ts.NewExpression): CalleeAlias | undefined {
  const callee = call.expression;
  if (!ts.isIdentifier(callee)) return undefined;
  const out: CalleeAlias = { name: callee.text, targets: [], unknown: [] };
  const declaration = constDeclaration(call, callee.text);
  if (!declaration?.initializer) return undefined;
  branches(declaration.initializer, call, out, 0);
  return out;
}

/** Splits a value into the branches it may be: both sides of `?:`, `||`, `??`, `&&`; the function of `f.bind(…)`. */
function branches(value: ts.Expression, at: ts.Node, out: CalleeAlias, depth: number): void {
  const node = skipOuter(value);
  if (ts.isConditionalExpression(node)) {
    branches(node.whenTrue, at, out, depth);
    branches(node.whenFalse, at, out, depth);
    return;
  }
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  ) {
    branches(node.left, at, out, depth);
    branches(node.right, at, out, depth);
    return;
  }
  // `cond && deny`: only the right side is a function.
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    branches(node.right, at, out, depth);
    return;
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'bind'
  ) {
    branches(node.expression.expression, at, out, depth);
    return;
  }
  if (ts.isIdentifier(node)) {
    const inner = depth < MAX_DEPTH ? constDeclaration(at, node.text) : undefined;
    if (inner?.initializer && !isFunctionValue(inner.initializer))
      branches(inner.initializer, at, out, depth + 1);
    else out.targets.push(node.text);
    return;
  }
  const spelled = memberSpelling(node);
  if (spelled) out.targets.push(spelled);
  else out.unknown.push(node.getText());
}

/** `a.b` or `a.b.c` of identifiers, as calleeName spells a member callee; undefined for anything else. */
function memberSpelling(node: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  if (ts.isIdentifier(node.expression)) return `${node.expression.text}.${node.name.text}`;
  const inner = node.expression;
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression))
    return `${inner.expression.text}.${inner.name.text}.${node.name.text}`;
  return undefined;
}

function isFunctionValue(value: ts.Expression): boolean {
  const node = skipOuter(value);
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/**
 * The nearest `const name = …` (a plain identifier binding) declared in a block, function body or file around
 * `at`; undefined when a parameter or another binding of the name is nearer, or there is none.
 */
function constDeclaration(at: ts.Node, name: string): ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = at.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return undefined;
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!bindsName(declaration.name, name)) continue;
        const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        return isConst && ts.isIdentifier(declaration.name) ? declaration : undefined;
      }
    }
  }
  return undefined;
}

/** Whether a binding (a name or a destructuring pattern) binds `name`. */
function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}
