import ts from '../../typescript.cjs';
import type { ImportNeed } from '../types.js';

/**
 * The drop of a default import once the rewrite no longer reads it: `DENIED` of `import DENIED from './denied'`
 * (`export default 403`) whose read `res.status(DENIED)` becomes `res.status(401)`. The import goes whole, with
 * its line when nothing else is on it (never a side-effect import the user did not write, as import-edits.ts
 * drops a named import whose list empties), or loses its default name beside named ones (`import D, { X } from` -> `import { X } from`). An already `present` need:
 * planImportEdits drops it only when no other use of the name is left in the file. Undefined when `name` is no
 * default import of this file (a `require`, a namespace import).
 */
export function defaultImportDrop(sourceFile: ts.SourceFile, name: string): ImportNeed | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const clause = statement.importClause;
    if (!clause?.name || clause.name.text !== name || clause.isTypeOnly) continue;
    const start = clause.name.getStart(sourceFile);
    // To the statement's end: the module's name may spell the local one (`import http2 from 'node:http2'`), and
    // planImportEdits reads a match there as a use unless the need's own span covers it (session 30). A present
    // need is never renamed or added, so the span only marks the statement.
    const span = { start, end: statement.getEnd(), text: name };
    const remove = clause.namedBindings
      ? { start, end: clause.namedBindings.getStart(sourceFile), text: '' }
      : wholeStatement(sourceFile, statement);
    return {
      module: `\u0000default:${start}`,
      from: name,
      to: name,
      present: true,
      rename: span,
      add: span,
      remove,
    };
  }
  return undefined;
}

/** The removal of a whole statement, with its line (indentation and line break) when nothing else is on it. */
function wholeStatement(sourceFile: ts.SourceFile, statement: ts.Statement): ImportNeed['remove'] {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const end = statement.getEnd();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(end));
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && lineEnd)
    return { start: lineStart, end: end + lineEnd[0].length, text: '' };
  return { start, end: end + (/^[ \t]*/.exec(text.slice(end))?.[0].length ?? 0), text: '' };
}
