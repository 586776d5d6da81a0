import { fallsThrough } from './static-fallthrough.js';
import { lineAt } from '../../util/lines.js';
import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee } from '../import-edits.js';
import { alternative, checkedSpelling } from './instance-checks.js';
import { coveredCheck } from './covered-checks.js';
import { NEST_EXCEPTIONS, NEST_SWAGGER_DECORATORS } from '../status-names.js';
import type { NestException } from '../types.js';
import type { Framework } from './framework.js';
import { visitGuards } from './nest-guard-sites.js';
import { adapterStatusArgument } from './nest-http-adapter.js';
import type { GuardImports } from './nest-guards.js';
import { projectClassReaching } from './nest-exception-chain.js';
import { redirected } from '../nest-filter-answers.js';
import { shorten, skipOuter } from '../analysis/syntax.js';
import { overridingDecorator } from './stacked-decorators.js';
import { heldName } from '../analysis/held-receivers.js';
import { challengeNote, descriptionCompanion, implicit, methodCall, propertyOf } from './shared.js';
import { calleeName, isTargetStatus, reportDeclaredBeside, writesTarget } from './declared-beside.js';

const COMMON = ['@nestjs/common'];
/** Where older Nest code imports the exceptions from: the barrel takes a new named import, a deep file does not. */
const EXCEPTIONS_BARREL = [...COMMON, '@nestjs/common/exceptions'];
const HTTP_EXCEPTION = [...EXCEPTIONS_BARREL, '@nestjs/common/exceptions/http.exception'];
const FORBIDDEN_FILE = ['@nestjs/common/exceptions/forbidden.exception'];
const SWAGGER = ['@nestjs/swagger'];
/** A 403 exception the code builds, as the route's exception filters see it (`Site.nestException`). */
const THROWN_FORBIDDEN: NestException = { source: 'throw', exception: 'ForbiddenException' };
const THROWN_HTTP_403: NestException = { source: 'throw', exception: 'HttpException' };

/** NestJS: exceptions (with import hygiene), HttpException/HttpStatus, @HttpCode, swagger decorators, guards (nest-guard-sites.ts). */
export const nestjs: Framework = {
  id: 'nestjs',
  title: 'NestJS (+ @nestjs/swagger)',
  enablers: ['@nestjs/common', '@nestjs/core'],
  kinds: [
    ts.SyntaxKind.ClassDeclaration,
    ts.SyntaxKind.ClassExpression,
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.ObjectLiteralExpression,
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.ExpressionWithTypeArguments,
    ts.SyntaxKind.BinaryExpression,
  ],
  visit(node, analysis) {
    if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) instanceCheck(analysis, node);
      return;
    }
    const graphql = inGraphqlResolver(node);
    // Guards: reported at a canActivate that can return false, or where an unreadable guard is used.
    visitGuards(node, analysis, graphql);
    if (graphql) {
      // In a GraphQL resolver Nest turns the exception into a GraphQL error, not an HTTP status.
      if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        analysis.resolvesTo(node.expression, EXCEPTIONS_BARREL, 'ForbiddenException')
      )
        analysis.notAnEmit(node, 'graphql-error');
      return;
    }
    const call = methodCall(node);
    if (call && isStaticServing(analysis, call.method, call.object, call.call)) {
      implicit(analysis, call.call, 'nestjs', 'static');
      return;
    }
    if (call && PLATFORM_STATUS_METHODS.has(call.method) && isPlatformResponse(call.object)) {
      // `host.switchToHttp().getResponse().status(403)` in a filter, guard or interceptor: the platform's
      // response (Express `res` or Fastify `reply`), whichever adapter the app runs on.
      // On Express `response.status(s).redirect(url)` sends the redirect's own status: a run-time `s` is none.
      const overridden =
        redirected(call.call) &&
        !analysis.importsModule('fastify', '@nestjs/platform-fastify') &&
        call.args[0] !== undefined &&
        analysis.evaluate(call.args[0]).kind !== 'forbidden';
      if (!overridden) analysis.statusSlot(call.args[0], call.call, 'nestjs');
      return;
    }
    // `httpAdapter.reply(ctx.getResponse(), body, 403)` of HttpAdapterHost (nest-http-adapter.ts).
    const adapter = call && adapterStatusArgument(call.method, call.object, call.args);
    if (call && adapter) {
      analysis.statusSlot(adapter.status, call.call, 'nestjs');
      return;
    }
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const callee = node.expression;
      if (analysis.resolvesTo(callee, EXCEPTIONS_BARREL, 'ForbiddenException')) {
        if (!isSubclass(node)) renameClass(analysis, node, callee, NEST_EXCEPTIONS, '@nestjs/common');
      } else if (analysis.resolvesTo(callee, FORBIDDEN_FILE, 'ForbiddenException')) {
        if (!isSubclass(node))
          analysis.addSite({
            node,
            framework: 'nestjs',
            manual: true,
            reason: `ForbiddenException is imported from its own file: import the exception for ${analysis.target} from '@nestjs/common' and throw it instead.`,
            nestException: THROWN_FORBIDDEN,
          });
      } else if (ts.isNewExpression(node) && analysis.resolvesTo(callee, HTTP_EXCEPTION, 'HttpException')) {
        analysis.statusSlot(node.arguments?.[1], node, 'nestjs', () => ({
          reason: challengeNote(analysis),
          nestException: THROWN_HTTP_403,
        }));
      } else if (ts.isCallExpression(node) && (ts.isDecorator(node.parent) || composed(analysis, node))) {
        decorator(analysis, node);
      }
    } else if (ts.isExpressionWithTypeArguments(node)) {
      subclass(analysis, node);
    }
  },
};

