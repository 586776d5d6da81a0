import ts from '../typescript.cjs';
import { shorten, type FileAnalysis } from './analysis.js';
import type { Occurrence } from './census.js';
import { clientRequests, instanceBase, urlOf, type ClientRequest, type ClientUrl } from './clients.js';
import type { CodeRoute } from './routes/model.js';
import { compareSegments, parseCodePath, PARAM, type Segments } from './routes/paths.js';
import { extractCodeRoutes, Project, Reach } from './routes/index.js';
import type { ProjectFile } from './routes/project.js';
import { nodeAt } from './routes/reach.js';
import { enclosingFunction, scopeOf } from './scope.js';
import type { Site } from './types.js';
import { compareText } from '../util/compare.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * §7 same-repo readers (issue 8): a comparison with 403 (`res.status === 403`, `case 403:`,
 * `err.response?.status === HttpStatus.FORBIDDEN`) in code of the same repository that requests a route whose
 * handler this run rewrote reads a status that route no longer sends. Each such comparison becomes a manual
 * site, "reads 403 from GET /x, which now answers 401". The request is found, in this order:
 * - in the function around the comparison (or a function around that one), then anywhere in its file;
 * - through a client wrapper: the URL is a parameter of the function around the request
 *   (`api(path) { const r = await fetch(BASE + path); if (r.status === 403) … }`), so its callers' URLs count;
 * - through an axios interceptor (`api.interceptors.response.use(…)`): every request made through `api`.
 * Comparisons with no request to a rewritten route stay not-an-emit of kind `comparison`.
 */

/** The project's routes and which of them reach a place in the code (built once, only when needed). */
export interface RouteIndex {
  project: Project;
  routes: readonly CodeRoute[];
  routesAt(file: string, position: number): ReadonlySet<CodeRoute>;
}

export interface ReaderInput {
  /** Analysed files (test files and mocks are skipped here: tests follow the server in their own module). */
  analyses: Iterable<FileAnalysis>;
  /** The census's occurrences by file: a comparison that becomes a reader site loses its not-an-emit kind. */
  occurrences: ReadonlyMap<string, Occurrence[]>;
  /** Sites this run rewrites (or would): their routes now answer `target`. */
  rewritten: readonly Site[];
  target: number;
  /**
   * The project the comparisons' requests are followed in (a wrapper's callers, an imported callee), built on
   * first use: only when some comparison sits near a request that can name a route. Without `--spec` its files
   * are parsed as they are asked for (`readerProject`).
   */
  project: () => Project;
  /** The routes of `project()` and their reach, built on first use: only when some request names a path. */
  routeIndex: () => RouteIndex;
  /** The text of every non-test source file: a cheap check before the project is parsed for routes. */
  texts: () => Iterable<string>;
}

/**
 * The project `findReaders` follows requests in without `--spec`: every non-test source file, each parsed when
 * its tree is first asked for (a callee's file, a wrapper's callers), so a run whose comparisons lead to no
 * request with a path never parses the rest. `parsed`: the engine's parsed trees.
 */
export function readerProject(
  cwd: string,
  sources: readonly { absolute: string; relative: string }[],
  parsed?: (absolute: string) => ts.SourceFile | undefined,
): Project {
  return new Project(cwd, sources, parsed, undefined, { lazy: true });
}

/**
 * The route index without `--spec`: the routes of a project (the extractors `--spec` uses, syntax only) and their
 * reach. Parses every file of the project, so built only on demand.
 */
export function routeIndexOf(project: Project): RouteIndex {
  const routes = extractCodeRoutes(project, new Map());
  const reach = new Reach(project, routes);
  return { project, routes, routesAt: (file, position) => reach.routesAt(file, position) };
}

/** A request as path segments: `base` says an origin or prefix the code computes may come before them. */
interface ConcreteRequest {
  method?: string;
  segments: Segments;
  unknownBase: boolean;
  /**
   * The URL names another host (`https://api.vercel.com/…`, not localhost): it reaches a route of this
   * repository only by its exact path, never through a dev-server proxy that strips leading segments.
   */
  external?: boolean;
  /** Where the URL was written (a wrapper's caller), for the reason. */
  via?: string;
}

