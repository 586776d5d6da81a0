import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import { holds403 } from './census-occurrences.js';
import { inComparison, isDeclarationName, isInType } from './census-syntax.js';
import {
  manual,
  type ClassifyContext,
  type ManualVerdict,
  type ReferenceVerdict,
} from './census-verdicts.js';
import { installedMethodOf } from './installed-methods.js';
import { linkOf, linkTo } from './references.js';
import { heldHelperReason, projectPhraseReason } from './census-held-helpers.js';
import { holdsNoStatus, namesForbiddenThings } from './census-flag-names.js';
import { nonHttpManual } from './analysis/non-http.js';
import { namesStatuslessError } from './census-statusless-errors.js';
import { holdsStatuslessError } from './census-statusless-values.js';
import type { NotAnEmitKind } from './types.js';
import { escapeRegExp } from '../util/regexp.js';
import { hides403, packageName } from './census-aliases.js';
import { tsCommonsForbiddenReason } from './ts-commons-responses.js';
import { replacedReason } from './census-values.js';
import { isExportedLiteralName } from './census-exports.js';
import { handedEntryReason } from './census-handed-entries.js';

/**
 * Identifiers whose name holds Forbidden / PermissionDenied (census.ts): imports, types, declarations,
 * comparisons, validator calls, environment names, application and GraphQL codes and names of forbidden things
 * are not emits; a use of a project declaration holding 403 is a reference to it; any other becomes a manual
 * site naming the whole expression (`new ForbiddenError(…)`, `Boom.forbidden(…)`).
 */

/** `process.env.NAME` (also `import.meta.env.NAME`, Deno/Bun `Bun.env.NAME`): NAME is an environment variable's name. */
function isEnvironmentName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!ts.isPropertyAccessExpression(parent) || parent.name !== node) return false;
  const owner = parent.expression;
  return (
    ts.isPropertyAccessExpression(owner) &&
    owner.name.text === 'env' &&
    /^(process|import\.meta|Bun)$/.test(owner.expression.getText())
  );
}

/**
 * `ERROR_MESSAGES.PermissionDenied` where the project's enum or object (in this file or imported) gives that
 * member another number: an application error code (`PermissionDenied = 1006`), not a status. Numbers up to 16
 * stay unknown: they may be gRPC codes (7 is PERMISSION_DENIED, which gateways answer with 403).
 */
function isApplicationCode(analysis: FileAnalysis, node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!ts.isPropertyAccessExpression(parent) || parent.name !== node) return false;
  const value = (analysis.localMember(parent) ?? analysis.importedMember(parent))?.value;
  return value !== undefined && value !== 403 && value > 16;
}

/**
 * Whether a range a module classified as not an emit uses `name` (`new AF(m)` of Apollo's `ForbiddenError`
 * destructured as `AF`, kind graphql-error): the name's uses are accounted there.
 */
