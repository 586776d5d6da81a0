import ts from '../../typescript.cjs';
import { literalNumber, skipOuter, type FileAnalysis } from '../analysis.js';
import type { Framework } from './framework.js';

const DECLARES =
  'declares 403; it will come back when the document is regenerated (or the check enforces it): change it with the code.';
/** A raw status line: `HTTP/1.1 403 Forbidden\r\n`. */
const STATUS_LINE = /HTTP\/\d(?:\.\d)? 403\b/;
/** Property names whose array value lists statuses a guard, validator or document accepts. */
const STATUS_LIST_KEYS =
  /^(status|statuses|statusCodes?|codes|responses|expectedStatus(es)?|allowedStatus(es)?)$/;

/**
 * Places where 403 is the value of a mapping rather than an emit here: `switch` cases and functions that
 * return 403 for a caller to send, status maps indexed at run time, raw `HTTP/1.1 403` status lines, and
 * declarations that regenerate or enforce 403 (status lists, response keys and types; `@openapi` doc blocks
 * are reported by the census, one site per block).
 * Each is a manual site with a reason a person can act on; none is rewritten.
 */
export const statusMappings: Framework = {
  id: 'status-mappings',
  title: 'Status mappings, raw status lines and 403 declarations (reported)',
  enablers: [],
  kinds: [
    ts.SyntaxKind.ReturnStatement,
    ts.SyntaxKind.ArrowFunction,
    ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ts.SyntaxKind.TemplateHead,
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
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      if (!STATUS_LINE.test(node.text)) return;
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
    if (value.elements.some((e) => literalNumber(e) === 403))
      analysis.addSite({
        node,
        framework: 'status-mappings',
        manual: true,
        reason: `A status list that ${DECLARES}`,
      });
    return;
  }
  if (isKey403(node.name)) {
    const holder = node.parent.parent;
    if (holder && ts.isPropertyAssignment(holder) && /^responses?$/.test(nameOf(holder)))
      analysis.addSite({
        node: node.name,
        framework: 'status-mappings',
        manual: true,
        reason: `A response entry ${DECLARES}`,
      });
    return;
  }
  // `{ FORBIDDEN: 403, NOT_FOUND: 404 }[code]`: a map read with a run-time key.
  if (literalNumber(value) !== 403 || !ts.isNumericLiteral(value)) return;
  const object = node.parent;
  if (indexedAtRunTime(analysis, object))
    analysis.addSite({
      node,
      framework: 'status-mappings',
      manual: true,
      reason: `Status map: '${key}' maps to 403 and the map is read with a run-time key. Map the client-certificate failure to ${analysis.target}.`,
    });
}

/** `new Map([['FORBIDDEN', 403]])` */
function mapEntries(analysis: FileAnalysis, node: ts.NewExpression): void {
  const entries = node.arguments?.[0];
  if (!entries || !ts.isArrayLiteralExpression(entries)) return;
  for (const entry of entries.elements) {
    if (!ts.isArrayLiteralExpression(entry) || entry.elements.length !== 2) continue;
    if (literalNumber(entry.elements[1]) === 403 && ts.isNumericLiteral(skipOuter(entry.elements[1])))
      analysis.addSite({
        node: entry,
        framework: 'status-mappings',
        manual: true,
        reason: `Status map: ${entry.elements[0].getText(analysis.sourceFile)} maps to 403. Map the client-certificate failure to ${analysis.target}.`,
      });
  }
}

/** The object (or the variable holding it) is read with a computed, non-literal key: `STATUS[err.code]`. */
function indexedAtRunTime(analysis: FileAnalysis, object: ts.Node): boolean {
  let holder: ts.Node = object;
  while (
    ts.isParenthesizedExpression(holder.parent) ||
    ts.isAsExpression(holder.parent) ||
    ts.isSatisfiesExpression(holder.parent)
  )
    holder = holder.parent;
  const parent = holder.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === holder)
    return !isLiteral(parent.argumentExpression);
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const name = parent.name.text;
  const pattern = new RegExp(`(?<![\\w$.])${name}\\s*\\[\\s*(?!['"\`\\d])`);
  return pattern.test(analysis.text);
}

function isLiteral(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

function isKey403(name: ts.PropertyName): boolean {
  return (ts.isNumericLiteral(name) || ts.isStringLiteral(name)) && name.text === '403';
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
