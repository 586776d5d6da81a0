import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { literalNumber, propertyValue, shorten, skipOuter } from './analysis/syntax.js';
import { localValue, writtenValue } from './local-values.js';
import type { CodeRemap, Family } from './remaps-hooks.js';
import { globalFilters } from './remaps-nest.js';
import { lineAt } from '../util/lines.js';

/**
 * mtls-fix's own runtime guards (`mtls-fix/runtime`, src/runtime; README "When you cannot change the code") read as
 * central remaps (session 39): a guard wraps the Node response (`writeHead`), Fastify's `onSend` or a Lambda result
 * and turns every 403 it sees into the agreed status for a client with a verified certificate, so it remaps both the
 * `error-handler` and the `response-hook` layer of what it wraps. Registrations read:
 * - `app.use(expressMtlsGuard(opts))`, `app.use(koaMtlsGuard())`, `app.use(honoMtlsGuard())` (also `app.use('*', g)`);
 * - `app.register(fastifyMtlsGuard, opts)` (it is `skip-override`: the hook lands on the instance it is registered on);
 * - `withMtlsGuard(listener, opts)`, `withMtlsStreamGuard(onStream, opts)`, `lambdaMtlsGuard(handler, opts)`: they
 *   wrap a whole app (family `wrap`, remaps-covered.ts `wrapReach`);
 * - Nest: `app.useGlobalFilters(new MtlsGuardFilter(opts))` / `{ provide: APP_FILTER, useClass: MtlsGuardFilter }`
 *   (403 HttpExceptions, a guard returning false included: {@link runtimeNestFilters}); `MtlsGuardInterceptor`
 *   covers what handlers send, which migrate rewrites itself, so it settles no implicit site.
 * The guard is named by its import (`import`, `require`, an alias, `import * as rt`, a project module's re-export:
 * analysis.ts `resolvesTo`), called in place or held by a local (`const guard = expressMtlsGuard(); app.use(guard)`).
 * Its status is its `status` option when written as a number, else the config file's (migrate's target); an option
 * mtls-fix cannot read is named (`statusUnread`), and so is `trustHeader` (TLS ends before the app).
 */
export const RUNTIME_MODULES: readonly string[] = ['mtls-fix/runtime'];

/** The runtime guards, by export name, with what they serve. */
const GUARDS: Readonly<Record<string, { family: Family | 'wrap'; options: number }>> = {
  expressMtlsGuard: { family: 'express', options: 0 },
  koaMtlsGuard: { family: 'koa', options: 0 },
  honoMtlsGuard: { family: 'hono', options: 0 },
  fastifyMtlsGuard: { family: 'fastify', options: 1 },
  withMtlsGuard: { family: 'wrap', options: 1 },
  withMtlsStreamGuard: { family: 'wrap', options: 1 },
  lambdaMtlsGuard: { family: 'wrap', options: 1 },
};

/** What a runtime guard registration tells the report beyond a code remap's fields. */
export interface RuntimeGuard {
  /** The export name (`expressMtlsGuard`). */
  guard: string;
  /** The `trustHeader` option's text when written: the guard then trusts a proxy's header. */
  trustHeader?: string;
  /** The `status` option's text when it is no number mtls-fix can read (`status: cfg.status`). */
  statusUnread?: string;
}

/** A runtime guard as a code remap; `family: 'wrap'` for the wrappers of a whole app or handler. */
export type RuntimeRemap = Omit<CodeRemap, 'family'> & { family: Family | 'wrap'; runtime: RuntimeGuard };

/** The runtime guard `expression` names, called (`expressMtlsGuard(o)`) or not (`fastifyMtlsGuard`), one local deep. */
function guardOf(
  expression: ts.Expression,
  analysis: FileAnalysis,
  called: boolean,
  depth = 0,
): { name: string; call?: ts.CallExpression } | undefined {
  const node = skipOuter(expression);
  if (called && ts.isCallExpression(node)) {
    const name = guardName(node.expression, analysis);
    return name ? { name, call: node } : undefined;
  }
  if (!called) {
    const name = guardName(node, analysis);
    if (name) return { name };
  }
  if (ts.isIdentifier(node) && depth < 2 && !analysis.imports.has(node.text)) {
    const local = localValue(analysis.sourceFile, node.text);
    if (local && ts.isExpression(local)) return guardOf(local, analysis, called, depth + 1);
  }
  return undefined;
}

function guardName(callee: ts.Expression, analysis: FileAnalysis): string | undefined {
  const inner = skipOuter(callee);
  for (const name of Object.keys(GUARDS)) if (analysis.resolvesTo(inner, RUNTIME_MODULES, name)) return name;
  return undefined;
}

/**
 * Status and trust of a guard's options (see {@link RuntimeGuard}): `status` is the `status` option when written as a
 * number (a literal, or with `read` a name the file's analysis reads: `StatusCodes.UNAUTHORIZED`, an imported
 * `UNAUTHORIZED`; session 46), else `target` (the config file's, which the guard reads too), with `statusUnread`
 * naming an option mtls-fix cannot read.
 */
