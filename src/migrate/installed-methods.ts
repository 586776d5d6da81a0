import ts from '../typescript.cjs';
import { compareText } from '../util/compare.js';
import type { FileAnalysis } from './analysis.js';
import type { ReceiverKind } from './analysis/types.js';
import { decoratedReply } from './analysis/installed-helpers.js';
import { declarationOf, type FoundDeclaration, type ImportedDeclarations } from './references.js';

/**
 * Methods a project installs on a framework's reply, response or context, by name, where they are defined:
 * `fastify.decorateReply('forbidden', fn)`, `app.response.forbidden = function () { … }` (Express's response
 * prototype) and `app.context.forbidden = function () { … }` (Koa's context prototype). A call of that name on a
 * receiver anywhere in the project (`res.forbidden('no')`) runs the installed function, whose own 403 is
 * counted where it is written (receivers.ts reads its `this`): the call is a reference to it, not an unknown
 * shape. Sources: Fastify docs Reference/Decorators.md (`decorateReply`); Express 4 API `app.response`; Koa
 * docs `app.context`.
 */
export type InstalledMethods = (kind: ReceiverKind, name: string) => FoundDeclaration | undefined;

/** The method a call names (`res.forbidden('no')`): its receiver's kind and the method's name. */
export function installedMethodOf(
  analysis: FileAnalysis,
  access: ts.PropertyAccessExpression,
  installed: InstalledMethods,
): FoundDeclaration | undefined {
  if (!ts.isCallExpression(access.parent) || access.parent.expression !== access) return undefined;
  const receiver = analysis.receiver(access.expression);
  return receiver && !receiver.path.length ? installed(receiver.kind, access.name.text) : undefined;
}

/** A file that may install one: read only those (a text test before any walk). */
const INSTALLS = /\.(?:response|context)\.[\w$]+\s*=[^=]|\.decorateReply\s*\(/;

/**
 * Collects the installed methods of every analysed file (absolute path -> analysis), with each file's sites as
 * the modules found them (call it before the census adds its own). `imported` resolves a decorator passed by
 * name from another file (`decorateReply('forbidden', forbidden)` with `forbidden` imported). The first
 * definition of a name, in file order, wins.
 */
export function installedMethods(
  analyses: ReadonlyMap<string, FileAnalysis>,
  imported: (absolute: string) => ImportedDeclarations,
): InstalledMethods {
  const found = new Map<string, FoundDeclaration>();
  const key = (kind: ReceiverKind, name: string): string => `${kind} ${name}`;
  const files = [...analyses].filter(([, a]) => INSTALLS.test(a.text));
  files.sort((x, y) => compareText(x[1].file, y[1].file));
  for (const [absolute, analysis] of files) {
    const sites = [...analysis.sites];
    const add = ({ kind, name, value }: Installation): void => {
      if (found.has(key(kind, name))) return;
      const inner = skipParentheses(value);
      if (ts.isFunctionExpression(inner) || ts.isArrowFunction(inner)) {
        found.set(key(kind, name), { analysis, node: inner, sites });
        return;
      }
      if (!ts.isIdentifier(inner)) return;
      const declared = declarationOf(analysis, inner, sites, imported(absolute));
      if (declared) found.set(key(kind, name), declared);
    };
    const visit = (node: ts.Node): void => {
      const installed = installation(node);
      if (installed) add(installed);
      node.forEachChild(visit);
    };
    visit(analysis.sourceFile);
  }
  return (kind, name) => found.get(key(kind, name));
}

interface Installation {
  kind: ReceiverKind;
  name: string;
  value: ts.Expression;
}

/** `X.response.name = value`, `X.context.name = value`, `X.decorateReply('name', value)`. */
function installation(node: ts.Node): Installation | undefined {
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(node.left) &&
    ts.isPropertyAccessExpression(node.left.expression)
  ) {
    const prototype = node.left.expression.name.text;
    const kind = prototype === 'response' ? 'response' : prototype === 'context' ? 'koa' : undefined;
    return kind && { kind, name: node.left.name.text, value: node.right };
  }
  const decorated = decoratedReply(node);
  if (decorated) return { kind: 'reply', ...decorated };
  return undefined;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let value = expression;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value)) value = value.expression;
  return value;
}

/**
 * Drops the module sites that rename a call of a method the project installs itself (`reply.forbidden()` ->
 * `reply.unauthorized()`, `ctx.forbidden()` -> `ctx.unauthorized()`): those renames assume a library's helper
 * pair (@fastify/sensible, Strapi, koa-respond), and a project that installs its own `forbidden` may have no
 * `unauthorized` (the call would throw a TypeError). The installed function's own 403 is rewritten where it is
 * written, so the call answers the agreed status unchanged; the census counts it as a reference there.
 * Returns how many sites were dropped.
 */
export function keepInstalledCalls(analysis: FileAnalysis, installed: InstalledMethods): number {
  const renames = analysis.sites.filter(
    (site) => site.kind === 'rewrite' && site.edits.some((e) => /^[\w$]+$/.test(e.text)),
  );
  if (!renames.length) return 0;
  // Method names of called member accesses, by the offset of the name.
  const names = new Map<number, ts.PropertyAccessExpression>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) names.set(node.name.getStart(analysis.sourceFile), node);
    node.forEachChild(visit);
  };
  visit(analysis.sourceFile);
  const drop = new Set(
    renames.filter((site) =>
      site.edits.some((e) => {
        const access = names.get(e.start);
        return (
          access !== undefined &&
          access.name.end === e.end &&
          installedMethodOf(analysis, access, installed) !== undefined
        );
      }),
    ),
  );
  if (!drop.size) return 0;
  const kept = analysis.sites.filter((site) => !drop.has(site));
  analysis.sites.splice(0, analysis.sites.length, ...kept);
  return drop.size;
}
