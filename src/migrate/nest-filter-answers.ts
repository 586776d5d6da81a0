import ts from '../typescript.cjs';
import { literalNumber, shorten, skipOuter } from './analysis/syntax.js';
import { localValue } from './local-values.js';
import { collectImports } from './imports.js';
import { statusOfName } from './status-names.js';
import type { NestException } from './types.js';
import { lineAt } from '../util/lines.js';
import { calleeName } from './census-syntax.js';

/**
 * What a NestJS exception filter class answers for a 403 HttpException (session 41), read from its `@Catch(…)` and
 * its `catch` method (NestJS "Exception filters": Nest hands an exception to the first filter of the route whose
 * `@Catch` list names its class or a parent of it, or that names none; what that filter writes is the answer):
 * - `remaps`: it answers one status other than 403 for it (`response.status(401)`, `.status(HttpStatus.UNAUTHORIZED)`,
 *   `status === 403 ? 401 : status`, an `if (exception.getStatus() === HttpStatus.FORBIDDEN)` branch);
 * - `passes`: the 403 stands: it writes 403 itself, writes the exception's own status (`exception.getStatus()`),
 *   rethrows it, or hands it to `BaseExceptionFilter` (`super.catch(…)`, or no `catch` of its own), on some path;
 * - `unread`: mtls-fix cannot tell (a status it cannot read, several on paths it does not tell apart, none).
 */
export type FilterAnswer =
  | { kind: 'remaps'; status: number }
  /**
   * `written`: where the filter writes 403 as a status (`response.status(403)`: a site of its own, which migrate
   * rewrites when it can), `file` relative and `start` the offset of the write.
   */
  | { kind: 'passes'; how: string; written?: { file: string; start: number } }
  | { kind: 'unread'; why: string };

/** The exception classes a filter's `@Catch(…)` names (by their imported names), or `all` for `@Catch()`. */
export type CaughtClasses = 'all' | readonly string[];

/** A filter class as read: what it catches and, for each 403 exception class, what it answers. */
export interface FilterClass {
  name: string;
  /** `file:line` of the class (its first decorator). */
  where: string;
  catches: CaughtClasses;
  answer(exception: NestException['exception']): FilterAnswer;
}

/** Parents of both 403 exception classes Nest throws (Nest 11 puts IntrinsicException between HttpException and Error). */
const HTTP_PARENTS = new Set(['HttpException', 'IntrinsicException', 'Error']);

/** Whether a filter catching `catches` receives an exception of class `exception` (`instanceof` on each entry). */
export function catchesException(catches: CaughtClasses, exception: NestException['exception']): boolean {
  if (catches === 'all' || !catches.length) return true;
  return catches.some((name) => HTTP_PARENTS.has(name) || name === exception);
}

const classes = new WeakMap<ts.ClassDeclaration, FilterClass | null>();

/**
 * The filter a class declaration is (`file`: its path for the report); undefined when it has no `@Catch` decorator.
 * Read once per class.
 */
export function filterClass(declaration: ts.ClassDeclaration, file: string): FilterClass | undefined {
  const known = classes.get(declaration);
  if (known !== undefined) return known ?? undefined;
  const read = readFilterClass(declaration, file);
  classes.set(declaration, read ?? null);
  return read;
}

function readFilterClass(declaration: ts.ClassDeclaration, file: string): FilterClass | undefined {
  const sourceFile = declaration.getSourceFile();
  const catches = caughtBy(declaration, sourceFile);
  if (!catches) return undefined;
  const where = `${file}:${lineAt(sourceFile, declaration.getStart(sourceFile))}`;
  const method = declaration.members.find(
    (m): m is ts.MethodDeclaration =>
      ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'catch' && !!m.body,
  );
  const answers = new Map<NestException['exception'], FilterAnswer>();
  return {
    name: declaration.name?.text ?? 'default',
    where,
    catches,
    answer(exception) {
      let found = answers.get(exception);
      if (!found) {
        found = method
          ? answerOf(method, exception, file)
          : (inherited(declaration, sourceFile) ?? {
              kind: 'unread',
              why: 'it has no catch method of its own',
            });
        answers.set(exception, found);
      }
      return found;
    },
  };
}

