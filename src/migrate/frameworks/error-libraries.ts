import ts from '../../typescript.cjs';
import type { FileAnalysis } from '../analysis.js';
import { renameCallee } from '../import-edits.js';
import {
  ERROR_CLASS_NAMES,
  FEATHERS_ERRORS,
  FOAL_RESPONSES,
  GHOST_ERRORS,
  ROUTING_CONTROLLERS_ERRORS,
  TSED_ERRORS,
} from '../status-names.js';
import type { Framework } from './framework.js';
import { challengeNote } from './shared.js';

interface Library {
  modules: readonly string[];
  /** The 403 class as the library exports it. */
  forbidden: string;
  /** Class names by status; every one takes the same arguments as the 403 class. */
  names: Readonly<Record<number, string>>;
  /** A class taking the status as an argument, when the library has one: `(status, message)` by default. */
  generic?: string;
  /** The index of the generic class's status argument (Payload's `APIError(message, status)`: 1). */
  genericStatusArg?: number;
  /** Only the class imported by name (`import { Forbidden } from 'http-errors'`); its `ns.Forbidden` form has a module of its own. */
  namedOnly?: boolean;
  /** What to do when no class of the library answers the agreed status `n` (default: throw one with that status). */
  missing?: (n: number) => string;
  /** The framework its sites name, when not the table key. */
  framework?: string;
  /**
   * Report `x instanceof <the 403 class>`: once its throws are renamed such a check stops matching them. For names
   * that hold neither 403 nor Forbidden, which the census cannot see as a comparison.
   */
  instanceChecks?: boolean;
}

const LIBRARIES: Readonly<Record<string, Library>> = {
  'routing-controllers': {
    modules: ['routing-controllers'],
    forbidden: 'ForbiddenError',
    names: ROUTING_CONTROLLERS_ERRORS,
    generic: 'HttpError',
  },
  feathers: { modules: ['@feathersjs/errors'], forbidden: 'Forbidden', names: FEATHERS_ERRORS },
  // FoalTS answers with response objects rather than errors; the renamed class keeps the same arguments.
  foal: { modules: ['@foal/core'], forbidden: 'HttpResponseForbidden', names: FOAL_RESPONSES },
  tsed: {
    modules: ['@tsed/exceptions', 'ts-httpexceptions', '@tsed/common'],
    forbidden: 'Forbidden',
    names: TSED_ERRORS,
  },
  // `createError.Forbidden` / `createError[403]` are http-errors.ts's; the named class is the same constructor.
  'http-errors': {
    modules: ['http-errors'],
    forbidden: 'Forbidden',
    names: ERROR_CLASS_NAMES,
    namedOnly: true,
  },
  // Ghost: a name with neither 403 nor Forbidden in it (statusCode 403 in TryGhost/framework packages/errors).
  ghost: {
    modules: ['@tryghost/errors'],
    forbidden: 'NoPermissionError',
    names: GHOST_ERRORS,
    instanceChecks: true,
    missing: (n) => `pass { statusCode: ${n} } in its options (they override the class's 403)`,
  },
  // Payload 3 (`payload`): Forbidden, UnauthorizedError and NotFound all take `(t?: TFunction)`; APIError(message, status).
  payload: {
    modules: ['payload'],
    forbidden: 'Forbidden',
    names: { 401: 'UnauthorizedError', 404: 'NotFound' },
    generic: 'APIError',
    genericStatusArg: 1,
    missing: (n) => `throw new APIError(message, ${n}) from 'payload'`,
  },
  // Payload 2 (`payload/errors`) has no UnauthorizedError: APIError(message, status) answers any status.
  'payload-2': {
    modules: ['payload/errors'],
    forbidden: 'Forbidden',
    names: { 404: 'NotFound' },
    generic: 'APIError',
    genericStatusArg: 1,
    framework: 'payload',
    missing: (n) => `throw new APIError(message, ${n}) from 'payload/errors'`,
  },
  // Directus extensions: ForbiddenError is `createError(ErrorCode.Forbidden, …, 403)` in @directus/errors, which has no
  // same-shape class for another status of this kind.
  directus: {
    modules: ['@directus/errors'],
    forbidden: 'ForbiddenError',
    names: {},
    missing: (n) =>
      `Directus answers 403 for ForbiddenError: throw an error made with createError(code, message, ${n}) from @directus/errors`,
  },
  // HostLimitError is Ghost's other 403 (a plan limit): no class means the same, so its status is set instead.
  'ghost-host-limit': {
    modules: ['@tryghost/errors'],
    forbidden: 'HostLimitError',
    names: {},
    framework: 'ghost',
    missing: (n) =>
      `HostLimitError answers 403 (a plan limit reached): pass { statusCode: ${n} } in its options (they override the default)`,
  },
};

