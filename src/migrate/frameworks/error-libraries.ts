import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { decoratorForm } from './decorator-factories.js';
import { renameCallee } from '../import-edits.js';
import type { Framework } from './framework.js';
import { alternative, checkedSpelling } from './instance-checks.js';
import { coveredCheck } from './covered-checks.js';
import { challengeNote, descriptionCompanion, propertyOf } from './shared.js';
import { isTargetStatus, reportDeclaredBeside } from './declared-beside.js';
import { EGG_ERROR_MODULES, LIBRARIES, type Library } from './error-library-table.js';
import { passesKnownError } from './error-status.js';
import { MIDWAY } from './midway-modules.js';
import { projectClassReaching } from './nest-exception-chain.js';
import type { GuardImports } from './nest-guards.js';

/**
 * Medusa: `new MedusaError(MedusaError.Types.FORBIDDEN, m)`; its error handler (@medusajs/framework
 * http/middlewares/error-handler) answers FORBIDDEN with 403, UNAUTHORIZED 401, NOT_FOUND 404, INVALID_DATA and
 * NOT_ALLOWED 400, CONFLICT 409. The type follows the target; a target with no type is reported.
 */
const MEDUSA_MODULES = [
  '@medusajs/framework/utils',
  '@medusajs/utils',
  '@medusajs/medusa',
  '@medusajs/framework',
];
const MEDUSA_TYPES: Readonly<Record<number, string>> = {
  400: 'INVALID_DATA',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

/** Decorators of routing-controllers that take a status: `@HttpCode(403)`, `@OnUndefined(403)`, `@OnNull(403)`. */
const STATUS_DECORATORS = ['HttpCode', 'OnUndefined', 'OnNull'];

/**
 * Error-class libraries of the Express/Koa world: routing-controllers `ForbiddenError` / `HttpError(403)` and
 * its status decorators, Feathers `Forbidden`, Ts.ED `Forbidden`, http-errors' named `Forbidden`, FoalTS's
 * `HttpResponseForbidden` response, Ghost's `@tryghost/errors` `NoPermissionError` (statusCode 403; its
 * `HostLimitError`, also 403, is reported), Payload's `Forbidden` / `APIError(m, 403)` (packages/payload/src/errors:
 * Forbidden, UnauthorizedError, NotFound take `(t?)`), Directus's `ForbiddenError` (reported), Egg.js's `ForbiddenError` /
 * `E403` (egg-errors, `egg/errors`). The class is renamed (same constructor shape),
 * its import follows; `instanceof` checks and subclasses are reported.
 */
export const errorLibraries: Framework = {
  id: 'error-libraries',
  title:
    'routing-controllers, Feathers, Ts.ED, http-errors named error classes, FoalTS responses, Ghost, Payload, Directus, Egg.js errors',
  enablers: [
    'routing-controllers',
    'routing-controllers-openapi',
    '@feathersjs/errors',
    '@feathersjs/feathers',
    '@tsed/exceptions',
    '@tsed/common',
    'http-errors',
    '@loopback/rest',
    ...MIDWAY,
    '@foal/core',
    '@tryghost/errors',
    'payload',
    '@directus/errors',
    '@directus/extensions-sdk',
    'oidc-provider',
    'express-oauth2-jwt-bearer',
    ...EGG_ERROR_MODULES,
    ...MEDUSA_MODULES,
  ],
  kinds: [
    ts.SyntaxKind.NewExpression,
    ts.SyntaxKind.CallExpression,
    ts.SyntaxKind.ExpressionWithTypeArguments,
    ts.SyntaxKind.BinaryExpression,
  ],
  visit(node, analysis) {
    if (ts.isBinaryExpression(node)) {
      instanceCheck(node, analysis);
      return;
    }
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node) && !ts.isExpressionWithTypeArguments(node))
      return;
    const callee = node.expression;
    if (ts.isNewExpression(node) && analysis.resolvesTo(callee, MEDUSA_MODULES, 'MedusaError')) {
      medusaType(analysis, node);
      return;
    }
    for (const [key, library] of Object.entries(LIBRARIES)) {
      const id = library.framework ?? key;
      if (isForbiddenClass(callee, analysis, library)) {
        if (ts.isExpressionWithTypeArguments(node)) subclass(analysis, node, library, id);
        else rename(analysis, node, callee, library, id);
        return;
      }
      if (
        ts.isNewExpression(node) &&
        library.generic &&
        analysis.resolvesTo(callee, library.modules, library.generic)
      ) {
        analysis.statusSlot(node.arguments?.[library.genericStatusArg ?? 0], node, id, () => ({
          reason: challengeNote(analysis),
        }));
        return;
      }
    }
    if (ts.isExpressionWithTypeArguments(node)) {
      chainedSubclass(analysis, node);
      return;
    }
    // `@HttpCode(403)`, and the factory called outside `@` (a project decorator composing it, session 49).
    const decorator = ts.isCallExpression(node) ? decoratorForm(node) : undefined;
    if (ts.isCallExpression(node) && decorator) {
      for (const name of STATUS_DECORATORS)
        if (
          analysis.resolvesTo(callee, LIBRARIES['routing-controllers'].modules, name) &&
          // `@OnUndefined(PetNotFoundError)`: routing-controllers throws the class, which answers its own status.
          !(
            name !== 'HttpCode' &&
            passesKnownError(analysis, node.arguments[0], decorator, 'routing-controllers')
          )
        )
          // `@HttpCode` sets the status of every successful answer: the bodies the method returns follow it.
          analysis.statusSlot(node.arguments[0], decorator, 'routing-controllers', () => ({
            edits:
              name === 'HttpCode' && ts.isDecorator(decorator) ? analysis.returnedBodyEdits(decorator) : [],
          }));
      if (ts.isDecorator(decorator)) responseSchema(analysis, node, decorator);
    }
  },
};

