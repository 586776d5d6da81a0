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
 * Parses one file with the TypeScript parser (no Program, no type checker: analysis is syntactic and
 * resolves receivers through imports and parameter annotations). Parent pointers are set for navigation
 * (`setParents` false skips that pass, for a caller that walks the tree top-down only).
 * An `.astro` file is parsed as its frontmatter, at the same offsets (`astroScript`).
 */
export function parseSource(path: string, text: string, setParents = true): ts.SourceFile {
  // A file without an extension is a Node script found by its `#!` line (src/migrate/unscanned.ts): JavaScript.
  const extension = /\.(?:[cm]?[jt]sx?|astro)$/.exec(path)?.[0] ?? (/\.[^/\\]*$/.test(path) ? '.ts' : '.js');
  return ts.createSourceFile(
    path,
    extension === '.astro' ? astroScript(text) : text,
    ts.ScriptTarget.Latest,
    setParents,
    SCRIPT_KINDS[extension as SourceExtension] ?? ts.ScriptKind.TS,
  );
}

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
