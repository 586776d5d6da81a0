import { readFileSync } from 'node:fs';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { literalNumber } from './analysis/syntax.js';
import type { Occurrence } from './census-occurrences.js';
import { forbiddenRemapFilters } from './nest-filters.js';
import { tieNames } from './remaps-apis.js';
import { gatewayRemaps, type GatewayRemap, type GatewayRemaps } from './remaps-gateway.js';
import { nodeAt, reaches } from './remaps-reach.js';
import type { RemapLayer, Site } from './types.js';

/**
 * The central remaps migrate recommends for implicit 403s (remaps.ts), recognised where a user wrote them (DESIGN
 * §6 "Never guess", the remap already in place): an implicit site a remap of the advised shape covers is reported
 * as covered by it (`Site.coveredBy`), not as work; a remap to another status than the agreed one is named in the
 * site's reason. Shapes (each where the site's own advice names it):
 * - hapi `server.ext('onPreResponse', fn)` / `server.ext({ type: 'onPreResponse', method: fn })`;
 * - Express error middleware `app.use((err, req, res, next) => …)`, Koa `app.use(async (ctx, next) => …)`;
 * - Fastify `setErrorHandler(fn)`, `addHook('onSend', fn)`; Hono `app.onError(fn)`;
 * - API Gateway ACCESS_DENIED / DEFAULT_4XX gateway responses (remaps-gateway.ts) for authorizer Denys.
 * A code remap is a hook whose body tests a 403 (`=== 403`, `'EBADCSRFTOKEN'`) and, in that branch, writes one
 * status. It covers the framework's implicit sites of its own file, or of every file when the run creates one app
 * of that framework. NestJS guard sites are covered by their filters in nest-guard-sites.ts. The 403s a remap
 * reads are counted as `remap` in the census, not as comparisons.
 */
export interface RemapInput {
  cwd: string;
  analyses: Iterable<FileAnalysis>;
  /** The run's settled sites (mutated: covered sites, reasons, a Nest filter warning with nothing to warn of). */
  sites: Site[];
  /** Settled sites whose rewrite was refused. */
  refused: ReadonlyMap<Site, unknown>;
  occurrences: ReadonlyMap<string, Occurrence[]>;
  target: number;
  /**
   * Every file the run discovered (analysed or not): an app created in a file with no 403 (server.js) counts for
   * "the run creates one app" too. Absent: only the analysed files count.
   */
  files?: readonly { absolute: string; relative: string; test: boolean }[];
}

/** A hook that maps 403 to one status. */
export interface CodeRemap {
  family: Family;
  status: number;
  file: string;
  line: number;
  /** The hook function's offsets. */
  start: number;
  end: number;
  /**
   * The layers it remaps (`Site.remapLayers`): `error-handler` for a hook that catches a thrown 403 (Express error
   * middleware, a Koa try/catch, Fastify setErrorHandler, Hono onError, hapi onPreResponse testing a Boom's
   * `.output.statusCode`), `response-hook` for one that reads the answer's own status (a Koa check after
   * `await next()`, Fastify onSend, hapi onPreResponse testing a plain response's `.statusCode`).
   */
  layers: RemapLayer[];
  /** How it is registered, for the report (`server.ext('onPreResponse')`). */
  how: string;
  /** The registration call, for its order and instance (remaps-reach.ts). */
  call: ts.CallExpression;
}

type Family = 'hapi' | 'express' | 'koa' | 'fastify' | 'hono';