/** What a comparison is matched against: a request, a wrapper's parameter, or every request through an instance. */
type Lead =
  | { kind: 'request'; request: ClientRequest; file: string }
  | { kind: 'wrapper'; request: ClientRequest; fn: ts.Node; param: number; file: string }
  | { kind: 'instance'; receiver: ts.Identifier; file: string }
  | { kind: 'callee'; call: ts.CallExpression; file: string }
  | { kind: 'handler'; fn: ts.Node; file: string };

/**
 * The reader sites of this run (manual, framework `reader`), one per comparison that reads 403 from a route
 * the run rewrote. Their occurrences are moved from `comparison` to the site.
 */
export function findReaders(input: ReaderInput): Site[] {
  if (!input.rewritten.length) return [];
  const candidates: { analysis: FileAnalysis; occurrence: Occurrence; comparison: ts.Node; leads: Lead[] }[] =
    [];
  for (const analysis of input.analyses) {
    if (analysis.options.testFile || analysis.mockFile) continue;
    for (const occurrence of input.occurrences.get(analysis.file) ?? []) {
      if (occurrence.kind !== 'comparison' && occurrence.kind !== 'client') continue;
      const comparison = statusComparison(analysis.sourceFile, occurrence.start);
      if (!comparison) continue;
      const leads = leadsFor(comparison, analysis);
      if (leads.length) candidates.push({ analysis, occurrence, comparison, leads });
    }
  }
  // Parsing the whole project for routes is costly: only when some lead can give a request with a path.
  const hints = textHints(input.texts);
  if (!candidates.some((c) => c.leads.some((lead) => promising(lead, c.analysis, hints)))) return [];
  // The requests first: the route index parses every file, and most comparisons read another host's answer.
  const project = input.project();
  const pending = candidates
    .map((candidate) => ({
      ...candidate,
      requests: candidate.leads.flatMap((lead) =>
        concrete(lead, project).map((request) => ({ request, lead })),
      ),
    }))
    .filter((candidate) => candidate.requests.length > 0);
  if (!pending.length) return [];
  const index = input.routeIndex();
  const changed = new Map<CodeRoute, Site[]>();
  for (const site of input.rewritten)
    for (const route of index.routesAt(site.file, site.start)) {
      if (route.unresolved) continue;
      changed.set(route, [...(changed.get(route) ?? []), site]);
    }
  if (!changed.size) return [];
  const parsedRoutes = new Map<CodeRoute, Segments[]>();
  const alternatives = (route: CodeRoute): Segments[] => {
    let list = parsedRoutes.get(route);
    if (!list) parsedRoutes.set(route, (list = parseCodePath(route.path, route.syntax)));
    return list;
  };
  const registrations = new Set(index.routes.map((r) => `${r.file}:${r.line}`));
  const sites: Site[] = [];
  const seen = new Set<string>();
  for (const candidate of pending) {
    // A request lead that is itself a route registration (`app.get('/x', …)` read as a client call) reads nothing.
    const requests = candidate.requests
      .filter(
        ({ lead }) =>
          lead.kind !== 'request' || !registrations.has(`${lead.file}:${lineOf(lead.request.call)}`),
      )
      .map(({ request }) => request);
    const hits = new Map<CodeRoute, { request: ConcreteRequest; stripped?: string }>();
    for (const request of requests) {
      for (const [route, stripped] of matching(request, index.routes, changed, alternatives))
        if (!hits.has(route)) hits.set(route, { request, stripped });
    }
    if (!hits.size) continue;
    const { analysis, comparison, occurrence } = candidate;
    const key = `${analysis.file}:${comparison.getStart(analysis.sourceFile)}`;
    occurrence.kind = undefined;
    if (seen.has(key)) continue;
    seen.add(key);
    const routeSites = [...hits.keys()].flatMap((r) => changed.get(r) ?? []);
    sites.push(
      readerSite(
        analysis,
        comparison,
        readerReason(hits, input.target),
        routeSites.find((s) => s.operation)?.operation ?? null,
      ),
    );
  }
  return sites;
}

