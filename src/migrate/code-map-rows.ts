import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { helperNoteHead } from './analysis/helper-note-text.js';
import { literalNumber, shorten, skipOuter } from './analysis/syntax.js';
import type { CodeHelper } from './code-map-helpers.js';
import type { Site } from './types.js';

/**
 * What the code-map walk found (code-maps.ts): the sites that throw each 403 code of each table, and the helper
 * raises (`throw new AppError(code)` in `assertNotSelf`) that a call passing a 403 code reaches, with those calls.
 * Turned into the sites of the tables' 403 rows and of the raises here (session 36, breaker36 #01).
 */
export interface CodeUses<M> {
  /** By table and code: each site throwing it, with its place (`src/app.ts:11`). */
  thrown: Map<M, Map<string, Thrown[]>>;
  raised: Map<ts.Node, Raised>;
}

/** A site that throws a table's code, and where it is (`src/app.ts:11`). */
export interface Thrown {
  site: Site;
  place: string;
}

/** One helper raise and the calls that hand it a 403 code, as `file:line`. */
export interface Raised {
  helper: CodeHelper;
  calls: string[];
  codes: string[];
  /** The table, as a reason names it: `registry (src/errors.ts:1)`. */
  where: string;
  target: number;
}

/** A code table as the rows need it (code-maps.ts `CodeMap`). */
export interface RowTable {
  name: string;
  read: 'index' | 'get' | 'call';
  forbidden: ReadonlySet<string>;
  values: ReadonlyMap<string, ts.Expression>;
  analysis: FileAnalysis;
}

const SHOWN = 4;

function shown(places: readonly string[]): string {
  return places.length > SHOWN
    ? `${places.slice(0, SHOWN).join(', ')} and ${places.length - SHOWN} more`
    : places.join(', ');
}

/**
 * Names each helper raise a call passing a 403 code reaches, in its own file when the run analysed it: `throw new
 * AppError(code)` of `assertNotSelf(…, code)` is where the 403 answers, for the calls named at their lines.
 */
export function addRaiseSites(analyses: readonly FileAnalysis[], uses: CodeUses<unknown>): void {
  for (const [raise, raised] of uses.raised) {
    const analysis = analyses.find((a) => a.sourceFile === raised.helper.file.sourceFile);
    if (!analysis) continue;
    const { helper, calls, codes, where, target } = raised;
    // A raise another module already names (`c.json({ code }, registry[code].status)` of a Hono helper).
    const start = raise.getStart(analysis.sourceFile);
    if (analysis.sites.some((s) => s.span.start <= start && raise.getEnd() <= s.span.end)) continue;
    const listed = codes.map((c) => `'${c}'`).join(', ');
    const from =
      helper.by === 'type'
        ? `Its parameter '${helper.parameter}' takes codes that map to 403 through ${where} (${listed} passed at ${shown(calls)}), though mtls-fix did not follow where it goes.`
        : `A code that maps to 403 comes from the caller (parameter '${helper.parameter}': ${listed} at ${shown(calls)}), and answers 403 through ${where} here.`;
    analysis.addSite({
      node: raise,
      framework: 'code-maps',
      manual: true,
      reason: `${from} The calls are named where they pass it: on mTLS routes pass a code that maps to ${target}, or map the code to ${target} in ${where.split(' ')[0]}.`,
    });
  }
}

/**
 * Names each 403 row of each table (`CANNOT_SELF: { status: 403 }`) with the places that throw its code, and
 * sets the row site's `reachedThrough` to them: under `--spec` a row answers wherever its code is thrown.
 */
