import { isOuter } from '../analysis/syntax.js';
import ts from '../../typescript.cjs';
import { literalNumber, skipOuter, type FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';
import { responseKey } from './shared.js';
import { INLINE_SNAPSHOT_MATCHERS } from './tests/snapshots.js';
import type { Edit } from '../types.js';

const DECLARES =
  'declares 403; it will come back when the document is regenerated (or the check enforces it): change it with the code.';
/** A raw status line: `HTTP/1.1 403 Forbidden\r\n`. */
const STATUS_LINE = /HTTP\/\d(?:\.\d)? 403\b/;
/** Template text right before a raw status line's status: `HTTP/1.1 ${status} …`. */
const STATUS_LINE_OPEN = /HTTP\/\d(?:\.\d)? $/;
/** Property names whose array value lists statuses a guard, validator or document accepts. */
const STATUS_LIST_KEYS =
  /^(status|statuses|statusCodes?|codes|responses|expectedStatus(es)?|allowedStatus(es)?)$/;

/**
 * Places where 403 is the value of a mapping rather than an emit here: `switch` cases and functions that
 * return 403 for a caller to send, status maps indexed at run time, raw `HTTP/1.1 403` status lines, and
 * declarations that regenerate or enforce 403 (status lists, response keys and types; `@openapi` doc blocks
 * are reported by the census, one site per block).
 * Each is a manual site with a reason a person can act on, but for one: a status list in the options of a route's
 * own registration (`router.get('/x', koaGuard({ status: [200, 403] }), handler)`, Logto's koaGuard) declares what
 * that route answers, and follows its handler the way Fastify's `schema.response` keys do: its 403 becomes the
 * target (dropped where the target is listed already). Under `--spec` it follows the route's operation.
 */
export const statusMappings: Framework = {
  id: 'status-mappings',
  title:
    "Status mappings, raw status lines and 403 declarations (reported; a route's own declarations follow it)",
  enablers: [],
  kinds: [
    ts.SyntaxKind.ReturnStatement,
    ts.SyntaxKind.ArrowFunction,
    ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ts.SyntaxKind.TemplateHead,
    ts.SyntaxKind.TemplateMiddle,
    ts.SyntaxKind.PropertyAssignment,
    ts.SyntaxKind.PropertySignature,
    ts.SyntaxKind.NewExpression,
  ],
  visit(node, analysis) {
    if (ts.isReturnStatement(node) && node.expression) {
      returned(analysis, node.expression, node);
      return;
    }
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      returned(analysis, node.body, node.body);
      return;
    }
    if ((ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) && STATUS_LINE_OPEN.test(node.text)) {
      builtStatusLine(analysis, node);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      if (!STATUS_LINE.test(node.text)) return;
      // A test's inline snapshot of a reply (`expect(response).toMatchInlineSnapshot(\`HTTP/1.1 403 Forbidden …\`)`):
      // an assertion of the request before it, the tests framework's (tests/snapshots.ts), never bytes sent.
      if (analysis.options.testFile && isInlineSnapshotText(node)) return;
      if (isRead(node)) analysis.notAnEmit(node, 'comparison');
      else
        analysis.addSite({
          node,
          framework: 'node-http',
          manual: true,
          reason: `A raw HTTP status line with 403: write ${analysis.target} and its reason phrase by hand (the bytes go to the socket as written).`,
        });
      return;
    }
    if (ts.isPropertyAssignment(node)) {
      property(analysis, node);
      return;
    }
    if (ts.isPropertySignature(node) && node.name && isKey403(node.name)) {
      const holder = node.parent.parent;
      if (
        holder &&
        (ts.isPropertySignature(holder) || ts.isTypeAliasDeclaration(holder)) &&
        /respon/i.test(nameOf(holder))
      )
        analysis.addSite({
          node,
          framework: 'status-mappings',
          manual: true,
          reason: `A response type ${DECLARES}`,
        });
      return;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Map') {
      mapEntries(analysis, node);
    }
  },
};

/**
 * `\`HTTP/1.1 ${status} ${phrase}\r\n…\`` of a server writing its own bytes (breaker46: a `net` server's
 * `buildHttpResponse(403, body)` read "unrelated-number", so the file read clean): the expression after the version
 * is a status slot. A parameter makes the function a helper whose callers passing 403 are rewritten (the helper
 * writes the phrase for the status it gets); a 403 written there is a manual site, as a literal status line is (its
 * phrase is text beside it); a run-time value is a dynamic status. A line a check reads (`startsWith`) is no emit.
 */