/**
 * A manual site (framework `reader`) for code that compares a status or code the run rewrote (`comparison`, in
 * `analysis`'s file), with the reason to give and the operation it belongs to, if known.
 */
export function readerSite(
  analysis: FileAnalysis,
  comparison: ts.Node,
  reason: string,
  operation: Site['operation'],
): Site {
  const start = comparison.getStart(analysis.sourceFile);
  return {
    file: analysis.file,
    start,
    end: comparison.getEnd(),
    span: { start, end: comparison.getEnd() },
    framework: 'reader',
    form: shorten(comparison.getText(analysis.sourceFile)),
    kind: 'manual',
    edits: [],
    imports: [],
    replacement: null,
    reason,
    scope: scopeOf(comparison, analysis.sourceFile),
    operation,
  };
}

function readerReason(
  hits: Map<CodeRoute, { request: ConcreteRequest; stripped?: string }>,
  target: number,
): string {
  const entries = [...hits].sort(([a], [b]) => compareText(a.file, b.file) || a.line - b.line);
  const named = entries
    .slice(0, 3)
    .map(([route, { stripped }]) => {
      const method = route.method === 'ALL' || route.method === 'USE' ? 'any method of' : route.method;
      const note = stripped ? `, requested as ${stripped}${route.path}` : '';
      return `${method} ${route.path} (${route.file}:${route.line}${note})`;
    })
    .join(', ');
  const more = entries.length > 3 ? ` and ${entries.length - 3} more` : '';
  const plural = entries.length > 1;
  const via = entries.map(([, h]) => h.request.via).find(Boolean);
  return `Reads 403 from ${named}${more}${via ? ` (called through ${via})` : ''}, which now ${plural ? 'answer' : 'answers'} ${target}: handle ${target} here too (or instead), or mark it // mtls-fix-ignore: <why>.`;
}

// ---- which comparisons read a status --------------------------------------------------------------------

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

/**
 * The comparison a 403 occurrence sits in, as the node a reader site covers: `a === 403` (any equality or
 * order), `case 403:`, `[401, 403].includes(s)`, `statuses.has(403)`. `instanceof` is a class check, not a
 * status read.
 */
export function statusComparison(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let node: ts.Node | undefined = tokenAt(sourceFile, position);
  for (let depth = 0; node?.parent && depth < 6; depth++) {
    const parent: ts.Node = node.parent;
    if (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) return parent;
    if (ts.isCaseClause(parent) && parent.expression === node) return parent.expression;
    if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression)) {
      const method = parent.expression.name.text;
      if (['includes', 'indexOf', 'has'].includes(method)) return parent;
    }
    if (
      !ts.isPropertyAccessExpression(parent) &&
      !ts.isParenthesizedExpression(parent) &&
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isAsExpression(parent) &&
      !ts.isPrefixUnaryExpression(parent)
    )
      return undefined;
    node = parent;
  }
  return undefined;
}

function tokenAt(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let node: ts.Node = sourceFile;
  for (;;) {
    let next: ts.Node | undefined;
    node.forEachChild((child) => {
      if (!next && child.getStart(sourceFile) <= position && position < child.end) next = child;
    });
    if (!next) break;
    node = next;
  }
  return node === sourceFile ? undefined : node;
}

// ---- the requests a comparison reads ---------------------------------------------------------------------

/** Texts of the project's files, read once, for the name checks of `promising`. */
function textHints(texts: () => Iterable<string>): Hints {
  let all: string[] | undefined;
  return (test) => {
    const check = typeof test === 'function' ? test : (text: string) => test.test(text);
    return (all ??= [...texts()]).some(check);
  };
}

type Hints = (test: RegExp | ((text: string) => boolean)) => boolean;