/** `@Catch(A, B)`: the classes named (imported names), `all` for `@Catch()`; undefined: no `@Catch`. */
function caughtBy(declaration: ts.ClassDeclaration, sourceFile: ts.SourceFile): CaughtClasses | undefined {
  for (const decorator of ts.getDecorators(declaration) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const callee = skipOuter(call.expression);
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : undefined;
    if (name !== 'Catch' && collectImports(sourceFile).get(name ?? '')?.name !== 'Catch') continue;
    if (!call.arguments.length) return 'all';
    const imports = collectImports(sourceFile);
    return call.arguments.map((argument) => {
      const inner = skipOuter(argument);
      if (ts.isIdentifier(inner)) return imports.get(inner.text)?.name ?? inner.text;
      return ts.isPropertyAccessExpression(inner) ? inner.name.text : inner.getText(sourceFile);
    });
  }
  return undefined;
}

/** A filter with no `catch` of its own: `BaseExceptionFilter`'s answers the exception's own status. */
function inherited(declaration: ts.ClassDeclaration, sourceFile: ts.SourceFile): FilterAnswer | undefined {
  const parent = declaration.heritageClauses
    ?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)
    ?.types[0]?.expression.getText(sourceFile);
  if (!parent) return undefined;
  return /(?:^|\.)BaseExceptionFilter$/.test(parent)
    ? { kind: 'passes', how: `extends ${parent}, whose catch answers the exception's own status` }
    : { kind: 'unread', why: `its catch is inherited from ${parent}, which mtls-fix does not read` };
}

/** Whether the 403 exception reaches a statement: surely, maybe (a test mtls-fix does not read), or never. */
type Path = 'yes' | 'maybe' | 'no';

/** What a `catch` does on the 403's paths, each with its text and place for the report. */
interface Answers {
  /** Each status written, with the first write's text and place, and its offset. */
  statuses: Map<number, { text: string; start: number }>;
  passes: string[];
  unknown: string[];
}

/** Status setters of Express's `res` and Fastify's `reply`, and Node's `writeHead`. */
const SETTERS = new Set(['status', 'code', 'sendStatus', 'writeHead']);