/** The app creation of each family, by text: one in the whole run lets a remap reach another file. */
const APP_CREATIONS: Readonly<Record<Family, RegExp>> = {
  hapi: /\b(?:Hapi\.server|Hapi\.Server|\bserver)\s*\(\s*\{|\bnew\s+(?:Hapi\.)?Server\s*\(/g,
  express: /\bexpress\s*\(\s*\)/g,
  koa: /\bnew\s+Koa\s*\(/g,
  fastify: /\b[Ff]astify\s*\(/g,
  hono: /\bnew\s+Hono\s*(?:<[^>]*>)?\s*\(/g,
};

/** The marker the filter warning of frameworks/nestjs.ts starts with. */
const NEST_FILTER_WARNING = 'This exception filter catches ForbiddenException;';

/** What to add to an uncovered implicit site's reason: the next step once it is handled. */
export const ACKNOWLEDGE =
  'Once it is handled (the remap above, or another way), mark it // mtls-fix-ignore: <why> if mtls-fix does not report it as covered.';

/** Settles the run's implicit sites against the remaps in its code and infrastructure (see {@link RemapInput}). */
export async function settleRemaps(input: RemapInput): Promise<void> {
  const analyses = [...input.analyses].filter((a) => !a.options.testFile);
  dropIdleFilterWarnings(input, analyses);
  const implicit = input.sites.filter(
    (s) => s.kind === 'manual' && !s.ignoreReason && !s.coveredBy && /^Implicit 403/.test(s.reason ?? ''),
  );
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const code = analyses.flatMap(codeRemaps);
  markRemapOccurrences(code, input.occurrences);
  const creations = appCreations(analyses, input.files ?? []);
  let gateway: GatewayRemaps | undefined;
  for (const site of implicit) {
    const layers = site.remapLayers ?? [];
    if (layers.includes('gateway-response')) {
      gateway ??= await gatewayRemaps(input.cwd);
      settleGateway(site, gateway, input.target);
    } else if (layers.length) {
      const siteAnalysis = byFile.get(site.file);
      const siteNode = siteAnalysis && nodeAt(siteAnalysis.sourceFile, site.start, site.end);
      const found: CodeRemap[] = [];
      const missed: string[] = [];
      for (const remap of code) {
        if (remap.family !== site.framework || !remap.layers.some((l) => layers.includes(l))) continue;
        const remapAnalysis = byFile.get(remap.file);
        if (!remapAnalysis) continue;
        const reach = reaches({
          family: remap.family,
          remapCall: remap.call,
          remapAnalysis,
          siteNode,
          siteAnalysis,
          apps: creations(remap.family),
        });
        if (reach.reaches) found.push(remap);
        else
          missed.push(
            `The ${remap.how} remap at ${remap.file}:${remap.line} does not reach this 403: ${reach.why}.`,
          );
      }
      settleCode(site, found, missed, input.target);
    }
    if (!site.coveredBy && !/mtls-fix-ignore/.test(site.reason ?? ''))
      site.reason = `${site.reason ?? ''} ${ACKNOWLEDGE}`;
  }
}

/**
 * How many apps of a family the run creates, by text (APP_CREATIONS), over the analysed files and the other
 * discovered non-test files (read from disk once, when first asked).
 */
function appCreations(
  analyses: readonly FileAnalysis[],
  files: readonly { absolute: string; relative: string; test: boolean }[],
): (family: Family) => number {
  const counts = new Map<Family, number>();
  let others: string[] | undefined;
  return (family) => {
    let n = counts.get(family);
    if (n !== undefined) return n;
    if (!others) {
      const analysed = new Set(analyses.map((a) => a.file));
      others = [];
      for (const file of files) {
        if (file.test || analysed.has(file.relative)) continue;
        try {
          others.push(readFileSync(file.absolute, 'utf8'));
        } catch {
          // unreadable: not counted (discovery names it)
        }
      }
    }
    n = [...analyses.map((a) => a.text), ...others].reduce(
      (sum, text) => sum + (text.match(APP_CREATIONS[family])?.length ?? 0),
      0,
    );
    counts.set(family, n);
    return n;
  };
}

function settleCode(
  site: Site,
  found: readonly CodeRemap[],
  missed: readonly string[],
  target: number,
): void {
  const right = found.find((r) => r.status === target);
  if (right) {
    site.coveredBy = `the ${right.how} remap at ${right.file}:${right.line}, which answers ${target} for this 403`;
    return;
  }
  const wrong = found[0];
  if (wrong)
    site.reason = `${site.reason ?? ''} The ${wrong.how} remap at ${wrong.file}:${wrong.line} maps 403 to ${wrong.status}, not the agreed ${target}: make it ${target}.`;
  else if (missed.length) site.reason = `${site.reason ?? ''} ${missed.join(' ')}`;
}

/**
 * An authorizer Deny is covered by the ACCESS_DENIED gateway response (else DEFAULT_4XX) of every REST API that runs
 * the authorizer (remaps-apis.ts ties): all at the agreed status. A gateway response of another API, or one whose
 * API cannot be read, covers nothing; an authorizer no API is read to run is not covered, and the reason says why.
 */
function settleGateway(site: Site, gateway: GatewayRemaps, target: number): void {
  const responses = gateway.responses;
  if (!responses.length) return;
  const at = (g: GatewayRemap): string => `${g.file}:${g.line}`;
  const ties = gateway.authorizers.filter((t) => tieNames(t, site.file));
  const apis = [...new Set(ties.map((t) => t.api))];
  const untied = responses.filter((g) => g.api === undefined);
  const untiedNote = untied.length
    ? ` (mtls-fix cannot read which REST API the gateway response at ${untied.map(at).join(', ')} is for, so it covers nothing)`
    : '';
  if (!ties.length) {
    site.reason = `${site.reason ?? ''} The scanned infrastructure sets ${responses.map((g) => `${g.type} at ${at(g)}`).join(', ')}, but mtls-fix cannot tell which REST API runs this authorizer (no serverless http event, SAM or CloudFormation authorizer, Terraform aws_api_gateway_authorizer or CDK TokenAuthorizer / RequestAuthorizer names this file), so it counts none of them for it.`;
    return;
  }
  if (apis.includes(undefined)) {
    const unread = ties.filter((t) => t.api === undefined).map((t) => t.where);
    site.reason = `${site.reason ?? ''} mtls-fix cannot read which REST API runs this authorizer at ${unread.join(', ')}, so no gateway response counts for it.`;
    return;
  }
  const covering: GatewayRemap[] = [];
  const problems: string[] = [];
  for (const api of apis) {
    const own = responses.filter((g) => g.api === api);
    const denied = own.filter((g) => g.type === 'ACCESS_DENIED');
    const set = denied.length ? denied : own.filter((g) => g.type === 'DEFAULT_4XX');
    const name = api?.replace(/^.*#/, '').replace(/^terraform:/, '');
    if (!set.length) {
      problems.push(
        `The REST API ${name} that runs this authorizer has no ACCESS_DENIED (or DEFAULT_4XX) gateway response${untiedNote}: give it one with status ${target}.`,
      );
      continue;
    }
    for (const g of set)
      if (g.status === target) covering.push(g);
      else
        problems.push(
          `The ${g.type} gateway response at ${at(g)} (REST API ${name}) answers ${g.status ?? 'a status mtls-fix cannot read'}, not the agreed ${target}: make it ${target}.`,
        );
  }
  const first = covering[0];
  if (!problems.length && first) {
    site.coveredBy = `the ${first.type} gateway response at ${at(first)}, which answers ${target} for an authorizer Deny${covering.length > 1 ? ` (and ${covering.length - 1} more, all ${target})` : ''} on the REST API${apis.length > 1 ? 's' : ''} that run${apis.length > 1 ? '' : 's'} this authorizer`;
    return;
  }
  site.reason = `${site.reason ?? ''} ${problems.join(' ')}`;
}

/**
 * frameworks/nestjs.ts warns at `@Catch(ForbiddenException)` that the throws this run rewrites raise another
 * class; when the run rewrites no ForbiddenException (every one left, ignored or refused), there is nothing to
 * warn of: the warning goes, and its occurrence is the filter's read of the class (`remap` when the filter answers
 * another status, which is the Nest remap remaps.ts proposes; else `reference`).
 */
function dropIdleFilterWarnings(input: RemapInput, analyses: readonly FileAnalysis[]): void {
  const renames = input.sites.some(
    (s) =>
      s.kind === 'rewrite' &&
      !s.ignoreReason &&
      !input.refused.has(s) &&
      /ForbiddenException/.test(s.form) &&
      !/ForbiddenException/.test(s.replacement ?? ''),
  );
  if (renames) return;
  let remapping: Set<string> | undefined;
  const remaps = (): Set<string> =>
    (remapping ??= new Set([...forbiddenRemapFilters(analyses).values()].map((f) => f.where)));
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  for (let i = input.sites.length - 1; i >= 0; i--) {
    const site = input.sites[i];
    if (!site || site.framework !== 'nestjs' || !site.reason?.startsWith(NEST_FILTER_WARNING)) continue;
    input.sites.splice(i, 1);
    const sourceFile = byFile.get(site.file)?.sourceFile;
    const line = sourceFile && sourceFile.getLineAndCharacterOfPosition(site.span.start).line + 1;
    const kind = remaps().has(`${site.file}:${line}`) ? 'remap' : 'reference';
    for (const occurrence of input.occurrences.get(site.file) ?? [])
      if (!occurrence.kind && occurrence.start >= site.span.start && occurrence.end <= site.span.end)
        occurrence.kind = kind;
  }
}

/** The 403s a code remap tests are its reads of the status: `remap`, not a comparison to review. */
function markRemapOccurrences(
  remaps: readonly CodeRemap[],
  occurrences: ReadonlyMap<string, Occurrence[]>,
): void {
  for (const remap of remaps)
    for (const occurrence of occurrences.get(remap.file) ?? [])
      if (occurrence.kind && occurrence.start >= remap.start && occurrence.end <= remap.end) {
        occurrence.kind = 'remap';
        delete occurrence.check;
      }
}

/** The hooks of a file that map 403 to one status (see {@link RemapInput}). */
export function codeRemaps(analysis: FileAnalysis): CodeRemap[] {
  const out: CodeRemap[] = [];
  const sourceFile = analysis.sourceFile;
  if (!/403|EBADCSRFTOKEN/.test(analysis.text)) return out;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const hook = hookOf(node);
      if (hook) {
        const found = mapping(hook.fn);
        if (found)
          out.push({
            family: hook.family,
            how: hook.family === 'koa' && !found.caught ? 'status middleware' : hook.how,
            status: found.status,
            layers: layersOf(hook.family, found, hook.how),
            call: node,
            file: analysis.file,
            line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
            start: hook.fn.getStart(sourceFile),
            end: hook.fn.getEnd(),
          });
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/**
 * The layers a hook remaps: hapi's onPreResponse by what it tests (a Boom's `.output.statusCode`, a plain
 * response's `.statusCode`); a Koa middleware by where it tests (in a catch: a thrown 403; after `await next()`:
 * `ctx.status`); Fastify's onSend the answer written; every other hook a thrown error.
 */
function layersOf(
  family: Family,
  found: { boom: boolean; plain: boolean; caught: boolean },
  how?: string,
): RemapLayer[] {
  if (family === 'hapi')
    return [
      ...(found.boom ? ['error-handler' as const] : []),
      ...(found.plain ? ['response-hook' as const] : []),
    ];
  if (family === 'koa') return [found.caught ? 'error-handler' : 'response-hook'];
  if (how === "addHook('onSend')") return ['response-hook'];
  return ['error-handler'];
}

type Fn = ts.ArrowFunction | ts.FunctionExpression;

function isFn(node: ts.Node | undefined): node is Fn {
  return !!node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));
}

function stringOf(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

/** The hook a call registers, with its framework and function. */
function hookOf(call: ts.CallExpression): { family: Family; how: string; fn: Fn } | undefined {
  const name = (call.expression as ts.PropertyAccessExpression).name.text;
  const [first, second] = call.arguments;
  if (name === 'ext') {
    if (stringOf(first) === 'onPreResponse' && isFn(second))
      return { family: 'hapi', how: "server.ext('onPreResponse')", fn: second };
    if (first && ts.isObjectLiteralExpression(first)) {
      const type = property(first, 'type');
      const method = property(first, 'method');
      if (stringOf(type) === 'onPreResponse' && isFn(method))
        return { family: 'hapi', how: "server.ext('onPreResponse')", fn: method };
    }
    return undefined;
  }
  if (name === 'setErrorHandler' && isFn(first))
    return { family: 'fastify', how: 'setErrorHandler', fn: first };
  if (name === 'addHook' && isFn(second)) {
    const hook = stringOf(first);
    // onError hooks cannot change the answer (Fastify Hooks docs): only onSend can.
    return hook === 'onSend' ? { family: 'fastify', how: "addHook('onSend')", fn: second } : undefined;
  }
  if (name === 'onError' && isFn(first)) return { family: 'hono', how: 'app.onError', fn: first };
  if (name === 'use' && isFn(first)) {
    if (first.parameters.length === 4) return { family: 'express', how: 'error middleware', fn: first };
    if (first.parameters.length === 2 && /\bnext\s*\(/.test(first.body.getText()))
      return { family: 'koa', how: 'middleware', fn: first };
  }
  return undefined;
}

function property(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key) return p.initializer;
  return undefined;
}

/** Whether a condition tests a 403 (`x.statusCode === 403`, `err.code === 'EBADCSRFTOKEN'`). */
function testsForbidden(condition: ts.Expression): { boom: boolean; plain: boolean } | undefined {
  let boom = false;
  let plain = false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
    ) {
      for (const [value, other] of [
        [node.right, node.left],
        [node.left, node.right],
      ] as const) {
        if (literalNumber(value) === 403 || stringOf(value) === 'EBADCSRFTOKEN') {
          found = true;
          const text = other.getText();
          if (/\.output\.statusCode$/.test(text)) boom = true;
          else plain = true;
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(condition);
  return found ? { boom, plain } : undefined;
}

/** The one status a remap writes where it tests a 403, and what it tests. */
function mapping(fn: Fn): { status: number; boom: boolean; plain: boolean; caught: boolean } | undefined {
  const statuses = new Set<number>();
  let boom = false;
  let plain = false;
  let caught = false;
  const take = (condition: ts.Expression, branch: ts.Node): void => {
    const tested = testsForbidden(condition);
    if (!tested) return;
    const written = writtenStatuses(branch);
    if (!written.size) return;
    boom ||= tested.boom;
    plain ||= tested.plain;
    for (let up: ts.Node | undefined = branch; up && up !== fn; up = up.parent)
      if (ts.isCatchClause(up)) caught = true;
    for (const s of written) statuses.add(s);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node)) take(node.expression, node.thenStatement);
    else if (ts.isConditionalExpression(node)) take(node.condition, node.whenTrue);
    node.forEachChild(visit);
  };
  visit(fn.body);
  const [status] = statuses;
  return statuses.size === 1 && status !== undefined && status !== 403
    ? { status, boom, plain, caught }
    : undefined;
}

/** Status setters in a branch: `.status(N)`, `.code(N)`, `.sendStatus(N)`, `.statusCode = N`, `c.json(b, N)`. */
function writtenStatuses(branch: ts.Node): Set<number> {
  const out = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (ts.isNumericLiteral(node)) {
      const value = literalNumber(node);
      const parent = node.parent;
      if (value !== undefined && value >= 100 && value <= 599) {
        if (
          ts.isBinaryExpression(parent) &&
          parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          parent.right === node &&
          /\.(?:statusCode|status)$/.test(parent.left.getText())
        )
          out.add(value);
        else if (
          ts.isCallExpression(parent) &&
          ts.isPropertyAccessExpression(parent.expression) &&
          /^(?:status|code|sendStatus|writeHead|json|text|send)$/.test(parent.expression.name.text)
        )
          out.add(value);
        else if (ts.isConditionalExpression(parent) && parent.whenTrue === node) out.add(value);
      }
    }
    node.forEachChild(visit);
  };
  visit(branch);
  return out;
}