const CLIENT_HINT = /\bfetch\b|\baxios\b|\bky\b|\bgot\b|\$fetch|\bofetch\b|\.(?:get|post|put|patch|delete)\(/;

/**
 * Whether a lead may give a request with a static path, judged without parsing the project: a request or a
 * same-file callee by its own URLs; a wrapper, handler, interceptor or imported callee by a file whose text
 * uses the name the way it would have to (`api('/…`, `api.get(`, `name` beside a client call).
 */
function promising(lead: Lead, analysis: FileAnalysis, hints: Hints): boolean {
  const word = (name: string): string => name.replace(/[$]/g, '\\$&');
  switch (lead.kind) {
    case 'request':
      return directRequest(lead.request) !== undefined;
    case 'wrapper': {
      const name = declarationOf(lead.fn)?.name;
      return name !== undefined && hints(new RegExp(`\\b${word(name)}\\(\\s*['"\`]`));
    }
    case 'instance':
      return hints(
        new RegExp(`\\b${word(lead.receiver.text)}\\.(?:get|post|put|patch|delete|head|options|request)\\(`),
      );
    case 'handler': {
      const name = declarationOf(lead.fn)?.name;
      if (name === undefined) return false;
      // Used, not only declared or imported: called (`handleResponse(await fetch(url))`) or passed
      // (`.then(handleResponse)`, `.then(this.handleResponse)`). A Remix `export function ErrorBoundary` is used by the framework, never here.
      const n = word(name);
      const used = new RegExp(
        `(?<!\\bfunction\\s*\\*?\\s*)\\b${n}\\s*\\(|[(.]\\s*${n}\\s*[,)]|,\\s*${n}\\s*\\)`,
      );
      return hints((text) => used.test(text) && CLIENT_HINT.test(text));
    }
    case 'callee': {
      const local = localCallee(lead.call, analysis);
      if (local) return clientRequests(local).length > 0;
      const callee = lead.call.expression;
      if (!ts.isIdentifier(callee) || !analysis.importOf(callee.text)) return false;
      return hints(CLIENT_HINT);
    }
  }
}

/** A callee declared in the comparison's own file: `this.api` in its class, or a function of the file. */
function localCallee(call: ts.CallExpression, analysis: FileAnalysis): ts.Node | undefined {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    let cls: ts.Node | undefined = call.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls)) return undefined;
    const member = cls.members.find(
      (m) => m.name && ts.isIdentifier(m.name) && m.name.text === callee.name.text,
    );
    return member ? functionOf(member) : undefined;
  }
  if (!ts.isIdentifier(callee) || analysis.importOf(callee.text)) return undefined;
  for (const statement of analysis.sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === callee.text)
      return functionOf(statement);
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === callee.text) return functionOf(d);
  }
  return undefined;
}

/**
 * The requests around a comparison: its function (then outer functions), an interceptor, then its file; and
 * the project functions those functions call (`updateCourse(id).catch((e) => e.status === 403 …)`, where
 * `updateCourse` makes the request), read once the project is parsed.
 */
function leadsFor(comparison: ts.Node, analysis: FileAnalysis): Lead[] {
  const file = analysis.file;
  const callees: Lead[] = [];
  const fromCall = readsCallResult(comparison);
  for (let fn = enclosingFunction(comparison); fn; fn = enclosingFunction(fn)) {
    const requests = fromCall ? [] : clientRequests(fn);
    if (requests.length) return requests.map((request) => leadOf(request, file));
    const receiver = fromCall ? undefined : interceptorReceiver(fn);
    if (receiver) return [{ kind: 'instance', receiver, file }];
    callees.push(...projectCalls(fn, analysis).map((call) => ({ kind: 'callee' as const, call, file })));
    // A named response handler (`function handleResponse(res) { … res.status === 403 … }`): read where it is used.
    if (declarationOf(fn) && !fromCall) callees.push({ kind: 'handler', fn, file });
  }
  // The compared value comes from a call that makes no request of its own (`const r = await admin(); r.status
  // === 403`, a server action's data): a request elsewhere in the file, or around a use of this function as a
  // handler (`onClick={handle}`), is not what it reads; the call's own function is (the callee leads).
  if (fromCall) return callees;
  return [...clientRequests(analysis.sourceFile).map((request) => leadOf(request, file)), ...callees];
}

/**
 * Whether the comparison reads a local variable of its function that holds the result of a call which is no
 * client request (`const response = await admin()`, then `response.status === 403`).
 */
