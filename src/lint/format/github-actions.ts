import path from 'node:path';
import type { LintResult } from '../types.js';

const COMMANDS = ['error', 'warning', 'notice', 'notice'] as const;

/** GitHub workflow commands: one annotation per finding, on the file and line (1-based) of the key. */
export function formatGithubActions(results: readonly LintResult[], cwd: string): string {
  return results
    .map((result) => {
      const file = path.relative(cwd, result.source).split(path.sep).join('/');
      const properties = [
        `file=${escapeProperty(file)}`,
        `line=${result.range.start.line + 1}`,
        `col=${result.range.start.character + 1}`,
        `endLine=${result.range.end.line + 1}`,
        `endColumn=${result.range.end.character + 1}`,
        `title=${escapeProperty(result.code)}`,
      ].join(',');
      return `::${COMMANDS[result.severity]} ${properties}::${escapeData(result.message)}`;
    })
    .join('\n');
}

/**
 * One notice annotation with no file (`::notice title=…::…`): the hint digest, when more documents than GitHub
 * annotates per step have no mTLS-secured operation (lint/hint-digest.ts). Lines of `message` stay lines.
 */
export function formatGithubNotice(title: string, message: string): string {
  return `::notice title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** Escapes a workflow command's message (`%`, CR, LF), as the runner reads it back. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
