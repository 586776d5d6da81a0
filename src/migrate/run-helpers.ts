import type { CandidateCall, FileAnalysis, HelperParam } from './analysis.js';
import { exportNamesOf } from './analysis/call-sites.js';
import { settleHelperNotes } from './analysis/helper-notes.js';
import { installedHelpers, type InstalledHelpers } from './analysis/installed-helpers.js';
import { inheritedHelpers } from './inherited-helpers.js';
import { settleResultReads, topLevelFunction, type Producer } from './result-producers.js';
import { addReturnedResponseCompanions } from './returned-responses.js';
import type { RunFiles } from './run-files.js';
import { localHelpers, rewriteHelperCalls } from './transform.js';
import { markPhase } from '../util/phase-marks.js';

/** Rounds of helper matching at most: each round matches the calls of the files the last one analysed. */
const HELPER_ROUNDS = 8;

/**
 * Helper call sites: a call of a function whose parameter becomes the status is a site of its caller's file. Same
 * file first, then helpers imported from other files (through re-exports, path aliases and package imports; the
 * defining file is analysed on demand), and helpers a subclass inherits from a base class another file declares.
 * Rounds until no forwarding helper is new. Then the bodies beside a response a rewritten helper returns follow it
 * (`deny(res).json({ error: 'Forbidden' })`, returned-responses.ts). Mutates the analyses' sites.
 */
export function settleHelperCalls(run: RunFiles): void {
  let installed = installedHelpers(run.analyses.values());
  const helpersOf = helperLookup(
    run,
    (absolute) => run.analysisOf(absolute),
    () => installed,
  );
  for (let round = 0, again = true; again && round < HELPER_ROUNDS; round++) {
    const before = [...run.analyses];
    // Files analysed on demand during this round get their own calls matched in the next one.
    again = false;
    // `res.renderError('…', 403)` of a helper a middleware installs on the response (analysis/installed-helpers.ts).
    if (round) installed = installedHelpers(run.analyses.values());
    for (const [absolute, analysis] of before) {
      const found = rewriteHelperCalls(analysis, helpersOf(absolute, analysis));
      again ||= found;
    }
    again ||= run.analyses.size > before.length;
  }
  installedHelpers(run.analyses.values()).nameUnproved(run.analyses.values());
  // Each shared helper's note says which calls were rewritten through it, or that none was.
  settleHelperNotes(run.analyses.values());

  // `deny(res).json({ error: 'Forbidden' })`: bodies beside a response a rewritten helper returns follow it.
  const absoluteOf = new Map([...run.analyses].map(([absolute, analysis]) => [analysis, absolute]));
  addReturnedResponseCompanions([...run.analyses.values()], (analysis, callee) => {
    const binding = callee.includes('.') ? undefined : analysis.imports.get(callee);
    const absolute = binding && absoluteOf.get(analysis);
    const defined =
      binding && absolute ? run.links.definition(absolute, binding.module, binding.name) : undefined;
    const there = defined && run.analyses.get(defined.file);
    return there && defined ? { analysis: there, name: defined.name } : undefined;
  });
  markPhase('migrate/helpers');
}

/**
 * The helpers a call of one file may reach (`rewriteHelperCalls`' lookup): one the file declares, one it imports
 * (through re-exports, path aliases and package imports), one a subclass inherits from a base class another file
 * declares, else a helper a middleware installs on the response. `analysisOf` gives a file's analysis by absolute
 * path (the run's `analysisOf`, which analyses on demand; skipped-tests.ts gives one that keeps the run's
 * analyses as they are); `installed` the run's installed helpers as they now stand.
 */
export function helperLookup(
  run: RunFiles,
  analysisOf: (absolute: string) => FileAnalysis | undefined,
  installed: () => InstalledHelpers,
): (
  absolute: string,
  analysis: FileAnalysis,
) => (callee: string, candidate?: CandidateCall) => HelperParam[] {
  const exported = (absolute: string, name: string): HelperParam[] =>
    analysisOf(absolute)?.helpers.filter((h) => h.exportName === name) ?? [];
  const imported = (absolute: string, analysis: FileAnalysis, callee: string): HelperParam[] => {
    // `this.deny(res, 403)` in a subclass whose base class another file declares (inherited-helpers.ts).
    if (callee.includes('.prototype.'))
      return inheritedHelpers(
        absolute,
        analysis,
        callee,
        (from, module, name) => run.links.definition(from, module, name),
        analysisOf,
        (there, name) => localHelpers(there)(name),
      );
    // `f`, `ns.f`; a member of an imported object or class: `helpers.deny`, `ns.helpers.deny`, `Http.deny`.
    const [root = '', ...rest] = callee.split('.');
    const binding = analysis.imports.get(root);
    const name = binding?.name === '*' && rest.length ? rest.shift() : binding?.name;
    if (!binding || name === undefined || rest.length > 1) return [];
    const defined = run.links.definition(absolute, binding.module, name);
    return defined ? exported(defined.file, rest.length ? `${defined.name}.${rest[0]}` : defined.name) : [];
  };
  return (absolute, analysis) => {
    const local = localHelpers(analysis);
    return (callee, candidate) => {
      const here = local(callee);
      if (here.length) return here;
      const there = imported(absolute, analysis, callee);
      return there.length || !candidate ? there : installed().helpers(analysis, candidate);
    };
  };
}

/**
 * Dynamic slots that send the status of a project function's result (`res.status(check().status)`): that
 * function is read, in the same file or through an import of a non-test run file, analysed on demand
 * (result-producers.ts). Mutates the analyses' sites.
 *
 * @param status the agreed status the run rewrites to.
 */
export function settleProducedStatuses(run: RunFiles, status: number): void {
  const producerOf = producerLookup(run, run.analyses, (absolute) => run.analysisOf(absolute));
  settleResultReads(
    new Map([...run.analyses.values()].filter((a) => a.resultReads.length).map((a) => [a, a.resultReads])),
    producerOf,
    status,
  );
  markPhase('migrate/result-reads');
}

/**
 * How a result read of one of `analyses` (by absolute path) finds the function it calls (result-producers.ts
 * `settleResultReads`): a top-level function of the same file, or one an import names in a non-test run file,
 * whose analysis `analysisOf` gives (the run's own, analysed on demand; skipped-tests.ts's, read aside).
 */
export function producerLookup(
  run: RunFiles,
  analyses: ReadonlyMap<string, FileAnalysis>,
  analysisOf: (absolute: string) => FileAnalysis | undefined,
): (analysis: FileAnalysis, callee: string) => Producer | undefined {
  const fileOf = new Map([...analyses].map(([absolute, analysis]) => [analysis, absolute]));
  return (analysis, callee) => {
    const absolute = fileOf.get(analysis);
    const [root, member] = callee.split('.');
    if (member === undefined) {
      const local = topLevelFunction(analysis.sourceFile, (_, name) => name === root);
      if (local) return { analysis, fn: local };
    }
    const binding = analysis.imports.get(root);
    if (!absolute || !binding || (member !== undefined && binding.name !== '*')) return undefined;
    const defined = run.links.definition(absolute, binding.module, member ?? binding.name);
    const file = defined && run.file(defined.file);
    if (!defined || !file || file.test) return undefined;
    const producer = analysisOf(defined.file);
    const fn =
      producer &&
      topLevelFunction(producer.sourceFile, (candidate) => exportNamesOf(candidate).includes(defined.name));
    return producer && fn ? { analysis: producer, fn } : undefined;
  };
}