/** `ForbiddenException` as a class's parent, read with the imports of the file it is written in. */
export function isForbiddenException(parent: ts.Expression, imports: GuardImports): boolean {
  return imports.resolvesTo(parent, [...EXCEPTIONS_BARREL, ...FORBIDDEN_FILE], 'ForbiddenException');
}

/**
 * `class X extends ForbiddenException`, and `class Y extends X` with X a project class whose chain of parents
 * reaches it (in this file or another, under any import spelling: nest-exception-chain.ts): every throw of the
 * class answers 403, reported at the heritage clause (its throws are census references to it).
 */
function subclass(analysis: FileAnalysis, node: ts.ExpressionWithTypeArguments): void {
  let through: string | undefined;
  if (!isForbiddenException(node.expression, analysis)) {
    if (!ts.isHeritageClause(node.parent) || node.parent.token !== ts.SyntaxKind.ExtendsKeyword) return;
    const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
    through = projectClassReaching(node.expression, scope, (parent, where) =>
      isForbiddenException(parent, where.imports),
    );
    if (!through) return;
  }
  const extending = through ? `ForbiddenException through ${through}` : 'ForbiddenException';
  analysis.addSite({
    node: node.parent,
    framework: 'nestjs',
    manual: true,
    reason: `Custom error class extending ${extending}: every throw answers 403. Add a sibling class extending the exception for ${analysis.target} and throw it on mTLS routes.`,
  });
  const declared = node.parent.parent;
  if (ts.isClassLike(declared) && declared.name) analysis.forbiddenClasses.add(declared.name.text);
}

/** The Nest packages an application object comes from (`NestFactory.create`, the platform adapters' types). */
const NEST_APPLICATION = [
  '@nestjs/core',
  '@nestjs/common',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
];
const SERVE_STATIC = ['@nestjs/serve-static'];

/**
 * Static serving that Nest sets up on the platform, which answers 403 as the platform's own static serving does:
 * `app.useStaticAssets(…)` (NestExpressApplication: express.static; NestFastifyApplication: @fastify/static, in
 * @nestjs/platform-express and @nestjs/platform-fastify; on Express only with `fallthrough: false`, session 35) and
 * `ServeStaticModule.forRoot(…)` / `forRootAsync(…)` (@nestjs/serve-static's loaders register express.static or
 * @fastify/static; which one, the module's file does not say).
 */
function isStaticServing(
  analysis: FileAnalysis,
  method: string,
  object: ts.Expression,
  call: ts.CallExpression,
): boolean {
  if (method === 'useStaticAssets') {
    if (!analysis.importsModule(...NEST_APPLICATION)) return false;
    // On Express (the file names @nestjs/platform-express and not the Fastify platform) it is express.static, which
    // passes send's 403 on with next() unless `fallthrough: false` (static-fallthrough.ts). @fastify/static has no
    // such option, and a file naming neither platform may run on either.
    const onExpress =
      analysis.importsModule('@nestjs/platform-express') &&
      !analysis.importsModule('@nestjs/platform-fastify');
    return !onExpress || !fallsThrough(call);
  }
  return (
    (method === 'forRoot' || method === 'forRootAsync') &&
    analysis.resolvesTo(object, SERVE_STATIC, 'ServeStaticModule')
  );
}

/** Status setters of Express's `res` and Fastify's `reply`. */
const PLATFORM_STATUS_METHODS = new Set(['status', 'code', 'sendStatus']);