function builtStatusLine(analysis: FileAnalysis, node: ts.TemplateHead | ts.TemplateMiddle): void {
  if (analysis.options.testFile) return;
  const template = ts.isTemplateHead(node) ? node.parent : node.parent.parent;
  if (!ts.isTemplateExpression(template) || isRead(template.head)) return;
  const span = ts.isTemplateHead(node)
    ? template.templateSpans[0]
    : template.templateSpans[template.templateSpans.indexOf(node.parent as ts.TemplateSpan) + 1];
  if (!span) return;
  analysis.statusSlot(span.expression, template, 'node-http', () => ({
    manual: true,
    reason: `A raw HTTP status line with 403: write ${analysis.target} and its reason phrase by hand (the bytes go to the socket as written).`,
  }));
}

/** The text argument of an inline snapshot matcher: `expect(x).toMatchInlineSnapshot(\`…\`)`. */
function isInlineSnapshotText(node: ts.Node): boolean {
  const call = node.parent;
  return (
    ts.isCallExpression(call) &&
    call.arguments[call.arguments.length - 1] === node &&
    ts.isPropertyAccessExpression(call.expression) &&
    INLINE_SNAPSHOT_MATCHERS.has(call.expression.name.text)
  );
}

/** `return 403`, `case 'FORBIDDEN': return 403`, `code => code === 'x' ? 403 : 500`: the caller sends it. */
function returned(analysis: FileAnalysis, expression: ts.Expression, form: ts.Node): void {
  const value = skipOuter(expression);
  if (!ts.isNumericLiteral(value) && !ts.isConditionalExpression(value)) return;
  const evaluation = analysis.evaluate(value);
  if (evaluation.kind !== 'forbidden') return;
  const inCase = ts.isCaseClause(form.parent) || ts.isDefaultClause(form.parent);
  analysis.addSite({
    node: form,
    framework: 'status-mappings',
    manual: true,
    reason: `Status mapping: ${inCase ? 'this case returns' : 'this function returns'} 403 for its caller to send. Return ${analysis.target} where the failure is a missing or rejected client certificate (the response follows).`,
  });
}

function property(analysis: FileAnalysis, node: ts.PropertyAssignment): void {
  const key = nameOf(node);
  const value = skipOuter(node.initializer);
  if (ts.isArrayLiteralExpression(value) && STATUS_LIST_KEYS.test(key)) {
    if (!value.elements.some((e) => isForbidden(analysis, e))) return;
    const edits = besideRouteHandler(node) ? listEdits(analysis, value) : undefined;
    analysis.addSite(
      edits
        ? { node, framework: 'status-mappings', edits }
        : { node, framework: 'status-mappings', manual: true, reason: `A status list that ${DECLARES}` },
    );
    return;
  }
  // `koaGuard({ status: 403 })`: one status, the list's other spelling (koaGuard takes `number | number[]`).
  if (STATUS_LIST_KEYS.test(key) && isForbidden(analysis, value) && besideRouteHandler(node)) {
    const edits = analysis.forbiddenEdits(value);
    if (edits) analysis.addSite({ node, framework: 'status-mappings', edits });
    return;
  }
  if (isKey403(node.name)) {
    const holder = node.parent.parent;
    if (holder && ts.isPropertyAssignment(holder) && /^responses?$/.test(nameOf(holder))) {
      // The responses a route declares in its own registration (hono-openapi `describeRoute({ responses })`), in its
      // route object (hapi-swagger's `plugins: { 'hapi-swagger': { responses } }`) or on its method
      // (routing-controllers-openapi `@OpenAPI({ responses })`) follow its handler.
      if (besideRouteHandler(holder) || onRouteMethod(holder) || inRouteObject(holder))
        responseKey(analysis, node, 'status-mappings');
      else
        analysis.addSite({
          node: node.name,
          framework: 'status-mappings',
          manual: true,
          reason: `A response entry ${DECLARES}`,
        });
    } else if (holder && ts.isPropertyAssignment(holder) && isJoiRouterOutput(holder))
      responseKey(analysis, node, 'status-mappings');
    return;
  }
  // `{ FORBIDDEN: 403, NOT_FOUND: 404 }[code]`: a map read with a run-time key. Its value may be a status library's
  // constant too (`FORBIDDEN: HttpStatus.FORBIDDEN` of a Nest exception filter's code table, breaker50b's
  // pivota-api: "names a 403 in a shape mtls-fix does not know" before), as a status list's element may.
  if (!is403Value(analysis, value)) return;
  const object = node.parent;
  if (indexedAtRunTime(analysis, object))
    analysis.addSite({
      node,
      framework: 'status-mappings',
      manual: true,
      reason: `Status map: ${keyLabel(node)} maps to 403 and the map is read with a run-time key. Map the client-certificate failure to ${analysis.target}.`,
    });
}

/** Route registration methods whose options may carry a route's status list (Express, Koa, @koa/router, Hono). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);

/**
 * Whether the object holding `property` is an argument of a route's own registration, directly
 * (`router.get('/x', { status: [...] }, handler)`) or through a middleware factory
 * (`router.get('/x', koaGuard({ status: [...] }), handler)`), with the handler after it.
 */
