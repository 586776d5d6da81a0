import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { isStatuslessError, namesStatuslessError } from './census-statusless-errors.js';
import type { ImportedDeclarations } from './references.js';
import { returnedExpressions } from './routes/syntax.js';

/**
 * Values known to be an error object with no HTTP status of its own (census-statusless-errors.ts: @casl/ability's
 * `ForbiddenError`, oso's `ForbiddenError`), held under a name that says Forbidden: `const forbiddenError =
 * ForbiddenError.from(ability)`, `request.forbiddenError = ForbiddenError.from(ability)`, a parameter typed
 * `ForbiddenError<AppAbility>` (or by a project alias of it), a NestJS parameter decorator whose factory returns
 * one (`@CaslForbiddenError() forbiddenError`), and `forbiddenError.throwUnlessCan(…)` on any of them. Such a name
 * sends no status: the 403, if any, is written where an exception filter or error handler maps the error (`if
 * (exception instanceof ForbiddenError) … new ForbiddenException(…)`), a site of its own (trial41 02).
 */

/** How many hops (variable, parameter, alias, decorator, function) a value is followed through. */
const MAX_HOPS = 6;

/**
 * Whether `node` (an identifier the census found holding Forbidden, not a declaration's name) stands for such a
 * value: a variable or parameter holding one, a member the file only ever assigns one (`request.forbiddenError`),
 * or a parameter decorator (or function) that hands one back (`CaslForbiddenError()`).
 */
export function holdsStatuslessError(
  analysis: FileAnalysis,
  node: ts.Identifier,
  imported?: ImportedDeclarations,
): boolean {
  const reader = new StatuslessReader(imported);
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node)
    return reader.member(analysis, parent, 0);
  if (ts.isCallExpression(parent) && parent.expression === node) return reader.callOf(analysis, node, 0);
  return reader.identifier(analysis, node, 0);
}

class StatuslessReader {
  constructor(private readonly imported?: ImportedDeclarations) {}

  /** Whether an expression's value is a statusless error object. */
  value(analysis: FileAnalysis, expression: ts.Expression, hops: number): boolean {
    if (hops > MAX_HOPS) return false;
    let node = expression;
    while (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node)
    )
      node = node.expression;
    if (ts.isNewExpression(node)) return this.names(analysis, node.expression);
    if (ts.isCallExpression(node)) {
      // `ForbiddenError.from(ability)`: the class's own factory.
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && this.names(analysis, callee.expression)) return true;
      return ts.isIdentifier(callee) && this.callOf(analysis, callee, hops + 1);
    }
    if (ts.isIdentifier(node)) return this.identifier(analysis, node, hops + 1);
    if (ts.isPropertyAccessExpression(node)) return this.member(analysis, node, hops + 1);
    if (ts.isConditionalExpression(node))
      return this.value(analysis, node.whenTrue, hops + 1) && this.value(analysis, node.whenFalse, hops + 1);
    return false;
  }

  /** `ForbiddenError` of @casl/ability (also `casl.ForbiddenError` of a namespace import). */
  private names(analysis: FileAnalysis, expression: ts.Expression): boolean {
    if (ts.isIdentifier(expression)) return namesStatuslessError(analysis, expression);
    return (
      ts.isPropertyAccessExpression(expression) &&
      ts.isIdentifier(expression.name) &&
      namesStatuslessError(analysis, expression.name)
    );
  }

  /** A name read as a value: the variable or parameter it names, in the file or imported from an analysed one. */
  identifier(analysis: FileAnalysis, node: ts.Identifier, hops: number): boolean {
    const local = localDeclaration(node);
    if (local && ts.isParameter(local)) return this.parameter(analysis, local, hops + 1);
    if (local && ts.isVariableDeclaration(local))
      return local.initializer !== undefined && this.value(analysis, local.initializer, hops + 1);
    if (local) return false;
    const found = this.importedDeclaration(analysis, node.text);
    return (
      found !== undefined &&
      ts.isVariableDeclaration(found.node) &&
      found.node.initializer !== undefined &&
      this.value(found.analysis, found.node.initializer, hops + 1)
    );
  }

  /**
   * `x.name`: as an assignment's target, the value assigned; read, every value the file assigns to a `.name`
   * member (`request.forbiddenError = ForbiddenError.from(ability)`), when there is one and all are such.
   */
  member(analysis: FileAnalysis, access: ts.PropertyAccessExpression, hops: number): boolean {
    const assignment = access.parent;
    if (
      ts.isBinaryExpression(assignment) &&
      assignment.left === access &&
      assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken
    )
      return this.value(analysis, assignment.right, hops + 1);
    const values = memberAssignments(analysis.sourceFile).get(access.name.text) ?? [];
    return values.length > 0 && values.every((v) => this.value(analysis, v, hops + 1));
  }

  /**
   * `name(…)` of a project function or NestJS parameter decorator (`createParamDecorator(factory)`), declared in
   * the file or imported from an analysed one: every value it returns is such an error.
   */
  callOf(analysis: FileAnalysis, callee: ts.Identifier, hops: number): boolean {
    if (hops > MAX_HOPS) return false;
    const local = localDeclaration(callee);
    const found = local ? { analysis, node: local } : this.importedDeclaration(analysis, callee.text);
    if (!found) return false;
    const fn = functionOf(found.node);
    if (!fn) return false;
    const returned = returnedExpressions({ node: fn });
    return returned.length > 0 && returned.every((v) => this.value(found.analysis, v, hops + 1));
  }

  /** A parameter typed by such a class (or a project alias of it), or decorated by a decorator handing one. */
  private parameter(analysis: FileAnalysis, parameter: ts.ParameterDeclaration, hops: number): boolean {
    if (parameter.type && this.type(analysis, parameter.type, hops + 1)) return true;
    for (const decorator of ts.getDecorators(parameter) ?? []) {
      const call = decorator.expression;
      if (ts.isCallExpression(call) && ts.isIdentifier(call.expression))
        if (this.callOf(analysis, call.expression, hops + 1)) return true;
    }
    return false;
  }

  /** `ForbiddenError<AppAbility>`, or an alias (`type CaslForbiddenErrorI = ForbiddenError<AppAbility>`). */
  private type(analysis: FileAnalysis, type: ts.TypeNode, hops: number): boolean {
    if (hops > MAX_HOPS || !ts.isTypeReferenceNode(type)) return false;
    const name = type.typeName;
    if (ts.isQualifiedName(name)) {
      const namespace = ts.isIdentifier(name.left) ? analysis.importOf(name.left.text) : undefined;
      return namespace?.name === '*' && isStatuslessError(namespace.module, name.right.text);
    }
    const binding = analysis.importOf(name.text);
    if (binding && isStatuslessError(binding.module, binding.name)) return true;
    const alias = localTypeAlias(analysis.sourceFile, name.text);
    if (alias) return this.type(analysis, alias.type, hops + 1);
    const found = binding && this.imported?.(binding);
    return (
      found !== undefined &&
      ts.isTypeAliasDeclaration(found.node) &&
      this.type(found.analysis, found.node.type, hops + 1)
    );
  }

  private importedDeclaration(
    analysis: FileAnalysis,
    name: string,
  ): { analysis: FileAnalysis; node: ts.Node } | undefined {
    const binding = analysis.importOf(name);
    return binding && this.imported?.(binding);
  }
}

