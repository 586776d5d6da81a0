import { readFileSync } from 'node:fs';
import ts from '../typescript.cjs';
import type { Project, ProjectFile } from './routes/project.js';
import { replacedFiles, stubbedDeclarations } from './test-doubles.js';
import { moduleLoaderCall } from './module-loaders.js';
import { matcherCall, matcherProperty } from './frameworks/tests/matchers.js';
import { DEFAULT_EXPORT } from './test-assertion-place.js';
import { collectImports } from './imports.js';

/** A custom matcher's use: its call (`expect(res).toBeForbidden()`), or a chai property's access (`.to.be.refused`). */
export type MatcherUse = ts.CallExpression | ts.PropertyAccessExpression;

/**
 * Whether a declaration the project's look-up gives (`found`) is the helper declared at `declaration`: the same
 * node, or for a default export the function an `export default` holds, or the module itself (a `require()` of a
 * module whose `module.exports` is the helper).
 */
function isDeclaration(found: ts.Node, declaration: ts.Node, file: ProjectFile): boolean {
  if (found === declaration) return true;
  if (ts.isExportAssignment(declaration) && found === declaration.expression) return true;
  return found === file.sourceFile && isModuleExports(declaration);
}

/**
 * The word an import of `file` spells (`forbidden` of `./helpers/forbidden.js`; the folder's name for an
 * `index` file, imported by its folder): a test file without it does not import the file.
 */
function moduleWord(file: ProjectFile): string {
  const parts = file.relative.split('/');
  const base = (parts[parts.length - 1] ?? '').replace(/\.[^.]*$/, '');
  return base === 'index' && parts.length > 1 ? (parts[parts.length - 2] ?? base) : base;
}

/** `module.exports = function () {}`: the module's whole export. */
function isModuleExports(node: ts.Node): boolean {
  return (
    ts.isBinaryExpression(node) &&
    ts.isPropertyAccessExpression(node.left) &&
    node.left.name.text === 'exports' &&
    ts.isIdentifier(node.left.expression) &&
    node.left.expression.text === 'module'
  );
}

/**
 * What the test files of a run link to, for the test follower (test-follow.ts) and its route graph
 * (test-route-graph.ts): which files are tests, the project files each test file imports and the ones it
 * replaces with module mocks, and the calls of a test helper. Each answer is worked out once per file.
 */
export class TestFileLinks {
  /** Per test file: the project files it replaces with module mocks (their sites never run in its tests). */
  private readonly replaced = new Map<ProjectFile, Set<string>>();
  /** Per test file: the project files it imports (a test file's server serves only its importers). */
  private readonly imported = new Map<ProjectFile, Set<string>>();
  /** Per test file: the declarations its loader calls stub (`stubbedBy`). */
  private readonly stubbed = new Map<ProjectFile, ReadonlySet<ts.Node>>();
  /** The texts read from disk (a file the engine did not analyse), each read once per run. */
  private readonly texts = new Map<ProjectFile, string>();

  /**
   * @param project the follower's project
   * @param testFiles the relative paths of the run's test files
   * @param textOf the text of an analysed file by relative path (read from disk when it gives none)
   * @param setup the files the runner loads before a test file (their module mocks hold for its tests)
   * @param setups every runner setup file of the project (test-setup-scopes.ts), read when first asked
   */
  constructor(
    private readonly project: Project,
    private readonly testFiles: ReadonlySet<string>,
    private readonly textOf: (relative: string) => string | undefined,
    private readonly setup: (testFile: ProjectFile) => readonly ProjectFile[] = () => [],
    private readonly setups: () => readonly ProjectFile[] = () => [],
  ) {}

  /** Whether `file` is one the runner loads before test files (`setupFilesAfterEnv`, `--require`). */
  isSetup(file: ProjectFile): boolean {
    return this.setups().includes(file);
  }

  /** Whether the file at `relative` is a test file of the run. */
  isTest(relative: string): boolean {
    return this.testFiles.has(relative);
  }