export function addRowSites<M extends RowTable>(tables: readonly M[], uses: CodeUses<M>): void {
  for (const table of tables) {
    const { analysis } = table;
    const read = {
      index: `${table.name}[code]`,
      get: `${table.name}.get(code)`,
      call: `${table.name}(code)`,
    }[table.read];
    for (const code of table.forbidden) {
      const value = table.values.get(code);
      if (!value) continue;
      const status = statusLiteral(value) ?? value;
      const start = status.getStart(analysis.sourceFile);
      const throwers = uses.thrown.get(table)?.get(code) ?? [];
      const through = throwers.map(({ site: s }) => ({ file: s.file, start: s.start }));
      // A row another module names (`[ErrorCode.LOCKED]: 403` of status-mappings): reached where it is thrown too.
      const named = analysis.sites.find((s) => s.span.start <= start && status.getEnd() <= s.span.end);
      if (named) {
        if (through.length) named.reachedThrough = [...(named.reachedThrough ?? []), ...through];
        continue;
      }
      const places = throwers.map((t) => t.place);
      const before = analysis.sites.length;
      // The row's status only (`status: 403`): the row's other members (`defaultMessage: 'Forbidden'`) are its own.
      const holder = ts.isPropertyAssignment(status.parent) ? status.parent : status;
      analysis.addSite({
        node: holder,
        at: status,
        framework: 'code-maps',
        manual: true,
        reason: throwers.length
          ? `The code '${code}' answers 403 in ${table.name} (read as ${read}); it is thrown at ${shown(places)}, named there. Map it to ${analysis.target} here if every route that throws it is mTLS, else throw a code that maps to ${analysis.target} on the mTLS routes.`
          : `The code '${code}' answers 403 in ${table.name} (read as ${read}); no throw of it was found in the files this run read: where an mTLS route throws it, throw a code that maps to ${analysis.target}, or map it to ${analysis.target} here.`,
      });
      const site = analysis.sites.length > before ? analysis.sites[analysis.sites.length - 1] : undefined;
      if (site && through.length) site.reachedThrough = through;
    }
  }
}

/** The 403 a row's value holds (`403`, the `403` of `{ status: 403 }`). */
function statusLiteral(value: ts.Expression): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isExpression(node) && literalNumber(skipOuter(node)) === 403) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(value);
  return found;
}

/**
 * Drops the shared-helper note error-classes gave a constructor whose parameter is a table's code
 * (`constructor(code: Code) { const meta = registry[code]; … this.code = code }`) when no call passing 403 was
 * linked to it: the parameter is no status, the throws of 403 codes and the rows are named by code-maps, and
 * "No call passing 403 was linked" contradicted them (breaker36 #01).
 */
export function dropCodeKeyedNotes(analyses: readonly FileAnalysis[], tables: ReadonlySet<string>): void {
  for (const analysis of analyses)
    for (const helper of analysis.helpers) {
      if (helper.framework !== 'error-classes' || helper.property !== undefined) continue;
      const parameter = helper.fn.parameters[helper.index]?.name;
      if (!parameter || !ts.isIdentifier(parameter) || !readsTable(helper.fn, parameter.text, tables))
        continue;
      const head = helperNoteHead(helper.name, false);
      const at = analysis.sites.findIndex(
        (s) =>
          s.framework === 'error-classes' &&
          s.kind === 'manual' &&
          helper.fn.pos <= s.start &&
          s.end <= helper.fn.end &&
          (s.reason ?? '').startsWith(`${head} No call passing`),
      );
      if (at >= 0) analysis.sites.splice(at, 1);
    }
}

/** Whether `fn` reads one of the tables with its parameter `name` (`registry[code]`, `.get(code)`, `(code)`). */
function readsTable(fn: ts.Node, name: string, tables: ReadonlySet<string>): boolean {
  let reads = false;
  const isParameter = (e: ts.Expression | undefined): boolean =>
    e !== undefined && ts.isIdentifier(skipOuter(e)) && (skipOuter(e) as ts.Identifier).text === name;
  const visit = (node: ts.Node): void => {
    if (reads) return;
    if (ts.isElementAccessExpression(node) && isParameter(node.argumentExpression))
      reads = tables.has(shorten(skipOuter(node.expression).getText()));
    else if (ts.isCallExpression(node) && isParameter(node.arguments[0])) {
      const callee = skipOuter(node.expression);
      const owner =
        ts.isPropertyAccessExpression(callee) && callee.name.text === 'get' ? callee.expression : callee;
      reads = tables.has(owner.getText());
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return reads;
}
