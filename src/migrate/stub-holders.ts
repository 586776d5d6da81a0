import ts from '../typescript.cjs';
import { lineAt } from '../util/lines.js';
import { skipCasts, skipOuter } from './analysis/syntax.js';
import { visibleDeclaration, visibleValue, visibleWrittenValue } from './local-values.js';
import { calleeName } from './census-syntax.js';

// What a name a test hands a module loader as its stubs holds when the loader runs (module-loaders.ts reads the
// stubs with this): a `let` assigned in hooks, a parameter of a helper the file calls with the stubs. Syntax only.

/** The one value a stubs argument holds, and the expression the writes to it go through; or why it is not read. */
export type HeldStubs = { holder: ts.Expression; value: ts.Expression } | { why: string };

/** One value a stubs name may hold: the expression writes go through, the value, where it is given. */
interface Held {
  holder: ts.Expression;
  value: ts.Expression;
  at: ts.Node;
}

/** Hooks that run before the tests of their suite (Mocha BDD/TDD, Jest, Vitest, node:test, ava, tap). */
const HOOKS = new Set(['beforeEach', 'before', 'beforeAll', 'setup', 'suiteSetup']);

/** How many helpers deep the callers of a helper handing on its stubs parameter are followed. */
const MAX_DEPTH = 3;

/**
 * The value a stubs argument holds when its loader runs (`proxyquire('../app', stubs)`): written in place or held
 * by a `const` of the file (local-values.ts `visibleWrittenValue`); for a `let` or `var` assigned after it is
 * declared (`let stubs; beforeEach(() => { stubs = { './policy': fake }; })`), each value assigned, with its
 * initial value unless every assignment is in a hook that runs before the tests (`beforeEach`, `before`, …); for a
 * parameter of a function of the file (`function load(stubs) { return proxyquire('../app', stubs); }`), the
 * argument each call of that function in the file passes. Values that are not all one text are named (`stubs is
 * assigned differing values: lines 8, 19`), as is a helper handed on rather than called, or a call passing none.
 */
export function heldStubs(argument: ts.Expression, depth = 0): HeldStubs {
  const node = skipOuter(argument);
  if (!ts.isIdentifier(node)) return { holder: argument, value: node };
  const declaration = visibleDeclaration(node, node.text);
  if (declaration === 'shadowed' && parameterOf(node)) {
    const callers = parameterArguments(node, depth);
    if ('why' in callers) return callers;
    if (!callers.held.length) return { why: 'a parameter of its function, not an object' };
    return oneValue(node, callers.held, 'is passed differing values by the calls');
  }
  if (declaration && declaration !== 'shadowed' && ts.isVariableDeclaration(declaration)) {
    const assigned = assignmentsOf(node.getSourceFile()).get(node.text) ?? [];
    const own = assigned.filter((a) => visibleDeclaration(a.left, node.text) === declaration);
    if (own.length) {
      const values: Held[] = own.map((a) => ({ holder: node, value: written(a.right), at: a }));
      if (declaration.initializer && !own.every(inHook))
        values.unshift({ holder: node, value: written(declaration.initializer), at: declaration });
      return oneValue(node, values, 'is assigned differing values');
    }
  }
  return { holder: node, value: visibleWrittenValue(node) ?? node };
}

/** An expression as written, a name of a local followed once (local-values.ts `visibleWrittenValue`). */
function written(expression: ts.Expression): ts.Expression {
  return visibleWrittenValue(expression) ?? expression;
}

/** The one value of several a name may hold (all one text), else why not: `<name> <what>: lines a, b`. */
function oneValue(name: ts.Identifier, held: Held[], what: string): HeldStubs {
  const first = held[0];
  const text = (node: ts.Node): string => node.getText().replace(/\s+/g, '');
  if (held.every((h) => text(h.value) === text(first.value)))
    return { holder: first.holder, value: first.value };
  const sourceFile = name.getSourceFile();
  const lines = held.map((h) => lineAt(sourceFile, h.at.getStart(sourceFile)));
  return { why: `${name.text} ${what}: lines ${[...new Set(lines)].join(', ')}` };
}

