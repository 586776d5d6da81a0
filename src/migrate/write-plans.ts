import { writeEachAtomic, type WriteRefusedError } from '../util/write-atomic.js';
import type { Site } from './types.js';

/** One file's planned rewrite, waiting to be written. */
export interface PlannedWrite {
  absolute: string;
  /** The report's path (relative, `/`-separated). */
  file: string;
  /** The text the plan was computed from (the file must still hold it). */
  before: string;
  after: string;
  /** The rewrite sites whose edits the new text holds. */
  sites: readonly Site[];
}

/**
 * Writes planned rewrites, each file atomically on its own (src/util/write-atomic.ts `writeEachAtomic`: the
 * disk waits overlap). Returns how many were written and, in order, those refused with why; a refused file
 * is left as it was.
 */
export async function writePlanned(
  planned: readonly PlannedWrite[],
): Promise<{ written: number; refused: { write: PlannedWrite; error: WriteRefusedError }[] }> {
  const outcomes = await writeEachAtomic(
    planned.map((p) => ({ path: p.absolute, text: p.after, display: p.file, original: p.before })),
  );
  const refused: { write: PlannedWrite; error: WriteRefusedError }[] = [];
  outcomes.forEach((error, index) => {
    if (error) refused.push({ write: planned[index], error });
  });
  return { written: planned.length - refused.length, refused };
}
