import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { NEST_EXCEPTIONS, RESTIFY_HTTP_ERRORS, RESTIFY_REST_ERRORS } from '../status-names.js';
import { LIBRARIES } from './error-library-table.js';
import { fixedStatusIn } from './nest-exception-chain.js';
import { extendsOf, resolveClass, type GuardScope } from './nest-guards.js';

/**
 * Whether an `instanceof` check on a class answering 403 (a library's 403 class, a project class chained to 403)
 * is already covered: its `||` chain or `if` / `else if` ladder also checks a class of the agreed status, so it
 * matches the sibling class the throws on mTLS routes become. Such a check is a read (counted a comparison), no
 * manual item (session 45; before, every library's check but Nest's `||` form and every chained check was named).
 */
export function coveredCheck(analysis: FileAnalysis, check: ts.BinaryExpression): boolean {
  const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  const covered = chainChecks(check).some(
    (other) => other !== check && targetClass(other.right, scope, analysis.target),
  );
  if (covered) analysis.notAnEmit(check, 'comparison');
  return covered;
}

/** Nest's modules that export its exceptions (the barrel and the exceptions folder). */
const NEST_MODULES = ['@nestjs/common', '@nestjs/common/exceptions'];

/**
 * The other `instanceof` checks of the chain `check` is part of: the `||` alternatives around it (an `&&` narrows,
 * so its operands are no alternative), and the conditions of an `if` / `else if` ladder it is the condition of.
 */
function chainChecks(check: ts.BinaryExpression): ts.BinaryExpression[] {
  let condition: ts.Expression = check;
  while (
    (ts.isBinaryExpression(condition.parent) &&
      condition.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken) ||
    ts.isParenthesizedExpression(condition.parent)
  )
    condition = condition.parent;
  const conditions: ts.Expression[] = [condition];
  const statement = condition.parent;
  if (ts.isIfStatement(statement) && statement.expression === condition) {
    let top: ts.IfStatement = statement;
    while (ts.isIfStatement(top.parent) && top.parent.elseStatement === top) top = top.parent;
    conditions.length = 0;
    for (let at: ts.Statement | undefined = top; at && ts.isIfStatement(at); at = at.elseStatement)
      conditions.push(at.expression);
  }
  const found: ts.BinaryExpression[] = [];
  const alternatives = (node: ts.Expression): void => {
    const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
    if (!ts.isBinaryExpression(inner)) return;
    if (inner.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
      alternatives(inner.left);
      alternatives(inner.right);
    } else if (inner.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) found.push(inner);
  };
  conditions.forEach(alternatives);
  return found;
}

/**
 * Whether `right` (read in `scope`) names a class that answers the agreed status `target`: a library's class for
 * it (Nest's `UnauthorizedException`, or its `HttpException` that every Nest exception is; routing-controllers'
 * `UnauthorizedError`, http-errors' `Unauthorized`, restify-errors'… through error-library-table.ts), or a project
 * class that fixes it (`status = 401`, an imported constant) or extends such a class, up to 8 classes deep.
 */
function targetClass(right: ts.Expression, scope: GuardScope, target: number): boolean {
  const library = (expression: ts.Expression, where: GuardScope): boolean => {
    const nest = NEST_EXCEPTIONS[target];
    if (nest !== undefined && where.imports.resolvesTo(expression, NEST_MODULES, nest)) return true;
    if (
      where.imports.resolvesTo(
        expression,
        [...NEST_MODULES, '@nestjs/common/exceptions/http.exception'],
        'HttpException',
      )
    )
      return true;
    for (const name of [RESTIFY_HTTP_ERRORS[target], RESTIFY_REST_ERRORS[target]])
      if (name !== undefined && where.imports.resolvesTo(expression, ['restify-errors'], name)) return true;
    return Object.values(LIBRARIES).some((l) => {
      const name = l.names[target];
      return name !== undefined && where.imports.resolvesTo(expression, l.modules, name);
    });
  };
  let expression = right;
  let current = scope;
  for (let depth = 0; depth < 8; depth++) {
    if (library(expression, current)) return true;
    const found = resolveClass(expression, current);
    if ('why' in found) return false;
    const status = fixedStatusIn(found.cls, found.scope);
    if (status !== undefined) return status === target;
    const parent = extendsOf(found.cls);
    if (!parent) return false;
    expression = parent;
    current = found.scope;
  }
  return false;
}
