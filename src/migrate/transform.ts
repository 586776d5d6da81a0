import { settledForbidden } from './analysis/deferred-candidates.js';
import ts from '../typescript.cjs';
import {
  FileAnalysis,
  skipOuter,
  type CandidateCall,
  type HelperParam,
  type ImportLink,
} from './analysis.js';
import { followStatusTypes } from './status-types.js';
import { takeCensus, type Occurrence } from './census.js';
import { isFoldable } from './census-occurrences.js';
import { installedMethods, keepInstalledCalls } from './installed-methods.js';
import { addCodeMapSites } from './code-maps.js';
import { nameSharedBodies } from './rewritten-bodies.js';
import { addDocBlockSites } from './doc-block-sites.js';
import { addSwaggerAutogenSites } from './swagger-autogen-sites.js';
import { settleDocumentedRoutes } from './doc-routes-settle.js';
import { addReturnedResponseCompanions } from './returned-responses.js';
import { errorHandlerLabel } from './frameworks/error-objects.js';
import { settleNestGuards } from './frameworks/nest-guard-sites.js';
import { FRAMEWORKS, type Framework } from './frameworks/index.js';
import { reportOffModuleReadings } from './off-modules.js';
import { introducedNames, isValueReference, unresolvedNames } from './bind-check.js';
import { planImportEdits } from './import-edits.js';
import { keepDeclaredNames } from './analysis/kept-names.js';
import { parseSource, syntaxErrors } from './parse.js';
import { bareMarkerMessage, readIgnoreMarker } from './ignore-markers.js';
import { memberCalleeNames, prototypeMethodName } from './analysis/call-sites.js';
import { argumentIndex } from './analysis/syntax.js';
import { calleeAlias } from './analysis/callee-aliases.js';
import { noteLinkedCall } from './analysis/helper-notes.js';
import { overlaps, splice } from './splice.js';
import { keepsShape, tokenAt } from './same-shape.js';
import { nodePath } from './node-path.js';
import { reexportedModules } from './reexported-modules.js';
import { reasonPhrase, TRPC_CODES } from './status-names.js';
import type { Edit, Site } from './types.js';
import { lineAndCharacterAt, linesOf } from '../util/lines.js';

export interface AnalyzeOptions {
  target: number;
  /** The modules to run, or a function choosing them from the modules the file imports (per-file detection). */
  frameworks: readonly Framework[] | ((imports: readonly string[]) => readonly Framework[]);
  testFile: boolean;
  wwwAuthenticate?: string;
  /** The module an aliased import specifier names (Deno's import map): AnalysisOptions `moduleAlias`. */
  moduleAlias?: (specifier: string) => string;
  /** Values of imported names (cross-file phase, `migrate()`); without it imports are opaque. */
  link?: ImportLink;
  /** The file already parsed (the cross-file phase reads exports before analysis). */
  sourceFile?: ts.SourceFile;
}

/** Parses and analyses one file: every framework module sees every node once. */
export function analyzeSource(file: string, text: string, options: AnalyzeOptions): FileAnalysis {
  const sourceFile = options.sourceFile ?? parseSource(file, text);
  const analysis = new FileAnalysis(file, text, sourceFile, {
    target: options.target,
    testFile: options.testFile,
    wwwAuthenticate: options.wwwAuthenticate,
    link: options.link,
    moduleAlias: options.moduleAlias,
  });
  const detected = typeof options.frameworks === 'function';
  const frameworks =
    typeof options.frameworks === 'function'
      ? options.frameworks(importedModules(sourceFile, analysis))
      : options.frameworks;
  analysis.frameworks = frameworks.map((f) => f.id);
  // Each node goes to the modules that act on its kind (Framework `kinds`), in their order.
  const byKind = new Array<readonly Framework[] | undefined>(ts.SyntaxKind.Count);
  const foldables: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    const modules =
      byKind[kind] ?? (byKind[kind] = frameworks.filter((f) => !f.kinds || f.kinds.includes(kind)));
    for (let i = 0; i < modules.length; i++) modules[i].visit(node, analysis);
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      analysis.candidateCall(node);
      if (isFoldable(node)) foldables.push(node);
    } else if (ts.isVariableDeclaration(node)) analysis.variableDeclarations.push(node);
    else if (isFoldable(node)) foldables.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  analysis.foldables = foldables;
  // A 403 the handler's own type declares beside the site that sends it (`TypedResponse<'Forbidden', 403>`).
  followStatusTypes(analysis);
  // `@openapi` / `@swagger` JSDoc blocks: their 403 response keys are the route's own declaration.
  addDocBlockSites(analysis);
  // swagger-autogen `#swagger.responses[403]` comments in a route's handler: the same, for swagger-autogen.
  addSwaggerAutogenSites(analysis);
  // Detected modules only: a 403 they leave unexplained gets a second reading by the modules that are off.
  if (detected)
    reportOffModuleReadings(
      analysis,
      FRAMEWORKS.filter((f) => !frameworks.includes(f)),
    );
  return analysis;
}

