import ts from '../typescript.cjs';
import { chainTop } from './test-chains.js';
import { nodeAt } from './routes/reach.js';

// Cypress aliases, for the test follower (test-follow.ts): an assertion on `cy.get('@denied')` or
// `cy.wait('@denied')` reads the reply of the command the test named with `.as('denied')`
// (docs.cypress.io/api/commands/as): `cy.request(opts).as('denied')`, whose request the follower links, or
// `cy.intercept(matcher).as('denied')`, a spy on the requests the app under test makes, which it does not. Without
// this, the assertion went to the last request made before it in the test, another alias's.

/** Where an aliased reply comes from. */
export type CypressAlias =
  /** A command chain the test named with `.as(name)`: `at` is a position inside it (its `.as` call). */
  | { at: number }
  /** An alias of `cy.intercept(...)`: `intercept` is that call, shortened, for the reason. */
  | { intercept: string }
  /**
   * An alias of `cy.intercept(matcher, { statusCode: 403 })`, which answers the app itself (a static response,
   * docs.cypress.io/api/commands/intercept "StaticResponse"): the test's own 403, no server's.
   */
  | { stub: true }
  /** No `.as(name)` of the file defines the alias (a custom command, a support file): `name` as written. */
  | { undefinedAlias: string };

/** The commands that read an alias: `cy.get('@x')`, `cy.wait('@x')`. */
const ALIAS_READERS = new Set(['get', 'wait']);

/**
 * The alias an assertion at `position` reads, when its chain starts at `cy.get('@name')` / `cy.wait('@name')`:
 * the last `.as('name')` of the file before it (a hook's comes before the test's body), else the first after
 * it; undefined when the assertion reads no alias.
 */
export function cypressAlias(sourceFile: ts.SourceFile, position: number): CypressAlias | undefined {
  const node = nodeAt(sourceFile, position);
  if (!node) return undefined;
  const name = aliasRead(chainTop(node, { parens: true }));
  if (name === undefined) return undefined;
  const definitions: ts.CallExpression[] = [];
  const visit = (child: ts.Node): void => {
    child.forEachChild(visit);
    if (
      ts.isCallExpression(child) &&
      ts.isPropertyAccessExpression(child.expression) &&
      child.expression.name.text === 'as' &&
      child.arguments[0] &&
      ts.isStringLiteralLike(child.arguments[0]) &&
      child.arguments[0].text === name
    )
      definitions.push(child);
  };
  visit(sourceFile);
  const before = definitions.filter((d) => d.getStart(sourceFile) < position);
  const definition = before[before.length - 1] ?? definitions[0];
  if (!definition) return { undefinedAlias: `@${name}` };
  const intercept = interceptIn(definition);
  if (intercept && stubs(intercept)) return { stub: true };
  if (intercept) {
    const text = intercept.getText(sourceFile).replace(/\s+/g, ' ');
    return { intercept: text.length > 80 ? `${text.slice(0, 77)}...` : text };
  }
  return { at: definition.expression.getStart(sourceFile) };
}

/** The alias name a chain reads at its root (`cy.get('@r')` gives `r`), or undefined. */
function aliasRead(chain: ts.Node): string | undefined {
  let node: ts.Node = chain;
  for (;;) {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const inner = node.expression.expression;
      const first = node.arguments[0];
      if (
        ts.isIdentifier(inner) &&
        inner.text === 'cy' &&
        ALIAS_READERS.has(node.expression.name.text) &&
        first &&
        ts.isStringLiteralLike(first) &&
        first.text.startsWith('@')
      )
        return first.text.slice(1).split('.')[0];
      node = inner;
    } else if (ts.isPropertyAccessExpression(node) || ts.isParenthesizedExpression(node))
      node = node.expression;
    else return undefined;
  }
}

/** The `cy.intercept(...)` call of the chain a `.as(name)` names, if it is one. */
function interceptIn(definition: ts.CallExpression): ts.CallExpression | undefined {
  let node: ts.Expression = definition.expression;
  while (ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'intercept'
    )
      return node;
    node = ts.isCallExpression(node) ? node.expression : node.expression;
  }
  return undefined;
}

/**
 * Whether `cy.intercept(...)` answers with a static response it spells out: an object literal after the matcher
 * holding `statusCode` (or `forceNetworkError`, `fixture`) rather than a route handler function.
 */
function stubs(intercept: ts.CallExpression): boolean {
  return intercept.arguments.some(
    (a, i) =>
      i > 0 &&
      ts.isObjectLiteralExpression(a) &&
      a.properties.some(
        (p) =>
          ts.isPropertyAssignment(p) &&
          (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
          ['statusCode', 'fixture', 'forceNetworkError'].includes(p.name.text),
      ),
  );
}
