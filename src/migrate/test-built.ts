import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { Project, ProjectFile } from './routes/project.js';
import { nodeAt } from './routes/reach.js';
import {
  codeAround,
  denyingGuard,
  foreignStandIns,
  hookCalls,
  manualMockFiles,
  moduleMocks,
  substituteFiles,
} from './test-doubles.js';
import { bypassedStub, stubStatements } from './test-stubs.js';
import { isMockChain, mocksFrom } from './mock-chains.js';

// A 403 a test builds itself, for the test follower (test-follow.ts): the not-an-emit ranges the analysis marked
// in a test file (its own server or error, a mock of another service, client code) and the mock libraries whose
// calls answer for another service, never for the product.

/** A range of a file that the analysis marked as not an emit (`FileAnalysis.notAnEmitRanges`). */
export interface NotAnEmitRange {
  start: number;
  end: number;
  kind: string;
}

/** Not-an-emit kinds that are a 403 a test builds itself: a test's own server or error, a mock, client code. */
export const BUILT_KINDS: readonly string[] = ['mock', 'test-fixture', 'client'];

/** The first range of `kinds` lying wholly inside `start`..`end`. */
export function builtWithin(
  ranges: readonly NotAnEmitRange[],
  start: number,
  end: number,
  kinds: readonly string[] = BUILT_KINDS,
): NotAnEmitRange | undefined {
  return ranges.find((r) => kinds.includes(r.kind) && r.start >= start && r.end <= end);
}

/**
 * Whether a call mocks another service: its chain root is imported from a mock library, is `nock` / `fetchMock`
 * / `mockAgent`, or is a local holding such a mock (`const mock = new MockAdapter(axios)`; mock-chains.ts).
 */
export function isMockCall(analysis: FileAnalysis, call: ts.CallExpression): boolean {
  return isMockChain(call, (name) => analysis.importOf(name));
}

/** A mock of another service answering 403 inside the test body (`nock(url).get('/x').reply(403)`). */
function mockedIn(analysis: FileAnalysis, body: ts.Node): NotAnEmitRange | undefined {
  let found: NotAnEmitRange | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      isMockCall(analysis, node) &&
      /\b403\b|forbidden/i.test(node.getText(analysis.sourceFile))
    ) {
      found = { start: node.getStart(analysis.sourceFile), end: node.getEnd(), kind: 'mock' };
      return;
    }
    node.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** `isMockCall` for a file the follower has no analysis of: its import of the call's root, read from its tree. */
export function isMockCallIn(project: Project, file: ProjectFile, call: ts.CallExpression): boolean {
  let root: ts.Expression = call.expression;
  // `nock(url)[method]('/x')`: a computed member of the mock's chain too
  while (
    ts.isPropertyAccessExpression(root) ||
    ts.isElementAccessExpression(root) ||
    ts.isCallExpression(root)
  )
    root = root.expression;
  if (ts.isNewExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  if (['nock', 'fetchMock', 'mockAgent'].includes(root.text)) return true;
  return project.lookup(file, root, root.text).some((d) => {
    const module = ts.isSourceFile(d.node) ? undefined : importedFrom(d.node);
    return module !== undefined && mocksFrom(module, importedName(d.node) ?? '*');
  });
}

/** The name an import specifier or a destructured `require()` binds from its module (`{ MockAgent: M }`). */
function importedName(node: ts.Node): string | undefined {
  if (ts.isImportSpecifier(node) || ts.isBindingElement(node)) {
    const name = node.propertyName ?? node.name;
    return ts.isIdentifier(name) ? name.text : undefined;
  }
  return undefined;
}

/** The module an import or require declaration binds a name from. */
function importedFrom(node: ts.Node): string | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isImportDeclaration(current) && ts.isStringLiteral(current.moduleSpecifier))
      return current.moduleSpecifier.text;
    if (ts.isVariableDeclaration(current)) {
      const init = current.initializer;
      return init &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'require' &&
        init.arguments[0] &&
        ts.isStringLiteral(init.arguments[0])
        ? init.arguments[0].text
        : undefined;
    }
  }
  return undefined;
}

/** A 403 a test builds itself (a not-an-emit range of a test file) and the file it is in. */
export interface BuiltHere {
  range: NotAnEmitRange;
  file: ProjectFile;
}

