import { ts } from 'ts-morph';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export const SOURCE_EXTENSIONS = Object.keys(SCRIPT_KINDS);

/**
 * Parses one file with the TypeScript parser (no Program, no type checker: analysis is syntactic and
 * resolves receivers through imports and parameter annotations). Parent pointers are set for navigation.
 */
export function parseSource(path: string, text: string): ts.SourceFile {
  const extension = /\.[cm]?[jt]sx?$/.exec(path)?.[0] ?? '.ts';
  return ts.createSourceFile(
    path,
    text,
    ts.ScriptTarget.Latest,
    true,
    SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS,
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
