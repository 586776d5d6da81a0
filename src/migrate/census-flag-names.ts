import ts from '../typescript.cjs';
import { skipCasts } from './analysis/syntax.js';

/**
 * Names holding Forbidden that hold no status (census-names.ts asks after a link to a 403 declaration was looked
 * for and none found): a yes/no flag and a record. thelounge's SQLite message storage (server/plugins/
 * messageStorage/sqlite.ts) keeps a `rollback_forbidden` column, reads it as `Boolean(row.rollback_forbidden)`,
 * finds the row with `rollbacks.find((item) => item.rollback_forbidden)` into `const forbidden` and reports
 * `forbidden.version`: three "names a 403" sites and a failed `--check` in a file that has no HTTP in it.
 *
 * A flag: the name is given to `Boolean(…)`, is the whole answer of an array predicate (`.find(x => x.flag)`,
 * `.filter`, `.some`, `.every`, `.findIndex`, `.findLast`, `.findLastIndex`), or is declared in the same file with
 * the type `boolean` (a property, parameter or variable) or a `true` / `false` value, or assigned one
 * (`el.forbidden = true`). A record: a variable or
 * parameter of the file whose property other than a status's (`status`, `statusCode`, `code`, `value`, …) is read
 * (`forbidden.version`), not called. `if (forbidden)` and `!forbidden` are comparisons already (census-syntax.ts).
 */
export function holdsNoStatus(node: ts.Identifier): boolean {
  return isFlag(node) || isRecordRead(node) || isCounter(node);
}

/** Arithmetic that counts: `++`, `--`, `+=`, `-=`. */
const COUNTING = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
]);

/**
 * A counter named for 403s (session 48, breaker48's agent-cal metrics): the name (or the member read it ends) is
 * counted up or down, `stats.forbidden_count++`, `--forbidden`, `m.forbiddenTotal += n`, or added to in its own
 * assignment, `m.FORBIDDEN_TOTAL = m.FORBIDDEN_TOTAL + 1` (both occurrences). A status is never counted.
 */
function isCounter(node: ts.Identifier): boolean {
  const form = memberForm(node);
  const parent = form.parent;
  if (
    (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    COUNTING.has(parent.operator)
  )
    return true;
  if (!ts.isBinaryExpression(parent)) return false;
  if (parent.left === form && COUNTING.has(parent.operatorToken.kind)) return true;
  const text = form.getText();
  const sum = (expression: ts.Expression): boolean => {
    const inner = skipCasts(expression);
    return (
      ts.isBinaryExpression(inner) &&
      (inner.operatorToken.kind === ts.SyntaxKind.PlusToken ||
        inner.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
      (inner.left.getText() === text || inner.right.getText() === text)
    );
  };
  const isAssignment = (binary: ts.BinaryExpression): boolean =>
    binary.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  // `x = x + 1`: the assigned name, and the read inside the sum.
  if (isAssignment(parent) && parent.left === form) return sum(parent.right);
  let outer: ts.Node = parent;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return (
    ts.isBinaryExpression(outer.parent) &&
    isAssignment(outer.parent) &&
    outer.parent.right === outer &&
    outer.parent.left.getText() === text &&
    sum(parent)
  );
}

const PREDICATE_METHODS = new Set([
  'find',
  'filter',
  'some',
  'every',
  'findIndex',
  'findLast',
  'findLastIndex',
]);

/** Property names that may hold a status (`FORBIDDEN.status`): such a read stays to review. */
const STATUS_PROPERTIES = /^(?:status|statusCode|status_code|httpStatus|httpCode|code|value|statusText)$/i;

/** The name as a whole: `row.rollback_forbidden` when it is the member read, through `(…)` and `!`. */
function memberForm(node: ts.Identifier): ts.Expression {
  let form: ts.Expression = node;
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) form = node.parent;
  while (ts.isParenthesizedExpression(form.parent) || ts.isNonNullExpression(form.parent)) form = form.parent;
  return form;
}

function isFlag(node: ts.Identifier): boolean {
  const form = memberForm(node);
  const parent = form.parent;
  if (
    ts.isCallExpression(parent) &&
    parent.arguments.length === 1 &&
    parent.arguments[0] === form &&
    ts.isIdentifier(parent.expression) &&
    parent.expression.text === 'Boolean'
  )
    return true;
  if (ts.isArrowFunction(parent) && parent.body === form && isPredicate(parent)) return true;
  return declaredBoolean(node.getSourceFile()).has(node.text);
}

/** `(item) => …` given to `xs.find(…)` and the other array predicates. */
function isPredicate(fn: ts.ArrowFunction): boolean {
  const call = fn.parent;
  return (
    ts.isCallExpression(call) &&
    call.arguments[0] === fn &&
    ts.isPropertyAccessExpression(call.expression) &&
    PREDICATE_METHODS.has(call.expression.name.text)
  );
}

const BOOLEAN_NAMES = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/**
 * The names the file declares as booleans: `flag?: boolean` (a property signature or declaration, a parameter, a
 * variable), `flag: true` / `flag = false`, and the names it assigns a boolean (`el.flag = true`). Once per file.
 */
function declaredBoolean(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const known = BOOLEAN_NAMES.get(sourceFile);
  if (known) return known;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isPropertySignature(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isVariableDeclaration(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      /forbidden/i.test(node.name.text)
    ) {
      const initializer = 'initializer' in node ? node.initializer : undefined;
      if (node.type?.kind === ts.SyntaxKind.BooleanKeyword || (initializer && isBooleanLiteral(initializer)))
        names.add(node.name.text);
    } else if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      /forbidden/i.test(node.name.text) &&
      isBooleanLiteral(node.initializer)
    ) {
      names.add(node.name.text);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isBooleanLiteral(node.right)
    ) {
      // `element.forbidden = true`, `forbidden = false` (breaker50: Vue 2's template compiler in a Sails app's
      // assets/dependencies/vue.js marks a `<script>` tag so; it was "names a 403 in a shape mtls-fix does not know").
      const left = ts.isPropertyAccessExpression(node.left) ? node.left.name : node.left;
      if (ts.isIdentifier(left) && /forbidden/i.test(left.text)) names.add(left.text);
    }
    ts.forEachChild(node, visit);
  };
  // Only files that name one are walked twice; most never get here.
  visit(sourceFile);
  BOOLEAN_NAMES.set(sourceFile, names);
  return names;
}

