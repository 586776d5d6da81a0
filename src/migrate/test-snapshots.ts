import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import { snapshotStatuses } from './frameworks/tests/snapshot-text.js';
import { isStatusAccess } from './frameworks/tests/subjects.js';
import type { Edit } from './types.js';
import { linesOfText, type LineTable } from '../util/lines.js';
import { SnapshotKeys, type Title } from './test-snapshot-keys.js';

// Snapshots a test file keeps beside it (`--include-tests`): Jest and Vitest `__snapshots__/<file>.snap`, node:test
// `<file>.snapshot`, Vitest `toMatchFileSnapshot(path)`. Their entries are printed replies; an entry that holds a
// status 403 asserts it as surely as `.toBe(403)` does, though the test file's own text holds no 403. The test
// follower (test-follow.ts) links each such entry to the matcher call that took it, and that call to its server.

/** Matchers that compare with an entry of the file's snapshot file (`toMatchSnapshot(hint?)`). */
const FILE_SNAPSHOT_MATCHERS = new Set(['toMatchSnapshot', 'toThrowErrorMatchingSnapshot']);

/** One entry of a snapshot file: `exports[`admin > denies 1`] = `...`;`. */
export interface SnapshotEntry {
  /** The snapshot file, relative to the working folder. */
  file: string;
  key: string;
  /** 1-based line of the entry's first status 403 (or of the entry). */
  line: number;
  /** The status 403s and phrases its value holds. */
  statuses: number;
}

/** A snapshot matcher call of a test file and the entries holding a status 403 that it compares with. */
export interface SnapshotAssertion {
  /** The matcher call; for an entry no matcher of the file claims, the test's runner call (`it(...)`). */
  call: ts.CallExpression;
  entries: SnapshotEntry[];
  /**
   * Set for an entry taken by a matcher the file does not hold (a helper of another file): where the test's
   * last statement starts, to decide its request from.
   */
  unplaced?: number;
}

/** The snapshot files a runner keeps for a test file (whether or not they exist). */
function snapshotPaths(absolute: string): string[] {
  const dir = path.dirname(absolute);
  const base = path.basename(absolute);
  return [path.join(dir, '__snapshots__', `${base}.snap`), `${absolute}.snapshot`];
}

/**
 * Whether a test file has a snapshot file that holds a 403 (read on disk; cheap: two `existsSync`): such a test
 * file is analysed even when its own text holds no 403 (run-settle.ts), so its snapshot assertions are decided.
 */