const OPENAPI_MODULES = ['routing-controllers-openapi'];

/** `{ statusCode }` of routing-controllers-openapi's `@ResponseSchema(Type, { statusCode, description })`. */
function schemaStatus(analysis: FileAnalysis, call: ts.CallExpression): ts.PropertyAssignment | undefined {
  if (!analysis.resolvesTo(call.expression, OPENAPI_MODULES, 'ResponseSchema')) return undefined;
  const options = call.arguments[1];
  return options && ts.isObjectLiteralExpression(options) ? propertyOf(options, 'statusCode') : undefined;
}

/**
 * `@ResponseSchema(ErrorBody, { statusCode: 403, description: 'Forbidden' })` documents the route's 403 in the
 * OpenAPI document routing-controllers-openapi generates: the status (and a reason-phrase description) become
 * the agreed status's, unless another `@ResponseSchema` of the method already documents that status (reported).
 */
function responseSchema(analysis: FileAnalysis, call: ts.CallExpression, decorator: ts.Decorator): void {
  const status = schemaStatus(analysis, call);
  if (!status) return;
  if (
    analysis.evaluate(status.initializer).kind === 'forbidden' &&
    reportDeclaredBeside(analysis, decorator, 'routing-controllers', (d) =>
      isTargetStatus(analysis, schemaStatus(analysis, d)?.initializer),
    )
  )
    return;
  analysis.statusSlot(status.initializer, decorator, 'routing-controllers', () => ({
    edits: descriptionCompanion(analysis, call.arguments[1]),
  }));
}

/**
 * `expression` names the library's 403 class in the file `imports` reads (`ForbiddenError`, an alias of it, a
 * namespace member `errors.InsufficientScope`); a `namedOnly` library's class only as a plain name.
 */
export function isForbiddenClass(
  expression: ts.Expression,
  imports: GuardImports,
  library: Library,
): boolean {
  return (
    ((!library.namedOnly || ts.isIdentifier(expression)) &&
      imports.resolvesTo(expression, library.modules, library.forbidden)) ||
    namespaceMember(imports, expression, library)
  );
}

/**
 * `class X extends ForbiddenError` (`through` undefined), or `class Y extends X` with X a project class whose chain
 * of parents reaches a library's 403 class (in this file or another, under any import spelling:
 * nest-exception-chain.ts, `through` the project class that extends it): every throw of the class answers 403,
 * reported at the heritage clause (its throws are census references to it).
 */
function subclass(
  analysis: FileAnalysis,
  node: ts.ExpressionWithTypeArguments,
  library: Library,
  framework: string,
  through?: string,
): void {
  const extending = through ? `${library.forbidden} through ${through}` : library.forbidden;
  analysis.addSite({
    node: node.parent,
    framework,
    manual: true,
    reason: `A class extending ${extending} answers 403 wherever it is thrown: add a sibling extending ${library.names[analysis.target] ?? `the ${analysis.target} error`} and throw it on mTLS routes.`,
  });
  const declared = node.parent.parent;
  if (ts.isClassLike(declared) && declared.name) analysis.forbiddenClasses.add(declared.name.text);
}

/** `class Y extends X`, X a project class that reaches a library's 403 class (see {@link subclass}). */
function chainedSubclass(analysis: FileAnalysis, node: ts.ExpressionWithTypeArguments): void {
  if (!ts.isHeritageClause(node.parent) || node.parent.token !== ts.SyntaxKind.ExtendsKeyword) return;
  const scope = { sourceFile: analysis.sourceFile, imports: analysis, link: analysis.options.link };
  let reached: [string, Library] | undefined;
  const through = projectClassReaching(node.expression, scope, (parent, where) => {
    reached = Object.entries(LIBRARIES).find(([, library]) =>
      isForbiddenClass(parent, where.imports, library),
    );
    return reached !== undefined;
  });
  if (!through || !reached) return;
  const [key, library] = reached;
  subclass(analysis, node, library, library.framework ?? key, through);
}