/** Decorators of routing-controllers that take a status: `@HttpCode(403)`, `@OnUndefined(403)`, `@OnNull(403)`. */
const STATUS_DECORATORS = ['HttpCode', 'OnUndefined', 'OnNull'];

/**
 * Error-class libraries of the Express/Koa world: routing-controllers `ForbiddenError` / `HttpError(403)` and
 * its status decorators, Feathers `Forbidden`, Ts.ED `Forbidden`, http-errors' named `Forbidden`, FoalTS's
 * `HttpResponseForbidden` response, Ghost's `@tryghost/errors` `NoPermissionError` (statusCode 403; its
 * `HostLimitError`, also 403, is reported), Payload's `Forbidden` / `APIError(m, 403)` (packages/payload/src/errors:
 * Forbidden, UnauthorizedError, NotFound take `(t?)`), Directus's `ForbiddenError` (reported). The class is renamed (same constructor shape),
 * its import follows; `instanceof` checks and subclasses are reported.
 */
export const errorLibraries: Framework = {
  id: 'error-libraries',
  title:
    'routing-controllers, Feathers, Ts.ED, http-errors named error classes, FoalTS responses, Ghost, Payload, Directus errors',
  enablers: [
    'routing-controllers',
    '@feathersjs/errors',
    '@feathersjs/feathers',
    '@tsed/exceptions',
    '@tsed/common',
    'http-errors',
    '@foal/core',
    '@tryghost/errors',
    'payload',
    '@directus/errors',
    '@directus/extensions-sdk',
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
    for (const [key, library] of Object.entries(LIBRARIES)) {
      const id = library.framework ?? key;
      if (
        (!library.namedOnly || ts.isIdentifier(callee)) &&
        analysis.resolvesTo(callee, library.modules, library.forbidden)
      ) {
        if (ts.isExpressionWithTypeArguments(node)) {
          analysis.addSite({
            node: node.parent,
            framework: id,
            manual: true,
            reason: `A class extending ${library.forbidden} answers 403 wherever it is thrown: add a sibling extending ${library.names[analysis.target] ?? `the ${analysis.target} error`} and throw it on mTLS routes.`,
          });
        } else if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
          rename(analysis, node, callee, library, id);
        }
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
    if (ts.isCallExpression(node) && ts.isDecorator(node.parent)) {
      for (const name of STATUS_DECORATORS)
        if (analysis.resolvesTo(callee, LIBRARIES['routing-controllers'].modules, name))
          analysis.statusSlot(node.arguments[0], node.parent, 'routing-controllers');
    }
  },
};

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

/** `e instanceof errors.NoPermissionError` for a library whose renamed class the census cannot see by name. */
function instanceCheck(node: ts.BinaryExpression, analysis: FileAnalysis): void {
  if (node.operatorToken.kind !== ts.SyntaxKind.InstanceOfKeyword) return;
  for (const [key, library] of Object.entries(LIBRARIES)) {
    if (!library.instanceChecks || !analysis.resolvesTo(node.right, library.modules, library.forbidden))
      continue;
    const to = library.names[analysis.target];
    analysis.addSite({
      node,
      framework: library.framework ?? key,
      manual: true,
      reason: `An instanceof check on ${library.forbidden}: its throws become ${to ?? `errors answering ${analysis.target}`} on mTLS routes, so decide whether this check should also match ${to ?? 'them'}.`,
    });
    return;
  }
}