function usedInMark(analysis: FileAnalysis, name: string): boolean {
  const word = new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`);
  return analysis.notAnEmitRanges.some((r) => word.test(analysis.text.slice(r.start, r.end)));
}

/**
 * A GraphQL error code, which a GraphQL server answers in a 200 response's `errors[].extensions.code` (Apollo
 * Server 4, graphql-yoga; only `extensions.http.status` sets the HTTP status, graphql.ts): the value of a GraphQL
 * error's `extensions: { code: … }`, or a member of a project enum or object named for GraphQL
 * (`GraphQLErrorCode.Forbidden = 'FORBIDDEN'`, as Rafiki's resolvers and error maps use it) that holds no number.
 */
function isGraphqlCode(analysis: FileAnalysis, node: ts.Identifier): boolean {
  let value: ts.Node = node;
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) {
    const owner = node.parent.expression;
    const named = ts.isIdentifier(owner) && /graph_?ql/i.test(owner.text);
    const number = (analysis.localMember(node.parent) ?? analysis.importedMember(node.parent))?.value;
    if (named && number === undefined) return true;
    value = node.parent;
  }
  const code = value.parent;
  if (!ts.isPropertyAssignment(code) || code.initializer !== value || !ts.isIdentifier(code.name))
    return false;
  if (code.name.text !== 'code') return false;
  const holder = code.parent.parent;
  return ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) && holder.name.text === 'extensions';
}

/** Whether `export { A as B }` (or `… from 'm'`) hands on a package's name, not one the project declares. */
function exportsPackageName(analysis: FileAnalysis, element: ts.ExportSpecifier): boolean {
  const from = element.parent.parent.moduleSpecifier;
  const module = from && ts.isStringLiteral(from) ? from.text : undefined;
  return packageName(analysis, (element.propertyName ?? element.name).text, module) !== undefined;
}

/** An identifier whose name holds Forbidden / PermissionDenied. */
export function classifyName(
  analysis: FileAnalysis,
  node: ts.Identifier,
  context: ClassifyContext,
): NotAnEmitKind | ManualVerdict | ReferenceVerdict {
  const parent = node.parent;
  // `export { Forbidden as NoAccess } from '…'`: written off only when a file of the run reads the new name (its
  // uses are named there, census-aliases.ts); else nothing would show them.
  if (
    ts.isExportSpecifier(parent) &&
    parent.propertyName === node &&
    hides403(node.text, parent.name.text) &&
    exportsPackageName(analysis, parent)
  ) {
    const exported = parent.name.text;
    if (exported !== 'default' && context.importedInRun?.(exported) !== false) return 'import';
    return manual(
      node,
      exported === 'default'
        ? `'${node.text}' (a 403) is exported as this module's default, which importers take under any name: check where they use it; if a response sends it, the use should send ${analysis.target}.`
        : `'${node.text}' (a 403) is exported as '${exported}' and no file of this run uses '${exported}': check where it is used; if a response sends it, the use should send ${analysis.target}.`,
      parent,
    );
  }
  if (
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isImportEqualsDeclaration(parent)
  )
    return 'import';
  if (isInType(node)) return 'type';
  // `const { FORBIDDEN } = StatusCodes`, `const { HTTP_STATUS_FORBIDDEN } = http2.constants`, `const { constants:
  // { HTTP_STATUS_FORBIDDEN } } = require('http2')`: a package's name taken into the file, as `import { FORBIDDEN }
  // from 'http-status-codes'` is (kind import, not a declaration of the project's own).
  const fromPackage = ts.isBindingElement(parent) && bindsPackageName(analysis, parent);
  if (isDeclarationName(node)) return fromPackage ? 'import' : 'declaration';
  // `module.exports.ERR_STATUS_FORBIDDEN = 403`: the export's name, as `export const ERR_STATUS_FORBIDDEN = 403`'s.
  if (isExportedLiteralName(node)) return 'declaration';
  // `const { FORBIDDEN: DENIED } = StatusCodes`: the key read into another name; its uses are counted where a
  // site uses that name, else nothing shows them.
  if (ts.isBindingElement(parent) && parent.propertyName === node && ts.isIdentifier(parent.name)) {
    const local = parent.name.text;
    if (context.usedBySite(local) || usedInMark(analysis, local))
      return fromPackage ? 'import' : 'declaration';
    return manual(
      node,
      `'${node.text}' is read into '${local}' by destructuring and no status slot using '${local}' was found here: check where '${local}' is used; if a response sends it, the use should send ${analysis.target}.`,
    );
  }
  if (inComparison(node)) return 'comparison';
  // `const DENIED = StatusCodes.FORBIDDEN`: a library's 403 held under a project name, valued where a slot reads it.
  const held = heldLibraryStatus(analysis, node);
  if (held) {
    // `export const DENIED = StatusCodes.FORBIDDEN` whose every importer's read this run writes as the number:
    // named with those reads, as `export const DENIED = 403` is (census-values.ts).
    const replaced = context.replacedAt?.(held.name);
    if (replaced?.imported)
      return {
        ...manual(node, replacedReason(held.name, replaced.uses, analysis.target), node.parent),
        replacedUses: replaced.uses,
      };
    if (context.usedBySite(held.name) || usedInMark(analysis, held.name)) return 'declaration';
    return manual(
      node,
      `'${held.text}' (403) is held here under '${held.name}' and no status slot using '${held.name}' was found: check where '${held.name}' is used; if a response sends it, the use should send ${analysis.target}.`,
      node.parent,
    );
  }
  if (isValidatorCall(analysis, node)) return 'validator';
  // `ForbiddenError.from(ability).throwUnlessCan(…)` of @casl/ability: an error with no HTTP status of its own.
  if (namesStatuslessError(analysis, node)) return 'no-status';
  // `forbiddenError.throwUnlessCan(…)`, `request.forbiddenError`, `@CaslForbiddenError()`: a name holding such an
  // error object (census-statusless-values.ts).
  if (holdsStatuslessError(analysis, node, context.imported)) return 'no-status';
  // `ack({ status: StatusCodes.FORBIDDEN })` in a socket.io handler, a Meteor error: another protocol's 403.
  const nonHttp = nonHttpManual(analysis, node);
  if (nonHttp) return manual(node, nonHttp.reason, nonHttp.at);
  // `process.env.CMD_FORBIDDEN_NOTE_IDS`: the name of an environment variable, a lookup key.
  if (isEnvironmentName(node)) return 'string';
  // `this.forbidden(id)`, `throw forbiddenError`: a project declaration whose 403 is accounted where it lives.
  const link = linkOf(analysis, node, context.moduleSites, holds403, context.imported);
  if (link) return { via: link.site ? `${link.via} (${link.site.form})` : link.via };
  // `res.forbidden('no')` of `app.response.forbidden = function () { this.status(403) … }` (installed-methods.ts).
  const access = node.parent;
  const method =
    context.installed && ts.isPropertyAccessExpression(access) && access.name === node
      ? installedMethodOf(analysis, access, context.installed)
      : undefined;
  const installed = method && linkTo(method, holds403);
  if (installed) return { via: installed.site ? `${installed.via} (${installed.site.form})` : installed.via };
  if (isInstalledMethodName(node)) return 'declaration';
  if (isApplicationCode(analysis, node)) return 'app-code';
  if (isGraphqlCode(analysis, node)) return 'graphql-error';
  if (namesForbiddenThings(node.text)) return 'name';
  // `Boolean(row.rollback_forbidden)`, `forbidden.version`: a flag or a record, no status (census-flag-names.ts).
  if (holdsNoStatus(node)) return 'name';
  const name = node.text;
  // `forbidden: httpErrors.forbidden` held in a project table, and its callers `errors.forbidden(…)`.
  const helper = heldHelperReason(analysis, node, context);
  // The whole expression the name belongs to: `new ForbiddenError(...)`, `Boom.forbidden(...)`.
  let form: ts.Node = node;
  while (
    form.parent &&
    ((ts.isPropertyAccessExpression(form.parent) && form.parent.name === form) ||
      ((ts.isCallExpression(form.parent) || ts.isNewExpression(form.parent)) &&
        form.parent.expression === form) ||
      (ts.isPropertyAccessExpression(form.parent) && form.parent.expression === form))
  ) {
    form = form.parent;
    if (ts.isCallExpression(form) || ts.isNewExpression(form)) break;
  }
  if (helper) return manual(node, helper, form);
  // `HttpStatusPhrases.FORBIDDEN` of a project module declaring `FORBIDDEN = "Forbidden"`: the phrase, named so.
  const phrase = projectPhraseReason(analysis, node, context);
  if (phrase) return manual(node, phrase, form);
  // A 403 response of @pagopa/ts-commons (`ResponseErrorForbiddenNotAuthorized`): a known producer, named so.
  const commons = tsCommonsForbiddenReason(analysis, node, analysis.target);
  if (commons) return { ...manual(node, commons, form), framework: 'ts-commons' };
  // `send(res, Errors.FORBIDDEN_ROUTE)`: a table entry handed whole to a helper (census-handed-entries.ts).
  const handed = handedEntryReason(analysis, node);
  if (handed) return manual(node, handed, form);
  return manual(
    node,
    `'${name}' names a 403 in a shape mtls-fix does not know (${shorten(form.getText(analysis.sourceFile))}): check the status it sends; if it is a response, answer ${analysis.target} there by hand; if not, mark it // mtls-fix-ignore: <why>.`,
    form,
  );
}