function rename(
  analysis: FileAnalysis,
  node: ts.NewExpression | ts.CallExpression,
  callee: ts.Expression,
  library: Library,
  framework: string,
): void {
  const target = library.names[analysis.target];
  const result = target
    ? renameCallee(analysis, callee, target)
    : {
        manual: library.missing
          ? `On mTLS routes ${library.missing(analysis.target)}.`
          : `No ${library.modules[0]} class for ${analysis.target}: throw an error with that status instead.`,
      };
  if ('manual' in result) {
    analysis.addSite({ node, framework, manual: true, reason: result.manual });
    return;
  }
  analysis.addSite({
    node,
    framework,
    edits: result.edits,
    imports: result.imports,
    reason: challengeNote(analysis),
  });
}

/**
 * `e instanceof ForbiddenError` on any library's 403 class, as written (`errors.NoPermissionError`) or under an
 * alias (`ForbiddenError as F`, `e instanceof F`): once its throws are renamed the check stops matching them, so it
 * is reported as Nest's, Feathers' and http-errors' checks are. Until session 30 a check on a class whose name says
 * Forbidden (routing-controllers, Ts.ED, Egg.js, Payload…) was left to the census, which counted it a comparison:
 * not reported.
 */
function instanceCheck(node: ts.BinaryExpression, analysis: FileAnalysis): void {
  if (node.operatorToken.kind !== ts.SyntaxKind.InstanceOfKeyword) return;
  for (const [key, library] of Object.entries(LIBRARIES)) {
    if (!analysis.resolvesTo(node.right, library.modules, library.forbidden)) continue;
    // `httpErrors.Forbidden` off http-errors' default export is the http-errors module's (its own advice).
    if (library.namedOnly && !ts.isIdentifier(node.right)) continue;
    if (coveredCheck(analysis, node)) return;
    const to = library.names[analysis.target];
    const spelling = checkedSpelling(analysis, node.right, library.modules, library.forbidden, to);
    analysis.addSite({
      node,
      framework: library.framework ?? key,
      manual: true,
      reason: `An instanceof check on ${spelling.shown}: its throws become ${to ?? `errors answering ${analysis.target}`} on mTLS routes, so decide whether this check should also match ${alternative(analysis, node, spelling) ?? 'them'}.`,
    });
    return;
  }
}

/**
 * `errors.X` (a named export holding the classes, `import { errors } from 'oidc-provider'`) or `Provider.errors.X`
 * (the same object off the default or namespace import), where X is the library's 403 class.
 */
function namespaceMember(analysis: GuardImports, callee: ts.Expression, library: Library): boolean {
  if (!library.namespaces || !ts.isPropertyAccessExpression(callee) || callee.name.text !== library.forbidden)
    return false;
  const holder = callee.expression;
  if (ts.isIdentifier(holder)) {
    const binding = analysis.importOf(holder.text);
    return Boolean(
      binding && library.modules.includes(binding.module) && library.namespaces.includes(binding.name),
    );
  }
  if (ts.isPropertyAccessExpression(holder) && library.namespaces.includes(holder.name.text))
    return analysis.resolvesTo(holder, library.modules, holder.name.text);
  return false;
}

/** `new MedusaError(MedusaError.Types.FORBIDDEN, m)` (also `MedusaErrorTypes.FORBIDDEN`): the type follows the target. */
function medusaType(analysis: FileAnalysis, node: ts.NewExpression): void {
  const type = node.arguments?.[0];
  if (!type || !ts.isPropertyAccessExpression(type) || type.name.text !== 'FORBIDDEN') return;
  const owner = type.expression;
  const isTypes =
    (ts.isPropertyAccessExpression(owner) &&
      owner.name.text === 'Types' &&
      analysis.resolvesTo(owner.expression, MEDUSA_MODULES, 'MedusaError')) ||
    analysis.resolvesTo(owner, MEDUSA_MODULES, 'MedusaErrorTypes');
  if (!isTypes) return;
  const to = MEDUSA_TYPES[analysis.target];
  if (!to) {
    analysis.addSite({
      node,
      framework: 'medusa',
      manual: true,
      reason: `Medusa answers 403 for MedusaError.Types.FORBIDDEN and has no type for ${analysis.target}: throw a MedusaError of another type, or answer ${analysis.target} from your own route.`,
    });
    return;
  }
  analysis.addSite({
    node,
    framework: 'medusa',
    edits: [analysis.replace(type.name, to)],
    reason: challengeNote(analysis),
  });
}