export function hasSnapshot403(absolute: string): boolean {
  return snapshotPaths(absolute).some((file) => existsSync(file) && /\b403\b/.test(read(file)));
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const ENTRY = /^exports\[`((?:[^`\\]|\\.)*)`\] = `((?:[^`\\]|\\.)*)`;\s*$/gm;

/** An entry of a snapshot file whose value holds a 403, with where its value starts in the file. */
interface RawEntry {
  file: string;
  key: string;
  value: string;
  /** Where the value starts in the snapshot file. */
  valueStart: number;
  /**
   * The snapshot file's line table, one per file: counting each entry's lines from the file's start made a
   * snapshot file of many entries quadratic (test/migrate/snapshot-lines-cost.test.ts).
   */
  lines: LineTable;
  /** The entry's place among its test file's entries. */
  order: number;
}

/** The entries of a snapshot file that hold a 403 anywhere (which of them is a status depends on the subject). */
function entriesOf(cwd: string, file: string): Omit<RawEntry, 'order'>[] {
  const text = read(file);
  const relative = path.relative(cwd, file).split(path.sep).join('/');
  const out: Omit<RawEntry, 'order'>[] = [];
  const lines = linesOfText(text);
  for (const match of text.matchAll(ENTRY)) {
    const value = match[2] ?? '';
    if (!/\b403\b/.test(value)) continue;
    const valueStart = (match.index ?? 0) + match[0].indexOf('= `') + 3;
    out.push({ file: relative, key: unescape(match[1] ?? ''), value, valueStart, lines });
  }
  return out;
}

/** An entry as a status assertion: the entries whose value holds a status 403 for this subject. */
function statusEntry(entry: RawEntry, ofStatus: boolean): SnapshotEntry | undefined {
  const found = snapshotStatuses(entry.value, ofStatus);
  const first = found.statuses[0];
  if (!first) return undefined;
  const line = entry.lines.line(entry.valueStart + first.start);
  return { file: entry.file, key: entry.key, line, statuses: found.statuses.length };
}

/** A template literal's escapes as the runners write keys (`\\``, `\\$`, `\\\\`). */
function unescape(key: string): string {
  return key.replace(/\\([`$\\])/g, '$1');
}

/**
 * Every snapshot matcher call of a test file whose entries hold a status 403: `expect(x).toMatchSnapshot()`
 * (Jest key `describe test 1`, Vitest `describe > test 1`, a hint `: hint` before the count),
 * `toThrowErrorMatchingSnapshot()`, node:test `t.assert.snapshot(x)` (`test > subtest 1`) and Vitest
 * `toMatchFileSnapshot('./reply.json')` (that file's text). A test whose title is not written out (a template
 * with substitutions, an `each` table's `%s`) matches the entries its title's fixed parts allow. A matcher that
 * may run more than once per test (in a loop, or in a helper of the file that the tests call) matches every
 * count of the tests it runs in (a helper's: the tests that call it). An entry holding a status 403 that no
 * matcher of the file claims (taken in a helper of another file) is returned at the test its key names
 * (`unplaced`), so it is never left stale in silence; an entry of no test of the file (obsolete) is not.
 *
 * @param cwd the working folder (entries name their file relative to it)
 * @param absolute the test file
 * @param sourceFile its tree
 */
export function snapshotAssertions(
  cwd: string,
  absolute: string,
  sourceFile: ts.SourceFile,
): SnapshotAssertion[] {
  const entries = snapshotPaths(absolute)
    .filter((file) => existsSync(file))
    .flatMap((file) => entriesOf(cwd, file))
    .map((entry, order) => ({ ...entry, order }));
  const keys = new SnapshotKeys(entries);
  const out: SnapshotAssertion[] = [];
  const claimed = new Set<RawEntry>();
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (method === 'toMatchFileSnapshot') {
        const found = fileSnapshot(cwd, absolute, node);
        if (found) out.push(found);
      } else if (FILE_SNAPSHOT_MATCHERS.has(method) || isNodeSnapshot(node)) {
        const hint = node.arguments.find((a) => ts.isStringLiteralLike(a));
        const hintText = hint && ts.isStringLiteralLike(hint) ? hint.text : undefined;
        const own = titleOf(node);
        // In a helper of the file: the titles of the tests that call it, any count.
        const titles = own ? [own] : callerTitles(sourceFile, node);
        const repeats = !own || inLoop(node);
        const slot = `${own?.source ?? '?'}\0${hintText ?? ''}`;
        const count = (counts.get(slot) ?? 0) + 1;
        counts.set(slot, count);
        // In the snapshot file's order, each entry once.
        const taken = [
          ...new Set(titles.flatMap((title) => keys.taken(title, hintText, repeats ? undefined : count))),
        ].sort((a, b) => a.order - b.order);
        for (const e of taken) claimed.add(e);
        const matched = taken.flatMap((e) => statusEntry(e, statusSubject(node)) ?? []);
        if (matched.length) out.push({ call: node, entries: matched });
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const unclaimed = entries.filter((e) => !claimed.has(e));
  if (!unclaimed.length) return out;
  const owners = keys.owners(
    unclaimed,
    testsOf(sourceFile).map((test) => ({ title: test.title, value: test })),
  );
  for (const entry of unclaimed) {
    const status = statusEntry(entry, false);
    const test = owners.get(entry);
    if (status && test) out.push({ call: test.call, entries: [status], unplaced: test.last });
  }
  return out;
}

/** Whether a matcher call sits in a loop of its test (`for`, `while`, a `forEach` / `map` callback). */
function inLoop(call: ts.Node): boolean {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (
      ts.isForStatement(node) ||
      ts.isForOfStatement(node) ||
      ts.isForInStatement(node) ||
      ts.isWhileStatement(node) ||
      ts.isDoStatement(node)
    )
      return true;
    if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
      const parent = node.parent;
      if (
        ts.isCallExpression(parent) &&
        ts.isPropertyAccessExpression(parent.expression) &&
        /^(forEach|map|flatMap|reduce|filter|some|every)$/.test(parent.expression.name.text)
      )
        return true;
      if (isRunnerCallback(node)) return false;
    }
  }
  return false;
}

/** A function passed to a test runner call after its title (`it('x', fn)`, `describe('x', fn)`). */
function isRunnerCallback(fn: ts.Node): boolean {
  const runner = fn.parent;
  return (
    !!runner &&
    ts.isCallExpression(runner) &&
    runner.arguments.includes(fn as ts.Expression) &&
    !!runner.arguments[0] &&
    runner.arguments[0] !== fn &&
    (ts.isStringLiteralLike(runner.arguments[0]) || ts.isTemplateExpression(runner.arguments[0]))
  );
}

/**
 * The titles of the tests that call the helper holding `call` (`function snap(res) { expect(res.body)
 * .toMatchSnapshot() }` called in `it('denies', ...)`), through helpers of helpers (a few levels).
 */
function callerTitles(sourceFile: ts.SourceFile, call: ts.Node, depth = 0): Title[] {
  const name = helperName(call);
  if (!name || depth > 3) return [];
  const out: Title[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
      const title = titleOf(node);
      if (title) out.push(title);
      else out.push(...callerTitles(sourceFile, node, depth + 1));
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/** The name of the function of the file around a node (`function snap`, `const snap = () => ...`). */
function helperName(node: ts.Node): string | undefined {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isFunctionDeclaration(at)) return at.name?.text;
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && ts.isVariableDeclaration(at.parent))
      return ts.isIdentifier(at.parent.name) ? at.parent.name.text : undefined;
  }
  return undefined;
}

/** A test of the file: its runner call, its title, and where its body's last statement starts. */
interface TestOfFile {
  call: ts.CallExpression;
  title: Title;
  last: number;
}

/** The tests (and suites) of a file with their titles; suites never match a key's whole title and count. */
function testsOf(sourceFile: ts.SourceFile): TestOfFile[] {
  const out: TestOfFile[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && isRunnerCallback(node)) {
      const body = node.body;
      const statements = ts.isBlock(body) ? body.statements : undefined;
      const last = statements?.[statements.length - 1] ?? body;
      const title = titleOf(last);
      if (title && ts.isCallExpression(node.parent))
        out.push({ call: node.parent, title, last: last.getStart(sourceFile) });
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

/** node:test's `t.assert.snapshot(value)` (also `assert.snapshot` on a test context's `assert`). */
function isNodeSnapshot(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'snapshot' &&
    ts.isPropertyAccessExpression(callee.expression) &&
    callee.expression.name.text === 'assert'
  );
}

/** Vitest's `expect(x).toMatchFileSnapshot('./reply.json')`: the named file, whole, when it holds a status 403. */
function fileSnapshot(cwd: string, absolute: string, call: ts.CallExpression): SnapshotAssertion | undefined {
  const target = call.arguments[0];
  if (!target || !ts.isStringLiteralLike(target)) return undefined;
  const file = path.resolve(path.dirname(absolute), target.text);
  const text = read(file);
  const found = snapshotStatuses(text, statusSubject(call));
  if (!found.statuses.length) return undefined;
  const line = linesOfText(text).line(found.statuses[0]?.start ?? 0);
  const relative = path.relative(cwd, file).split(path.sep).join('/');
  return { call, entries: [{ file: relative, key: '', line, statuses: found.statuses.length }] };
}

/** `expect(res.status).toMatch...`, `t.assert.snapshot(res.status)`: the snapshot is of the status itself. */
function statusSubject(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (isNodeSnapshot(call)) return !!call.arguments[0] && isStatusAccess(call.arguments[0]);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isCallExpression(callee.expression)) return false;
  const subject = callee.expression.arguments[0];
  return !!subject && isStatusAccess(subject);
}

function titleOf(call: ts.Node): Title | undefined {
  const parts: string[] = [];
  const written: string[] = [];
  const texts: (string | undefined)[] = [];
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (!(ts.isFunctionExpression(node) || ts.isArrowFunction(node))) continue;
    const runner: ts.Node = node.parent;
    if (!runner || !ts.isCallExpression(runner) || !runner.arguments.includes(node)) continue;
    const title = runner.arguments[0];
    if (!title || title === node) continue;
    parts.unshift(titlePattern(title));
    written.unshift(title.getText());
    texts.unshift(
      ts.isStringLiteralLike(title) && !EACH_PLACEHOLDER.test(title.text) ? title.text : undefined,
    );
  }
  if (!parts.length) return undefined;
  const whole = texts.every((t) => t !== undefined) ? texts : undefined;
  return { parts, source: written.join('\0'), ...(whole ? { texts: whole } : {}) };
}

/** A title as a pattern: a literal's text; a template's fixed parts around `.*?`; `%s`/`$name` in `each` titles. */
function titlePattern(title: ts.Expression): string {
  if (ts.isStringLiteralLike(title)) return eachPattern(title.text);
  if (ts.isTemplateExpression(title))
    return [title.head.text, ...title.templateSpans.map((s) => s.literal.text)].map(eachPattern).join('.*?');
  return '.*?';
}

/** An `each` table's placeholder in a title (`%s`, `$name`): the key holds the row's value there. */
const EACH_PLACEHOLDER = /%[sdifjop#%]|\$[A-Za-z_][\w.]*/;

function eachPattern(text: string): string {
  return text
    .split(EACH_PLACEHOLDER)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
}

/**
 * A kept assertion's edits inside one text literal (an inline snapshot's `"status": 403` and `"error":
 * "Forbidden"`) as one edit of the whole literal: the census counts a literal as one 403 occurrence, covered only
 * by an edit that spans it (census-phrases.ts `leftPhrase`). The text written is the same.
 *
 * @param edits a `tests` site's edits (offsets into `sourceFile`'s text)
 */
export function wholeLiteralEdits(sourceFile: ts.SourceFile, edits: readonly Edit[]): Edit[] {
  const out: Edit[] = [];
  const grouped = new Map<ts.Node, Edit[]>();
  for (const edit of edits) {
    const node = literalAt(sourceFile, edit.start);
    if (!node || (node.getStart(sourceFile) === edit.start && node.getEnd() === edit.end)) out.push(edit);
    else grouped.set(node, [...(grouped.get(node) ?? []), edit]);
  }
  for (const [node, inner] of grouped) {
    const start = node.getStart(sourceFile);
    let text = sourceFile.text.slice(start, node.getEnd());
    for (const edit of [...inner].sort((a, b) => b.start - a.start))
      text = text.slice(0, edit.start - start) + edit.text + text.slice(edit.end - start);
    out.push({ start, end: node.getEnd(), text });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The string or template literal token holding `position`, if any. */
function literalAt(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || position < node.getStart(sourceFile) || position >= node.getEnd()) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found = node;
    else node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return found;
}
