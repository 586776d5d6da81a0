import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeRoutes,
  FIXTURES,
  projectSources,
  ROUTE_PROJECT_ROOTS,
} from '../../helpers/route-projects.js';
import ts from '../../../src/typescript.cjs';
import { extractCodeRoutes, Project, Reach } from '../../../src/migrate/routes/index.js';

// The reach index resolves only the identifiers that can name a declaration it is asked about (issue 9 §3).
// It must answer exactly as the full index that resolves every identifier of the project: checked at every
// identifier and every function of every fixture project that has routes, test files included.
const fixtures = FIXTURES;
const PROJECT_ROOTS = ROUTE_PROJECT_ROOTS;

const sources = projectSources;

describe('Reach: the lazy reference index answers as the full one', () => {
  it.each(PROJECT_ROOTS.map((root) => [path.relative(fixtures, root), root]))('%s', (_name, root) => {
    const project = new Project(root, sources(root));
    const routes = extractCodeRoutes(project, new Map());
    const lazy = new Reach(project, routes);
    const eager = new Reach(project, routes, { eager: true });
    let places = 0;
    let reached = 0;
    for (const file of project.files) {
      const positions = new Set<number>();
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node))
          positions.add(node.getStart(file.sourceFile));
        node.forEachChild(visit);
      };
      visit(file.sourceFile);
      for (const position of positions) {
        const expected = describeRoutes(eager.routesAt(file.relative, position));
        expect(
          describeRoutes(lazy.routesAt(file.relative, position)),
          `${file.relative}@${position}`,
        ).toEqual(expected);
        places++;
        if (expected.length) reached++;
      }
    }
    expect(places).toBeGreaterThan(0);
    // Projects with routes must exercise the reach (otherwise the comparison proves nothing).
    if (routes.length) expect(reached).toBeGreaterThan(0);
  });
});

describe('Reach through renaming imports and exports', () => {
  // test/fixtures/reach/aliases: one 403 in lib/deny.ts reached from seven routes, each through another kind of
  // alias (default import, `import { a as b }`, `export { a as b }`, `exports.b = a` read through a namespace import,
  // a renamed `require()` binding, a whole `require()` of a module with no default export read as its exports
  // object: `cjs.show` for `exports.show = ...`, `lib.deny` for an ES module), and one in lib/guard.js through
  // `module.exports = check`.
  const root = path.join(fixtures, 'reach', 'aliases');
  const project = new Project(root, sources(root));
  const routes = extractCodeRoutes(project, new Map());
  const at = (relative: string, text: string): number =>
    (project.byRelative(relative)?.sourceFile.text ?? '').indexOf(text);

  it.each([
    [
      'src/lib/deny.ts',
      'res.status(403)',
      [
        'GET /accounts/:id',
        'GET /cards',
        'GET /cards/default',
        'GET /cjs',
        'GET /payments',
        'POST /accounts/:id/close',
        'POST /transfers',
      ],
    ],
    ['src/lib/guard.js', 'res.status(403)', ['GET /legacy']],
  ])('%s %s', (file, text, expected) => {
    expect(at(file, text)).toBeGreaterThan(0);
    for (const reach of [new Reach(project, routes), new Reach(project, routes, { eager: true })])
      expect([...reach.routesAt(file, at(file, text))].map((r) => `${r.method} ${r.path}`).sort()).toEqual(
        expected,
      );
  });
});
