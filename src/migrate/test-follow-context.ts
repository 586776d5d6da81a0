import type ts from '../typescript.cjs';
import type { Project, ProjectFile } from './routes/project.js';
import type { NotAnEmitRange, SupportFiles } from './test-built.js';
import type { TestFileLinks } from './test-file-links.js';
import type { TestRoutes } from './test-route-graph.js';
import type { TestVerdicts } from './test-verdicts.js';
import type { Site } from './types.js';

/**
 * What the test follower (test-follow.ts) knows of one run, shared by the modules that decide an assertion: by
 * its callers (test-follow-callers.ts), by its unit under test (test-follow-units.ts), the helper calls another
 * test file exports (test-imported-helpers.ts).
 */
export interface FollowContext {
  project: Project;
  /** The non-test sites of this run by file (relative path). */
  sitesByFile: ReadonlyMap<string, readonly Site[]>;
  /** Which files are tests, what each imports and mocks. */
  links: TestFileLinks;
  /** The routes a test's request reaches and the sites behind them. */
  routes: TestRoutes;
  /** The verdict from the linked sites. */
  verdicts: TestVerdicts;
  /** Said of a request no route matches in a framework's own repository (`ownFrameworkNote`). */
  ownFramework: string;
  /** The suite's test files, where a test's imported stand-ins live (test-built.ts `builtAround`). */
  support: SupportFiles;
  /** The not-an-emit ranges of an analysed file. */
  marksOf: (relative: string) => readonly NotAnEmitRange[];
  /** A test file's static string: its own never rewritten `var` / `let` names too (test-fixed-values.ts). */
  stringOf: (file: ProjectFile, expression: ts.Expression) => string | undefined;
}