/**
 * A 403 the test builds itself and that runs for the test whose body is `body`: in the body, in the hooks
 * around it, in the file's module mocks, or in the file's helpers those name (a mocked service throwing
 * `ForbiddenException`, a mocked middleware answering 403, a nock reply). Undefined when none of `kinds` is
 * found there.
 *
 * @param project the follower's project (to read the file's module mocks and helpers)
 * @param analysis the analysis of the test file (its not-an-emit ranges and imports)
 * @param kinds the not-an-emit kinds that count (`BUILT_KINDS` unless told)
 */
export function builtAround(
  project: Project,
  file: ProjectFile,
  analysis: FileAnalysis,
  body: ts.Node,
  kinds: readonly string[] = BUILT_KINDS,
  support?: SupportFiles,
): BuiltHere | undefined {
  const nodes = [body, ...codeAround(project, file, body)];
  // A stand-in for a member the test calls through a copy taken before the stub (`const { check } = require(...)`)
  // is not what the test runs.
  const ranges = analysis.notAnEmitRanges.filter((r) => {
    const at = nodeAt(file.sourceFile, r.start);
    return !at || !bypassedStub(file.sourceFile, at, body, nodes.slice(1));
  });
  for (const node of nodes) {
    const range =
      builtWithin(ranges, node.getStart(file.sourceFile), node.getEnd(), kinds) ??
      (kinds.includes('mock') ? mockedIn(analysis, node) : undefined);
    if (range) return { range, file };
  }
  // A stand-in guard that returns false: NestJS answers 403 for it, with no 403 written in the test.
  if (kinds.includes('test-fixture'))
    for (const node of nodes) {
      const guard = denyingGuard(node);
      if (guard) return { range: { ...guard, kind: 'test-fixture' }, file };
    }
  // A stand-in the test imports from a support file of the suite (a denying guard class, a refusing fake).
  if (support)
    for (const d of foreignStandIns(project, file, nodes, support.isTest)) {
      const start = d.node.getStart(d.file.sourceFile);
      const range = builtWithin(support.marksOf(d.file.relative), start, d.node.getEnd(), kinds);
      if (range) return { range, file: d.file };
      const guard = kinds.includes('test-fixture') ? denyingGuard(d.node) : undefined;
      if (guard) return { range: { ...guard, kind: 'test-fixture' }, file: d.file };
    }
  // A module mockery loads in place of one the unit requires (`mockery.registerSubstitute('./policy',
  // '../test/fakes/policy')`): its code is the test's stand-in.
  if (support)
    for (const substitute of substituteFiles(project, file)) {
      const range = builtWithin(support.marksOf(substitute.relative), 0, substitute.sourceFile.end, kinds);
      if (range) return { range, file: substitute };
    }
  // A stub, hook or module mock a setup file of the runner installs for the tests it loads before (`setupFiles`,
  // `.mocharc` `require`, `mocha -r setup.js test/unit`).
  for (const setup of support?.setup?.(file) ?? []) {
    if (setup === file || !support) continue;
    const marks = support.marksOf(setup.relative);
    const statements = setup.sourceFile.statements;
    const mocks = moduleMocks(setup.sourceFile).map((m) => m.call);
    for (const node of [...stubStatements(statements), ...hookCalls(statements), ...mocks]) {
      const range = builtWithin(marks, node.getStart(setup.sourceFile), node.getEnd(), kinds);
      if (range) return { range, file: setup };
    }
  }
  // A manual mock (`__mocks__/auth.js`) a factory-less `jest.mock('../src/auth')` loads.
  if (support)
    for (const mock of manualMockFiles(project, file)) {
      const range = builtWithin(support.marksOf(mock.relative), 0, mock.sourceFile.getEnd(), kinds);
      if (range) return { range, file: mock };
    }
  return undefined;
}

/** The suite's other test files, for stand-ins a test imports: which files are tests, and their marks. */
export interface SupportFiles {
  isTest: (relative: string) => boolean;
  /** The not-an-emit ranges of an analysed file (empty when it was not analysed). */
  marksOf: (relative: string) => readonly NotAnEmitRange[];
  /** The files the runner loads before a test file (test-setup-files.ts), read when first asked. */
  setup?: (testFile: ProjectFile) => readonly ProjectFile[];
}