/**
 * `ctx.switchToHttp().getResponse()` (an `ArgumentsHost` / `ExecutionContext`), directly or through a
 * `const` of an enclosing scope (`const res = host.switchToHttp().getResponse<Response>()`); the HTTP context may be
 * held too, as the NestJS docs' filter holds it (`const ctx = host.switchToHttp(); const response =
 * ctx.getResponse<Response>()`, session 41).
 */
function isPlatformResponse(object: ts.Expression): boolean {
  const isSwitchToHttp = (e: ts.Expression, depth = 0): boolean => {
    const inner = skipOuter(e);
    if (ts.isIdentifier(inner)) {
      const held = depth < 2 ? heldName(inner) : undefined;
      return held !== undefined && held.member === undefined && isSwitchToHttp(held.initializer, depth + 1);
    }
    return (
      ts.isCallExpression(inner) &&
      ts.isPropertyAccessExpression(inner.expression) &&
      inner.expression.name.text === 'switchToHttp'
    );
  };
  const isGetResponse = (e: ts.Expression | undefined): boolean => {
    const inner = e && skipOuter(e);
    return Boolean(
      inner &&
      ts.isCallExpression(inner) &&
      ts.isPropertyAccessExpression(inner.expression) &&
      inner.expression.name.text === 'getResponse' &&
      isSwitchToHttp(inner.expression.expression),
    );
  };
  if (isGetResponse(object)) return true;
  // The variable the name reads, from the enclosing blocks' indexes (analysis/held-receivers.ts): a scan of each
  // block's statements per `res.status(…)` made a file of many handlers in one block quadratic.
  const held = ts.isIdentifier(object) ? heldName(object) : undefined;
  return held !== undefined && held.member === undefined && isGetResponse(held.initializer);
}

/**
 * A decorator call composed into a project decorator, `applyDecorators(HttpCode(403), …)` from @nestjs/common
 * (Nest docs "Decorator composition"): it applies to every handler the composite decorates, so it is read as the
 * decorator it is (session 37; it was an unknown shape): `HttpCode(403)` is rewritten where it is written, and a
 * composite taking the status (`(code: number) => applyDecorators(HttpCode(code))`) is a shared helper whose
 * callers (`@Answer(403)`) are rewritten.
 */
function composed(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  const holder = call.parent;
  return (
    ts.isCallExpression(holder) &&
    holder.arguments.includes(call) &&
    analysis.resolvesTo(holder.expression, COMMON, 'applyDecorators')
  );
}

function decorator(analysis: FileAnalysis, call: ts.CallExpression): void {
  const callee = call.expression;
  if (analysis.resolvesTo(callee, COMMON, 'HttpCode')) {
    const decorator = call.parent;
    if (ts.isDecorator(decorator) && deadHttpCode(analysis, call, decorator)) return;
    // The status of every successful answer: the bodies the method returns follow it.
    analysis.statusSlot(call.arguments[0], decorator, 'nestjs', () => ({
      edits: ts.isDecorator(decorator) ? analysis.returnedBodyEdits(decorator) : [],
    }));
  } else if (analysis.resolvesTo(callee, SWAGGER, 'ApiResponse')) {
    const options = call.arguments[0];
    const status =
      options && ts.isObjectLiteralExpression(options) ? propertyOf(options, 'status') : undefined;
    if (!status) return;
    if (
      ts.isDecorator(call.parent) &&
      analysis.evaluate(status.initializer).kind === 'forbidden' &&
      reportedBeside(analysis, call.parent)
    )
      return;
    analysis.statusSlot(status.initializer, call.parent, 'nestjs', () => ({
      edits: descriptionCompanion(analysis, options),
    }));
  } else if (analysis.resolvesTo(callee, SWAGGER, 'ApiForbiddenResponse')) {
    if (ts.isDecorator(call.parent) && reportedBeside(analysis, call.parent)) return;
    renameClass(analysis, call, callee, NEST_SWAGGER_DECORATORS, '@nestjs/swagger');
  } else if (analysis.resolvesTo(callee, COMMON, 'Catch')) {
    catchList(analysis, call);
  }
}

/**
 * `@HttpCode(HttpStatus.OK) @HttpCode(HttpStatus.FORBIDDEN)`: the lower `@HttpCode(403)` is overwritten by the
 * one above it (stacked-decorators.ts), so it sends nothing. Rewriting it would change dead code without a word
 * (session 47 did): it is named, left as written, and the live one is read as usual. When the live one is a 403
 * too, both are rewritten (the method reads the same). True when the decorator was named here.
 */
