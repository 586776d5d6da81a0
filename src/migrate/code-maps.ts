import ts from '../typescript.cjs';
import { literalNumber, skipOuter, type FileAnalysis } from './analysis.js';
import { dataAnswerKind } from './data-answers.js';
import { CONSTANT_NAMES } from './status-names.js';
import type { Edit } from './types.js';

/**
 * An error-code map: a `const` object literal from application codes to HTTP statuses, looked up by a code
 * (`ErrorCodes = { forbidden: 403, exceeded_limit: 403, unauthorized: 401 }` read as `ErrorCodes[error.code]`).
 */
interface CodeMap {
  name: string;
  file: string;
  line: number;
  /** Codes that answer 403. */
  forbidden: Set<string>;
  /** Code -> status for every entry. */
  statuses: Map<string, number>;
}

/** Object keys that name the application code in an error's options (`new ApiError({ code: 'forbidden' })`). */
const CODE_KEYS = new Set([
  'code',
  'errorCode',
  'error_code',
  'error',
  'type',
  'kind',
  'name',
  'reason',
  'status',
]);

/** A map needs this many HTTP-status entries to count (two could be anything: `{ min: 400, max: 403 }`). */
const MIN_ENTRIES = 3;

/**
 * Error codes that a code map turns into 403 (the idiom of dub's `DubApiError({ code: 'forbidden' })` with
 * `ErrorCodes[error.code]`, Unkey's and many API code bases): every `new X({ code: '<403 code>' })`,
 * `new X('<403 code>', …)` and thrown `f({ code: … })` in the analysed files is a site. A code named like
 * the 403 reason phrase (`'forbidden'`, `'FORBIDDEN'`) is rewritten to the map's code for the target when the
 * map has one (`'unauthorized'`, as `TRPCError`'s code is); any other code (`'exceeded_limit'`) is reported.
 * A map counts only when some analysed file indexes it with a computed key (`ErrorCodes[code]`): a table of
 * constants read by name is left to the status-constant rules.
 *
 * Call after the modules and helper rounds ran on every file, before the census.
 */
export function addCodeMapSites(analyses: readonly FileAnalysis[]): void {
  const maps = analyses.flatMap(codeMapsIn).filter((map) => isIndexed(map, analyses));
  if (!maps.length) return;
  const codes = [...new Set(maps.flatMap((m) => [...m.forbidden]))];
  for (const analysis of analyses) {
    if (!codes.some((code) => analysis.text.includes(code))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node)) {
        const map = maps.find((m) => m.forbidden.has(node.text));
        if (map) codeSite(analysis, node, map);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(analysis.sourceFile);
  }
}

function codeMapsIn(analysis: FileAnalysis): CodeMap[] {
  const maps: CodeMap[] = [];
  // A map holds a literal 403 (any spelling `literalNumber` reads: 403, 403.0, 0x193, 4_03).
  if (!/403|0x193|4_03/i.test(analysis.text)) return maps;
  // In source order, as a walk of the tree would meet them (the first map holding a code wins).
  for (const node of analysis.variableDeclarations) {
    if (
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    ) {
      const object = skipOuter(node.initializer);
      if (ts.isObjectLiteralExpression(object)) {
        const statuses = new Map<string, number>();
        for (const property of object.properties) {
          if (!ts.isPropertyAssignment(property)) continue;
          const key =
            ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)
              ? property.name.text
              : undefined;
          const value = literalNumber(skipOuter(property.initializer));
          if (key !== undefined && value !== undefined && value >= 100 && value <= 599)
            statuses.set(key, value);
        }
        const forbidden = new Set([...statuses].filter(([, v]) => v === 403).map(([k]) => k));
        if (statuses.size >= MIN_ENTRIES && forbidden.size) {
          const line =
            analysis.sourceFile.getLineAndCharacterOfPosition(node.getStart(analysis.sourceFile)).line + 1;
          maps.push({ name: node.name.text, file: analysis.file, line, forbidden, statuses });
        }
      }
    }
  }
  return maps;
}

/** Whether some analysed file reads the map with a computed key: `Name[expr]` (not `Name['forbidden']`). */
function isIndexed(map: CodeMap, analyses: readonly FileAnalysis[]): boolean {
  const pattern = new RegExp(`(?<![\\w$])${map.name.replace(/\$/g, '\\$')}\\s*\\[\\s*(?!['"\`\\d])`);
  return analyses.some((a) => pattern.test(a.text));
}