/** Whether an assignment is made in a hook that runs before the tests (`beforeEach(() => { stubs = … })`). */
function inHook(assignment: ts.Node): boolean {
  for (let node: ts.Node = assignment; !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isFunctionLike(node)) continue;
    const call = node.parent;
    if (!ts.isCallExpression(call)) return false;
    const callee = skipCasts(call.expression);
    const name = calleeName(callee) ?? '';
    return HOOKS.has(name);
  }
  return false;
}

/** Per file: its assignments to plain names (`stubs = …`), by name. */
const assignments = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly AssignmentToName[]>>();

type AssignmentToName = ts.BinaryExpression & { left: ts.Identifier };

/** Every `name = value` assignment of a file by name, found once. */
function assignmentsOf(sourceFile: ts.SourceFile): ReadonlyMap<string, readonly AssignmentToName[]> {
  let found = assignments.get(sourceFile);
  if (found) return found;
  const out = new Map<string, AssignmentToName[]>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left)
    ) {
      const list = out.get(node.left.text) ?? [];
      list.push(node as AssignmentToName);
      out.set(node.left.text, list);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  assignments.set(sourceFile, (found = out));
  return found;
}

/**
 * The arguments the calls of a function of the file pass for its parameter `name` (each read by {@link
 * heldStubs}), or why not: the parameter destructured, the function unnamed or handed on (not only called), a call
 * passing none or spreading its arguments.
 */
function parameterArguments(name: ts.Identifier, depth: number): { held: Held[] } | { why: string } {
  const unread = { why: 'a parameter of its function, not an object' };
  const fn = parameterOf(name);
  const index = fn
    ? fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name.text)
    : -1;
  if (!fn || index < 0 || fn.parameters[index]?.dotDotDotToken || depth >= MAX_DEPTH) return unread;
  const fnName = ts.isFunctionDeclaration(fn)
    ? fn.name
    : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
      ? fn.parent.name
      : undefined;
  if (!fnName) return unread;
  const target = ts.isFunctionDeclaration(fn) ? fn : (fn as ts.Node);
  const sourceFile = name.getSourceFile();
  const held: Held[] = [];
  let why: string | undefined;
  const visit = (node: ts.Node): void => {
    if (why) return;
    if (ts.isIdentifier(node) && node.text === fnName.text && node !== fnName) {
      const value = visibleValue(node, node.text);
      if (value === target) {
        const call = node.parent;
        const line = lineAt(sourceFile, node.getStart(sourceFile));
        if (!ts.isCallExpression(call) || call.expression !== node)
          why = `${name.text} is a parameter of ${fnName.text}, handed on at line ${line}, not only called`;
        else if (call.arguments.slice(0, index + 1).some(ts.isSpreadElement) || !call.arguments[index])
          why = `${name.text} is a parameter of ${fnName.text}, whose call at line ${line} passes none`;
        else {
          const one = heldStubs(call.arguments[index], depth + 1);
          if ('why' in one) why = one.why;
          else held.push({ ...one, at: call });
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return why ? { why } : { held };
}

/** The function around a name whose parameters bind it first (before any declaration of a scope between), if any. */
function parameterOf(name: ts.Identifier): ts.SignatureDeclaration | undefined {
  for (let node: ts.Node = name.parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((p) => bindsName(p.name, name.text))) return node;
    if (ts.isBlock(node) && node.statements.some((st) => declares(st, name.text))) return undefined;
  }
  return undefined;
}

/** Whether a statement declares `name` (a variable, destructured or not). */
function declares(statement: ts.Statement, name: string): boolean {
  return (
    ts.isVariableStatement(statement) &&
    statement.declarationList.declarations.some((d) => bindsName(d.name, name))
  );
}

/** Whether a binding (a name or a destructuring pattern) binds `name`. */
function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}
