import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { skipOuter } from '../analysis/syntax.js';
import { fixedStatus } from '../declarations.js';
import { BOOM_HELPERS, ERROR_CLASS_NAMES } from '../status-names.js';
import { LIBRARIES, libraryClass } from './error-library-table.js';
import { isCreateError } from './http-errors.js';

/**
 * The status of an error object a framework passes on (`ctx.throw(err)`, `@OnUndefined(ErrorClass)`), read with
 * the same knowledge the modules use to rewrite a 403 in that position:
 * - `forbidden`: it answers 403. `owned` when the expression is a construction a framework module of this file
 *   already rewrites or reports at that very node (`Boom.forbidden()` hapi.ts, `createError(403)` http-errors.ts,
 *   `new Denied()` of a class fixing 403 error-classes.ts), so the sink need not name it again;
 * - `other`: a known status that is not 403 (`Boom.badRequest()` 400, `new Error()` 500, a project class with
 *   `super(404, m)`);
 * - undefined: not known here (a variable, a caught error, a call into other code, a class that takes its status).
 * `source` is the expression's callee or class as written, for reasons.
 */
export type ErrorStatus =
  { kind: 'forbidden'; owned: boolean; source: string } | { kind: 'other'; source: string };

const BOOM = ['@hapi/boom', 'boom'];

/** Boom's 5xx helpers (hapi/boom lib/index.js), beside the 4xx ones of BOOM_HELPERS. */
const BOOM_SERVER: Readonly<Record<string, number>> = {
  badImplementation: 500,
  internal: 500,
  notImplemented: 501,
  badGateway: 502,
  serverUnavailable: 503,
  gatewayTimeout: 504,
};

/**
 * The JavaScript built-in error classes: an instance carries no `status`, so Koa (http-errors' `createError(err)`),
 * Express's finalhandler, Fastify and hapi (boomify) all answer it 500.
 */
const BUILT_IN_ERRORS = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

/** Generic exception classes whose status is an argument: module list, class name, status argument index, owner. */
const GENERIC: readonly { modules: readonly string[]; name: string; index: number; owner: string }[] = [
  {
    modules: ['@nestjs/common', '@nestjs/common/exceptions', '@nestjs/common/exceptions/http.exception'],
    name: 'HttpException',
    index: 1,
    owner: 'nestjs',
  },
  { modules: ['hono/http-exception', 'hono'], name: 'HTTPException', index: 0, owner: 'hono' },
  { modules: ['restify-errors'], name: 'makeErrFromCode', index: 0, owner: 'restify' },
  ...Object.values(LIBRARIES).flatMap((library) =>
    library.generic
      ? [
          {
            modules: library.modules,
            name: library.generic,
            index: library.genericStatusArg ?? 0,
            owner: 'error-libraries',
          },
        ]
      : [],
  ),
];

/**
 * The status of the error `expression` is or constructs; undefined when it is not known here (see ErrorStatus).
 * Reads no other file except through the analysis's cross-file link (an imported class's fixed status).
 */
export function errorStatus(analysis: FileAnalysis, expression: ts.Expression): ErrorStatus | undefined {
  const node = skipOuter(expression);
  if (ts.isNewExpression(node) || ts.isCallExpression(node)) return constructed(analysis, node);
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const status = classStatus(analysis, node);
    return status === undefined ? undefined : verdict(status, false, node, analysis);
  }
  return undefined;
}

/**
 * A sink that passes an error object on (`ctx.throw(x)`, `@OnUndefined(X)`): when the error's status is known it
 * is accounted for here and true is returned (a status not 403: nothing to report; a 403 a module rewrites or
 * reports at its construction: already named; a 403 no module names there, a class passed by reference: reported
 * at the sink). False when the status is not known: the caller reads `expression` as a status slot as before.
 */
export function passesKnownError(
  analysis: FileAnalysis,
  expression: ts.Expression | undefined,
  form: ts.Node,
  framework: string,
): boolean {
  if (!expression) return false;
  const status = errorStatus(analysis, expression);
  if (!status) return false;
  if (status.kind === 'forbidden' && !status.owned && !analysis.options.testFile)
    analysis.addSite({
      node: form,
      framework,
      manual: true,
      reason: `${status.source} answers 403 and is passed on here: on an mTLS route pass an error that answers ${analysis.target} instead, or map it to ${analysis.target} in the error handler.`,
    });
  return true;
}