function deadHttpCode(analysis: FileAnalysis, call: ts.CallExpression, decorator: ts.Decorator): boolean {
  const live = overridingDecorator(decorator, (c) => analysis.resolvesTo(c.expression, COMMON, 'HttpCode'));
  const status = call.arguments[0];
  if (!live || !status || analysis.evaluate(status).kind !== 'forbidden') return false;
  const liveStatus = (live.expression as ts.CallExpression).arguments[0];
  if (liveStatus && analysis.evaluate(liveStatus).kind === 'forbidden') return false;
  const line = lineAt(analysis.sourceFile, live.getStart(analysis.sourceFile));
  analysis.addSite({
    node: decorator,
    framework: 'nestjs',
    manual: true,
    reason: `This ${shorten(decorator.getText(analysis.sourceFile))} never applies: ${shorten(live.getText(analysis.sourceFile))} above it (line ${line}) sets the status Nest sends (decorators apply bottom-up and each @HttpCode overwrites the one below). Remove the dead decorator, or mark it // mtls-fix-ignore: <why>; mtls-fix leaves it as written.`,
  });
  return true;
}

/**
 * A 403 decorator whose method (or class, or a project decorator composed with `applyDecorators`) already documents
 * the agreed status: reported "merge by hand" (declared-beside.ts); true when it was.
 */
function reportedBeside(analysis: FileAnalysis, decorator: ts.Decorator): boolean {
  return reportDeclaredBeside(
    analysis,
    decorator,
    'nestjs',
    (d) => documentsTarget(analysis, d),
    (d) => composesTarget(analysis.target, d),
  );
}

/** `@ApiResponse({ status: 401 })` or `@ApiUnauthorizedResponse()` (for 401): a decorator documenting the agreed status. */
function documentsTarget(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  const named = NEST_SWAGGER_DECORATORS[analysis.target];
  if (named && analysis.resolvesTo(call.expression, SWAGGER, named)) return true;
  if (!analysis.resolvesTo(call.expression, SWAGGER, 'ApiResponse')) return false;
  const options = call.arguments[0];
  const status = options && ts.isObjectLiteralExpression(options) ? propertyOf(options, 'status') : undefined;
  return isTargetStatus(analysis, status?.initializer);
}

/**
 * A call inside a project decorator factory that documents the agreed status, judged by its written name (read in
 * the factory's file): `ApiUnauthorizedResponse(…)` (for 401), `ApiResponse({ status: 401 })`.
 */
function composesTarget(target: number, call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name && name === NEST_SWAGGER_DECORATORS[target]) return true;
  if (name !== 'ApiResponse') return false;
  const options = call.arguments[0];
  return writesTarget(
    target,
    options && ts.isObjectLiteralExpression(options) ? propertyOf(options, 'status')?.initializer : undefined,
  );
}

/**
 * `@Catch(ForbiddenException)` on an exception filter: it reads the class, sends nothing. The throws this run
 * renames raise the exception for the target instead, so a filter that does not also catch that one (or
 * HttpException, which catches every HTTP exception) stops handling them: reported. One that does is a read.
 */
function catchList(analysis: FileAnalysis, call: ts.CallExpression): void {
  const forbidden = call.arguments.filter((a) =>
    analysis.resolvesTo(a, EXCEPTIONS_BARREL, 'ForbiddenException'),
  );
  if (!forbidden.length) return;
  const target = NEST_EXCEPTIONS[analysis.target];
  const covered = call.arguments.some(
    (a) =>
      analysis.resolvesTo(a, HTTP_EXCEPTION, 'HttpException') ||
      (target !== undefined && analysis.resolvesTo(a, EXCEPTIONS_BARREL, target)),
  );
  if (covered) {
    for (const argument of forbidden) analysis.notAnEmit(argument, 'comparison');
    return;
  }
  const replacement = target ?? `HttpException (status ${analysis.target})`;
  analysis.addSite({
    node: call.parent,
    framework: 'nestjs',
    manual: true,
    reason: `This exception filter catches ForbiddenException; the throws mtls-fix rewrites raise ${replacement} instead, which it does not catch. Add it to @Catch(...) if the filter should keep handling them.`,
    catchNote: true,
  });
}

/**
 * `e instanceof ForbiddenException`: a class check, not a status. The throws this run renames raise the exception
 * for the target instead, which the check no longer matches (a catch that logs failed logins, a retry that skips
 * denials): reported, like `@Catch(ForbiddenException)`. A check with an alternative that tests the target's
 * exception or HttpException (`|| e instanceof UnauthorizedException`) keeps matching: a read.
 */
