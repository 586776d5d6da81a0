import type ts from '../../typescript.cjs';
import type { Edit } from '../types.js';
import type { CandidateCall } from './types.js';

/** What settling a deferred candidate needs of its file's analysis (FileAnalysis has it). */
export interface ForbiddenValues {
  /** The edits that turn a 403-valued expression into the agreed status; undefined when it is not a 403. */
  forbiddenValueEdits(expression: ts.Expression): Edit[] | undefined;
}

const settled = new WeakMap<CandidateCall, boolean>();

/**
 * Whether a candidate call passes a 403 where it is recorded: true for every candidate but a deferred one
 * (call-sites.ts records `f(router0)` with `router0` imported without reading its module), which is read now,
 * once, through `analysis`. Consumers of `candidateCalls` ask this before they look a helper up (a lookup may
 * analyse the callee's file); the analysis visit itself no longer waits on any imported module.
 */
export function settledForbidden(analysis: ForbiddenValues, candidate: CandidateCall): boolean {
  if (!candidate.deferred) return true;
  let known = settled.get(candidate);
  if (known === undefined) {
    known = analysis.forbiddenValueEdits(candidate.value) !== undefined;
    settled.set(candidate, known);
  }
  return known;
}
