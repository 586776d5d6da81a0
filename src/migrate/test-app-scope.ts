import ts from '../typescript.cjs';
import type { CodeRoute } from './routes/model.js';
import type { Project, ProjectFile } from './routes/project.js';
import type { TestFileLinks } from './test-file-links.js';

/**
 * Which app a test's request goes to, for the test follower's route graph (test-route-graph.ts): a request made
 * on an app value (`request(app)`, `request(app.callback())`, `request.agent(server)`, `supertest(app.listen())`,
 * `app.inject`, `app.request`, a Nest app built from `AppModule`) reaches the routes of the modules the test
 * file loads (its imports and theirs, transitively), never a route of the same path in another app of the repo.
 * A test that loads no route file (a URL against a running server, an app handed over by a setup file) is
 * matched by path across the repo, and a match in more than one app is ambiguous.
 */
export class TestAppScope {
  /** Per file: the project files it loads, itself included (relative paths), worked out once. */
  private readonly closures = new Map<string, Set<string>>();
  private rootClosures?: Set<string>[];

  constructor(
    private readonly project: Project,
    private readonly links: TestFileLinks,
  ) {}

  /**
   * The routes among `candidates` the test file `from` can reach through the modules it loads; `undefined`
   * when it loads no file any candidate route is registered in (its app could not be resolved).
   */
  routesOfApp(from: ProjectFile, candidates: readonly CodeRoute[]): CodeRoute[] | undefined {
    const loaded = this.closureOf(from);
    const own = candidates.filter((route) => loaded.has(route.file));
    return own.length ? own : undefined;
  }

  /**
   * The files of `routes` that lie in apps no module ties together (no file of the repo loads two of them,
   * neither loads the other): two or more means a request matched by path alone may go to either app.
   */
  separateApps(routes: readonly CodeRoute[]): string[] {
    const files = [...new Set(routes.map((r) => r.file))];
    if (files.length < 2) return [];
    const groups: string[][] = [];
    for (const file of files) {
      const group = groups.find((g) => g.some((other) => this.together(file, other)));
      if (group) group.push(file);
      else groups.push([file]);
    }
    return groups.length > 1 ? groups.map((g) => g[0]) : [];
  }

  /** Whether one file loads the other, or some file nobody imports (an app's entry) loads both. */
  private together(a: string, b: string): boolean {
    const fileA = this.project.byRelative(a);
    const fileB = this.project.byRelative(b);
    if (!fileA || !fileB) return true;
    if (this.closureOf(fileA).has(b) || this.closureOf(fileB).has(a)) return true;
    return this.roots().some((closure) => closure.has(a) && closure.has(b));
  }

  /** The closures of the files no other walked file imports (entries: an app's main, a test, a script). */
  private roots(): Set<string>[] {
    if (this.rootClosures) return this.rootClosures;
    const files = this.project.files;
    const imported = new Set<string>();
    for (const file of files) for (const relative of this.links.importsOf(file)) imported.add(relative);
    return (this.rootClosures = files
      .filter((f) => !imported.has(f.relative) && !this.links.isTest(f.relative))
      .map((f) => this.closureOf(f)));
  }

  /** The project files `file` loads, transitively, itself included. */
  private closureOf(file: ProjectFile): Set<string> {
    const cached = this.closures.get(file.relative);
    if (cached) return cached;
    const seen = new Set<string>([file.relative]);
    const stack = [file];
    while (stack.length) {
      const next = stack.pop();
      if (!next) break;
      for (const relative of this.links.importsOf(next)) {
        if (seen.has(relative)) continue;
        seen.add(relative);
        const loaded = this.project.byRelative(relative);
        if (loaded) stack.push(loaded);
      }
    }
    this.closures.set(file.relative, seen);
    return seen;
  }
}

/**
 * Where a middleware imported at `position` of `file` is used (`app.use(new CSRF())` for `const CSRF =
 * require('koa-csrf')`, `app.use(ip({...}))` for `import ip from 'koa-ip'`): the positions of the names the
 * import binds, elsewhere in the file, and the value of a variable it initialises. An implicit 403 (middleware-403-table.ts) is reported at its import; the
 * routes behind its uses are the ones it answers for. Empty when `position` is in no import.
 */
export function importUses(file: ProjectFile, position: number): number[] {
  const source = file.sourceFile;
  let holder: ts.Node | undefined;
  const find = (node: ts.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    if (ts.isImportDeclaration(node) || ts.isVariableStatement(node)) holder = node;
    else node.forEachChild(find);
  };
  source.forEachChild(find);
  if (!holder) return [];
  const isImport =
    ts.isImportDeclaration(holder) ||
    holder.getText(source).includes('require(') ||
    holder.getText(source).includes('import(');
  if (!isImport) return [];
  const names = new Set<string>();
  const bind = (node: ts.Node): void => {
    if (
      ts.isIdentifier(node) &&
      (ts.isImportClause(node.parent) ||
        ts.isImportSpecifier(node.parent) ||
        ts.isNamespaceImport(node.parent) ||
        ts.isVariableDeclaration(node.parent) ||
        ts.isBindingElement(node.parent)) &&
      (node.parent as { name?: ts.Node }).name === node
    )
      names.add(node.text);
    node.forEachChild(bind);
  };
  bind(holder);
  const declared = holder;
  // A middleware the module makes when it loads (`const guard = require('express-jwt-permissions')()`): the
  // variable is reached wherever it is named, in other files too (`module.exports = guard`, then
  // `guard.check('admin')` in a route): its value is where the route graph follows it (routes/reach.ts).
  const uses: number[] = [];
  const own = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
      uses.push(node.initializer.getStart(source));
    node.forEachChild(own);
  };
  if (ts.isVariableStatement(holder)) own(holder);
  const visit = (node: ts.Node): void => {
    if (node === declared) return;
    if (ts.isIdentifier(node) && names.has(node.text)) uses.push(node.getStart(source));
    node.forEachChild(visit);
  };
  source.forEachChild(visit);
  return uses;
}
