import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import { shorten } from './analysis.js';
import type { ProjectFile } from './routes/project.js';
import type { FollowContext } from './test-follow-context.js';
import { helperFunction } from './test-assertion-place.js';
import { lineOf } from './test-nodes.js';
import { isFunctionLike, type FunctionLike } from './scope.js';
import { importedHelperCall, matcherArguments } from './frameworks/tests/helpers.js';
import {
  BUILTIN_MATCHERS,
  chaiPluginName,
  extendArgument,
  extendedObjects,
  isMatcherName,
  matcherCall,
  matcherMembers,
  matcherProperty,
  type MatcherCall,
} from './frameworks/tests/matchers.js';
import { STATUS_MATCHERS } from './frameworks/tests/vocabulary.js';
import { isStatusAccess } from './frameworks/tests/subjects.js';
import { collectImports } from './imports.js';

// Custom matchers of a test suite, across its files (session 41): `expect(res).toRespondWith(403)` and
// `expect(res).toBeForbidden()` with `expect.extend({...})` in a setup file (frameworks/tests/matchers.ts). The
// analysis of one test file cannot see a matcher another file registers; the follower's project can.

/** One definition of a custom matcher in the project's tests: the function, when mtls-fix can read it. */
interface MatcherDefinition {
  file: ProjectFile;
  /** Where it is declared (the `expect.extend` member, or the function). */
  declaration: ts.Node;
  fn?: FunctionLike;
  /** A chai plugin's (`Assertion.addMethod(name, fn)`): its parameters are the call's arguments, its subject `this`. */
  plugin?: boolean;
  /** The file of `fn` when another file declares it (`expect.extend({ toX })` with `toX` imported). */
  fnFile?: ProjectFile;
  /** `fn` is in no test or setup file of the run: its own 403 is not rewritten there. */
  outside?: boolean;
}

/** Per run: each matcher name's definitions, and the packages whose matchers the suite registers. */
const definitionsCache = new WeakMap<FollowContext, Map<string, MatcherDefinition[]>>();
const packagesCache = new WeakMap<FollowContext, string[]>();

/**
 * The calls of custom matchers in a test file that the file's own analysis could not decide (test-follow.ts
 * `settle`, before its census):
 * - `expect(res).toRespondWith(403)` whose matcher compares that argument with the received reply's status
 *   (`pass: res.status === code`): a `tests` site, decided as `expect(res.status).toBe(403)` is;
 * - `expect(res).toBeForbidden()` whose matcher's body holds the 403 (a site there, decided by the matcher's
 *   callers): the name at the call is a reference to it, not an emit;
 * - any other such call holding a 403 (a matcher no `expect.extend` of the project defines, one whose body
 *   mtls-fix cannot read, one that compares the 403 with something else): a manual site naming the matcher and
 *   why, decided by its request as other manual assertions are. Never left to read as a shape nobody knows.
 * Matchers known by name (`toHaveStatus`, tests/vocabulary.ts `STATUS_MATCHERS`) and `expect`'s own (`toBe`,
 * `toContain`: tests/matchers.ts `BUILTIN_MATCHERS`) are the file analysis's and the census's.
 */