export function readGuardOptions(
  options: ts.Expression | undefined,
  sourceFile: ts.SourceFile,
  target: number,
  read: (expression: ts.Expression) => number | undefined = (e) => literalNumber(skipOuter(e)),
): { status: number; statusUnread?: string; trustHeader?: string } {
  if (!options) return { status: target };
  if (!ts.isObjectLiteralExpression(options))
    return { status: target, statusUnread: `options ${shorten(options.getText(sourceFile))}` };
  const status = propertyValue(options, 'status');
  const trust = propertyValue(options, 'trustHeader');
  const trustHeader = trust ? shorten(trust.getText(sourceFile)) : undefined;
  const number = status ? read(status) : undefined;
  const out: { status: number; statusUnread?: string; trustHeader?: string } = {
    status: status ? (number ?? target) : target,
  };
  if (status && number === undefined) out.statusUnread = `status ${shorten(status.getText(sourceFile))}`;
  if (trustHeader) out.trustHeader = trustHeader;
  return out;
}

/** The text a file registering a runtime guard holds (each name of {@link GUARDS}): no other file is read. */
export const RUNTIME_GUARD_TEXT = /Mtls(?:Stream)?Guard/;

/** The runtime guard registrations of a file, as remaps (see the module comment); none in a file that imports none. */
export function runtimeRemaps(analysis: FileAnalysis, target: number): RuntimeRemap[] {
  if (!RUNTIME_GUARD_TEXT.test(analysis.text)) return [];
  const out: RuntimeRemap[] = [];
  const sourceFile = analysis.sourceFile;
  const line = (node: ts.Node): number => lineAt(sourceFile, node.getStart(sourceFile));
  const push = (
    call: ts.CallExpression,
    name: string,
    family: Family | 'wrap',
    options: ts.Expression | undefined,
  ): void => {
    const read = readGuardOptions(writtenValue(options, sourceFile), sourceFile, target, (e) =>
      analysis.statusValue(e),
    );
    out.push({
      family,
      status: read.status,
      layers: ['error-handler', 'response-hook'],
      tests: { status: true, codes: [] },
      how: `mtls-fix/runtime ${name}`,
      call,
      file: analysis.file,
      line: line(call),
      fnFile: analysis.file,
      start: call.getStart(sourceFile),
      end: call.getEnd(),
      runtime: {
        guard: name,
        ...(read.trustHeader ? { trustHeader: read.trustHeader } : {}),
        ...(read.statusUnread ? { statusUnread: read.statusUnread } : {}),
      },
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (method === 'use')
        for (const argument of node.arguments) {
          const found = guardOf(argument, analysis, true);
          const family = found && GUARDS[found.name]?.family;
          if (found?.call && family && family !== 'wrap' && family !== 'fastify')
            push(node, found.name, family, found.call.arguments[0]);
        }
      else if (method === 'register') {
        const found = node.arguments[0] && guardOf(node.arguments[0], analysis, false);
        if (found?.name === 'fastifyMtlsGuard') push(node, found.name, 'fastify', node.arguments[1]);
      } else {
        const name = guardName(callee, analysis);
        if (name && GUARDS[name]?.family === 'wrap' && node.arguments.length)
          push(node, name, 'wrap', node.arguments[1]);
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/** A global `MtlsGuardFilter` registration: it answers the 403 HttpExceptions of its Nest app, guards' too. */
export interface RuntimeNestFilter {
  file: string;
  line: number;
  how: string;
  status: number;
  runtime: RuntimeGuard;
}

/**
 * `app.useGlobalFilters(new MtlsGuardFilter(opts))`, `{ provide: APP_FILTER, useValue: new MtlsGuardFilter(opts) }`
 * and `{ provide: APP_FILTER, useClass: MtlsGuardFilter }` (its status then the config file's: Nest constructs it
 * with no options) of a file.
 */
export function runtimeNestFilters(analysis: FileAnalysis, target: number): RuntimeNestFilter[] {
  if (!analysis.text.includes('MtlsGuardFilter')) return [];
  const out: RuntimeNestFilter[] = [];
  const sourceFile = analysis.sourceFile;
  const isFilter = (e: ts.Expression): boolean =>
    analysis.resolvesTo(skipOuter(e), RUNTIME_MODULES, 'MtlsGuardFilter');
  const add = (node: ts.Node, how: string, options: ts.Expression | undefined): void => {
    const read = readGuardOptions(writtenValue(options, sourceFile), sourceFile, target, (e) =>
      analysis.statusValue(e),
    );
    out.push({
      file: analysis.file,
      line: lineAt(sourceFile, node.getStart(sourceFile)),
      how,
      status: read.status,
      runtime: {
        guard: 'MtlsGuardFilter',
        ...(read.trustHeader ? { trustHeader: read.trustHeader } : {}),
        ...(read.statusUnread ? { statusUnread: read.statusUnread } : {}),
      },
    });
  };
  for (const registration of globalFilters(analysis))
    if (isFilter(registration.filterClass)) add(registration.node, registration.kind, registration.options);
  return out;
}