function readsCallResult(comparison: ts.Node): boolean {
  if (!ts.isBinaryExpression(comparison)) return false;
  const fn = enclosingFunction(comparison);
  if (!fn) return false;
  for (const side of [comparison.left, comparison.right]) {
    let root: ts.Expression = side;
    while (ts.isPropertyAccessExpression(root) || ts.isParenthesizedExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root)) continue;
    const name = root.text;
    let init: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (init) return;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name)
        init = node.initializer;
      else if (node === fn || !ts.isFunctionLike(node)) node.forEachChild(visit);
    };
    visit(fn);
    let value = init;
    while (value && (ts.isAwaitExpression(value) || ts.isParenthesizedExpression(value)))
      value = value.expression;
    if (value && ts.isCallExpression(value) && !clientRequests(value).length) return true;
  }
  return false;
}

/** Calls in `fn` of functions the project declares: `this.api(…)`, a same-file function, a relative import. */
function projectCalls(fn: ts.Node, analysis: FileAnalysis): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword)
        out.push(node);
      else if (ts.isIdentifier(callee)) {
        const binding = analysis.importOf(callee.text);
        if (
          binding
            ? /^(?:\.|\/|~|#|@\/)/.test(binding.module)
            : declaredInFile(analysis.sourceFile, callee.text)
        )
          out.push(node);
      }
    }
    node.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return out;
}

function declaredInFile(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some(
    (s) =>
      (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
      (ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}

function leadOf(request: ClientRequest, file: string): Lead {
  const param = wrapperParam(request.url);
  if (param !== undefined) {
    const fn = enclosingFunction(request.call);
    if (fn) return { kind: 'wrapper', request, fn, param, file };
  }
  return { kind: 'request', request, file };
}

/**
 * The parameter a URL's path comes from, when the request sits in a client wrapper: the parameter starts the
 * URL, after nothing or a computed base (`fetch(path)`, `` fetch(`${BASE}${path}`) ``, `fetch(BASE + url)`), or
 * follows a static prefix under a name that says it is a path (`` fetch(`/api/${endpoint}`) ``). A parameter
 * inside a path (`` `/accounts/${id}` ``) is a path parameter, not a wrapper.
 */
function wrapperParam(url: ClientUrl): number | undefined {
  const parts = url.parts;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) continue;
    if ('text' in part) {
      const named = parts[i + 1];
      if (named && 'hole' in named && named.param !== undefined && PATH_NAMES.test(named.hole.getText()))
        return named.param;
      return undefined;
    }
    if (part.param !== undefined) return part.param;
  }
  return undefined;
}

const PATH_NAMES = /^(?:path|url|uri|endpoint|route|resource|input|pathname|relativeUrl|apiPath)$/i;

/** `api.interceptors.response.use(ok, (error) => …)`: the comparison runs for every request through `api`. */
function interceptorReceiver(fn: ts.Node): ts.Identifier | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const use = call.expression;
  if (use.name.text !== 'use' || !ts.isPropertyAccessExpression(use.expression)) return undefined;
  const kind = use.expression;
  if (kind.name.text !== 'response' || !ts.isPropertyAccessExpression(kind.expression)) return undefined;
  const interceptors = kind.expression;
  if (interceptors.name.text !== 'interceptors') return undefined;
  return ts.isIdentifier(interceptors.expression) ? interceptors.expression : undefined;
}

