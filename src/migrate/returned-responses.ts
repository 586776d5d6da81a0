import ts from '../typescript.cjs';
import { skipOuter, type FileAnalysis } from './analysis.js';
import { calleeName, prototypeMethodName } from './analysis/call-sites.js';
import type { Site } from './types.js';

/** A function whose returned response carries a status this run rewrites (`return res.status(403)`). */
interface Returner {
  framework: string;
}

/** Finds the function a caller names in another file: the declaring file's analysis and the name there. */
export type ReturnerLookup = (
  analysis: FileAnalysis,
  callee: string,
) => { analysis: FileAnalysis; name: string } | undefined;

/**
 * Bodies written beside a response a helper returns: `deny(res).json({ error: 'Forbidden' })` with `function
 * deny(res) { return res.status(403) }` (also `const forbid = (reply) => reply.code(403)`, a class's
 * `this.deny(res).send('Forbidden')`, and a helper imported from another file through `lookup`). The status is
 * rewritten inside the helper; the phrase bodies and status mirrors the caller chains on its response
 * (`'Forbidden'`, `{ statusCode: 403, error: 'Forbidden' }`) follow it as they do beside a direct
 * `res.status(403).json(…)` (analysis/companions.ts). Each such caller gets a rewrite site with those edits.
 * Runs after the helper calls are settled; a caller with no companion of its own gets no site.
 */
export function addReturnedResponseCompanions(
  analyses: readonly FileAnalysis[],
  lookup: ReturnerLookup = () => undefined,
): void {
  const returners = new Map<FileAnalysis, Map<string, Returner>>();
  const returnersOf = (analysis: FileAnalysis): Map<string, Returner> => {
    let found = returners.get(analysis);
    if (!found) {
      found = findReturners(analysis);
      returners.set(analysis, found);
    }
    return found;
  };
  for (const analysis of analyses) {
    if (!mayChain(analysis.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && chainedOn(node)) {
        const callee = calleeName(node);
        const own = callee ? returnersOf(analysis).get(callee) : undefined;
        const elsewhere = !own && callee ? lookup(analysis, callee) : undefined;
        const returner = own ?? (elsewhere && returnersOf(elsewhere.analysis).get(elsewhere.name));
        if (returner) addCompanionSite(analysis, node, returner.framework);
      }
      ts.forEachChild(node, visit);
    };
    visit(analysis.sourceFile);
  }
}

/** A cheap test: the text chains a body call on a call's result (`)(…).json(` / `).send(`). */
function mayChain(text: string): boolean {
  return /\)\s*\.\s*(?:json|send|end|type|set|header|message|body)\s*\(/.test(text);
}

/** `deny(res).json(…)`: the call's result is the object of a member call. */
function chainedOn(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (
    ts.isPropertyAccessExpression(parent) && parent.expression === call && ts.isCallExpression(parent.parent)
  );
}

function addCompanionSite(analysis: FileAnalysis, call: ts.CallExpression, framework: string): void {
  const edits = analysis.companionEdits(call);
  if (!edits.length) return;
  analysis.addSite({
    node: call.parent.parent,
    at: call,
    framework,
    edits,
    cover: analysis.companionCover(call),
  });
}

/**
 * The functions of a file that return the response of a rewrite site of theirs, by the name callers use (`deny`,
 * `Api.prototype.deny`): the returned expression is the site's call, or a chain on it (`res.status(403).type(…)`).
 */
function findReturners(analysis: FileAnalysis): Map<string, Returner> {
  const found = new Map<string, Returner>();
  for (const site of analysis.sites) {
    if (site.kind !== 'rewrite') continue;
    const node = siteNode(analysis, site);
    if (!node) continue;
    const fn = returningFunction(node);
    const name = fn && functionName(fn);
    if (name && !found.has(name)) found.set(name, { framework: site.framework });
  }
  return found;
}

/** The call expression a site spans (`res.status(403)`), found from its span. */
function siteNode(analysis: FileAnalysis, site: Site): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getEnd() < site.span.start || node.getStart(analysis.sourceFile) > site.span.end)
      return;
    if (
      ts.isCallExpression(node) &&
      node.getStart(analysis.sourceFile) === site.span.start &&
      node.getEnd() === site.span.end
    )
      found = node;
    ts.forEachChild(node, visit);
  };
  visit(analysis.sourceFile);
  return found;
}

/**
 * The function that returns the response `node` makes: walking up through member calls on it to a `return` (or
 * an arrow's expression body), then to that function. Undefined when the chain ends anywhere else.
 */
function returningFunction(node: ts.CallExpression): ts.SignatureDeclaration | undefined {
  let current: ts.Node = node;
  for (;;) {
    const parent: ts.Node = current.parent;
    if (
      ts.isPropertyAccessExpression(parent) &&
      parent.expression === current &&
      ts.isCallExpression(parent.parent)
    ) {
      current = parent.parent;
      continue;
    }
    if (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isAsExpression(parent)) {
      current = parent;
      continue;
    }
    if (ts.isReturnStatement(parent)) {
      for (let at: ts.Node | undefined = parent.parent; at; at = at.parent)
        if (ts.isFunctionLike(at)) return at;
      return undefined;
    }
    if (
      ts.isArrowFunction(parent) &&
      skipOuter(parent.body as ts.Expression) === skipOuter(current as ts.Expression)
    )
      return parent;
    return undefined;
  }
}

/** The name a caller uses: `deny` (a declaration or a `const`), `Api.prototype.deny` (a method). */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isMethodDeclaration(fn)) return prototypeMethodName(fn);
  if (ts.isFunctionDeclaration(fn) && fn.name) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return prototypeMethodName(fn);
}