/** The parameter or variable `node` names, in the scopes around it (undefined for an import or a global). */
function localDeclaration(node: ts.Identifier): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  const name = node.text;
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isFunctionLike(at))
      for (const p of at.parameters) if (ts.isIdentifier(p.name) && p.name.text === name) return p;
    const statements =
      ts.isSourceFile(at) || ts.isBlock(at) || ts.isModuleBlock(at) || ts.isCaseClause(at)
        ? at.statements
        : undefined;
    for (const statement of statements ?? [])
      if (ts.isVariableStatement(statement))
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name) && d.name.text === name) return d;
  }
  return undefined;
}

/** A top-level `type name = …` of the file. */
function localTypeAlias(sourceFile: ts.SourceFile, name: string): ts.TypeAliasDeclaration | undefined {
  for (const statement of sourceFile.statements)
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return statement;
  return undefined;
}

/**
 * The function a declaration holds: a function declaration, a variable initialised with a function, or with
 * `createParamDecorator(factory)` (NestJS: the decorated parameter receives what `factory` returns).
 */
function functionOf(node: ts.Node): ts.SignatureDeclaration | undefined {
  if (ts.isFunctionDeclaration(node)) return node;
  if (!ts.isVariableDeclaration(node) || !node.initializer) return undefined;
  let value = node.initializer;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value)) value = value.expression;
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (
    ts.isCallExpression(value) &&
    ts.isIdentifier(value.expression) &&
    value.expression.text === 'createParamDecorator'
  ) {
    const factory = value.arguments[0];
    if (factory && (ts.isArrowFunction(factory) || ts.isFunctionExpression(factory))) return factory;
  }
  return undefined;
}

const assignmentsByFile = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.Expression[]>>();

/** Every `x.name = value` of a file: the values by member name, found by one walk. */
function memberAssignments(sourceFile: ts.SourceFile): ReadonlyMap<string, readonly ts.Expression[]> {
  let found = assignmentsByFile.get(sourceFile);
  if (found) return found;
  const out = new Map<string, ts.Expression[]>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left)
    ) {
      const list = out.get(node.left.name.text);
      if (list) list.push(node.right);
      else out.set(node.left.name.text, [node.right]);
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  found = out;
  assignmentsByFile.set(sourceFile, found);
  return found;
}