/**
 * `FORBIDDEN` of `const DENIED = StatusCodes.FORBIDDEN` (also `http2.constants.HTTP_STATUS_FORBIDDEN`, Nest's
 * `HttpStatus.FORBIDDEN`): a status library's 403 number held by a variable; its name and the read as written.
 */
function heldLibraryStatus(
  analysis: FileAnalysis,
  node: ts.Identifier,
): { name: string; text: string } | undefined {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return undefined;
  if (analysis.libraryConstant(access)?.value !== 403) return undefined;
  let holder: ts.Node = access.parent;
  while (
    ts.isParenthesizedExpression(holder) ||
    ts.isAsExpression(holder) ||
    ts.isSatisfiesExpression(holder)
  )
    holder = holder.parent;
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return undefined;
  return { name: holder.name.text, text: shorten(access.getText(analysis.sourceFile)) };
}

/**
 * Whether a destructuring element binds a package's named export (imports.ts binds `const { A } = require('m')`,
 * `const { A } = Namespace` of a package import, and nested patterns of them, as named imports): the file's
 * import map holds the element's local name with this very pattern as its list.
 */
function bindsPackageName(analysis: FileAnalysis, element: ts.BindingElement): boolean {
  if (!ts.isIdentifier(element.name) || !ts.isObjectBindingPattern(element.parent)) return false;
  const binding = analysis.importOf(element.name.text);
  return binding !== undefined && binding.namedImports === element.parent;
}

const VALIDATOR_MODULES = new Set(['joi', '@hapi/joi', 'celebrate', 'yup', 'zod', 'superstruct', 'valibot']);
const VALIDATOR_ROOTS = new Set(['Joi', 'joi', 'Yup', 'yup', 'z', 'Segments']);

/** `Joi.string().forbidden()`, `schema.forbidden()` from a validator library: "this key must be absent". */
function isValidatorCall(analysis: FileAnalysis, node: ts.Identifier): boolean {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return false;
  if (!ts.isCallExpression(access.parent) || access.parent.expression !== access) return false;
  let root: ts.Expression = access.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const binding = analysis.importOf(root.text);
  if (binding) return VALIDATOR_MODULES.has(binding.module);
  return VALIDATOR_ROOTS.has(root.text) || analysis.importsModule(...VALIDATOR_MODULES);
}

/**
 * `app.response.forbidden = function () { … }`, `app.context.deny = (…) => …`: the name of a method the project
 * installs on a framework object by assignment. The name sends nothing; the function's own 403s are counted
 * where they are written (`this.status(403)` in it is the response's, receivers.ts).
 */
function isInstalledMethodName(node: ts.Identifier): boolean {
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name !== node) return false;
  const assignment = access.parent;
  if (
    !ts.isBinaryExpression(assignment) ||
    assignment.left !== access ||
    assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken
  )
    return false;
  let value = assignment.right;
  while (ts.isParenthesizedExpression(value)) value = value.expression;
  return ts.isFunctionExpression(value) || ts.isArrowFunction(value);
}
