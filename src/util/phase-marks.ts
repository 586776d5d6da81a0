/**
 * Phase marks of a run, for `--debug` timings: `performance.mark` entries named `mtls-fix:<phase>` on the calling
 * thread's timeline (milliseconds since the process started). Library code marks; only the command prints them.
 */
const PREFIX = 'mtls-fix:';

/** Records that `phase` ended now (a name such as 'migrate/analysis'). */
export function markPhase(phase: string): void {
  performance.mark(PREFIX + phase);
}

/** The phases marked so far, in order: name and time in milliseconds since the process started. */
export function phaseMarks(): { phase: string; ms: number }[] {
  return performance
    .getEntriesByType('mark')
    .filter((entry) => entry.name.startsWith(PREFIX))
    .map((entry) => ({ phase: entry.name.slice(PREFIX.length), ms: entry.startTime }));
}
