import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';

// The 403 responses of @pagopa/ts-commons (breaker34 #04), as data for the census (census-names.ts) and the test
// follower (frameworks/tests/response-kinds.ts). Source: pagopa/io-ts-commons src/responses.ts: each is a constant
// `{ ...ResponseErrorGeneric(HttpStatusCodeEnum.HTTP_STATUS_403, title, detail), kind: "I" + its name }`, and
// `ResponseErrorGeneric` answers `apply: (res) => res.status(status).set("Content-Type",
// "application/problem+json").json(problem)`: a handler that returns one answers 403. The package was published
// as `italia-ts-commons` before it moved to the @pagopa scope.

/** The producers of @pagopa/ts-commons whose response answers 403, by exported name. */
export const TS_COMMONS_FORBIDDEN: ReadonlySet<string> = new Set([
  'ResponseErrorForbiddenNotAuthorized',
  'ResponseErrorForbiddenNotAuthorizedForProduction',
  'ResponseErrorForbiddenNotAuthorizedForRecipient',
  'ResponseErrorForbiddenNotAuthorizedForDefaultAddresses',
  'ResponseErrorForbiddenAnonymousUser',
  'ResponseErrorForbiddenNoAuthorizationGroups',
]);

/** The package's module specifiers: `@pagopa/ts-commons/lib/responses`, `italia-ts-commons/lib/responses`. */
const MODULE = /^(@pagopa\/ts-commons|italia-ts-commons)(\/|$)/;

/**
 * When `node` is a use of one of the package's 403 responses imported from it (`ResponseErrorForbiddenNotAuthorized`
 * returned by a handler), the reason to report it with; undefined for any other name.
 */
export function tsCommonsForbiddenReason(
  analysis: FileAnalysis,
  node: ts.Identifier,
  target: number,
): string | undefined {
  // `ResponseErrorForbiddenNotAuthorized` imported (or re-exported by a project module), or read off the module
  // (`responses.ResponseErrorForbiddenNotAuthorized` with `import * as responses from '.../lib/responses'`).
  const access = node.parent;
  const owner =
    ts.isPropertyAccessExpression(access) && access.name === node && ts.isIdentifier(access.expression)
      ? analysis.packageOf(access.expression.text)
      : undefined;
  const origin = owner ? { module: owner.module, name: node.text } : analysis.packageOf(node.text);
  if (!origin || !MODULE.test(origin.module) || !TS_COMMONS_FORBIDDEN.has(origin.name)) return undefined;
  const name = origin.name;
  const binding = origin;
  return `'${name}' of ${binding.module.split('/lib/')[0]} is a response that answers 403 (its apply() sends ResponseErrorGeneric(HTTP_STATUS_403, ...); kind "I${name}"): mtls-fix does not write this library's responses, so on mTLS routes return one that answers ${target} here by hand, and change the kind its tests expect; if it must stay 403, mark it // mtls-fix-ignore: <why>.`;
}