export function addMatcherCalls(ctx: FollowContext, file: ProjectFile, analysis: FileAnalysis): void {
  const calls: MatcherCall[] = [];
  const visit = (node: ts.Node): void => {
    const call = ts.isCallExpression(node)
      ? matcherCall(node)
      : ts.isPropertyAccessExpression(node)
        ? matcherProperty(node)
        : undefined;
    if (call && !STATUS_MATCHERS.has(call.name) && !BUILTIN_MATCHERS.has(call.name)) calls.push(call);
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
  for (const call of calls) {
    if (covered(analysis, call.call)) continue;
    // chai's own words (`.ok`, `.equal`) are many and read often: only a plugin's name is looked up.
    if (call.chai && !pluginNames(ctx).has(call.name)) continue;
    const holding = call.args.flatMap((a, i) => (analysis.forbiddenEdits(a) ? [i] : []));
    const named = FORBIDDEN_NAME.test(call.name);
    const all = matcherDefinitions(ctx, call.name);
    // A matcher whose name and arguments say nothing of a 403 (`toBeDenied()`): its body's 403, in a test file, is
    // decided by its callers; in a file outside the tests it stays, so each call is named.
    if (!holding.length && !named && !all.some((d) => d.outside && HOLDS_403.test(d.fn?.getText() ?? '')))
      continue;
    // A chai chain's word is a custom matcher only where a plugin of the project adds it (`.equal` is chai's).
    const definitions = call.chai ? all.filter((d) => d.plugin) : all;
    if (call.chai && !definitions.length) continue;
    const readable = definitions.filter((d) => d.fn);
    const where = (d: MatcherDefinition): string =>
      d.fnFile && d.fn
        ? `${d.fnFile.relative}:${lineOf(d.fnFile.sourceFile, d.fn)}`
        : `${d.file.relative}:${lineOf(d.file.sourceFile, d.declaration)}`;
    if (holding.length) {
      const compared = readable
        .map((d) => {
          const { status, received } = matcherArguments(d.fn as FunctionLike, !d.plugin);
          const asStatus = call.subject && isStatusAccess(call.subject) ? [...status, ...received] : status;
          return holding.filter((i) => asStatus.includes(i));
        })
        .find((indexes) => indexes.length);
      if (compared && ts.isCallExpression(call.call)) {
        importedHelperCall(analysis, call.call, compared);
        continue;
      }
    } else {
      // The name says 403 and the body holds it: the site is in the body (its callers decide it).
      const holder = readable.find((d) => HOLDS_403.test(d.fn?.getText() ?? ''));
      if (holder?.outside) {
        addNamed(
          analysis,
          call.call,
          `the matcher ${call.name} (${where(holder)}), defined outside the test files, where mtls-fix rewrites no assertion: its 403 stays there`,
        );
        continue;
      }
      if (holder) {
        const name = ts.isCallExpression(call.call)
          ? (call.call.expression as ts.PropertyAccessExpression).name
          : call.call.name;
        analysis.notAnEmitRanges.push({
          start: name.getStart(analysis.sourceFile),
          end: name.getEnd(),
          kind: 'reference',
        });
        continue;
      }
    }
    const first = definitions[0];
    const about = !first
      ? `the matcher ${call.name}, which no expect.extend (or chai plugin) of the project's tests defines${packagesNote(ctx)}, so mtls-fix cannot read its body`
      : !readable.length
        ? `the matcher ${call.name} (${where(first)}), whose body mtls-fix cannot read (no function is written there)`
        : holding.length
          ? `the matcher ${call.name} (${where(first)}), which mtls-fix does not see compare that argument with the reply's status`
          : `the matcher ${call.name} (${where(first)}), whose name says 403 but whose body holds no 403 mtls-fix can read`;
    addNamed(analysis, call.call, about);
  }
}

/** Names of helpers and matchers that assert: `expectForbidden`, `assertStatus`, `checkDenied`, `toBeForbidden`. */
const ASSERTION_NAME = /^(expect|assert|should|check|verify|ensure|must|to[A-Z])/;

/** A matcher or helper name that says 403 (as the census reads names: census-names.ts). */
const FORBIDDEN_NAME = /forbidden|permission_?denied/i;

/** A function's text that holds a 403 (a number or a status library's name of it). */
const HOLDS_403 = /\b403\b|FORBIDDEN\b/;

/**
 * A call of an assertion helper holding a 403 whose helper mtls-fix cannot follow (test-imported-helpers.ts): a
 * helper a package exports (`import { expectDenied } from '@acme/test-kit'`), one written as something other than
 * a function (`export const expectStatus = makeExpect('status')`), or one that does not compare that argument with
 * a reply's status. Added as a manual site naming the helper and why, decided by its request (test-follow.ts);
 * only for a call whose name reads as an assertion (`expect…`, `assert…`, `check…`), so a test's builder of its
 * own fixtures (`createError(403)`) is left to the census.
 *
 * @param why what mtls-fix could not read (`imported from '@acme/test-kit', whose body …`)
 */
export function addUnreadHelperCall(analysis: FileAnalysis, call: ts.CallExpression, why: string): void {
  if (!ts.isIdentifier(call.expression) || !ASSERTION_NAME.test(call.expression.text)) return;
  if (covered(analysis, call)) return;
  addNamed(analysis, call, `the assertion helper ${call.expression.text}, ${why}`);
}

/** Whether a site or a not-an-emit mark already holds the call's 403. */
function covered(analysis: FileAnalysis, call: ts.Node): boolean {
  const start = call.getStart(analysis.sourceFile);
  const end = call.getEnd();
  return (
    analysis.sites.some((s) => s.start < end && s.end > start) ||
    analysis.notAnEmitRanges.some((r) => r.start <= start && end <= r.end)
  );
}

/** A manual `tests` site at `call` naming what mtls-fix could not read (`about`). */
function addNamed(
  analysis: FileAnalysis,
  call: ts.CallExpression | ts.PropertyAccessExpression,
  about: string,
): void {
  analysis.addSite({
    node: call,
    framework: 'tests',
    manual: true,
    reason: `Asserts a 403 with ${about} (${shorten(call.getText(analysis.sourceFile))}): check by hand whether it is the reply's status; if so, change it together with its server (now ${analysis.target} where this run rewrote it), or keep it on purpose with // mtls-fix-ignore: <why>.`,
  });
}

/**
 * The definitions of the custom matcher `name` in the project's tests: chai plugins
 * (`chai.Assertion.addMethod(name, fn)`, `addProperty`, `addChainableMethod`), members of objects handed to
 * `expect.extend` (`{ toX(res) {} }`, `{ toX: fn }`, a shorthand `{ toX }` followed to its function, in the file
 * or one it imports), and functions named `name` in a test file (registered from another file:
 * `expect.extend(matchers)` with `import * as matchers from './matchers'`). Test and runner setup files only,
 * those whose text names the matcher.
 */
function matcherDefinitions(ctx: FollowContext, name: string): MatcherDefinition[] {
  let byName = definitionsCache.get(ctx);
  if (!byName) definitionsCache.set(ctx, (byName = new Map<string, MatcherDefinition[]>()));
  const cached = byName.get(name);
  if (cached) return cached;
  const out: MatcherDefinition[] = [];
  for (const file of candidateFiles(ctx, (text) => text.includes(name))) definitionsIn(ctx, file, name, out);
  // None in the suite's own files: a module of matchers outside the test folders (`src/testing/matchers.ts`)
  // that a test or setup file imports. Its 403 is no test's to rewrite (the file is not a test), so it is named.
  if (!out.length)
    for (const file of importedByTests(ctx)) {
      const text = ctx.links.text(file);
      if (text.includes(name) && MATCHER_MODULE.test(text)) definitionsIn(ctx, file, name, out);
    }
  for (const d of out) {
    const at = d.fnFile ?? d.file;
    if (!ctx.links.isTest(at.relative) && !ctx.links.isSetup(at)) d.outside = true;
  }
  byName.set(name, out);
  return out;
}

/** Per run: the names chai plugins of the suite add (`Assertion.addMethod('forbidden', fn)`). */
const pluginNamesCache = new WeakMap<FollowContext, Set<string>>();

/** The names the suite's chai plugins add, in its test and setup files and the files they import. */
function pluginNames(ctx: FollowContext): Set<string> {
  let found = pluginNamesCache.get(ctx);
  if (found) return found;
  const names = new Set<string>();
  const adds = (text: string): boolean => /\.add(?:Method|Property|ChainableMethod)\(/.test(text);
  const files = [
    ...candidateFiles(ctx, adds),
    ...importedByTests(ctx).filter((f) => adds(ctx.links.text(f))),
  ];
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      const fn = ts.isCallExpression(node) ? node.arguments[1] : undefined;
      const name = fn && isFunctionLike(fn) ? chaiPluginName(fn) : undefined;
      if (name) names.add(name);
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  found = names;
  pluginNamesCache.set(ctx, found);
  return found;
}

/** Per run: the project files outside the tests that a test or runner setup file imports. */
const importedCache = new WeakMap<FollowContext, ProjectFile[]>();

/** The project files no test names as its own that the suite's test and setup files import (`src/testing/m.ts`). */
function importedByTests(ctx: FollowContext): ProjectFile[] {
  let found = importedCache.get(ctx);
  if (found) return found;
  const suite = ctx.project.files.filter((f) => ctx.links.isTest(f.relative) || ctx.links.isSetup(f));
  const relatives = new Set(suite.flatMap((f) => [...ctx.links.importsOf(f)]));
  found = [...relatives].flatMap((relative) => {
    const file = ctx.project.byRelative(relative);
    return file && !suite.includes(file) ? [file] : [];
  });
  importedCache.set(ctx, found);
  return found;
}

/** A module's text that may define matchers: `expect.extend`, a chai plugin, a matcher result (`pass`). */
const MATCHER_MODULE = /\.extend\(|\.add(?:Method|Property|ChainableMethod)\(|\bpass\b/;

/** The definitions of the matcher `name` in `file`, added to `out` (see `matcherDefinitions`). */
function definitionsIn(ctx: FollowContext, file: ProjectFile, name: string, out: MatcherDefinition[]): void {
  for (const object of extendedObjects(file.sourceFile))
    for (const member of matcherMembers(object)) {
      if (member.name !== name) continue;
      const found = member.fn
        ? { fn: member.fn, file }
        : member.reference && referencedFunction(ctx, file, member.reference);
      out.push({
        file,
        declaration: member.member,
        ...(found ? { fn: found.fn, ...(found.file === file ? {} : { fnFile: found.file }) } : {}),
      });
    }
  // chai.Assertion.addMethod('forbidden', function () {...}): a plugin's method or property.
  const plugins = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.arguments[1] &&
      isFunctionLike(node.arguments[1]) &&
      chaiPluginName(node.arguments[1]) === name
    )
      out.push({ file, declaration: node, fn: node.arguments[1], plugin: true });
    node.forEachChild(plugins);
  };
  plugins(file.sourceFile);
  if (!isMatcherName(name)) return;
  const visit = (node: ts.Node): void => {
    const declared = ts.isFunctionDeclaration(node)
      ? node.name?.text
      : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)
        ? node.name.text
        : undefined;
    const fn = declared === name ? helperFunction(node) : undefined;
    if (fn && isFunctionLike(fn) && !out.some((d) => d.fn === fn)) out.push({ file, declaration: node, fn });
    node.forEachChild(visit);
  };
  visit(file.sourceFile);
}

/** The function a matcher member names (`{ toBeForbidden }`), in its file or the one it is imported from. */
function referencedFunction(
  ctx: FollowContext,
  file: ProjectFile,
  reference: ts.Identifier,
): { fn: FunctionLike; file: ProjectFile } | undefined {
  for (const declaration of ctx.project.lookup(file, reference, reference.text)) {
    const fn = helperFunction(declaration.node);
    if (fn && isFunctionLike(fn)) return { fn, file: declaration.file };
  }
  return undefined;
}

/**
 * The packages whose matchers the suite registers (`expect.extend(matchers)` with `import matchers from
 * 'odottaa'`), for the reason of a matcher no file of the project defines.
 */
function packagesNote(ctx: FollowContext): string {
  let found = packagesCache.get(ctx);
  if (!found) {
    const modules = new Set<string>();
    for (const file of candidateFiles(ctx, (text) => text.includes('extend('))) {
      const imports = collectImports(file.sourceFile);
      const visit = (node: ts.Node): void => {
        const argument = extendArgument(node);
        let named = argument;
        while (named && ts.isPropertyAccessExpression(named)) named = named.expression;
        const module = named && ts.isIdentifier(named) ? imports.get(named.text)?.module : undefined;
        if (module && !module.startsWith('.') && !ctx.project.resolveModule(file, module))
          modules.add(module);
        node.forEachChild(visit);
      };
      visit(file.sourceFile);
    }
    found = [...modules].sort();
    packagesCache.set(ctx, found);
  }
  return found.length
    ? ` (it may be one of the matchers it registers from ${found.map((m) => `'${m}'`).join(', ')})`
    : " (a package's matcher, or one registered out of mtls-fix's sight)";
}

/** The run's test files and runner setup files whose text passes `mentions`. */
function candidateFiles(ctx: FollowContext, mentions: (text: string) => boolean): ProjectFile[] {
  return ctx.project.files.filter(
    (file) => (ctx.links.isTest(file.relative) || ctx.links.isSetup(file)) && mentions(ctx.links.text(file)),
  );
}