function verdict(status: number, owned: boolean, node: ts.Node, analysis: FileAnalysis): ErrorStatus {
  const source = node.getText(analysis.sourceFile);
  return status === 403 ? { kind: 'forbidden', owned, source } : { kind: 'other', source };
}

/** Whether the framework module `id` runs on this file (so a 403 it owns gets its site). */
function runs(analysis: FileAnalysis, id: string): boolean {
  return analysis.frameworks.includes(id);
}

/** `Boom.badRequest(m)`, `createError(400)`, `new NotFoundError()`, `new Error(m)`, `new PetNotFoundError()`. */
function constructed(
  analysis: FileAnalysis,
  node: ts.NewExpression | ts.CallExpression,
): ErrorStatus | undefined {
  const callee = skipOuter(node.expression);
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const boom = boomStatus(analysis, node, callee, args);
  if (boom !== undefined) return boom;
  if (isCreateError(analysis, callee)) return createErrorStatus(analysis, callee, args);
  // `createError.NotFound(m)`, `new createError.NotFound()`, `createError[404]()`.
  if (
    (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) &&
    isCreateError(analysis, callee.expression)
  ) {
    if (ts.isElementAccessExpression(callee))
      return slotStatus(analysis, callee.argumentExpression, callee, 'http-errors');
    const status = Object.entries(ERROR_CLASS_NAMES).find(([, name]) => name === callee.name.text)?.[0];
    return status === undefined
      ? undefined
      : verdict(Number(status), runs(analysis, 'http-errors'), callee, analysis);
  }
  for (const generic of GENERIC) {
    if (!analysis.resolvesTo(callee, generic.modules, generic.name)) continue;
    const status = args[generic.index];
    // `new HTTPException()`: Hono's default status is 500.
    if (!status)
      return generic.name === 'HTTPException'
        ? { kind: 'other', source: callee.getText(analysis.sourceFile) }
        : undefined;
    return slotStatus(analysis, status, callee, generic.owner);
  }
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const library = libraryOf(analysis, callee);
  if (library)
    return verdict(
      library.status,
      ts.isNewExpression(node) && runs(analysis, library.owner),
      callee,
      analysis,
    );
  const status = projectClassStatus(analysis, callee);
  if (status !== undefined)
    return verdict(status, ts.isNewExpression(node) && runs(analysis, 'error-classes'), callee, analysis);
  if (ts.isIdentifier(callee) && BUILT_IN_ERRORS.has(callee.text) && !declaredHere(analysis, callee.text))
    return { kind: 'other', source: callee.text };
  return undefined;
}

/**
 * Boom: `Boom.notFound(m)` (a helper by name, 4xx or 5xx), `new Boom.Boom(m, { statusCode })` (500 without one),
 * `Boom.boomify(err, { statusCode })` (without one: the error's own, not known). Undefined when not Boom.
 */
function boomStatus(
  analysis: FileAnalysis,
  node: ts.NewExpression | ts.CallExpression,
  callee: ts.Expression,
  args: ts.NodeArray<ts.Expression>,
): ErrorStatus | undefined {
  const name = ts.isIdentifier(callee)
    ? analysis.packageOf(callee.text)?.name
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
  if (!name || !analysis.resolvesTo(callee, BOOM, name)) {
    const binding =
      ts.isNewExpression(node) && ts.isIdentifier(callee) ? analysis.importOf(callee.text) : undefined;
    // boom 7's default export is the class: `new Boom(m, { statusCode })`.
    if (!binding || !BOOM.includes(binding.module) || binding.name !== 'default') return undefined;
    return boomOptions(analysis, callee, args[1], 500);
  }
  const helper = Object.entries(BOOM_HELPERS).find(([, n]) => n === name)?.[0];
  const status = helper !== undefined ? Number(helper) : BOOM_SERVER[name];
  if (status !== undefined) return verdict(status, runs(analysis, 'hapi'), callee, analysis);
  if (name === 'Boom' && ts.isNewExpression(node)) return boomOptions(analysis, callee, args[1], 500);
  if (name === 'boomify') return boomOptions(analysis, callee, args[1], undefined);
  return undefined;
}

