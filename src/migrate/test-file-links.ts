import { readFileSync } from 'node:fs';
import ts from '../typescript.cjs';
import type { Project, ProjectFile } from './routes/project.js';
import { replacedFiles } from './test-doubles.js';
import { matcherCall } from './frameworks/tests/matchers.js';

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

  /** The calls of a helper declared at `declaration`, in every test file that can name it. */
  callsOf(
    file: ProjectFile,
    declaration: ts.Node,
    name: string,
  ): { file: ProjectFile; node: ts.CallExpression }[] {
    const out: { file: ProjectFile; node: ts.CallExpression }[] = [];
    for (const candidate of this.project.files) {
      // The text first: a test file that never names the helper is not parsed for it.
      if (!this.testFiles.has(candidate.relative) || !this.mentions(candidate, name)) continue;
      if (candidate !== file && !this.importsOf(candidate).has(file.relative)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
          const found = this.project.lookup(candidate, node.expression, name);
          if (found.some((d) => d.file === file && d.node === declaration))
            out.push({ file: candidate, node });
        }
        node.forEachChild(visit);
      };
      visit(candidate.sourceFile);
    }
    return out;
  }

  /**
   * The calls of the custom matcher `name` (`expect(res).toBeForbidden()`, `.not.toBeForbidden()`) in every test
   * file of the run: `expect.extend` registers a matcher for every test the runner loads after it, whatever file
   * registers it (frameworks/tests/matchers.ts).
   */
  matcherCallsOf(name: string): { file: ProjectFile; node: ts.CallExpression; negated: boolean }[] {
    const out: { file: ProjectFile; node: ts.CallExpression; negated: boolean }[] = [];
    for (const candidate of this.project.files) {
      if (!this.testFiles.has(candidate.relative) || !this.mentions(candidate, name)) continue;
      const visit = (node: ts.Node): void => {
        const call = ts.isCallExpression(node) ? matcherCall(node) : undefined;
        if (call?.name === name) out.push({ file: candidate, node: call.call, negated: call.negated });
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
    try {
      return readFileSync(file.absolute, 'utf8');
    } catch {
      return '';
    }
  }
}