/** What a filter's `catch` answers for a 403 exception of class `exception` (see {@link FilterAnswer}). */
function answerOf(
  method: ts.MethodDeclaration,
  exception: NestException['exception'],
  file: string,
): FilterAnswer {
  const sourceFile = method.getSourceFile();
  const parameter = method.parameters[0]?.name;
  const caught = parameter && ts.isIdentifier(parameter) ? parameter.text : undefined;
  const found: Answers = { statuses: new Map(), passes: [], unknown: [] };
  const at = (node: ts.Node): string =>
    `${shorten(node.getText(sourceFile))} at ${file}:${lineAt(sourceFile, node.getStart(sourceFile))}`;
  // Every value each local of the body is given (`let status = 500; … status = exception.getStatus();`): a read of
  // it may be any of them, whichever path assigned it.
  const assigned = new Map<string, ts.Expression[]>();
  const assign = (name: string, value: ts.Expression): void => {
    const list = assigned.get(name);
    if (list) list.push(value);
    else assigned.set(name, [value]);
  };
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== method) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
      assign(node.name.text, node.initializer);
    else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left)
    )
      assign(node.left.text, node.right);
    node.forEachChild(collect);
  };
  if (method.body) collect(method.body);
  const reading = new Set<string>();
  const value = (expression: ts.Expression, path: Path, where: ts.Node): void => {
    if (path === 'no') return;
    const inner = skipOuter(expression);
    if (ts.isConditionalExpression(inner)) {
      const test = testsForbidden(inner.condition, exception, caught);
      if (test !== 'neg') value(inner.whenTrue, test === 'pos' ? path : 'maybe', where);
      if (test !== 'pos') value(inner.whenFalse, test === 'neg' ? path : 'maybe', where);
      return;
    }
    const status = fixedStatus(inner);
    if (status !== undefined) {
      if (!found.statuses.has(status))
        found.statuses.set(status, { text: at(where), start: where.getStart(sourceFile) });
      return;
    }
    if (isOwnStatus(inner, caught)) {
      found.passes.push(`writes the exception's own status (${at(where)})`);
      return;
    }
    const values = ts.isIdentifier(inner) && !reading.has(inner.text) ? assigned.get(inner.text) : undefined;
    if (!values || !ts.isIdentifier(inner)) {
      found.unknown.push(`it writes a status mtls-fix cannot read (${at(where)})`);
      return;
    }
    reading.add(inner.text);
    for (const given of values) value(given, path, where);
    reading.delete(inner.text);
  };
  const visit = (node: ts.Node, path: Path): void => {
    if (ts.isFunctionLike(node) && node !== method) return;
    if (ts.isIfStatement(node)) {
      const test = testsForbidden(node.expression, exception, caught);
      visit(node.expression, path);
      visit(node.thenStatement, narrow(path, test, 'then'));
      if (node.elseStatement) visit(node.elseStatement, narrow(path, test, 'else'));
      return;
    }
    if (ts.isBlock(node)) {
      let current = path;
      for (const statement of node.statements) {
        visit(statement, current);
        // `if (status !== 403) { …; return; }`: what follows is the 403's path (and the reverse).
        if (ts.isIfStatement(statement) && !statement.elseStatement && exits(statement.thenStatement)) {
          const test = testsForbidden(statement.expression, exception, caught);
          current = narrow(current, test, 'else');
        }
      }
      return;
    }
    if (ts.isSwitchStatement(node)) {
      visit(node.expression, path);
      const forbidden = node.caseBlock.clauses.find(
        (c) => ts.isCaseClause(c) && fixedStatus(skipOuter(c.expression)) === 403,
      );
      for (const clause of node.caseBlock.clauses)
        for (const statement of clause.statements)
          visit(
            statement,
            forbidden ? (clause === forbidden ? path : 'no') : narrow(path, undefined, 'then'),
          );
      return;
    }
    if (path !== 'no') {
      if (ts.isThrowStatement(node)) {
        const thrown = node.expression && skipOuter(node.expression);
        if (thrown && ts.isIdentifier(thrown) && thrown.text === caught)
          found.passes.push(`rethrows it (${at(node)})`);
        else found.unknown.push(`it throws (${at(node)}), which no filter catches`);
        return;
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee)) {
          if (callee.expression.kind === ts.SyntaxKind.SuperKeyword && callee.name.text === 'catch')
            found.passes.push(`hands it to its parent's catch (${at(node)}), which answers its own status`);
          else if (SETTERS.has(callee.name.text) && node.arguments[0]) {
            // `response.status(s).redirect('/login')`: the redirect's status is what is sent.
            if (!redirected(node)) value(node.arguments[0], path, node);
          }
          // Express `res.redirect([status,] url)`, Fastify `reply.redirect(url[, code])`: 302 unless a status is given.
          else if (callee.name.text === 'redirect' && node.arguments.length) {
            const given = node.arguments.find((a) => fixedStatus(skipOuter(a)) !== undefined);
            if (given) value(given, path, node);
            else if (!found.statuses.has(302))
              found.statuses.set(302, { text: at(node), start: node.getStart(sourceFile) });
          }
          // Nest's `httpAdapter.reply(response, body, status)` (HttpAdapterHost), as the docs' catch-all filter.
          else if (callee.name.text === 'reply' && node.arguments[2]) value(node.arguments[2], path, node);
        }
      }
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.name.text === 'statusCode'
      )
        value(node.right, path, node);
    }
    node.forEachChild((child) => visit(child, path));
  };
  if (method.body) visit(method.body, 'yes');
  return verdict(found, file);
}

/**
 * `res.status(s).redirect(…)`: Express's `redirect` sets its own status (302 unless it is given one), so the
 * status call before it is not what is sent. (Fastify's `reply.code(s).redirect(url)` keeps `s`: not this.)
 */
export function redirected(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (
    ts.isPropertyAccessExpression(call.expression) &&
    call.expression.name.text === 'status' &&
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === call &&
    parent.name.text === 'redirect' &&
    ts.isCallExpression(parent.parent)
  );
}

