import { readFileSync } from 'node:fs';
import ts from '../typescript.cjs';
import type { Project, ProjectFile } from './routes/project.js';
import { replacedFiles, stubbedDeclarations } from './test-doubles.js';
import { moduleLoaderCall } from './module-loaders.js';

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

  /**
   * @param project the follower's project
   * @param testFiles the relative paths of the run's test files
   * @param textOf the text of an analysed file by relative path (read from disk when it gives none)
   * @param setup the files the runner loads before a test file (their module mocks hold for its tests)
   */
  constructor(
    private readonly project: Project,
    private readonly testFiles: ReadonlySet<string>,
    private readonly textOf: (relative: string) => string | undefined,
    private readonly setup: (testFile: ProjectFile) => readonly ProjectFile[] = () => [],
  ) {}

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

  /** Whether a file's text holds `name` (the engine's text when it analysed the file, else read from disk). */
  private mentions(file: ProjectFile, name: string): boolean {
    let text = this.textOf(file.relative);
    if (text === undefined)
      try {
        text = readFileSync(file.absolute, 'utf8');
      } catch {
        return false;
      }
    return text.includes(name);
  }
}