function besideRouteHandler(property: ts.PropertyAssignment): boolean {
  let argument: ts.Node = outermost(property.parent);
  let call = argument.parent;
  if (
    ts.isCallExpression(call) &&
    call.arguments.includes(argument as ts.Expression) &&
    !isRouteRegistration(call)
  ) {
    argument = outermost(call);
    call = argument.parent;
  }
  if (!ts.isCallExpression(call) || !isRouteRegistration(call)) return false;
  const index = call.arguments.indexOf(argument as ts.Expression);
  return index >= 0 && index < call.arguments.length - 1;
}

function isRouteRegistration(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) && ROUTE_METHODS.has(callee.name.text) && call.arguments.length >= 2
  );
}

/** The node itself, or the parentheses / casts around it. */
function outermost(node: ts.Node): ts.Node {
  let out = node;
  while (isOuter(out.parent)) out = out.parent;
  return out;
}

/**
 * `[200, 403]` -> `[200, 401]`; `[200, 401, 403]` -> `[200, 401]` (the target once: a second 403 is dropped too).
 * Undefined when an element holding 403 cannot be edited.
 */
function listEdits(analysis: FileAnalysis, list: ts.ArrayLiteralExpression): Edit[] | undefined {
  const elements = list.elements;
  let listed = elements.some((e) => literalNumber(e) === analysis.target);
  const edits: Edit[] = [];
  for (const [index, element] of elements.entries()) {
    if (!isForbidden(analysis, element)) continue;
    if (listed) {
      // Drop the element with the comma after it (or, for the last one, the comma before it).
      const start =
        index < elements.length - 1 ? element.getStart(analysis.sourceFile) : elements[index - 1].end;
      const end =
        index < elements.length - 1 ? elements[index + 1].getStart(analysis.sourceFile) : element.end;
      edits.push({ start, end, text: '' });
      continue;
    }
    const own = analysis.forbiddenEdits(element);
    if (!own) return undefined;
    edits.push(...own);
    listed = true;
  }
  return edits;
}

/** A list element that is 403: a literal, or a constant mtls-fix can rename (`StatusCodes.FORBIDDEN`). */
function isForbidden(analysis: FileAnalysis, element: ts.Expression): boolean {
  return literalNumber(element) === 403 || analysis.forbiddenEdits(element) !== undefined;
}

/** Decorators naming a route's method (NestJS, routing-controllers, tsoa, tegg...). */
const ROUTE_DECORATORS = /^(?:Get|Post|Put|Patch|Delete|All|Head|Options)$/i;

/** `@OpenAPI({ responses })` on a method that is a route (`@Get('/:id')` beside it). */
function onRouteMethod(property: ts.PropertyAssignment): boolean {
  const call = outermost(property.parent).parent;
  if (!ts.isCallExpression(call) || !ts.isDecorator(call.parent)) return false;
  const method = call.parent.parent;
  if (!ts.isMethodDeclaration(method)) return false;
  return (ts.getDecorators(method) ?? []).some((decorator) => {
    const expression = ts.isCallExpression(decorator.expression)
      ? decorator.expression.expression
      : decorator.expression;
    return ts.isIdentifier(expression) && ROUTE_DECORATORS.test(expression.text);
  });
}

/**
 * Inside a route object that registers a handler (`{ method, path, handler, … }`: hapi's `server.route({ method,
 * path, options: { plugins: { 'hapi-swagger': { responses } }, handler } })`, a route table's row), a few levels up at
 * most.
 */
function inRouteObject(property: ts.PropertyAssignment): boolean {
  let node: ts.Node = property.parent;
  for (let depth = 0; depth < 8 && node; depth++, node = node.parent) {
    if (!ts.isObjectLiteralExpression(node)) continue;
    const names = new Set(node.properties.map((p) => nameOf(p)));
    // A registration runs a handler; `{ method, path, responses }` alone (zod-to-openapi's registerPath, a
    // ts-rest contract entry, a createRoute config) declares an operation, which their own readers follow.
    if (names.has('method') && (names.has('path') || names.has('url'))) return hasHandler(node);
  }
  return false;
}

/** A route object's handler: `handler`, or hapi's `options: { handler }` / `config: { handler }`. */
function hasHandler(route: ts.ObjectLiteralExpression): boolean {
  return route.properties.some((p) => {
    const name = nameOf(p);
    if (name === 'handler') return true;
    if ((name === 'options' || name === 'config') && ts.isPropertyAssignment(p)) {
      const value = skipOuter(p.initializer);
      return ts.isObjectLiteralExpression(value) && value.properties.some((q) => nameOf(q) === 'handler');
    }
    return false;
  });
}