function verdict(found: Answers, file: string): FilterAnswer {
  const [pass] = found.passes;
  if (pass) return { kind: 'passes', how: pass };
  const forbidden = found.statuses.get(403);
  // The only status it writes is 403: once that write is rewritten, the filter answers the agreed status.
  if (forbidden)
    return {
      kind: 'passes',
      how: `writes 403 itself (${forbidden.text})`,
      ...(found.statuses.size === 1 && !found.unknown.length
        ? { written: { file, start: forbidden.start } }
        : {}),
    };
  const [unknown] = found.unknown;
  if (unknown) return { kind: 'unread', why: unknown };
  const statuses = [...found.statuses];
  const [only] = statuses;
  if (!only) return { kind: 'unread', why: 'it writes no status mtls-fix can read' };
  if (statuses.length > 1)
    return {
      kind: 'unread',
      why: `it writes ${statuses.map(([s]) => s).join(' or ')} on paths mtls-fix does not tell apart`,
    };
  return { kind: 'remaps', status: only[0] };
}

/** The path of a branch under a test of the 403 (`pos`: the test holds for it; `neg`: it does not). */
function narrow(path: Path, test: 'pos' | 'neg' | undefined, branch: 'then' | 'else'): Path {
  if (path === 'no' || !test) return path === 'yes' && !test ? 'maybe' : path;
  return (test === 'pos') === (branch === 'then') ? path : 'no';
}

/** Whether a statement always leaves the function or block: `return …`, `throw …`, a block ending in one. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return !!last && exits(last);
}

/**
 * A status written as a number, a status name (`401`, `HttpStatus.UNAUTHORIZED`), or a `const` of the file holding a
 * number (`const MTLS_STATUS = 401`, session 46); undefined otherwise.
 */
function fixedStatus(expression: ts.Expression): number | undefined {
  const literal = literalNumber(expression);
  if (literal !== undefined) return literal;
  if (ts.isIdentifier(expression)) {
    const value = localValue(expression.getSourceFile(), expression.text);
    const declaration = value?.parent;
    return declaration &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer === value &&
      ts.isVariableDeclarationList(declaration.parent) &&
      (declaration.parent.flags & ts.NodeFlags.Const) !== 0
      ? literalNumber(skipOuter(value as ts.Expression))
      : undefined;
  }
  return ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)
    ? statusOfName(expression.name.text)
    : undefined;
}

/** `exception.getStatus()` of the caught exception. */
function isOwnStatus(expression: ts.Expression, caught: string | undefined): boolean {
  return (
    ts.isCallExpression(expression) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    expression.expression.name.text === 'getStatus' &&
    ts.isIdentifier(expression.expression.expression) &&
    expression.expression.expression.text === caught
  );
}

/**
 * Whether a condition holds for the 403 exception: `pos` when it does (`status === 403`,
 * `exception.getStatus() === HttpStatus.FORBIDDEN`, `exception instanceof ForbiddenException` for one), `neg` when it
 * does not (`!==`, `instanceof` another class); undefined when mtls-fix cannot tell.
 */
function testsForbidden(
  condition: ts.Expression,
  exception: NestException['exception'],
  caught: string | undefined,
): 'pos' | 'neg' | undefined {
  const inner = skipOuter(condition);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
    const test = testsForbidden(inner.operand, exception, caught);
    return test && (test === 'pos' ? 'neg' : 'pos');
  }
  if (!ts.isBinaryExpression(inner)) return undefined;
  const kind = inner.operatorToken.kind;
  if (kind === ts.SyntaxKind.BarBarToken) {
    const tests = [inner.left, inner.right].map((e) => testsForbidden(e, exception, caught));
    return tests.includes('pos') ? 'pos' : tests.every((t) => t === 'neg') ? 'neg' : undefined;
  }
  if (kind === ts.SyntaxKind.InstanceOfKeyword) {
    if (!ts.isIdentifier(inner.left) || inner.left.text !== caught) return undefined;
    const right = skipOuter(inner.right);
    const name = calleeName(right) ?? '';
    if (HTTP_PARENTS.has(name) || name === exception) return 'pos';
    return /Exception$/.test(name) ? 'neg' : undefined;
  }
  const equal =
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken
      ? true
      : kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken
        ? false
        : undefined;
  if (equal === undefined) return undefined;
  const statuses = [inner.left, inner.right].map((e) => fixedStatus(skipOuter(e)));
  const known = statuses.find((s) => s !== undefined);
  if (known === undefined) return undefined;
  return (known === 403) === equal ? 'pos' : 'neg';
}