/**
 * The error a code literal configures: `new X({ code })`, `new X(code, …)`, `throw f({ code })`; or, `result`,
 * a returned object carrying the code (`return { error, code: 'forbidden' }`) that a caller may throw.
 */
function errorOf(literal: ts.StringLiteralLike): { form: ts.Node; result?: true } | undefined {
  let argument: ts.Node = literal;
  const parent = literal.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === literal) {
    const key = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : '';
    if (!CODE_KEYS.has(key) || !ts.isObjectLiteralExpression(parent.parent)) return undefined;
    argument = parent.parent;
    const holder = skipOuterUp(argument);
    if (ts.isReturnStatement(holder) || ts.isArrowFunction(holder)) return { form: argument, result: true };
  }
  const call = argument.parent;
  if (ts.isNewExpression(call) && call.arguments?.includes(argument as ts.Expression)) {
    // A bare string is the code only as the first argument (`new AppError('forbidden', message)`).
    return argument === literal && call.arguments[0] !== literal ? undefined : { form: call };
  }
  if (
    ts.isCallExpression(call) &&
    argument !== literal &&
    call.arguments.includes(argument as ts.Expression)
  ) {
    const outer = skipOuterUp(call);
    return ts.isThrowStatement(outer) || ts.isReturnStatement(outer) ? { form: call } : undefined;
  }
  return undefined;
}

/** The first ancestor that is not a parenthesis, `as`, `satisfies` or `!` around `node`. */
function skipOuterUp(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (
    ts.isParenthesizedExpression(parent) ||
    ts.isAsExpression(parent) ||
    ts.isSatisfiesExpression(parent) ||
    ts.isNonNullExpression(parent)
  )
    parent = parent.parent;
  return parent;
}

function codeSite(analysis: FileAnalysis, literal: ts.StringLiteralLike, map: CodeMap): void {
  const error = errorOf(literal);
  if (!error) return;
  const form = error.form;
  const start = literal.getStart(analysis.sourceFile);
  if (analysis.sites.some((s) => s.span.start <= start && literal.getEnd() <= s.span.end)) return;
  const answer = dataAnswerKind(form, analysis.sourceFile);
  if (answer) {
    // A server action, tRPC procedure or GraphQL resolver answers 200: the code never becomes a status there.
    analysis.notAnEmit(literal, answer);
    return;
  }
  const where = `${map.name} (${map.file}:${map.line})`;
  if (error.result) {
    analysis.addSite({
      node: form,
      framework: 'code-maps',
      manual: true,
      at: literal,
      reason: `A returned object carries the code '${literal.text}', which answers 403 through ${where} where a caller throws it: change the code for mTLS routes if it is thrown (not when it only describes an item of a 200 answer).`,
    });
    return;
  }
  const to = targetCode(literal.text, map, analysis.target);
  if (!to) {
    analysis.addSite({
      node: form,
      framework: 'code-maps',
      manual: true,
      at: literal,
      reason: `'${literal.text}' answers 403 through ${where}: throw a code that maps to ${analysis.target} on mTLS routes, or map this code to ${analysis.target} there.`,
    });
    return;
  }
  const own = analysis.phraseEdit(literal, to);
  const companions = analysis
    .companionEdits(form)
    .filter((e: Edit) => e.end <= own.start || e.start >= own.end);
  analysis.addSite({
    node: form,
    framework: 'code-maps',
    at: literal,
    edits: [own, ...companions],
    cover: analysis.companionCover(form),
    reason: `'${literal.text}' answers 403 through ${where}; '${to}' answers ${analysis.target} there.`,
  });
}

/**
 * The map's code for the target, when `code` is the 403 reason phrase as a code (`forbidden`, `FORBIDDEN`,
 * `Forbidden`): the entry named like the target's phrase, else the only entry with the target status.
 */
function targetCode(code: string, map: CodeMap, target: number): string | undefined {
  const plain = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');
  if (plain(code) !== 'forbidden') return undefined;
  const candidates = [...map.statuses].filter(([, v]) => v === target).map(([k]) => k);
  const named = CONSTANT_NAMES[target];
  return (
    candidates.find((k) => named !== undefined && plain(k) === plain(named)) ??
    (candidates.length === 1 ? candidates[0] : undefined)
  );
}