/** koa-joi-router's `validate: { output: { 403: { body } } }`: a route's output rules per status. */
function isJoiRouterOutput(holder: ts.PropertyAssignment): boolean {
  if (nameOf(holder) !== 'output') return false;
  const validate = holder.parent.parent;
  return Boolean(validate && ts.isPropertyAssignment(validate) && nameOf(validate) === 'validate');
}

/** `new Map([['FORBIDDEN', 403]])` */
function mapEntries(analysis: FileAnalysis, node: ts.NewExpression): void {
  const entries = node.arguments?.[0];
  if (!entries || !ts.isArrayLiteralExpression(entries)) return;
  for (const entry of entries.elements) {
    if (!ts.isArrayLiteralExpression(entry) || entry.elements.length !== 2) continue;
    if (is403Value(analysis, entry.elements[1]))
      analysis.addSite({
        node: entry,
        framework: 'status-mappings',
        manual: true,
        reason: `Status map: ${entry.elements[0].getText(analysis.sourceFile)} maps to 403. Map the client-certificate failure to ${analysis.target}.`,
      });
  }
}

/** A map's 403 value: the literal `403`, or a status library's constant mtls-fix can rename (`HttpStatus.FORBIDDEN`). */
function is403Value(analysis: FileAnalysis, expression: ts.Expression): boolean {
  const value = skipOuter(expression);
  if (ts.isNumericLiteral(value)) return literalNumber(value) === 403;
  return analysis.forbiddenEdits(value) !== undefined;
}

/** The object (or the variable holding it) is read with a computed, non-literal key: `STATUS[err.code]`. */
function indexedAtRunTime(analysis: FileAnalysis, object: ts.Node): boolean {
  const holder = outermost(object);
  const parent = holder.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === holder)
    return analysis.constantKey(parent) === undefined && !isLiteral(parent.argumentExpression);
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const name = parent.name.text;
  const pattern = new RegExp(`(?<![\\w$.])${name}\\s*\\[\\s*(?!['"\`\\d])`);
  if (!pattern.test(analysis.text)) return false;
  // `CODES[K]` with `const K = 'FORBIDDEN'` (session 36): a key the file fixes is read as `CODES['FORBIDDEN']`.
  let runTime = false;
  const visit = (node: ts.Node): void => {
    if (runTime) return;
    if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(skipOuter(node.expression)) &&
      (skipOuter(node.expression) as ts.Identifier).text === name &&
      !isLiteral(node.argumentExpression) &&
      analysis.constantKey(node) === undefined
    )
      runTime = true;
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  return runTime;
}

function isLiteral(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

function isKey403(name: ts.PropertyName): boolean {
  return (ts.isNumericLiteral(name) || ts.isStringLiteral(name)) && name.text === '403';
}

/**
 * How a reason names an entry's key: `'forbidden'` for a plain or quoted key and for a computed one whose value is
 * a string known here (`[K]` with `const K = 'forbidden'`: `K ('forbidden')`), else the key as written (`[key]`).
 * Session 35: a computed key was printed `''`.
 */
function keyLabel(node: ts.PropertyAssignment): string {
  const name = node.name;
  if (!ts.isComputedPropertyName(name)) return `'${nameOf(node)}'`;
  const expression = skipOuter(name.expression);
  if (ts.isStringLiteralLike(expression) || ts.isNumericLiteral(expression)) return `'${expression.text}'`;
  if (!ts.isIdentifier(expression)) return name.getText();
  const value = constString(expression);
  return value === undefined ? name.getText() : `${expression.text} ('${value}')`;
}

/** The string a `const` of an enclosing block holds (`const K = 'forbidden'`), or undefined. */
function constString(identifier: ts.Identifier): string | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
        continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== identifier.text || !d.initializer) continue;
        const init = skipOuter(d.initializer);
        return ts.isStringLiteralLike(init) || ts.isNumericLiteral(init) ? init.text : undefined;
      }
    }
  }
  return undefined;
}

function nameOf(node: ts.Node): string {
  const name = (node as { name?: ts.Node }).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : '';
}

/** A status line being checked rather than written: `line.startsWith('HTTP/1.1 403')`, `x === 'HTTP/1.1 403'`. */
function isRead(node: ts.Node): boolean {
  // A template's head stands for the whole template: `line.startsWith(`HTTP/1.1 403 ${version}`)`.
  const parent = ts.isTemplateHead(node) ? node.parent.parent : node.parent;
  if (ts.isBinaryExpression(parent)) return true;
  return (
    ts.isCallExpression(parent) &&
    ts.isPropertyAccessExpression(parent.expression) &&
    /^(startsWith|includes|match|test|indexOf|endsWith|toContain|toMatch|toBe|toEqual)$/.test(
      parent.expression.name.text,
    )
  );
}