/** The concrete requests a lead stands for: its own URL, its wrapper's callers' URLs, an instance's requests. */
function concrete(lead: Lead, project: Project): ConcreteRequest[] {
  const file = project.byRelative(lead.file);
  if (lead.kind === 'request') {
    const one = directRequest(lead.request);
    return one ? [one] : [];
  }
  if (!file) return [];
  if (lead.kind === 'wrapper') {
    return callersOf(project, file, lead.fn).flatMap((call) => {
      const one = throughWrapper(lead.request, lead.param, call.node);
      return one ? [{ ...one, via: `${call.name}() at ${call.file}:${lineOf(call.node)}` }] : [];
    });
  }
  if (lead.kind === 'handler') {
    // `fetch(url).then(handleResponse)`, `return handleResponse(await fetch(url))`: the requests of each user.
    return referencesOf(project, file, lead.fn).flatMap((reference) => {
      const user = enclosingFunction(reference.node);
      if (!user) return [];
      return clientRequests(user).flatMap((request) => {
        if (wrapperParam(request.url) !== undefined) return [];
        const one = directRequest(request);
        return one
          ? [{ ...one, via: `${reference.name} at ${reference.file}:${lineOf(reference.node)}` }]
          : [];
      });
    });
  }
  if (lead.kind === 'callee') {
    const callee = calleeFunction(project, file, lead.call);
    if (!callee) return [];
    const out: ConcreteRequest[] = [];
    for (const request of clientRequests(callee.fn)) {
      const param = wrapperParam(request.url);
      const one =
        param !== undefined && enclosingFunction(request.call) === callee.fn
          ? throughWrapper(request, param, lead.call)
          : directRequest(request);
      if (one) out.push({ ...one, via: `${callee.name}() at ${callee.file}:${lineOf(callee.fn)}` });
    }
    return out;
  }
  const out: ConcreteRequest[] = [];
  const base = instanceBase(lead.receiver);
  for (const request of requestsThrough(project, file, lead.receiver)) {
    const one = toRequest(request.method, request.url, base, !base);
    if (one) out.push({ ...one, via: `${lead.receiver.text} at ${request.file}:${lineOf(request.call)}` });
  }
  return out;
}

/** A request as written, with its instance's base URL (unknown when the instance comes from elsewhere). */
function directRequest(request: ClientRequest): ConcreteRequest | undefined {
  const base = request.base ?? (request.receiver ? instanceBase(request.receiver) : undefined);
  return toRequest(request.method, request.url, base, !!request.receiver && !base);
}

/**
 * The request a wrapper makes for one call: the caller's argument in place of the URL parameter, after what
 * the wrapper puts before it; the method from the caller when the wrapper takes it as a parameter or an
 * options object (`api('/x', 'DELETE')`, `api('/x', { method: 'DELETE' })`).
 */
function throughWrapper(
  request: ClientRequest,
  param: number,
  call: ts.CallExpression | ts.NewExpression,
): ConcreteRequest | undefined {
  const argument = call.arguments?.[param];
  // A path without a leading slash is fine here: the wrapper adds what comes before it.
  const caller = argument ? urlOf(argument, true) : undefined;
  if (!caller) return undefined;
  const prefix = prefixBefore(request.url, param);
  const methodArgument =
    request.methodParam !== undefined ? call.arguments?.[request.methodParam] : undefined;
  const spelled =
    methodArgument &&
    (ts.isStringLiteral(methodArgument) || ts.isNoSubstitutionTemplateLiteral(methodArgument))
      ? methodArgument.text.toUpperCase()
      : undefined;
  const method =
    spelled ??
    methodFromCaller(call, param) ??
    (request.methodParam !== undefined && !methodArgument ? 'GET' : request.method);
  return toRequest(method, { parts: [...prefix.parts, ...caller.parts] }, undefined, prefix.unknownBase);
}

/** The function a call in an analysed file reaches, read in the project's parse of that file. */
function calleeFunction(
  project: Project,
  file: ProjectFile,
  call: ts.CallExpression,
): { fn: ts.Node; name: string; file: string } | undefined {
  const callee = call.expression;
  const at = nodeAt(file.sourceFile, callee.getStart(call.getSourceFile()));
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    let cls: ts.Node | undefined = at;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls)) return undefined;
    for (const member of cls.members) {
      if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) continue;
      const fn = functionOf(member);
      if (fn) return { fn, name: `this.${name}`, file: file.relative };
    }
    return undefined;
  }
  if (!at || !ts.isIdentifier(at)) return undefined;
  for (const declaration of project.lookup(file, at, at.text)) {
    const fn = functionOf(declaration.node);
    if (fn) return { fn, name: at.text, file: declaration.file.relative };
  }
  return undefined;
}

