import ts from '../typescript.cjs';
import { astroScript } from './astro.js';
import { SOURCE_EXTENSIONS, type SourceExtension } from './extensions.js';

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
  const extension = /\.(?:[cm]?[jt]sx?|astro)$/.exec(path)?.[0] ?? (/\.[^/\\]*$/.test(path) ? '.ts' : '.js');
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
 * allocation.
 */
function setParentNodes(root: ts.Node): void {
  let parent: ts.Node = root;
  const bind = (child: ts.Node): void => {
    (child as Mutable<ts.Node>).parent = parent;
    const above = parent;
    parent = child;
    ts.forEachChild(child, bind);
    parent = above;
  };
  ts.forEachChild(root, bind);
}

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
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
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
