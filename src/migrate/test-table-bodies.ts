import ts from '../typescript.cjs';
import type { ProjectFile } from './routes/project.js';
import type { Resolve, TestRequest } from './routes/requests.js';
import { readsRow, tablesIn, valueIn } from './test-tables.js';
import { joinRowVerdicts } from './test-row-verdicts.js';
import type { Verdict } from './test-verdicts.js';

/**
 * A 403 written in the body of a test table whose rows give the request (`for (const [method, path] of
 * adminOnly) test(..., () => request(app)[method](path).expect(403))`, `cases.forEach(({ path }) => ...)`,
 * `it.each(rows)(title, (method, path) => ...)`): the assertion runs once per row, so it follows every row's
 * request, each read with that row's values (test-follow.ts). A row whose request the row does not spell out
 * (`pathOf('x')`) keeps it manual. Undefined when the position is in no such body, or its request reads no row.
 *
 * @param file the test file
 * @param position the assertion's start
 * @param requestAt the request the assertion checks, its names read through `resolve`
 * @param decideAt the assertion's verdict with its names read through `resolve`
 * @param plain the string an expression holds outside any row (the project's constant folding)
 */
export function decideEachRow(
  file: ProjectFile,
  position: number,
  requestAt: (resolve: Resolve) => TestRequest | undefined,
  decideAt: (resolve: Resolve) => Verdict,
  plain: Resolve,
): Verdict | undefined {
  const tables = tablesIn(file.sourceFile).filter((t) => t.body.pos <= position && position < t.body.end);
  // The innermost table first: its body is the one the assertion sits in.
  tables.sort((a, b) => b.body.pos - a.body.pos);
  const same = keyOf(requestAt(plain));
  for (const table of tables) {
    const rows = table.rows.map((row) => ({
      row,
      fromRow: (expression: ts.Expression): string | undefined => {
        const value = valueIn(table, row, expression);
        if (value) return ts.isStringLiteralLike(value) ? value.text : plain(value);
        return readsRow(table, expression) ? undefined : plain(expression);
      },
    }));
    const requests = rows.map(({ fromRow }) => requestAt(fromRow));
    const anyRow = (expression: ts.Expression): string | undefined =>
      readsRow(table, expression) ? '/{p}' : plain(expression);
    const readsTable = requests.some((r) => keyOf(r) !== same) || keyOf(requestAt(anyRow)) !== same;
    if (!readsTable) continue;
    const verdicts: { line: number; verdict: Verdict }[] = [];
    for (const [i, { row, fromRow }] of rows.entries()) {
      if (!requests[i])
        return {
          manual: `in the body of a test table whose row (line ${row.line}) does not spell out its request`,
        };
      verdicts.push({ line: row.line, verdict: decideAt(fromRow) });
    }
    // A row left alone by --spec beside a row whose request reaches a rewritten site is manual.
    return joinRowVerdicts(verdicts, 'for the test table row at line');
  }
  return undefined;
}

/** A request's method and path as text, to compare two readings of one request (its call node left out). */
function keyOf(request: TestRequest | undefined): string {
  return JSON.stringify(request ? { ...request, call: undefined } : null);
}