  /** The project files a test file imports or requires (relative paths), resolved once. */
  importsOf(file: ProjectFile): Set<string> {
    let found = this.imported.get(file);
    if (found) return found;
    found = new Set<string>();
    const add = (specifier: ts.Expression | undefined): void => {
      if (!specifier || !ts.isStringLiteralLike(specifier)) return;
      const resolved = this.project.resolveModule(file, specifier.text);
      if (resolved) found?.add(resolved.relative);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
      else if (
        ts.isCallExpression(node) &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
      )
        add(node.arguments[0]);
      // `proxyquire('../app', stubs)`, `rewire('../app')`, `jest.requireActual('../app')` (module-loaders.ts).
      else if (ts.isCallExpression(node)) add(moduleLoaderCall(node)?.specifier);
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
    this.imported.set(file, found);
    return found;
  }

  /** The project files a test file (or a runner setup file) replaces with module mocks (relative paths), resolved once. */
  replacedBy(file: ProjectFile): Set<string> {
    let found = this.replaced.get(file);
    if (!found) {
      found = replacedFiles(this.project, file);
      // `jest.mock('../src/auth', factory)` in a setup file (`setupFilesAfterEnv`) replaces it for the test files
      // its configuration runs.
      for (const setup of this.setup(file))
        if (setup !== file) for (const relative of replacedFiles(this.project, setup)) found.add(relative);
      this.replaced.set(file, found);
    }
    return found;
  }

  /**
   * The declarations a test file's loader calls stub member by member (test-doubles.ts `stubbedDeclarations`):
   * their code never runs in its tests, though the rest of their module does. Resolved once.
   */
  stubbedBy(file: ProjectFile): ReadonlySet<ts.Node> {
    let found = this.stubbed.get(file);
    if (!found) this.stubbed.set(file, (found = stubbedDeclarations(this.project, file)));
    return found;
  }

  /**
   * The calls of a helper declared at `declaration`, in every test file that can name it. A module's default
   * export (`name` `default`: `export default async function (request) {}`) is called by the names its importers
   * give it (`import expectForbidden from './helpers/forbidden'`, `const check = require('./check')`).
   */
  callsOf(
    file: ProjectFile,
    declaration: ts.Node,
    name: string,
  ): { file: ProjectFile; node: ts.CallExpression }[] {
    const out: { file: ProjectFile; node: ts.CallExpression }[] = [];
    const isDefault = name === DEFAULT_EXPORT;
    for (const candidate of this.project.files) {
      if (!this.testFiles.has(candidate.relative)) continue;
      // The text first: a test file that never names the helper is not parsed for it.
      if (!this.mentions(candidate, isDefault ? moduleWord(file) : name)) continue;
      if (candidate !== file && !this.importsOf(candidate).has(file.relative)) continue;
      const names = isDefault ? this.defaultNames(candidate, file) : new Set([name]);
      if (!names.size) continue;
      const visit = (node: ts.Node): void => {
        if (
          ts.isCallExpression(node) &&
          ts.isIdentifier(node.expression) &&
          names.has(node.expression.text)
        ) {
          const found = this.project.lookup(candidate, node.expression, node.expression.text);
          if (found.some((d) => d.file === file && isDeclaration(d.node, declaration, file)))
            out.push({ file: candidate, node });
        }
        node.forEachChild(visit);
      };
      visit(candidate.sourceFile);
    }
    return out;
  }

  /** The names a test file gives `target`'s default export (`import check from './check'`, `require('./check')`). */
  private defaultNames(candidate: ProjectFile, target: ProjectFile): Set<string> {
    const names = new Set<string>();
    for (const [local, binding] of collectImports(candidate.sourceFile))
      if (
        (binding.name === 'default' || binding.name === '*') &&
        this.project.resolveModule(candidate, binding.module) === target
      )
        names.add(local);
    return names;
  }

  /**
   * The uses of the custom matcher `name` (`expect(res).toBeForbidden()`, `.not.toBeForbidden()`, a chai plugin's
   * `expect(res).to.be.forbidden()` or `.to.be.refused`) in every test file of the run: `expect.extend` and
   * `chai.use` register a matcher for every test the runner loads after them, whatever file registers it
   * (frameworks/tests/matchers.ts).
   */
  matcherCallsOf(name: string): { file: ProjectFile; node: MatcherUse; negated: boolean }[] {
    const out: { file: ProjectFile; node: MatcherUse; negated: boolean }[] = [];
    for (const candidate of this.project.files) {
      if (!this.testFiles.has(candidate.relative) || !this.mentions(candidate, name)) continue;
      const visit = (node: ts.Node): void => {
        const use = ts.isCallExpression(node)
          ? matcherCall(node)
          : ts.isPropertyAccessExpression(node)
            ? matcherProperty(node)
            : undefined;
        if (use?.name === name) out.push({ file: candidate, node: use.call, negated: use.negated });
        node.forEachChild(visit);
      };
      visit(candidate.sourceFile);
    }
    return out;
  }

  /** Whether a file's text holds `name`. */
  private mentions(file: ProjectFile, name: string): boolean {
    return this.text(file).includes(name);
  }

  /** A file's text: the engine's when it analysed the file, else read from disk (empty when unreadable). */
  text(file: ProjectFile): string {
    const text = this.textOf(file.relative);
    if (text !== undefined) return text;
    let read = this.texts.get(file);
    if (read === undefined) {
      try {
        read = readFileSync(file.absolute, 'utf8');
      } catch {
        read = '';
      }
      this.texts.set(file, read);
    }
    return read;
  }
}