/** The function a declaration holds: itself, or the arrow/function expression it is initialised with. */
function functionOf(node: ts.Node): ts.Node | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return node.body ? node : undefined;
  if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) {
    const value = node.initializer;
    return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
  }
  return undefined;
}

function lineOf(node: ts.Node): number {
  const sourceFile = node.getSourceFile();
  return lineAndCharacterAt(sourceFile, node.getStart(sourceFile)).line + 1;
}

/** The URL parts before a wrapper's parameter (`/api/` in `` `/api/${path}` ``), and whether a base precedes. */
function prefixBefore(url: ClientUrl, param: number): { parts: ClientUrl['parts']; unknownBase: boolean } {
  const index = url.parts.findIndex((p) => 'hole' in p && p.param === param);
  const before = url.parts.slice(0, Math.max(index, 0));
  const unknownBase = before.some((p) => 'hole' in p);
  return { parts: before.filter((p) => 'text' in p), unknownBase };
}

/** `api('/x', { method: 'POST' })`: the method a wrapper's caller passes, when it is spelled out. */
function methodFromCaller(call: ts.CallExpression | ts.NewExpression, param: number): string | undefined {
  for (const argument of (call.arguments ?? []).slice(param + 1)) {
    const node = skip(argument);
    if (!ts.isObjectLiteralExpression(node)) continue;
    for (const p of node.properties)
      if (
        ts.isPropertyAssignment(p) &&
        ts.isIdentifier(p.name) &&
        p.name.text === 'method' &&
        (ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer))
      )
        return p.initializer.text.toUpperCase();
  }
  return undefined;
}

function skip(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.expression;
  return node;
}

/** Calls of the function `fn` (declared in `file`) across the project, by name and import. */
function callersOf(
  project: Project,
  file: ProjectFile,
  fn: ts.Node,
): { node: ts.CallExpression; name: string; file: string }[] {
  return referencesOf(project, file, fn).flatMap((reference) => {
    const call = reference.node.parent;
    return ts.isCallExpression(call) && call.expression === reference.node
      ? [{ ...reference, node: call }]
      : [];
  });
}

/** Uses of the function `fn` (declared in `file`) across the project, by name and import. */
function referencesOf(
  project: Project,
  file: ProjectFile,
  fn: ts.Node,
): { node: ts.Identifier; name: string; file: string }[] {
  const declared = declarationOf(fn);
  if (!declared) return [];
  const name = declared.name;
  const at = declared.node.getStart(declared.node.getSourceFile());
  const out: { node: ts.Identifier; name: string; file: string }[] = [];
  for (const other of project.files) {
    if (!other.sourceFile.text.includes(name)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.text === name && isUse(node)) {
        const targets = project.lookup(other, node, name);
        if (targets.some((t) => t.file === file && t.node.getStart(file.sourceFile) === at))
          out.push({ node, name, file: other.relative });
      }
      node.forEachChild(visit);
    };
    visit(other.sourceFile);
  }
  return out;
}

/** An identifier read as a value (not a declaration name, a property name or an import specifier). */
function isUse(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isPropertyAssignment(parent)) return parent.initializer === identifier;
  if (
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent)
  )
    return (parent as ts.NamedDeclaration).name !== identifier;
  return true;
}

/** The name and declaration node a function is known by (`function api`, `const api = async () => …`). */
function declarationOf(fn: ts.Node): { name: string; node: ts.Node } | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return { name: fn.name.text, node: fn };
  const holder = fn.parent;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name))
    return { name: holder.name.text, node: holder };
  return undefined;
}

/** Requests made through the client instance `receiver` (same declaration) anywhere in the project. */
function requestsThrough(
  project: Project,
  file: ProjectFile,
  receiver: ts.Identifier,
): (ClientRequest & { file: string })[] {
  const targets = project.lookup(file, receiver, receiver.text);
  const keys = new Set(targets.map((t) => `${t.file.relative}#${t.node.getStart(t.file.sourceFile)}`));
  const out: (ClientRequest & { file: string })[] = [];
  for (const other of project.files) {
    if (!other.sourceFile.text.includes(receiver.text)) continue;
    for (const request of clientRequests(other.sourceFile)) {
      if (!request.receiver || request.receiver.text !== receiver.text) continue;
      const found = project.lookup(other, request.receiver, receiver.text);
      if (found.some((t) => keys.has(`${t.file.relative}#${t.node.getStart(t.file.sourceFile)}`)))
        out.push({ ...request, file: other.relative });
    }
  }
  return out;
}

