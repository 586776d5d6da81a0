import type { Verdict } from './test-verdicts.js';

/**
 * The verdict of an assertion that runs once per row of a test table (or once per method or path of a loop),
 * from each row's verdict, in row order (`line` of each row, for reasons). A row left alone by `--spec` (a public
 * operation's 403) leaves the assertion alone only when no other row reaches a site this run rewrote: a mixed
 * reach is manual, naming both (the rewritten row's request now gets the new status, the other keeps 403).
 * Any other manual row makes the assertion manual; else a row that is not an emit makes it not an emit.
 */
export function joinRowVerdicts(
  rows: readonly { line: number; verdict: Verdict }[],
  prefix: string,
): Verdict {
  let found: Verdict = { keep: true };
  let alone: { line: number; manual: string } | undefined;
  let rewritten: number | undefined;
  for (const { line, verdict } of rows) {
    if ('manual' in verdict) {
      if (!verdict.leftAlone) return { manual: `${prefix} ${line} ${verdict.manual}` };
      alone ??= { line, manual: verdict.manual };
    } else if ('notAnEmit' in verdict) found = verdict;
    else rewritten ??= line;
  }
  if (!alone) return found;
  if (rewritten === undefined) return { manual: `${prefix} ${alone.line} ${alone.manual}`, leftAlone: true };
  return {
    manual: `${prefix} ${alone.line} ${alone.manual}, while another row (line ${rewritten}) reaches a site this run rewrote, whose request now gets the new status: split the rows so each assertion checks one server`,
  };
}
