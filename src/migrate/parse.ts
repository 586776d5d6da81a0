import ts from '../typescript.cjs';
import { astroScript } from './astro.js';
import { SOURCE_EXTENSIONS, type SourceExtension } from './extensions.js';
import { lineAndCharacterAt } from '../util/lines.js';

/** Every extension of SOURCE_EXTENSIONS (extensions.ts), no other: the type checks both ways. */
const SCRIPT_KINDS: Record<SourceExtension, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
  // The frontmatter only (src/migrate/astro.ts); the template is blanked, offsets kept.
  '.astro': ts.ScriptKind.TS,
};

export { SOURCE_EXTENSIONS };

/**
 * How the trees are parsed: the latest syntax, and JSDoc comments left as comments (no JSDoc nodes). Nothing of
 * migrate reads a JSDoc node: comments are read from the text (the census's `@openapi` blocks, suppression
 * comments), and `forEachChild` never visits JSDoc. The rest of the tree, positions and syntax errors are the
 * same either way (JSDoc errors are kept apart from `parseDiagnostics`). TypeScript >= 5.3 (`JSDocParsingMode`).
 */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
};

/**
 * Parses one file with the TypeScript parser (no Program, no type checker: analysis is syntactic and
 * resolves receivers through imports and parameter annotations). Parent pointers are set for navigation
 * (`setParents` false skips that pass, for a caller that walks the tree top-down only).
 * An `.astro` file is parsed as its frontmatter, at the same offsets (`astroScript`). JSDoc comments stay
 * comments ({@link PARSE_OPTIONS}).
 */
export function parseSource(path: string, text: string, setParents = true): ts.SourceFile {
  // A file without an extension is a Node script found by its `#!` line (src/migrate/unscanned.ts): JavaScript.
  const extension =
    /\.(?:[cm]?[jt]sx?|astro)$/i.exec(path)?.[0].toLowerCase() ?? (/\.[^/\\]*$/.test(path) ? '.ts' : '.js');
  const sourceFile = ts.createSourceFile(
    path,
    extension === '.astro' ? astroScript(text) : text,
    PARSE_OPTIONS,
    false,
    SCRIPT_KINDS[extension as SourceExtension] ?? ts.ScriptKind.TS,
  );
  if (setParents) setParentNodes(sourceFile);
  return sourceFile;
}

/**
 * Sets `parent` on every node below `root`, as `createSourceFile(…, setParentNodes: true)` does: each child's
 * parent is the node whose `forEachChild` yields it. The trees hold no JSDoc nodes ({@link PARSE_OPTIONS}), so
 * there are none to bind. The compiler's own pass walks with a work queue and an array of children per node
 * (about a quarter of the parse time on migrate's files, measured); this is a plain recursive walk, with no
 * allocation, down to {@link RECURSION_LIMIT} levels: a node deeper than that (a bundle's comma sequence of
 * thousands of terms, `a=1,b=2,…`, makes a tree that deep) is bound and set aside, and its children are walked
 * from a work list, so no tree overflows the stack here. A tree deeper than {@link TOO_DEEP} levels is marked
 * ({@link isTooDeep}): the recursive walks of the analysis and the route readers would overflow on it.
 */
function setParentNodes(root: ts.SourceFile): void {
  let parent: ts.Node = root;
  let depth = 0;
  let base = 0;
  const deeper: [ts.Node, number][] = [];
  const bind = (child: ts.Node): void => {
    (child as Mutable<ts.Node>).parent = parent;
    if (depth >= RECURSION_LIMIT) {
      deeper.push([child, base + depth]);
      return;
    }
    const above = parent;
    parent = child;
    depth++;
    ts.forEachChild(child, bind);
    depth--;
    parent = above;
  };
  ts.forEachChild(root, bind);
  let deepest = 0;
  for (let next = deeper.pop(); next; next = deeper.pop()) {
    [parent, base] = next;
    deepest = Math.max(deepest, base);
    depth = 0;
    ts.forEachChild(parent, bind);
  }
  if (deepest >= TOO_DEEP) TOO_DEEP_TREES.add(root);
}

/** Levels `setParentNodes` walks recursively before it goes on from a work list (far below Node's stack). */
const RECURSION_LIMIT = 1000;

/**
 * Levels of nesting from which a tree is too deep for migrate's recursive walks (several stack frames a level;
 * a 3,000-level comma sequence overflowed Node's default stack, session 28). Real source nests tens of levels.
 */
export const TOO_DEEP = 2000;

const TOO_DEEP_TREES = new WeakSet<ts.SourceFile>();

/**
 * Whether a tree `parseSource` made (with parents) nests {@link TOO_DEEP} levels or more: a generated or bundled
 * file that migrate's walks cannot read. Callers name such a file instead of reading it. False for a tree made
 * without parents (its depth is not measured).
 */
export function isTooDeep(sourceFile: ts.SourceFile): boolean {
  return TOO_DEEP_TREES.has(sourceFile);
}

/** One line naming a file too deep to read ({@link isTooDeep}), and what to do. */
export const TOO_DEEP_MESSAGE =
  'is nested too deeply for mtls-fix to read (more than 2,000 levels: a generated or bundled file?); skipped. Review its 403s by hand, or add it to config migrate.exclude if it is built output.';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Syntax errors the parser reported (TypeScript keeps them on the source file, outside its public typings). */
export function syntaxErrors(sourceFile: ts.SourceFile): readonly ts.Diagnostic[] {
  return (
    (sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? []
  );
}

export function firstErrorMessage(sourceFile: ts.SourceFile): string | undefined {
  const diagnostic = syntaxErrors(sourceFile)[0];
  if (!diagnostic) return undefined;
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (diagnostic.start === undefined) return message;
  const { line, character } = lineAndCharacterAt(sourceFile, diagnostic.start);
  return `${line + 1}:${character + 1}: ${message}`;
}

/**
 * What to tell the user about a file that does not parse, beyond the parser's message: a Flow file (`@flow`
 * pragma in its leading comments) fails on Flow-only syntax, which the TypeScript parser does not read.
 */
export function parseFailureHint(text: string): string | undefined {
  const leading = /^(?:\uFEFF)?(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/.exec(text)?.[0] ?? '';
  return /@flow\b/.test(leading)
    ? 'Flow-only syntax is not supported: strip the types first (flow-remove-types) or review this file by hand.'
    : undefined;
}