// ---- URLs to segments, segments to routes ---------------------------------------------------------------

/**
 * A URL as path segments: an origin (`https://api.x.com`) is dropped, a leading computed part (`${API}`) is a
 * base that may hold a prefix, `${id}` inside the path is a parameter segment, the query is dropped. Undefined
 * when no static path segment is left (nothing to match on).
 */
function toRequest(
  method: string | undefined,
  url: ClientUrl,
  base: ClientUrl | undefined,
  mayHaveBase: boolean,
): ConcreteRequest | undefined {
  const parts = [...(base?.parts ?? []), ...(base && base.parts.length ? [{ text: '/' }] : []), ...url.parts];
  let unknownBase = mayHaveBase;
  let text = '';
  parts.forEach((part, i) => {
    if ('text' in part) text += part.text;
    else if (i === 0) unknownBase = true;
    else text += '\uE001';
  });
  const host = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)/i.exec(text)?.[1];
  const external = host !== undefined && !host.includes('\uE001') && !LOCAL_HOST.test(host);
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\/\/[^/]*/, '');
  const pathOnly = text.split(/[?#]/)[0] ?? '';
  const segments = pathOnly
    .split('/')
    .filter(Boolean)
    .map((s) => (s === '\uE001' ? PARAM : s.replace(/\uE001/g, PARAM).toLowerCase()));
  if (!segments.some((s) => s !== PARAM && !s.includes('\uE001'))) return undefined;
  return external ? { method, segments, unknownBase, external } : { method, segments, unknownBase };
}

/** Hosts that are this machine: a URL naming one may reach the repository's own server. */
const LOCAL_HOST = /^(?:localhost|[\w.-]+\.localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[::1?\])(?::\d+)?$/i;

/**
 * The rewritten routes a request reaches: the exact path; with a computed base, any route whose tail is the
 * path; and, when no route at all has the path, a route reached once leading literal segments are dropped (a
 * dev-server proxy that strips `/api`), reported with what was dropped.
 */
function matching(
  request: ConcreteRequest,
  routes: readonly CodeRoute[],
  changed: ReadonlyMap<CodeRoute, Site[]>,
  alternatives: (route: CodeRoute) => Segments[],
): Map<CodeRoute, string | undefined> {
  const out = new Map<CodeRoute, string | undefined>();
  const fits = (route: CodeRoute, segments: Segments, tail: boolean): boolean =>
    methodFits(route.method, request.method) &&
    alternatives(route).some((code) =>
      tail
        ? Array.from({ length: Math.max(code.length - segments.length, 0) + 1 }, (_, k) => k).some((k) =>
            compareSegments(code.slice(k), segments),
          )
        : compareSegments(code, segments) !== undefined,
    );
  for (const route of changed.keys())
    if (fits(route, request.segments, request.unknownBase)) out.set(route, undefined);
  if (out.size) return out;
  const resolved = routes.filter((r) => !r.unresolved);
  if (resolved.some((r) => fits(r, request.segments, request.unknownBase))) return out;
  // Another host's API is no dev-server proxy of this one: only its exact path could be ours.
  if (request.external) return out;
  for (let drop = 1; drop < request.segments.length; drop++) {
    const dropped = request.segments.slice(0, drop);
    if (dropped.some((s) => s.includes(PARAM))) break;
    const rest = request.segments.slice(drop);
    for (const route of changed.keys()) if (fits(route, rest, false)) out.set(route, `/${dropped.join('/')}`);
    if (out.size) return out;
  }
  return out;
}

function methodFits(route: string, request: string | undefined): boolean {
  if (!request || route === 'ALL' || route === 'USE') return true;
  return route === request || (route === 'GET' && request === 'HEAD');
}