/** `require('x')` and `import('x')` with a literal specifier, wherever they stand. */
const REQUIRED = /\b(?:require|import)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/**
 * Every module the file imports or requires, side-effect imports included, and modules required where no
 * binding holds them (`const fastify = require('fastify')({ logger: true })`, `new (require('koa'))()`,
 * `await import('hono')`), and the packages a local module it imports re-exports (reexported-modules.ts): they
 * enable their framework module as an import would.
 */
function importedModules(sourceFile: ts.SourceFile, analysis: FileAnalysis): string[] {
  const modules = new Set([...analysis.imports.values()].map((b) => b.module));
  for (const statement of sourceFile.statements)
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier))
      modules.add(statement.moduleSpecifier.text);
  if (analysis.text.includes('require') || analysis.text.includes('import('))
    for (const match of analysis.text.matchAll(REQUIRED)) if (match[2]) modules.add(match[2]);
  // A local module handing packages on (Deno's `deps.ts`): its re-exported packages count as imported.
  const link = analysis.options.link;
  if (link?.resolve)
    for (const module of [...modules].filter((m) => m.startsWith('.'))) {
      const file = link.resolve(module);
      if (file)
        for (const handed of reexportedModules(
          file,
          link.peekText ? (absolute) => link.peekText?.(absolute) ?? '' : undefined,
        ))
          if (!handed.startsWith('.')) modules.add(handed);
    }
  return [...modules];
}

/**
 * Call sites that pass a 403 to a helper whose parameter (or options key) becomes the status: the value is
 * rewritten at the call site, the helper itself is already reported. A call that forwards its own parameter
 * to a helper (`sendError(res, m, code)`, a subclass's `super(code ?? 400, …)`) makes its function a helper
 * too. Returns true when such a new helper was found (callers elsewhere need another round).
 */
