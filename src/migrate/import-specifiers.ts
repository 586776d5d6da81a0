/**
 * Module specifiers a file's text names: `from 'x'`, `import 'x'`, `import('x')`, `require('x')`,
 * `export … from 'x'`. Read from the text, not parsed (a specifier inside a comment or a string counts too:
 * the callers only use them to choose files to read further).
 */
export const SPECIFIER_SOURCE = String.raw`(?:\bfrom|\bimport|\brequire)\s*\(?\s*(['"])([^'"\n]+)\1`;

const SPECIFIER = new RegExp(SPECIFIER_SOURCE, 'g');

/**
 * The specifiers `text` names (SPECIFIER_SOURCE) that may lead outside the scanned folder: every one but those
 * starting `./` (`../x`, a package, a path alias, a workspace package), each once, in order of first mention.
 *
 * @param text a source file's text.
 * @returns e.g. `['express', '../shared/errors']` for a file importing `express`, `./local` and `../shared/errors`.
 */
export function outsideSpecifiers(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(SPECIFIER)) if (!match[2].startsWith('./')) out.add(match[2]);
  return [...out];
}
