import ts from '../typescript.cjs';
import { STATUS_KEYS, shorten, skipOuter, type FileAnalysis } from './analysis.js';
import { dataAnswerKind } from './data-answers.js';
import { FRAMEWORKS } from './frameworks/index.js';
import { CONSTANT_NAMES } from './status-names.js';
import type { Edit } from './types.js';
import { tableOfFunction, tableOfInitializer, type CodeMapRead, type TableOf } from './code-map-tables.js';
import {
  CODE_KEYS,
  codeFile,
  codeHelperOf,
  type CodeFile,
  type CodeHelper,
  type CodeTables,
} from './code-map-helpers.js';
import {
  addRaiseSites,
  addRowSites,
  dropCodeKeyedNotes,
  type CodeUses,
  type Thrown,
} from './code-map-rows.js';
import { lineAndCharacterAt } from '../util/lines.js';

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
  /** Codes keyed as a member of a code enum or object (`[AppErrorCode.FORBIDDEN]`), by code: the owners' texts. */
  owners: Map<string, Set<string>>;
  /** How it is read: `Name[code]`, `Name.get(code)`, `Name(code)`. */
  read: CodeMapRead;
  /** Code -> the expression giving its status (the table's row), for the 403 rows' own sites. */
  values: Map<string, ts.Expression>;
  /** The file that declares the table. */
  analysis: FileAnalysis;
}

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
 *
 * @param only the files whose codes become sites (the test files a plain run reads aside, skipped-tests.ts): the
 *   maps are read from every analysis, but no other file gets a site, a raise or a row (the run's own files are
 *   settled already). Every file when absent.
 */
export function addCodeMapSites(analyses: readonly FileAnalysis[], only?: ReadonlySet<FileAnalysis>): void {
  const maps = analyses.flatMap(codeMapsIn).filter((map) => isIndexed(map, analyses));
  if (!maps.length) return;
  const codes = [...new Set(maps.flatMap((m) => [...m.forbidden]))];
  const tables: CodeTables = {
    names: new Set(maps.map((m) => m.name)),
    codes: new Set(maps.flatMap((m) => [...m.statuses.keys()])),
  };
  const uses: CodeUses<CodeMap> = { thrown: new Map(), raised: new Map() };
  for (const analysis of analyses) {
    if (only && !only.has(analysis)) continue;
    if (!codes.some((code) => analysis.text.includes(code))) continue;
    const context = {
      tables,
      uses,
      file: codeFile(analysis.sourceFile, analysis.options.link, analysis.imports),
    };
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node)) {
        const map = maps.find((m) => m.forbidden.has(node.text));
        if (map) codeSite(analysis, node, map, context);
        return;
      }
      // `new AppError(AppErrorCode.FORBIDDEN)` of a map keyed `[AppErrorCode.FORBIDDEN]`.
      if (ts.isPropertyAccessExpression(node) && codes.includes(node.name.text)) {
        const owner = node.expression.getText(analysis.sourceFile);
        const map = maps.find(
          (m) => m.forbidden.has(node.name.text) && m.owners.get(node.name.text)?.has(owner),
        );
        if (map) {
          codeSite(analysis, node, map, context);
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(analysis.sourceFile);
  }
  // The helpers' raises a 403 code reaches (`throw new AppError(code)`), the tables' 403 rows, and the error
  // class notes a code-keyed constructor got (code-map-rows.ts).
  if (only) return;
  addRaiseSites(analyses, uses);
  addRowSites(maps, uses);
  dropCodeKeyedNotes(analyses, tables.names);
}