export function rewriteHelperCalls(
  analysis: FileAnalysis,
  lookup: (callee: string, candidate?: CandidateCall) => HelperParam[],
): boolean {
  let added = false;
  for (const candidate of analysis.candidateCalls) {
    // Settled before any helper is looked up: a lookup may analyse the callee's file, which costs more than
    // reading the argument's module (skipped when its text shows a plain declaration, plain-declarations.ts).
    if (!settledForbidden(analysis, candidate)) continue;
    // A tRPC code (`'FORBIDDEN'`) matches only a helper whose parameter is a TRPCError's code, a status only others.
    const kept = (found: HelperParam[]): HelperParam[] =>
      found.filter(
        (h) => candidate.forward !== undefined || (h.framework === 'trpc') === (candidate.code === true),
      );
    let helpers = kept(lookup(candidate.callee, candidate));
    let helper = helpers.find(
      (h) => argumentIndex(h.fn, h.index) === candidate.index && h.property === candidate.property,
    );
    // `const h = cond ? deny : refuse; h(res, 403)`: an alias whose every branch is such a helper is one.
    if (!helpers.length) {
      const alias = aliasHelpers(analysis, candidate, (callee) => kept(lookup(callee)));
      if (alias === 'named') continue;
      if (alias) [helpers, helper] = alias;
    }
    // `createApiError(params) { return new ApiError(params) }`: the whole options object is handed on, so the
    // key the constructor reads (`params.httpCode`) is the forwarding function's key too.
    if (!helper && candidate.forward && wholeOptions(candidate)) {
      for (const keyed of helpers)
        if (argumentIndex(keyed.fn, keyed.index) === candidate.index && keyed.property !== undefined) {
          const forward = { ...candidate.forward, property: keyed.property };
          if (analysis.helperParam(forward, candidate.call, keyed.framework, keyed.report)) added = true;
        }
      continue;
    }
    if (!helper) continue;
    if (candidate.forward) {
      if (analysis.helperParam(candidate.forward, candidate.call, helper.framework, helper.report))
        added = true;
      continue;
    }
    // `super(…, 403)` fixes the status of a whole subclass: error-classes reports that definition.
    if (candidate.call.expression.kind === ts.SyntaxKind.SuperKeyword) continue;
    const value = candidate.value;
    if (candidate.code) {
      trpcCodeCall(analysis, candidate.call, value);
      continue;
    }
    const placed = helper.report ? placedResult(analysis, candidate.call, candidate.value) : undefined;
    if (helper.report && !placed) {
      analysis.addSite({
        node: candidate.call,
        at: value,
        framework: helper.framework,
        manual: true,
        reason: helper.report,
      });
      continue;
    }
    const argument = candidate.call.arguments?.[candidate.index];
    // A sibling argument that is the reason phrase (`new ApiError(403, 'Forbidden')`) follows the status.
    const phrases = (candidate.call.arguments ?? [])
      .filter((a) => a !== argument && ts.isStringLiteral(a) && a.text === 'Forbidden')
      .map((a) => analysis.phraseEdit(a, reasonPhrase(analysis.target)));
    // A phrase the enclosing response's site already changes (`res.status(403).json(fail(403, 'Forbidden'))`).
    const taken = analysis.sites.flatMap((s) => (s.kind === 'rewrite' ? s.edits : []));
    // `withStatus(res, 403).json({ error: 'Forbidden' })`: the body written on the response the helper returns.
    const chained = chainedBody(candidate.call) ? analysis.companionEdits(candidate.call) : [];
    noteLinkedCall(helper, analysis, candidate.call);
    analysis.addSite({
      node: candidate.call,
      at: value,
      framework: placed ?? helper.framework,
      edits: [
        ...(analysis.forbiddenValueEdits(value) ?? []),
        ...[...(candidate.property ? optionPhrases(analysis, value) : phrases), ...chained].filter(
          (e) => !taken.some((t) => t.start === e.start && t.end === e.end),
        ),
      ],
      ...(chained.length ? { cover: analysis.companionCover(candidate.call) } : {}),
    });
  }
  return added;
}

/**
 * The helpers a call through a `const` alias reaches (callee-aliases.ts): every branch's helper taking the status
 * at the candidate's argument, when each branch is one; `'named'` when only some are (the call is reported at its
 * own line with the branches it may be, `const errorHandler = opts.handler || helpers.deny`); undefined when no
 * branch is a helper (the 403 stays for the census to name).
 */
function aliasHelpers(
  analysis: FileAnalysis,
  candidate: CandidateCall,
  lookup: (callee: string) => HelperParam[],
): [HelperParam[], HelperParam] | 'named' | undefined {
  const alias = calleeAlias(candidate.call);
  if (!alias) return undefined;
  const matched = alias.targets.map((target) => ({
    target,
    helper: lookup(target).find(
      (h) => argumentIndex(h.fn, h.index) === candidate.index && h.property === candidate.property,
    ),
  }));
  const helpers = matched.flatMap((m) => (m.helper ? [m.helper] : []));
  const first = helpers[0];
  if (!first) return undefined;
  if (helpers.length === matched.length && !alias.unknown.length) return [helpers, first];
  if (candidate.forward || candidate.code) return 'named';
  const others = [...matched.filter((m) => !m.helper).map((m) => m.target), ...alias.unknown];
  const known = matched.filter((m) => m.helper).map((m) => m.target);
  analysis.addSite({
    node: candidate.call,
    at: candidate.value,
    framework: first.framework,
    manual: true,
    reason: `'${alias.name}' may be ${known.join(' or ')} (a shared helper that sends its parameter '${first.name}' as the status) or ${others.join(' or ')}, which mtls-fix cannot follow: this call may answer 403. If it answers an mTLS route, pass ${analysis.target}; if not, mark it // mtls-fix-ignore: <why>.`,
  });
  return 'named';
}

