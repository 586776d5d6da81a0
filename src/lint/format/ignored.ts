import path from 'node:path';
import type { IgnoredResult } from '../types.js';

const BY = {
  operation: 'x-mtls-fix-ignore on the operation',
  'path-item': 'x-mtls-fix-ignore on the path item',
  response: 'x-mtls-fix-ignore on the response',
  config: 'config ignore',
} as const;

/**
 * The lines that keep suppressed findings visible: a count (always, when there are any) and, with
 * `explain`, each one at `file:line:col` with its rule, operation and reason. Empty when none.
 */
export function formatIgnored(ignored: readonly IgnoredResult[], explain: boolean, cwd: string): string {
  if (ignored.length === 0) return '';
  const count = `${ignored.length} finding${ignored.length === 1 ? '' : 's'} ignored`;
  if (!explain)
    return `${count} (x-mtls-fix-ignore or config ignore); --explain lists them with their reasons.`;
  const lines = ignored.map((result) => {
    const file = path.relative(cwd, result.source).split(path.sep).join('/') || result.source;
    const where = `${file}:${result.range.start.line + 1}:${result.range.start.character + 1}`;
    const operation = result.operation ? ` ${result.operation.method} ${result.operation.path}` : '';
    return `  ${where}  ${result.code}${operation}: ignored by ${BY[result.ignored.by]}: ${result.ignored.reason}`;
  });
  return [`${count}:`, ...lines].join('\n');
}