function instanceCheck(analysis: FileAnalysis, check: ts.BinaryExpression): void {
  if (!analysis.resolvesTo(check.right, EXCEPTIONS_BARREL, 'ForbiddenException')) return;
  const target = NEST_EXCEPTIONS[analysis.target];
  let condition: ts.Expression = check;
  // Alternatives only: `A || B` matches what either matches; `A && B` narrows, so it is no cover.
  while (
    (ts.isBinaryExpression(condition.parent) &&
      condition.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken) ||
    ts.isParenthesizedExpression(condition.parent)
  )
    condition = condition.parent;
  let covered = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node !== check &&
      node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
      (analysis.resolvesTo(node.right, HTTP_EXCEPTION, 'HttpException') ||
        (target !== undefined && analysis.resolvesTo(node.right, EXCEPTIONS_BARREL, target)))
    )
      covered = true;
    node.forEachChild(visit);
  };
  visit(condition);
  if (covered) {
    analysis.notAnEmit(check, 'comparison');
    return;
  }
  // An `if` / `else if` ladder, or a project class of the agreed status (covered-checks.ts).
  if (coveredCheck(analysis, check)) return;
  const replacement = target ?? `HttpException (status ${analysis.target})`;
  const spelling = checkedSpelling(
    analysis,
    check.right,
    EXCEPTIONS_BARREL,
    'ForbiddenException',
    target ?? 'HttpException',
  );
  analysis.addSite({
    node: check,
    framework: 'nestjs',
    manual: true,
    reason: `An instanceof check on ${spelling.shown}; the throws mtls-fix rewrites raise ${replacement} instead, which it does not match. Decide whether it should also match ${replacement} (${alternative(analysis, check, spelling) ?? ''}).`,
  });
}

/**
 * `new ForbiddenException(m)` -> `new UnauthorizedException(m)` (same constructor shape);
 * `@ApiForbiddenResponse(o)` -> `@ApiUnauthorizedResponse(o)`. The named import follows.
 */
function renameClass(
  analysis: FileAnalysis,
  node: ts.NewExpression | ts.CallExpression,
  callee: ts.Expression,
  names: Readonly<Record<number, string>>,
  module: string,
): void {
  const target = names[analysis.target];
  const form = ts.isDecorator(node.parent) ? node.parent : node;
  // A ForbiddenException built here: the exception filters of its route answer it.
  const thrown = module === '@nestjs/common' ? { nestException: THROWN_FORBIDDEN } : {};
  if (!target) {
    analysis.addSite({
      node: form,
      framework: 'nestjs',
      manual: true,
      ...thrown,
      reason:
        module === '@nestjs/swagger'
          ? `No swagger decorator for ${analysis.target}: use @ApiResponse({ status: ${analysis.target}, ... }).`
          : `No Nest exception class for ${analysis.target}: use new HttpException(message, ${analysis.target}).`,
    });
    return;
  }
  const rename = renameCallee(analysis, callee, target);
  if ('manual' in rename) {
    analysis.addSite({ node: form, framework: 'nestjs', manual: true, reason: rename.manual, ...thrown });
    return;
  }
  // A Nest exception's object arguments are its response body (`new ForbiddenException({ statusCode: 403, error:
  // 'Forbidden' })`) or name its `error` (`{ description: 'Forbidden' }`): their mirrors follow the class (session
  // 47; before, the class was renamed and the body kept saying 403). A message string is the developer's text and
  // stays (tests asserting it are told so, tests/expected.ts).
  const description =
    module === '@nestjs/swagger'
      ? descriptionCompanion(analysis, node.arguments?.[0])
      : (node.arguments ?? [])
          .filter((argument) => ts.isObjectLiteralExpression(skipOuter(argument)))
          .flatMap((argument) => analysis.bodyCompanionEdits(skipOuter(argument)));
  analysis.addSite({
    node: form,
    framework: 'nestjs',
    ...thrown,
    edits: [...rename.edits, ...description],
    imports: rename.imports,
    reason: module === '@nestjs/common' ? challengeNote(analysis) : null,
  });
}

/** `class X extends ForbiddenException { constructor() { super(…) } }` is reported at the heritage clause. */
function isSubclass(node: ts.Node): boolean {
  return ts.isExpressionWithTypeArguments(node.parent);
}

/** In GraphQL resolvers a ForbiddenException becomes an error in a 200 body: not a target. */
function inGraphqlResolver(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isClassDeclaration(current)) continue;
    // `@Resolver()`, or through a namespace import: `@graphql.Resolver(() => Address)` (Amplication's code).
    return (ts.getDecorators(current) ?? []).some((d) =>
      /^(?:[A-Za-z_$][\w$]*\.)?Resolver\b/.test(d.expression.getText()),
    );
  }
  return false;
}