/** `deny('FORBIDDEN')` of a helper whose parameter is a TRPCError's code: the code becomes the target's. */
function trpcCodeCall(
  analysis: FileAnalysis,
  call: ts.CallExpression | ts.NewExpression,
  value: ts.Expression,
): void {
  const code = TRPC_CODES[analysis.target];
  analysis.addSite({
    node: call,
    at: value,
    framework: 'trpc',
    ...(code
      ? { edits: [analysis.phraseEdit(skipOuter(value), code)] }
      : {
          manual: true,
          reason: `No tRPC code maps to ${analysis.target}: set data.httpStatus in an errorFormatter for mTLS procedures.`,
        }),
  });
}

/** Response methods that write a body or headers, chained on a helper's returned response. */
const BODY_METHODS = new Set(['json', 'send', 'end', 'type', 'set', 'header', 'message', 'body']);

/** `helper(res, 403).json(…)`: a body method called on the helper's result (the response it returns). */
function chainedBody(call: ts.CallExpression | ts.NewExpression): boolean {
  const parent = call.parent;
  return (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === call &&
    BODY_METHODS.has(parent.name.text) &&
    ts.isCallExpression(parent.parent)
  );
}

/** The call hands on a whole parameter of its own function, not a key of it (`new ApiError(params)`). */
function wholeOptions(candidate: CandidateCall): boolean {
  const forward = candidate.forward;
  const value = skipOuter(candidate.value);
  return (
    forward !== undefined &&
    candidate.property === undefined &&
    forward.property === undefined &&
    ts.isIdentifier(value) &&
    value.text === forward.name
  );
}

/**
 * Where a result helper's value (`httpError(403, m)` returning `{ statusCode, message }`) is sent as its literal
 * object would be: handed to an error handler that reads its status (`next(…)`, `throw …`), or a body mirror
 * inside a response whose 403 this run rewrites (`reply.status(403).send(httpError(403, m))`, in that site's
 * expression). Returns the framework label of the rewrite, undefined when the value goes elsewhere (it stays
 * reported).
 */
function placedResult(
  analysis: FileAnalysis,
  call: ts.CallExpression | ts.NewExpression,
  value: ts.Expression,
): string | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const handled = errorHandlerLabel(analysis, call);
  if (handled) return handled;
  const start = call.getStart(analysis.sourceFile);
  const own = analysis.forbiddenValueEdits(value) ?? [];
  return analysis.sites.find(
    (s) =>
      s.kind === 'rewrite' &&
      s.framework !== 'results' &&
      s.span.start <= start &&
      call.getEnd() <= s.span.end &&
      !s.edits.some((e) => own.some((o) => e.start < o.end && o.start < e.end)),
  )?.framework;
}

/** `{ message: 'Forbidden', status: 403 }`: the reason phrase beside the status key follows it. */
function optionPhrases(analysis: FileAnalysis, value: ts.Expression): Edit[] {
  const object = value.parent.parent;
  if (!ts.isObjectLiteralExpression(object)) return [];
  return object.properties.flatMap((p) =>
    ts.isPropertyAssignment(p) &&
    (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
    PHRASE_KEYS.has(p.name.text) &&
    (ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer)) &&
    p.initializer.text === 'Forbidden'
      ? [analysis.phraseEdit(p.initializer, reasonPhrase(analysis.target))]
      : [],
  );
}

const PHRASE_KEYS = new Set(['message', 'error', 'statusText', 'statusMessage', 'reason', 'title']);