/** The `statusCode` of Boom's options argument; `otherwise` when there is none (undefined: not known). */
function boomOptions(
  analysis: FileAnalysis,
  callee: ts.Expression,
  options: ts.Expression | undefined,
  otherwise: number | undefined,
): ErrorStatus | undefined {
  const object = options && skipOuter(options);
  if (!object || !ts.isObjectLiteralExpression(object))
    return options || otherwise === undefined ? undefined : verdict(otherwise, false, callee, analysis);
  const property = object.properties.find(
    (p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'statusCode',
  );
  if (!property) return otherwise === undefined ? undefined : verdict(otherwise, false, callee, analysis);
  if (!ts.isPropertyAssignment(property)) return undefined;
  return slotStatus(analysis, property.initializer, callee, 'hapi');
}

/**
 * http-errors `createError(…args)`: the first argument when it is a status (a number it reads); 500 when every
 * argument is a message or properties (http-errors index.js: a status that is no number becomes 500). An error
 * argument or a name whose value is not known: not known.
 */
function createErrorStatus(
  analysis: FileAnalysis,
  callee: ts.Expression,
  args: ts.NodeArray<ts.Expression>,
): ErrorStatus | undefined {
  const first = args[0];
  if (first && !isMessageOrProps(first)) return slotStatus(analysis, first, callee, 'http-errors');
  return args.every(isMessageOrProps)
    ? { kind: 'other', source: callee.getText(analysis.sourceFile) }
    : undefined;
}

/**
 * A message (string or template literal) or a properties object with no status key: an argument of http-errors'
 * `createError(…)` (and so of Koa's `ctx.throw(…)`) that sets no status.
 */
export function isMessageOrProps(argument: ts.Expression): boolean {
  const node = skipOuter(argument);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  return (
    ts.isObjectLiteralExpression(node) &&
    node.properties.every(
      (p) =>
        ts.isPropertyAssignment(p) &&
        ts.isIdentifier(p.name) &&
        !/^(status|statusCode|expose)$/.test(p.name.text),
    )
  );
}

/** A status argument read as the modules read a status slot: 403 (owned by `owner`), another known status, or not known. */
function slotStatus(
  analysis: FileAnalysis,
  status: ts.Expression,
  callee: ts.Node,
  owner: string,
): ErrorStatus | undefined {
  const evaluation = analysis.evaluate(status);
  const source = callee.getText(analysis.sourceFile);
  if (evaluation.kind === 'forbidden') return { kind: 'forbidden', owned: runs(analysis, owner), source };
  return evaluation.kind === 'static' ? { kind: 'other', source } : undefined;
}

/** A library error class named by `callee` (`NotFoundError`, `errors.NotFoundError`, `Nest.NotFoundException`). */
function libraryOf(
  analysis: FileAnalysis,
  callee: ts.Identifier | ts.PropertyAccessExpression,
): { status: number; owner: string } | undefined {
  if (ts.isIdentifier(callee)) {
    const origin = analysis.packageOf(callee.text);
    return origin && origin.name !== '*' && origin.name !== 'default'
      ? libraryClass(origin.module, origin.name)
      : undefined;
  }
  const owner = skipOuter(callee.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const binding = analysis.importOf(owner.text);
  return binding && (binding.name === '*' || binding.name === 'default')
    ? libraryClass(binding.module, callee.name.text)
    : undefined;
}

/** A class of the project that fixes its status (`status = 404`, `super(404, m)`): declared here or imported. */
function projectClassStatus(
  analysis: FileAnalysis,
  callee: ts.Identifier | ts.PropertyAccessExpression,
): number | undefined {
  if (ts.isIdentifier(callee)) {
    const local = localClass(analysis, callee.text);
    if (local) return fixedStatus(local);
    const binding = analysis.imports.get(callee.text);
    return binding && analysis.options.link?.classStatus(binding)?.value;
  }
  const owner = skipOuter(callee.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const binding = analysis.imports.get(owner.text);
  return binding && analysis.options.link?.classStatus(binding, callee.name.text)?.value;
}

/** The status of a class passed by reference (`@OnUndefined(PetNotFoundError)`): a library's or the project's. */
function classStatus(
  analysis: FileAnalysis,
  node: ts.Identifier | ts.PropertyAccessExpression,
): number | undefined {
  return libraryOf(analysis, node)?.status ?? projectClassStatus(analysis, node);
}

function localClass(analysis: FileAnalysis, name: string): ts.ClassDeclaration | undefined {
  return analysis.sourceFile.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
  );
}

/** Whether this file imports or declares `name` at its top level (a built-in error name it shadows). */
function declaredHere(analysis: FileAnalysis, name: string): boolean {
  if (analysis.importOf(name)) return true;
  return analysis.sourceFile.statements.some(
    (s) =>
      ((ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s)) && s.name?.text === name) ||
      (ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}
