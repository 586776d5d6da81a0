import path from 'node:path';
import { SOURCE_EXTENSIONS } from './extensions.js';

/**
 * Data and document formats a user may name on the command line by mistake (`migrate errors.json policy.yaml`):
 * never parsed as TypeScript (a JSON object reads as a block with a `';' expected` error, YAML's `deny: 403` as a
 * labeled statement). Keyed by lower-case extension; the value is the format's name as the notice reads.
 */
export const NOT_SOURCE_FORMATS: Readonly<Record<string, string>> = {
  '.json': 'JSON',
  '.jsonc': 'JSON',
  '.json5': 'JSON5',
  '.yaml': 'YAML',
  '.yml': 'YAML',
  '.toml': 'TOML',
  '.xml': 'XML',
  '.ini': 'INI',
  '.conf': 'a configuration file',
  '.env': 'an env file',
  '.md': 'Markdown',
  '.mdx': 'MDX',
  '.txt': 'text',
  '.csv': 'CSV',
  '.html': 'HTML',
  '.htm': 'HTML',
  '.graphql': 'GraphQL',
  '.gql': 'GraphQL',
  '.proto': 'Protocol Buffers',
  '.sql': 'SQL',
  '.lock': 'a lock file',
};

/** The format of a file that is not source by its extension (`JSON`, `YAML`), or undefined. */
export function notSourceFormat(file: string): string | undefined {
  return NOT_SOURCE_FORMATS[path.extname(file).toLowerCase()];
}

/** The language label discovery keeps for such a file (`unparsed[].language`): `JSON, not a source file`. */
export function notSourceLabel(format: string): string {
  return `${format}, not a source file`;
}

/** Which command reads a data file that holds a 403: `fix` for an OpenAPI document, `detect` for configuration. */
export const NOT_SOURCE_COMMANDS =
  'for an OpenAPI document run mtls-fix fix, for proxy or infrastructure configuration mtls-fix detect';
const WHERE_TO = NOT_SOURCE_COMMANDS;

/**
 * The one-line notice for a named file that is not source: where its 403 form is (1-based `line`) or that it
 * holds none, and which command reads such files.
 */
export function notSourceNotice(relative: string, format: string, line: number | undefined): string {
  const reads = `migrate reads source files (${SOURCE_EXTENSIONS.join(' ')})`;
  return line === undefined
    ? `${relative}: ${format}, not a source file; ${reads}, and it holds no 403 form: ${WHERE_TO}.`
    : `${relative}:${line}: a 403 form in ${format}, not a source file, not read (${reads}): ${WHERE_TO}; review anything else by hand.`;
}