function codeMapsIn(analysis: FileAnalysis): CodeMap[] {
  const maps: CodeMap[] = [];
  // A map holds a literal 403 (any spelling `literalNumber` reads: 403, 403.0, 0x193, 4_03).
  if (!/403|0x193|4_03/i.test(analysis.text)) return maps;
  const found: { name: ts.Identifier; node: ts.Node; table: TableOf }[] = [];
  // In source order, as a walk of the tree would meet them (the first map holding a code wins).
  for (const node of analysis.variableDeclarations) {
    if (
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    ) {
      const table = tableOfInitializer(node.initializer);
      if (table) found.push({ name: node.name, node, table });
    }
  }
  // `function statusOf(code) { switch (code) { case 'FORBIDDEN': return 403; … } }` at the top level.
  for (const statement of analysis.sourceFile.statements) {
    const table =
      ts.isFunctionDeclaration(statement) && statement.name ? tableOfFunction(statement) : undefined;
    if (table && ts.isFunctionDeclaration(statement) && statement.name)
      found.push({ name: statement.name, node: statement, table });
  }
  for (const { name, node, table } of found) {
    const { statuses, owners } = table.entries;
    const forbidden = new Set([...statuses].filter(([, v]) => v === 403).map(([k]) => k));
    // Rows that carry their status under a status key (`{ COMMON_FORBIDDEN: { status: 403 } }`, read as
    // `registry[this.code].status`) are a code table whatever their number (session 37): only a flat map of
    // numbers could be anything with fewer entries.
    if ((statuses.size < MIN_ENTRIES && !statusRows(table)) || !forbidden.size) continue;
    const line = lineAndCharacterAt(analysis.sourceFile, node.getStart(analysis.sourceFile)).line + 1;
    maps.push({
      name: name.text,
      file: analysis.file,
      line,
      forbidden,
      statuses,
      owners,
      read: table.read,
      values: table.entries.values,
      analysis,
    });
  }
  return maps;
}

/** Whether every row of an object table holds its status under a status key (`{ X: { status: 403 } }`). */
function statusRows(table: TableOf): boolean {
  const values = [...table.entries.values.values()];
  return (
    table.read === 'index' &&
    values.length > 0 &&
    values.every((value) => {
      const row = skipOuter(value);
      return (
        ts.isObjectLiteralExpression(row) &&
        row.properties.some(
          (p) =>
            ts.isPropertyAssignment(p) &&
            (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
            STATUS_KEYS.has(p.name.text),
        )
      );
    })
  );
}

/**
 * The names of one file's code maps and the codes they answer 403 for (`CSC_UNLICENSED` of
 * `[AppErrorCode.CSC_UNLICENSED]: { status: 403 }`): a file naming one is analysed even with no 403 of its own
 * (engine.ts phase 2), as it may read the map (`map[err.code]`, which makes it count) or throw that code (a site).
 */
export function codeMapNames(analysis: FileAnalysis): string[] {
  return codeMapsIn(analysis).flatMap((map) => [map.name, ...map.forbidden]);
}

/**
 * Whether some analysed file reads the map with a computed key: `Name[expr]` (not `Name['forbidden']`),
 * `Name.get(expr)` for a `Map`, `Name(expr)` for a function (not its own declaration).
 */
function isIndexed(map: CodeMap, analyses: readonly FileAnalysis[]): boolean {
  const name = map.name.replace(/\$/g, '\\$');
  const open = { index: '\\s*\\[', get: '\\s*\\.\\s*get\\s*\\(', call: '\\s*\\(' }[map.read];
  const pattern = new RegExp(`(?<![\\w$]|function\\s+)${name}${open}\\s*(?!['"\`\\d)])`);
  return analyses.some((a) => pattern.test(a.text));
}

/**
 * The error a code literal configures: `new X({ code })`, `new X(code, …)`, `throw f({ code })`; or, `result`,
 * a returned object carrying the code (`return { error, code: 'forbidden' }`) that a caller may throw.
 */
function errorOf(literal: CodeNode): { form: ts.Node; result?: true; passed?: true } | undefined {
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
    if (ts.isThrowStatement(outer) || ts.isReturnStatement(outer)) return { form: call };
    // `await assertLicensed(x, { errorCode: AppErrorCode.UNLICENSED })`: a member of the code enum handed to a
    // function under a code key is the code it raises (a string could be any data).
    return ts.isPropertyAccessExpression(literal) ? { form: call, passed: true } : undefined;
  }
  return undefined;
}

/** Packages of the framework modules (their `enablers`): `better-auth`, `@nestjs/common`, `hono`, ... */
const FRAMEWORK_PACKAGES = new Set(FRAMEWORKS.flatMap((f) => f.enablers));