/** Helpers declared in the file itself, by the name callers use. */
export function localHelpers(analysis: FileAnalysis): (callee: string) => HelperParam[] {
  const named = (callee: string): HelperParam[] =>
    analysis.helpers.filter(
      (h) =>
        declaredName(h) === callee ||
        prototypeMethodName(h.fn) === callee ||
        memberCalleeNames(h.fn).includes(callee),
    );
  return (callee) => {
    const found = named(callee);
    // `this.deny(403)` in a subclass: the method of the nearest base class of the file that has the helper.
    const method = /^([\w$]+)\.prototype\.([\w$]+)$/.exec(callee);
    if (found.length || !method) return found;
    for (const base of baseClasses(analysis.sourceFile, method[1] ?? '')) {
      const inherited = named(`${base}.prototype.${method[2] ?? ''}`);
      if (inherited.length) return inherited;
    }
    return [];
  };
}

/** The classes `name` extends that the file declares, nearest first (at most 5; a cycle ends the chain). */
function baseClasses(sourceFile: ts.SourceFile, name: string): string[] {
  const bases: string[] = [];
  let current = name;
  for (let depth = 0; depth < 5; depth++) {
    const cls = sourceFile.statements.find(
      (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === current,
    );
    const base = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (!base || !ts.isIdentifier(base) || bases.includes(base.text) || base.text === name) break;
    bases.push(base.text);
    current = base.text;
  }
  return bases;
}

export function declaredName(helper: HelperParam): string | undefined {
  const fn = helper.fn;
  if (ts.isConstructorDeclaration(fn) && ts.isClassLike(fn.parent)) return fn.parent.name?.text;
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/**
 * `// mtls-fix-ignore: reason` on the site's line(s) or in the comment lines right above its statement. A
 * marker without a reason (ignore-markers.ts) acknowledges nothing: the site becomes a review item whose
 * message says so, and undefined comes back.
 */
export function ignoreReason(text: string, sourceFile: ts.SourceFile, site: Site): string | undefined {
  // Most files have no such comment: the tree walk below is for those that do. Searched once per file, not once
  // per site (2,000 sites of a 7.7 MB file searched it 2,000 times).
  if (!hasIgnoreMarker(text, sourceFile)) return undefined;
  const lineStarts = linesOf(sourceFile).starts;
  const statementLine = lineAndCharacterAt(sourceFile, statementStart(sourceFile, site.start)).line;
  const siteLine = lineAndCharacterAt(sourceFile, site.start).line;
  const lineText = (line: number): string =>
    text.slice(lineStarts[line], lineStarts[line + 1] ?? text.length);
  const lines: number[] = [];
  for (let line = Math.min(statementLine, siteLine); line <= siteLine; line++) lines.push(line);
  for (let line = Math.min(statementLine, siteLine) - 1; line >= 0; line--) {
    if (!/^\s*(\/\/|\/\*|\*)/.test(lineText(line))) break;
    lines.push(line);
  }
  for (const line of lines) {
    const marker = readIgnoreMarker(lineText(line));
    if (!marker) continue;
    if ('reason' in marker) return marker.reason;
    if (!bareMarked.has(site)) {
      bareMarked.add(site);
      const rewrite =
        site.kind === 'rewrite' && site.replacement
          ? `(It would be rewritten: ${site.form} -> ${site.replacement}.)`
          : null;
      site.reason = bareMarkerMessage(marker.bare, line + 1, rewrite ?? site.reason);
      site.kind = 'manual';
    }
    return undefined;
  }
  return undefined;
}

/** Sites already turned into review items by a marker without a reason (the check runs once per phase). */
const bareMarked = new WeakSet<Site>();

const MARKED = new WeakMap<ts.SourceFile, boolean>();

/** Whether the file's text holds the ignore marker, searched once per parsed file (when `text` is its text). */
function hasIgnoreMarker(text: string, sourceFile: ts.SourceFile): boolean {
  if (text !== sourceFile.text) return text.includes('mtls-fix-ignore');
  let has = MARKED.get(sourceFile);
  if (has === undefined) MARKED.set(sourceFile, (has = text.includes('mtls-fix-ignore')));
  return has;
}

function statementStart(sourceFile: ts.SourceFile, position: number): number {
  const path = nodePath(sourceFile, position);
  let node: ts.Node | undefined = path.length > 1 ? path[path.length - 1] : undefined;
  while (node && !isStatementLike(node)) node = node.parent;
  return node ? node.getStart(sourceFile) : position;
}

function isStatementLike(node: ts.Node): boolean {
  return (
    ts.isExpressionStatement(node) ||
    ts.isReturnStatement(node) ||
    ts.isThrowStatement(node) ||
    ts.isVariableStatement(node) ||
    ts.isIfStatement(node) ||
    ts.isPropertyAssignment(node) ||
    ts.isClassElement(node)
  );
}

export interface FilePlan {
  /** The new text (equal to the input when nothing changes). */
  text: string;
  /** Sites whose edits were applied. */
  applied: Site[];
  /** Sites whose edits were refused, with the reason. */
  refused: { site: Site; reason: string }[];
}

/**
 * Plans the edits of one file: drops sites whose edits overlap an earlier site's, adds import edits, splices,
 * then re-parses and refuses any site whose edits add a syntax error.
 */
export function planFile(
  text: string,
  file: string,
  sites: readonly Site[],
  baselineErrors?: number,
  /** The tree of `text` (the analysis's), when the caller has it: lets a token-for-token plan skip the re-parse. */
  original?: ts.SourceFile,
): FilePlan {
  const refused: FilePlan['refused'] = [];
  const accepted: Site[] = [];
  const taken: Edit[] = [];
  for (const site of [...sites].sort((a, b) => a.start - b.start)) {
    const fresh = site.edits.filter((e) => !taken.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) {
      refused.push({
        site,
        reason: 'Its edit overlaps another rewrite in the same expression: rewrite it by hand.',
      });
      continue;
    }
    taken.push(...fresh);
    accepted.push(site);
  }
  // A constant of this file only rewritten reads use: its value is edited, its name kept (analysis/kept-names.ts).
  keepDeclaredNames(original ?? parseSource(file, text), accepted);
  const build = (chosen: readonly Site[]): string => {
    const edits = dedupe(chosen.flatMap((s) => s.edits));
    const imports = planImportEdits(
      text,
      chosen.flatMap((s) => s.imports),
      edits,
    );
    return splice(text, [...edits, ...imports]);
  };
  if (!accepted.length) return { text, applied: [], refused };
  // Unparsable files never get here, but a caller may plan edits on any text: count what was there.
  const baseline = baselineErrors ?? syntaxErrors(parseSource(file, text)).length;
  const unchangedShape = original && sameShapePlan(text, original, accepted);
  if (unchangedShape) return { text: unchangedShape, applied: accepted, refused };
  const whole = build(accepted);
  const wholeTree = parseSource(file, whole);
  let kept: Site[] = accepted;
  if (syntaxErrors(wholeTree).length > baseline) {
    // Some edit breaks the syntax: keep the sites that do not, one by one.
    kept = [];
    for (const site of accepted) {
      const candidate = build([...kept, site]);
      if (syntaxErrors(parseSource(file, candidate)).length <= baseline) kept.push(site);
      else refused.push({ site, reason: 'The rewrite would add a syntax error: rewrite it by hand.' });
    }
  }
  return bindCheck(text, file, kept, build, refused, wholeTree);
}

/**
 * planFile's answer without a re-parse, or undefined when a re-parse is needed: when every edit swaps one token
 * for one of the same kind (same-shape.ts `keepsShape`), the new text parses to the same shape with no syntax
 * error, so no site can be refused for syntax; and when no name an edit writes is in a value position (read on
 * the old tree, which has the same shape), the bind check has nothing to check. Same result as the re-parse.
 */
function sameShapePlan(text: string, original: ts.SourceFile, sites: readonly Site[]): string | undefined {
  if (original.text !== text || syntaxErrors(original).length) return undefined;
  const edits = dedupe(sites.flatMap((s) => s.edits));
  if (
    planImportEdits(
      text,
      sites.flatMap((s) => s.imports),
      edits,
    ).length
  )
    return undefined;
  if (!keepsShape(original, edits)) return undefined;
  for (const { edit } of introducedNames(edits)) {
    const token = tokenAt(original, edit.start);
    if (!token || !ts.isIdentifier(token) || isValueReference(token)) return undefined;
  }
  return splice(text, edits);
}

/**
 * The syntax re-parse does not see names: after the edits, every identifier an edit wrote in a value position
 * must resolve to one declaration (TypeScript's binder on the new text). Sites whose names do not (an import
 * that was not added, a name bound twice) are dropped and reported; the rest are kept.
 */
function bindCheck(
  text: string,
  file: string,
  sites: Site[],
  build: (chosen: readonly Site[]) => string,
  refused: FilePlan['refused'],
  /** The syntax check's tree of all accepted edits (reused when no site was dropped since). */
  parsed: ts.SourceFile,
): FilePlan {
  const current = build(sites);
  const allEdits = (chosen: readonly Site[]): Edit[] => {
    const edits = dedupe(chosen.flatMap((s) => s.edits));
    return [
      ...edits,
      ...planImportEdits(
        text,
        chosen.flatMap((s) => s.imports),
        edits,
      ),
    ];
  };
  const names = introducedNames(allEdits(sites));
  if (!names.length) return { text: current, applied: sites, refused };
  const bad = unresolvedNames(file, current, names, parsed);
  if (!bad.size) return { text: current, applied: sites, refused };
  const kept: Site[] = [];
  for (const site of sites) {
    const name = site.edits.map((e) => e.text).find((t) => bad.has(t));
    if (name)
      refused.push({
        site,
        reason: `The rewrite would use ${name}, which would not resolve to one declaration in this file (missing or duplicate import): rewrite it by hand.`,
      });
    else kept.push(site);
  }
  return { text: build(kept), applied: kept, refused };
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

function dedupe(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) if (!out.some((o) => sameEdit(o, e))) out.push(e);
  return out;
}

export interface SourceResult {
  text: string;
  sites: Site[];
  /** Every 403 occurrence of the text; those without `kind` are counted by the site whose span holds them. */
  occurrences: Occurrence[];
}

/**
 * The whole codemod on one in-memory file (fixtures, editors, the programmatic API): analyse, rewrite
 * same-file helper calls, honour ignore comments, plan and splice. Unparsable text comes back unchanged.
 */
export function migrateSource(file: string, text: string, options: AnalyzeOptions): SourceResult {
  const analysis = analyzeSource(file, text, options);
  if (syntaxErrors(analysis.sourceFile).length) return { text, sites: [], occurrences: [] };
  // Forwarding helpers found in one round are matched by their callers in the next.
  for (let round = 0; round < 8 && rewriteHelperCalls(analysis, localHelpers(analysis)); round++);
  addReturnedResponseCompanions([analysis]);
  nameSharedBodies([analysis], options.target);
  addCodeMapSites([analysis]);
  settleNestGuards([analysis]);
  // Methods the file installs on a reply, response or context (`app.response.forbidden = function …`).
  const installed = installedMethods(new Map([[file, analysis]]), () => () => undefined);
  keepInstalledCalls(analysis, installed);
  // Documentation of a route follows its 403s (doc-routes-settle.ts), as in a run.
  settleDocumentedRoutes(
    new Map([[file, analysis]]),
    (a, site) => site.kind === 'manual' && !ignoreReason(a.text, a.sourceFile, site),
  );
  const occurrences = takeCensus(analysis, undefined, undefined, installed);
  for (const site of analysis.sites) {
    const reason = ignoreReason(text, analysis.sourceFile, site);
    if (reason) site.ignoreReason = reason;
  }
  const rewrites = analysis.sites.filter((s) => s.kind === 'rewrite' && !s.ignoreReason);
  const plan = planFile(text, file, rewrites, 0, analysis.sourceFile);
  return { text: plan.text, sites: analysis.sites, occurrences };
}
