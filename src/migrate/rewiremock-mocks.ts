import ts from '../typescript.cjs';

// rewiremock's own registration of a module mock (Session 47, tests47): `rewiremock('./upstream').with({ check:
// async () => ({ status: 403 }) })` (rewiremock README, "API": `rewiremock(moduleName)` returns a mock whose
// `.with(stubs)`, `.by(fn | name)`, `.callThrough()`, `.toBeUsed()`, `.nonStrict()` … set what replaces the
// module; `rewiremock(() => require('./x'))` names it by a load). Its `.proxy(…)` / `.module(…)` loads are
// module-loaders.ts's. Before, such a mock was no module mock: the stand-in's 403 was "a shape mtls-fix does not
// know" and the test's assertion was rewritten on the strength of the real module it replaces.

/** Packages whose default export is rewiremock (`require('rewiremock/node')`, `import rewiremock from 'rewiremock'`). */
export const REWIREMOCK_PACKAGES: ReadonlySet<string> = new Set([
  'rewiremock',
  'rewiremock/node',
  'rewiremock/webpack',
]);

/**
 * The `rewiremock(name)` call a chain starts from (`rewiremock('./x').with({…}).callThrough()` -> `rewiremock('./x')`),
 * when `call` is such a chain (or that call itself) and `names` holds the name it calls; else undefined. Read
 * top-down, so a tree parsed without parents is read alike.
 */
export function rewiremockStart(
  call: ts.CallExpression,
  names: ReadonlySet<string>,
): ts.CallExpression | undefined {
  let at: ts.Expression = call;
  while (ts.isCallExpression(at) && ts.isPropertyAccessExpression(at.expression))
    at = at.expression.expression;
  return ts.isCallExpression(at) && ts.isIdentifier(at.expression) && names.has(at.expression.text)
    ? at
    : undefined;
}