/**
 * Whether an error form is built by a framework package (`APIError.from(…)`, `new APIError(…)` imported from
 * better-auth/api, `new HTTPException(…)` from hono/http-exception): its callee's root name is imported from a
 * framework module's package or one of its subpaths.
 */
function frameworkError(analysis: FileAnalysis, form: ts.Node): boolean {
  if (!ts.isCallExpression(form) && !ts.isNewExpression(form)) return false;
  let root: ts.Expression = form.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const module = analysis.importOf(root.text)?.module;
  if (!module) return false;
  const scoped = module.startsWith('@') ? module.split('/').slice(0, 2).join('/') : module.split('/')[0];
  return FRAMEWORK_PACKAGES.has(module) || FRAMEWORK_PACKAGES.has(scoped ?? module);
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

/** A code as written at a use: `'FORBIDDEN'`, or a member of a code enum or object (`AppErrorCode.FORBIDDEN`). */
type CodeNode = ts.StringLiteralLike | ts.PropertyAccessExpression;

/** What the walk of one file shares: the tables, what was thrown and raised so far, the file as helpers read it. */
interface SiteContext {
  tables: CodeTables;
  uses: CodeUses<CodeMap>;
  file: CodeFile;
}

/**
 * A site for one use of a 403 code: the error it configures (`errorOf`), or the helper call it is handed to
 * (`assertNotSelf(a, b, 'CANNOT_SELF')`, code-map-helpers.ts). Records the site as a throw of its code, and a
 * helper's raise that a manual call reaches.
 */
function codeSite(analysis: FileAnalysis, literal: CodeNode, map: CodeMap, context: SiteContext): void {
  const code = ts.isPropertyAccessExpression(literal) ? literal.name.text : literal.text;
  const before = analysis.sites.length;
  const helper = placeSite(analysis, literal, map, context, code);
  const site = analysis.sites.length > before ? analysis.sites[analysis.sites.length - 1] : undefined;
  if (!site || site.framework !== 'code-maps') return;
  const line = lineAndCharacterAt(analysis.sourceFile, site.start).line + 1;
  const byCode = context.uses.thrown.get(map) ?? new Map<string, Thrown[]>();
  byCode.set(code, [...(byCode.get(code) ?? []), { site, place: `${analysis.file}:${line}` }]);
  context.uses.thrown.set(map, byCode);
  if (!helper || site.kind !== 'manual') return;
  const raised = context.uses.raised.get(helper.raise) ?? {
    helper,
    calls: [],
    codes: [],
    where: whereOf(map),
    target: analysis.target,
  };
  raised.calls.push(`${analysis.file}:${line}`);
  if (!raised.codes.includes(code)) raised.codes.push(code);
  context.uses.raised.set(helper.raise, raised);
}

function whereOf(map: CodeMap): string {
  return `${map.name} (${map.file}:${map.line})`;
}

/** `file:line` of a helper's raise, relative to the working folder when the link knows it. */
function raisePlace(helper: CodeHelper, analysis: FileAnalysis): string {
  const { sourceFile, absolute } = helper.file;
  const file =
    sourceFile === analysis.sourceFile
      ? analysis.file
      : ((absolute && analysis.options.link?.relative?.(absolute)) ?? sourceFile.fileName);
  const line = lineAndCharacterAt(sourceFile, helper.raise.getStart(sourceFile)).line + 1;
  return `${file}:${line}`;
}

/** The helper a code written as a call's argument is handed to, when the code becomes an error's there. */
function helperOf(literal: CodeNode, context: SiteContext): CodeHelper | undefined {
  let argument: ts.Node = literal;
  while (ts.isParenthesizedExpression(argument.parent) || ts.isAsExpression(argument.parent))
    argument = argument.parent;
  const call = argument.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(argument as ts.Expression);
  return index < 0 ? undefined : codeHelperOf(context.file, call, index, context.tables);
}

/** Adds the site of one code use (see `codeSite`); returns the helper it is handed to, if that made it a site. */
function placeSite(
  analysis: FileAnalysis,
  literal: CodeNode,
  map: CodeMap,
  context: SiteContext,
  code: string,
): CodeHelper | undefined {
  const found = errorOf(literal);
  const helper = found ? undefined : helperOf(literal, context);
  const error = found ?? (helper ? { form: literal.parent, helper } : undefined);
  if (!error) return undefined;
  const form = error.form;
  const start = literal.getStart(analysis.sourceFile);
  if (analysis.sites.some((s) => s.span.start <= start && literal.getEnd() <= s.span.end)) return undefined;
  // A framework's own error (`APIError.from('FORBIDDEN', { code })` of better-auth) answers the status it is
  // given, whatever the code: never read through the project's map, 403 or not (a run that rewrote the status
  // must not find the code on the next run).
  if (frameworkError(analysis, form)) return undefined;
  const answer = dataAnswerKind(form, analysis.sourceFile);
  if (answer) {
    // A server action, tRPC procedure or GraphQL resolver answers 200: the code never becomes a status there.
    analysis.notAnEmit(literal, answer);
    return undefined;
  }
  const where = whereOf(map);
  if ('passed' in error && error.passed) {
    const callee = shorten((form as ts.CallExpression).expression.getText(analysis.sourceFile));
    analysis.addSite({
      node: form,
      framework: 'code-maps',
      manual: true,
      at: literal,
      reason: `Passes the code '${code}' to ${callee}(…), which answers 403 through ${where} where the error it raises carries it: on mTLS routes pass a code that maps to ${analysis.target}, or map this code to ${analysis.target} there.`,
    });
    return undefined;
  }
  if ('result' in error && error.result) {
    analysis.addSite({
      node: form,
      framework: 'code-maps',
      manual: true,
      at: literal,
      reason: `A returned object carries the code '${code}', which answers 403 through ${where} where a caller throws it: change the code for mTLS routes if it is thrown (not when it only describes an item of a 200 answer).`,
    });
    return undefined;
  }
  const to = targetCode(code, map, analysis.target);
  if (!to) {
    analysis.addSite({
      node: form,
      framework: 'code-maps',
      manual: true,
      at: literal,
      reason: helper
        ? `Passes the code '${code}' to ${shorten(helper.callee)}(…), which raises it (${raiseText(helper)} at ${raisePlace(helper, analysis)}): it answers 403 through ${where}. On mTLS routes pass a code that maps to ${analysis.target}, or map this code to ${analysis.target} there.`
        : `'${code}' answers 403 through ${where}: throw a code that maps to ${analysis.target} on mTLS routes, or map this code to ${analysis.target} there.`,
    });
    return helper;
  }
  // A member is renamed to its sibling when the map keys that sibling under the same owner.
  const owner = ts.isPropertyAccessExpression(literal)
    ? literal.expression.getText(analysis.sourceFile)
    : undefined;
  if (owner !== undefined && !map.owners.get(to)?.has(owner)) {
    analysis.addSite({
      node: form,
      framework: 'code-maps',
      manual: true,
      at: literal,
      reason: `'${code}' answers 403 through ${where}${helper ? ` where ${shorten(helper.callee)}(…) raises it (${raisePlace(helper, analysis)})` : ''}: throw a code that maps to ${analysis.target} on mTLS routes ('${to}'), or map this code to ${analysis.target} there.`,
    });
    return helper;
  }
  const own = ts.isPropertyAccessExpression(literal)
    ? analysis.replace(literal.name, to)
    : analysis.phraseEdit(literal, to);
  // A helper call is no response: the statements beside it (`this.guard(…)` on the same receiver) are not its
  // companions.
  const companions = helper
    ? []
    : analysis.companionEdits(form).filter((e: Edit) => e.end <= own.start || e.start >= own.end);
  analysis.addSite({
    node: form,
    framework: 'code-maps',
    at: literal,
    edits: [own, ...companions],
    cover: helper ? undefined : analysis.companionCover(form),
    reason: `'${code}' answers 403 through ${where}${helper ? ` where ${shorten(helper.callee)}(…) raises it (${raisePlace(helper, analysis)})` : ''}; '${to}' answers ${analysis.target} there.`,
  });
  return helper;
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

/** The raise's text, shortened (`new AppError(code)`), or the parameter's (`code: "CANNOT_SELF"`). */
function raiseText(helper: CodeHelper): string {
  return shorten(helper.raise.getText(helper.file.sourceFile));
}