function isBooleanLiteral(node: ts.Expression): boolean {
  return node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
}

/** `forbidden.version` where `forbidden` is a variable or parameter of the file: a record read, not a status. */
function isRecordRead(node: ts.Identifier): boolean {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== node) return false;
  if (STATUS_PROPERTIES.test(access.name.text)) return false;
  if (ts.isCallExpression(access.parent) && access.parent.expression === access) return false;
  return isLocalVariable(node);
}

/** Whether `node` names a variable or parameter declared in a scope enclosing it (not an import, class or enum). */
function isLocalVariable(node: ts.Identifier): boolean {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => declares(p.name, node.text))) return true;
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements)
        if (
          ts.isVariableStatement(statement) &&
          statement.declarationList.declarations.some((d) => declares(d.name, node.text))
        )
          return true;
    }
  }
  return false;
}

function declares(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && declares(e.name, text));
}

/**
 * Things that are not allowed, named so: `forbiddenArgs`, `FORBIDDEN_PATHS`, `isForbiddenPath`,
 * `forbiddenMicrosoftQueryOperators` (a list, or a check, of arguments, paths, characters... a caller may not
 * use), and metrics of forbidden answers, `forbidden_count`, `FORBIDDEN_TOTAL`, `forbiddenRate` (session 48). The
 * name ends in a noun for data after the word Forbidden; error and response names (`ForbiddenError`,
 * `forbiddenResponse`, `sendForbidden`, `forbiddenRoute`) do not, and stay unknown shapes unless linked.
 * And predicates, named with a verb that asks (`isReadTypebotForbidden`, `isAdminWriteWorkspaceForbidden`,
 * `hasForbiddenScope`, `shouldBeForbidden`; lead50, typebot's workspace packages read without their module):
 * a yes or no, answered as the caller chooses, never a status.
 */
export function namesForbiddenThings(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const at = words.indexOf('forbidden');
  if (at < 0) return false;
  if (at > 0 && PREDICATE_VERBS.has(words[0] ?? '')) return true;
  if (at === words.length - 1) return false;
  return DATA_NOUNS.test(words[words.length - 1] ?? '');
}

/** The first word of a name that asks a yes-or-no question (`isX`, `hasX`, `shouldX`). */
const PREDICATE_VERBS = new Set([
  'is',
  'are',
  'was',
  'were',
  'has',
  'have',
  'had',
  'should',
  'would',
  'must',
]);

const DATA_NOUNS =
  /^(?:counts?|counters?|totals?|hits|metrics?|rates?|ratios?|gauges?|histograms?|args?|arguments?|tools?|paths?|words?|chars?|characters?|keys?|fields?|ids?|hosts?|domains?|globs?|operators?|names?|patterns?|tags?|types?|values?|props?|propert(?:y|ies)|headers?|methods?|extensions?|files?|dirs?|director(?:y|ies)|urls?|emails?|usernames?|terms?|tokens?|params?|options?|commands?|modules?|imports?|packages?|labels?|attributes?|elements?|nodes?|symbols?|strings?|regex(?:es)?|regexps?|sets?|lists?|maps?|arrays?|prefixes|prefix|suffix(?:es)?|actions?|scopes?)$/;
